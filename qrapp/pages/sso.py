"""Settings -> Single sign-on (owners and admins)."""

import reflex as rx

from qrapp.components.settings_page import settings_page
from qrapp.components.shell import signed_in_page
from qrapp.components.sso import connection_list, domains_card, oidc_form
from qrapp.components.sso_saml_ldap import saml_ldap_section
from qrapp.core import routes
from qrapp.state.sso import SsoState
from qrapp.state.sso_saml_ldap import SamlLdapState


@signed_in_page(routes.SETTINGS_SSO, "Single sign-on", on_load=[SsoState.load, SamlLdapState.load])
def sso() -> rx.Component:
    return settings_page(
        connection_list(),
        domains_card(),
        oidc_form(),
        saml_ldap_section(),
        id_prefix="sso",
        allowed=SsoState.can_manage,
        denied="Only owners and admins of this workspace can manage single sign-on.",
        intro="Let your team sign in through your own identity provider, and add "
        "people to this workspace as they first sign in.",
        error=SsoState.error,
        notice=SsoState.notice,
    )
