"""Settings -> Single sign-on (owners and admins)."""

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.shell import signed_in_page
from qrapp.components.sso import connection_list, domains_card, oidc_form
from qrapp.components.sso_saml_ldap import saml_ldap_section
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.sso import SsoState
from qrapp.state.sso_saml_ldap import SamlLdapState


def _messages() -> rx.Component:
    return rx.fragment(
        rx.cond(
            SsoState.error,
            rx.callout.root(
                rx.callout.text(SsoState.error),
                color_scheme="red",
                role="alert",
                id="sso-error",
                high_contrast=True,
            ),
        ),
        rx.cond(
            SsoState.notice,
            rx.callout.root(
                rx.callout.text(SsoState.notice),
                color_scheme="green",
                role="status",
                id="sso-notice",
                high_contrast=True,
            ),
        ),
    )


@signed_in_page(routes.SETTINGS_SSO, "Single sign-on", on_load=[SsoState.load, SamlLdapState.load])
def sso() -> rx.Component:
    return rx.cond(
        SsoState.can_manage,
        rx.vstack(
            rx.link("← Settings", href=routes.SETTINGS, size="2"),
            rx.text(
                "Let your team sign in through your own identity provider, and add "
                "people to this workspace as they first sign in.",
                **MUTED_MD,
            ),
            _messages(),
            connection_list(),
            domains_card(),
            oidc_form(),
            saml_ldap_section(),  # the saml-ldap lane's SAML and LDAP forms
            spacing="4",
            width="100%",
        ),
        card(
            rx.text(
                "Only owners and admins of this workspace can manage single sign-on.",
                id="sso-not-allowed",
            )
        ),
    )
