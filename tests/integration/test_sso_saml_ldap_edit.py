"""Editing SAML and LDAP connections through `update_connection` (what Settings -> Single
sign-on's edit forms call): the same checks and audit as adding; a blank LDAP password
keeps the stored one; a blank metadata field keeps the imported SAML metadata (not fetched
again unless the URL changes or a fetch is asked for); bad input changes nothing; another
workspace's admin gets "not found"."""

from __future__ import annotations

import contextlib

import pytest
from sqlmodel import col, select

from qrapp.db import read_session
from qrapp.models import AuditLog
from qrapp.models.audit import AuditAction
from qrapp.models.sso import SsoConnection
from qrapp.services.errors import FieldErrors, NotFound
from qrapp.services.sso import connections, saml_config
from qrapp.state.sso_saml_ldap import form_values, parse_group_roles
from tests.integration.sso_support import tenant
from tests.support.saml_idp import running_idp

pytestmark = pytest.mark.integration

LDAP = {
    "url": "ldaps://ldap.acme.example:636",
    "bind_dn": "cn=reader,dc=acme,dc=example",
    "bind_password": "reader-password-1234",
    "base_dn": "dc=acme,dc=example",
    "group_roles": {"cn=admins,dc=acme,dc=example": "admin"},
}


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    with running_idp(tmp_path_factory.mktemp("saml-idp-edit")) as server:
        yield server


@pytest.fixture
def acme(clean_db, idp, private_webhooks):
    idp.mode = "good"
    t = tenant("owner@acme.example", "acme.example")
    saml_conn = connections.create_connection(
        actor=t.actor,
        protocol="saml",
        name="Acme IdP",
        config={"idp_metadata_url": idp.metadata_url},
    )
    ldap_conn = connections.create_connection(
        actor=t.actor, protocol="ldap", name="Acme directory", config=LDAP
    )
    return t, saml_conn, ldap_conn


def _stored(connection_id) -> SsoConnection:
    with read_session() as s:
        row = s.get(SsoConnection, connection_id)
        assert row is not None
        return row


def _updates(connection_id) -> int:
    with read_session() as s:
        return len(
            s.exec(
                select(AuditLog.id).where(
                    AuditLog.action == AuditAction.SSO_CONNECTION_UPDATED,
                    col(AuditLog.target_id) == str(connection_id),
                )
            ).all()
        )


@contextlib.contextmanager
def running_idp_changed_metadata(idp):
    """The IdP serves a changed document (as after a certificate rotation)."""
    original = idp.metadata_xml
    idp.metadata_xml = original.strip() + "\n<!-- rotated -->"
    try:
        yield idp.metadata_xml.strip()
    finally:
        idp.metadata_xml = original


def _no_fetch(url):  # the stored metadata must be kept, not fetched again
    raise AssertionError(f"metadata fetched again from {url}")


def test_a_saml_edit_with_a_blank_metadata_field_keeps_the_imported_metadata(
    acme, idp, monkeypatch
):
    t, conn, _ = acme
    before = _stored(conn.id).config
    # What the edit form sends back: its prefilled values, the XML field left blank.
    values = form_values(connections.get_connection(actor=t.actor, connection_id=conn.id))
    assert values["idp_metadata_url"] == idp.metadata_url
    assert "idp_metadata_xml" not in values
    monkeypatch.setattr(saml_config, "fetch_metadata", _no_fetch)
    for url in (values["idp_metadata_url"], ""):
        connections.update_connection(
            actor=t.actor,
            connection_id=conn.id,
            name="Acme IdP (edited)",
            default_role="editor",
            sso_only=True,
            config={
                "idp_metadata_url": url,
                "idp_metadata_xml": "",
                "email_attribute": "email",
                "groups_attribute": "memberOf",
                "group_roles": parse_group_roles("qr-admins admin\nqr-staff editor"),
            },
        )
        row = _stored(conn.id)
        assert row.config["idp_metadata_xml"] == before["idp_metadata_xml"]
        assert row.config["idp_metadata_url"] == idp.metadata_url
        assert row.config["idp_entity_id"] == before["idp_entity_id"]
    assert (row.name, row.default_role, row.sso_only) == ("Acme IdP (edited)", "editor", True)
    assert row.config["email_attribute"] == "email"
    assert row.config["groups_attribute"] == "memberOf"
    assert row.config["group_roles"] == {"qr-admins": "admin", "qr-staff": "editor"}
    assert _updates(conn.id) == 2


