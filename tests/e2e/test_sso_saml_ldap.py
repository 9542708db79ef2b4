"""SAML and LDAP in chromium, as people do it: a person signs in with SSO through the
pysaml2 IdP's own login form into the workspace; another with their company-directory
password (OpenLDAP) from the login page; an admin adds a SAML and an LDAP connection on
Settings -> Single sign-on and tests the directory. The refusals are integration tests
(test_sso_saml.py, test_sso_ldap.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from qrapp.services.sso import connections
from tests.integration.sso_support import role_in, tenant
from tests.support import ldap_server as directory
from tests.support.environment import patched_env
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
    with patched_env({"WEBHOOKS_ALLOW_PRIVATE": "true"}):  # the test IdP is on 127.0.0.1
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
    t, _saml_conn = acme
    idp.mode = "good"
    page.goto("/login")
    page.get_by_role("button", name="Sign in with SSO").click()
    page.fill("#sso_email", "carol@acme.example")
    page.get_by_role("button", name="Continue with SSO").click()  # the workspace's SAML IdP
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


def test_an_admin_adds_saml_and_ldap_connections_and_tests_the_directory(
    browser, product, acme, idp, slapd
):
    t, _saml_conn = acme
    ctx = browser.new_context(base_url=product["url"])
    ctx.add_cookies([{"name": "qrapp_session", "value": t.session, "url": product["url"]}])
    page = ctx.new_page()
    page.goto("/settings/sso")
    page.get_by_label("SAML connection title").fill("Second IdP")
    page.get_by_label("Metadata URL").fill(idp.metadata_url)
    page.get_by_role("button", name="Add SAML connection").click()
    expect(page.locator("#saml-ldap-notice")).to_contain_text("Connection added")
    setup = page.locator("#saml-ldap-connections")
    expect(setup.get_by_role("heading", name="Second IdP")).to_be_visible()
    expect(setup).to_contain_text("/acs")  # the ACS URL and our metadata for the IdP

    page.get_by_label("Directory title").fill("Lab directory")
    page.get_by_label("Directory URL").fill(slapd.ldap_url)  # plain LDAP, no StartTLS
    page.get_by_label("CA certificate (PEM, optional)").fill(slapd.ca_pem)
    page.get_by_label("Service account DN").fill(directory.READER_DN)
    page.get_by_label("Service account password").fill(directory.READER_PASSWORD)
    page.get_by_label("Base DN").fill(directory.BASE_DN)
    page.get_by_role("button", name="Add LDAP directory").click()
    expect(page.locator("#ldap-url-error")).to_contain_text("TLS is required")
    page.get_by_label("Use StartTLS (for ldap:// URLs)").check()
    page.get_by_label("Service account password").fill(directory.READER_PASSWORD)
    page.get_by_role("button", name="Add LDAP directory").click()
    expect(page.locator("#saml-ldap-notice")).to_contain_text("Connection added")
    page.get_by_role("button", name="Test connection Lab directory").click()
    expect(page.locator("#ldap-test-result")).to_contain_text("Connected over TLS")

    # Both are editable: the form comes back filled in, secrets and the XML left blank.
    page.get_by_role("button", name="Edit Second IdP", exact=True).click()
    expect(page.get_by_role("heading", name="Edit SAML 2.0 connection")).to_be_visible()
    expect(page.get_by_label("SAML connection title")).to_have_value("Second IdP")
    expect(page.get_by_label("Metadata URL")).to_have_value(idp.metadata_url)
    expect(page.get_by_label("…or metadata XML")).to_have_value("")
    page.get_by_label("SAML connection title").fill("Second IdP, renamed")
    page.get_by_label("Groups attribute").fill("memberOf")
    page.get_by_role("button", name="Save SAML connection").click()
    expect(page.locator("#saml-ldap-notice")).to_contain_text("Connection saved")
    expect(setup.get_by_role("heading", name="Second IdP, renamed")).to_be_visible()
    expect(page.get_by_role("heading", name="Add a SAML 2.0 connection")).to_be_visible()

    page.get_by_role("button", name="Edit Lab directory", exact=True).click()
    expect(page.get_by_role("heading", name="Edit LDAP directory")).to_be_visible()
    expect(page.get_by_label("Directory URL")).to_have_value(slapd.ldap_url)
    expect(page.get_by_label("Use StartTLS (for ldap:// URLs)")).to_be_checked()
    expect(page.get_by_label("Service account password")).to_have_value("")
    page.get_by_label("Directory title").fill("Lab directory, renamed")
    page.get_by_label("User filter").fill("(uid={login})")
    page.get_by_role("button", name="Save LDAP directory").click()
    expect(page.locator("#saml-ldap-notice")).to_contain_text("Connection saved")
    # The stored service password was kept: the directory still answers its bind.
    page.get_by_role("button", name="Test connection Lab directory, renamed").click()
    expect(page.locator("#ldap-test-result")).to_contain_text("Connected over TLS")
    ctx.close()
