"""The SAML and LDAP configs' checks and the settings form's group -> role lines."""

from __future__ import annotations

import pytest

from qrapp.services.errors import FieldErrors
from qrapp.services.sso import ldap_config
from qrapp.state.sso_saml_ldap import parse_group_roles

LDAP = {
    "url": "ldaps://ldap.example.com:636",
    "bind_dn": "cn=reader,dc=example,dc=com",
    "bind_password": "secret",
    "base_dn": "dc=example,dc=com",
}


def test_group_lines_split_at_the_last_word():
    text = "cn=admins,ou=groups,dc=example,dc=com admin\n\nqr staff Editor\nno-role-here\n"
    assert parse_group_roles(text) == {
        "cn=admins,ou=groups,dc=example,dc=com": "admin",
        "qr staff": "editor",
        "no-role-here": "",  # kept, so the service names it in its error
    }


def test_ldap_config_gets_defaults_and_keeps_tls():
    clean = ldap_config.check_config(LDAP)
    assert clean["user_filter"] == "(mail={login})"
    assert clean["starttls"] is False
    assert ldap_config.check_config(LDAP | {"url": "ldap://h", "starttls": True})["starttls"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "ldap://ldap.example.com"}, "url"),  # plain LDAP without StartTLS
        ({"url": "http://ldap.example.com"}, "url"),
        ({"ca_pem": "not a certificate"}, "ca_pem"),
        ({"bind_password": ""}, "bind_password"),
        ({"base_dn": ""}, "base_dn"),
        ({"user_filter": "mail=x"}, "user_filter"),
        ({"group_roles": {"cn=x": "owner"}}, "group_roles"),  # never owner
    ],
)
def test_ldap_config_refusals(change, field):
    with pytest.raises(FieldErrors) as refused:
        ldap_config.check_config(LDAP | change)
    assert field in refused.value.errors
