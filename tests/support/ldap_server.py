"""A real OpenLDAP directory for the LDAP sign-in tests: Debian's `slapd`, run in the
foreground from a slapd.conf written into a temp folder (never the system service), on
free 127.0.0.1 ports: ldaps:// on one, ldap:// (for StartTLS) on the other. Its TLS
certificate comes from a private CA made for the session (tests/support/tls_certs.py).

The directory (dc=acme,dc=test):
  cn=reader         the service account the app binds with to search
  uid=alice         alice@acme.example, in cn=admins and cn=staff
  uid=bob           bob@acme.example, in cn=staff
  uid=mallory       mallory@other.example, in no group (an address outside the bound domain)
Every person's password is PASSWORDS[uid].
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.support.processes import free_port, start, stop
from tests.support.tls_certs import Certs, make_pki
from tests.support.waiting import eventually

BASE_DN = "dc=acme,dc=test"
READER_DN = f"cn=reader,{BASE_DN}"
READER_PASSWORD = "reader-secret-9"
PEOPLE_DN = f"ou=people,{BASE_DN}"
GROUPS_DN = f"ou=groups,{BASE_DN}"
ADMINS_DN = f"cn=admins,{GROUPS_DN}"
STAFF_DN = f"cn=staff,{GROUPS_DN}"
PASSWORDS = {"alice": "alice-pass-1", "bob": "bob-pass-2", "mallory": "mallory-pass-3"}
PEOPLE = {
    "alice": ("alice@acme.example", "Alice Admin"),
    "bob": ("bob@acme.example", "Bob Staff"),
    "mallory": ("mallory@other.example", "Mallory Outside"),
}


def user_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE_DN}"


_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
TLSCACertificateFile {ca}
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
database mdb
suffix "{base}"
rootdn "cn=root,{base}"
rootpw root-secret-unused
directory {dir}/data
maxsize 104857600
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="{reader}" read by self read by * none
"""


def _ldif() -> str:
    entries = [
        f"dn: {BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: acme\no: Acme",
        f"dn: {READER_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: reader\nuserPassword: {READER_PASSWORD}",
        f"dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS_DN}\nobjectClass: organizationalUnit\nou: groups",
    ]
    for uid, (mail, name) in PEOPLE.items():
        entries.append(
            f"dn: {user_dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\n"
            f"sn: {name.split()[-1]}\nmail: {mail}\nuserPassword: {PASSWORDS[uid]}"
        )
    entries.append(
        f"dn: {ADMINS_DN}\nobjectClass: groupOfNames\ncn: admins\nmember: {user_dn('alice')}"
    )
    entries.append(
        f"dn: {STAFF_DN}\nobjectClass: groupOfNames\ncn: staff\n"
        f"member: {user_dn('alice')}\nmember: {user_dn('bob')}"
    )
    return "\n\n".join(entries) + "\n"


@dataclass
class LdapServer:
    folder: Path
    certs: Certs | None = None
    ldaps_port: int = 0
    ldap_port: int = 0
    _proc: subprocess.Popen | None = None

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.ldaps_port}"

    @property
    def ldap_url(self) -> str:
        """Plain LDAP: the app must upgrade it with StartTLS."""
        return f"ldap://127.0.0.1:{self.ldap_port}"

    @property
    def ca_pem(self) -> str:
        assert self.certs is not None
        return self.certs.ca.read_text()

    def start(self) -> LdapServer:
        slapd = shutil.which("slapd") or "/usr/sbin/slapd"
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "data").mkdir(exist_ok=True)
        self.certs = make_pki(self.folder / "pki", client_cn="unused")
        conf = self.folder / "slapd.conf"
        conf.write_text(
            _CONF.format(
                dir=self.folder,
                ca=self.certs.ca,
                cert=self.certs.server.cert,
                key=self.certs.server.key,
                base=BASE_DN,
                reader=READER_DN,
            )
        )
        ldif = self.folder / "directory.ldif"
        ldif.write_text(_ldif())
        # Loaded offline before the server starts: no admin bind over the network needed.
        subprocess.run(
            [shutil.which("slapadd") or "/usr/sbin/slapadd", "-f", str(conf), "-l", str(ldif)],
            check=True,
            capture_output=True,
        )
        self.ldaps_port, self.ldap_port = free_port(), free_port()
        urls = f"ldaps://127.0.0.1:{self.ldaps_port}/ ldap://127.0.0.1:{self.ldap_port}/"
        log = self.folder / "slapd.log"
        # -d 0: stay in the foreground (stop() ends it by its process group).
        self._proc = start([slapd, "-d", "0", "-f", str(conf), "-h", urls], {}, log)

        def listening() -> bool:
            if self._proc is not None and self._proc.poll() is not None:
                raise RuntimeError(f"slapd exited early:\n{log.read_text()[-4000:]}")
            for port in (self.ldaps_port, self.ldap_port):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                except OSError:
                    return False
            return True

        eventually(listening, timeout=20, message="slapd did not start")
        return self

    def stop(self) -> None:
        if self._proc is not None:
            stop(self._proc)
            self._proc = None