def test_a_saml_edit_fetches_again_when_asked_and_refuses_bad_metadata(acme, idp):
    t, conn, _ = acme
    before = _stored(conn.id)
    with pytest.raises(FieldErrors) as refused:
        connections.update_connection(
            actor=t.actor,
            connection_id=conn.id,
            name="Changed",
            config={"idp_metadata_xml": "<not-metadata/>"},
        )
    assert "not SAML identity provider metadata" in refused.value.errors["idp_metadata_xml"]
    with pytest.raises(FieldErrors) as refused:
        connections.update_connection(
            actor=t.actor,
            connection_id=conn.id,
            config={"idp_metadata_url": "ftp://idp.test/md", "idp_metadata_xml": ""},
        )
    assert "idp_metadata_url" in refused.value.errors
    after = _stored(conn.id)
    assert (after.name, after.config) == (before.name, before.config)
    assert _updates(conn.id) == 0
    # "Fetch the metadata again": the IdP's current document replaces the stored one.
    with running_idp_changed_metadata(idp) as changed_xml:
        connections.update_connection(
            actor=t.actor,
            connection_id=conn.id,
            config={
                "idp_metadata_url": idp.metadata_url,
                "idp_metadata_xml": "",
                "refetch_metadata": True,
            },
        )
        assert _stored(conn.id).config["idp_metadata_xml"] == changed_xml
    assert "refetch_metadata" not in _stored(conn.id).config


def test_an_ldap_edit_keeps_a_blank_password_and_checks_like_adding(acme):
    t, _, conn = acme
    view = connections.get_connection(actor=t.actor, connection_id=conn.id)
    values = form_values(view)
    assert values["password_hint"] == "••••1234"
    assert LDAP["bind_password"] not in str(values)
    assert parse_group_roles(values["group_roles"]) == LDAP["group_roles"]
    edited = {
        "url": "ldap://ldap.acme.example:389",
        "starttls": True,
        "bind_dn": values["bind_dn"],
        "bind_password": "",
        "base_dn": "ou=people,dc=acme,dc=example",
        "user_filter": "(uid={login})",
        "group_roles": parse_group_roles(values["group_roles"] + "\ncn=staff,dc=acme editor"),
    }
    connections.update_connection(
        actor=t.actor, connection_id=conn.id, name="Acme LDAP", config=edited
    )
    row = _stored(conn.id)
    assert row.config["bind_password"] == LDAP["bind_password"]
    assert row.config["url"] == "ldap://ldap.acme.example:389"
    assert row.config["starttls"] is True
    assert row.config["user_filter"] == "(uid={login})"
    assert row.config["group_roles"]["cn=staff,dc=acme"] == "editor"
    assert row.name == "Acme LDAP"
    assert _updates(conn.id) == 1
    # Plain LDAP without StartTLS, a filter without {login}: refused, nothing changed.
    with pytest.raises(FieldErrors) as refused:
        connections.update_connection(
            actor=t.actor,
            connection_id=conn.id,
            name="",
            config=edited | {"starttls": False, "user_filter": "(uid=x)"},
        )
    assert set(refused.value.errors) >= {"url", "user_filter", "name"}
    assert _stored(conn.id).config == row.config
    assert _stored(conn.id).name == "Acme LDAP"
    # A new password replaces the stored one.
    connections.update_connection(
        actor=t.actor,
        connection_id=conn.id,
        config=edited | {"bind_password": "a-new-password-5678"},
    )
    assert _stored(conn.id).config["bind_password"] == "a-new-password-5678"


def test_another_workspaces_admin_cannot_edit(acme):
    _, saml_conn, ldap_conn = acme
    other = tenant("owner@other.example", "other.example")
    for conn in (saml_conn, ldap_conn):
        before = _stored(conn.id)
        with pytest.raises(NotFound):
            connections.update_connection(
                actor=other.actor, connection_id=conn.id, name="Taken", config={}
            )
        assert _stored(conn.id).name == before.name
        assert _updates(conn.id) == 0


def test_save_connection_adds_without_an_id_and_saves_over_the_edited_one(acme):
    """The Settings forms' one button (state/sso.py, state/sso_saml_ldap.py)."""
    t, _, conn = acme
    common = {"default_role": "editor", "enabled": True, "sso_only": False}
    added = connections.save_connection(
        actor=t.actor,
        connection_id=None,
        protocol="ldap",
        name="Second directory",
        config=LDAP,
        **common,
    )
    assert added.id != conn.id
    assert _stored(added.id).name == "Second directory"
    assert _stored(added.id).default_role == "editor"
    connections.save_connection(
        actor=t.actor,
        connection_id=conn.id,
        protocol="ldap",
        name="Renamed directory",
        config=LDAP | {"bind_password": ""},
        **common | {"enabled": False},
    )
    row = _stored(conn.id)
    assert row.name == "Renamed directory"
    assert row.enabled is False
    assert row.config["bind_password"] == LDAP["bind_password"]  # blank keeps it
    assert _updates(conn.id) == 1
