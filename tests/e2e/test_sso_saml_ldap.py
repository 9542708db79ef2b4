"""SAML and LDAP sign-in in chromium, as a person does it: through the pysaml2 IdP's own
login form into the workspace, and with a company-directory password (OpenLDAP) from the
login page. The refusals are integration tests (test_sso_saml.py, test_sso_ldap.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qrapp.services.sso import connections
from tests.integration.sso_support import role_in, tenant
from tests.support import ldap_server as directory
from tests.support.ldap_server import LdapServer
from tests.support.saml_idp import running_idp

pytestmark = pytest.mark.embedded_only


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    with running_idp(tmp_path_factory.mktemp("e2e-saml-idp")) as server:
        yield server


@pytest.fixture(scope="module")
def slapd(tmp_path_factory):
    server = LdapServer(tmp_path_factory.mktemp("e2e-slapd")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def acme(product, idp, slapd):
    """One workspace with acme.example verified, a SAML and an LDAP connection."""
    t = tenant("owner@acme.example", "acme.example")
    saml_conn = connections.create_connection(
        actor=t.actor,
        protocol="saml",
        name="Acme IdP",
        config={"idp_metadata_url": idp.metadata_url},
        default_role="editor",
    )
    connections.create_connection(
        actor=t.actor,
        protocol="ldap",
        name="Acme directory",
        config={
            "url": slapd.ldaps_url,
            "ca_pem": slapd.ca_pem,
            "bind_dn": directory.READER_DN,
            "bind_password": directory.READER_PASSWORD,
            "base_dn": directory.BASE_DN,
            "group_roles": {directory.ADMINS_DN: "admin"},
        },
    )
    return t, saml_conn


def test_saml_sign_in_through_the_idps_login_form_lands_in_the_workspace(page, acme, idp):
    t, saml_conn = acme
    idp.mode = "good"
    page.goto("/login")  # the browser gets its binding cookie, as before any sign-in
    expect(page.locator("#submit")).to_be_enabled()
    # What "Continue with SSO" does for a carol@acme.example: the connection's start.
    page.goto(f"/auth/sso/{saml_conn.id}/start")
    expect(page.get_by_role("heading", name="Test IdP")).to_be_visible()
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill("carol-pass-1")
    page.get_by_role("button", name="Sign in to the test IdP").click()
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.locator("#greeting")).to_contain_text("Carol")
    assert role_in(t.workspace_id, "carol@acme.example") == "editor"


def test_ldap_sign_in_from_the_login_page_lands_in_the_workspace(page, acme):
    t, _saml_conn = acme
    page.goto("/login")
    page.get_by_role("link", name="Sign in with your company directory").click()
    page.wait_for_url(re.compile(r"/login/directory"))
    expect(page.locator("#submit")).to_be_enabled()
    page.fill("#email", "alice@acme.example")
    page.fill("#password", "a wrong password")
    page.click("#submit")
    expect(page.locator("#form-error")).to_contain_text("do not match your company directory")
    page.fill("#password", directory.PASSWORDS["alice"])
    page.click("#submit")
    page.wait_for_url(re.compile(r"/dashboard"))
    expect(page.locator("#greeting")).to_contain_text("Alice")
    assert role_in(t.workspace_id, "alice@acme.example") == "admin"
