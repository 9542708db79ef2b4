"""An LDAP connection's config, checked: TLS is required (ldaps://, or ldap:// with
StartTLS), the CA may be given as PEM, and the search and group settings have defaults
that fit OpenLDAP and Active Directory.

Keys: url, starttls, ca_pem, bind_dn, bind_password (secret), base_dn, user_filter
(with {login}), email_attribute, name_attribute, group_filter (with {dn}), group_roles
({group DN: role}).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from qrapp.core.permissions import Role
from qrapp.services.errors import FieldErrors

SECRET_KEYS = frozenset({"bind_password"})
ROLES = (Role.VIEWER.value, Role.EDITOR.value, Role.ADMIN.value)
DEFAULTS = {
    "user_filter": "(mail={login})",
    "email_attribute": "mail",
    "name_attribute": "cn",
    "group_filter": "(&(objectClass=groupOfNames)(member={dn}))",
}


def _text(config: Mapping[str, Any], key: str, limit: int = 500) -> str:
    return str(config.get(key) or "").strip()[:limit]


def _url(config: Mapping[str, Any], errors: dict[str, str]) -> tuple[str, bool]:
    url = _text(config, "url", 300).rstrip("/")
    starttls = bool(config.get("starttls"))
    parts = urlsplit(url)
    if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
        errors["url"] = "Give the directory's address, e.g. ldaps://ldap.example.com:636."
    elif parts.scheme == "ldap" and not starttls:
        # Passwords cross this connection: never in the clear.
        errors["url"] = "TLS is required: use ldaps://, or switch on StartTLS for ldap://."
    elif parts.scheme == "ldaps":
        starttls = False  # already TLS from the first byte
    return url, starttls


def _ca(config: Mapping[str, Any], errors: dict[str, str]) -> str:
    pem = str(config.get("ca_pem") or "").strip()
    if not pem:
        return ""
    try:
        x509.load_pem_x509_certificates(pem.encode())
    except ValueError:
        errors["ca_pem"] = "That is not a PEM certificate (-----BEGIN CERTIFICATE-----)."
    return pem


def _group_roles(raw: Any, errors: dict[str, str]) -> dict[str, str]:
    if not raw:
        return {}
    if not isinstance(raw, Mapping):
        errors["group_roles"] = "Map each group DN to viewer, editor or admin."
        return {}
    out: dict[str, str] = {}
    for group, role in list(raw.items())[:50]:
        group = " ".join(str(group).split())[:500]
        if group and role in ROLES:
            out[group] = str(role)
        elif group:
            errors["group_roles"] = f"Choose viewer, editor or admin for {group}."
    return out


def check_config(config: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    url, starttls = _url(config, errors)
    out: dict[str, Any] = {"url": url, "starttls": starttls, "ca_pem": _ca(config, errors)}
    for key, label in (("bind_dn", "the service account's DN"), ("base_dn", "the base DN")):
        out[key] = _text(config, key)
        if not out[key]:
            errors[key] = f"Give {label}."
    out["bind_password"] = str(config.get("bind_password") or "")[:500]
    if not out["bind_password"]:
        errors["bind_password"] = "Give the service account's password."  # noqa: S105
    for key, default in DEFAULTS.items():
        out[key] = _text(config, key) or default
    if "{login}" not in out["user_filter"] or not out["user_filter"].startswith("("):
        errors["user_filter"] = (
            "The user filter is an LDAP filter with {login}, e.g. (mail={login})."
        )
    if "{dn}" not in out["group_filter"] or not out["group_filter"].startswith("("):
        errors["group_filter"] = "The group filter is an LDAP filter with {dn}."
    out["group_roles"] = _group_roles(config.get("group_roles"), errors)
    if errors:
        raise FieldErrors(errors)
    return out
