"""Settings -> Security: the account's two-factor login and passkeys, and (owners and
admins) the workspace's two-factor rule. Sessions and devices join this page later."""

import reflex as rx

from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD
from qrapp.components.two_factor_settings import passkeys_card, totp_card, workspace_rule_card
from qrapp.core import routes
from qrapp.state.security_two_factor import TwoFactorState


@signed_in_page(routes.SETTINGS_SECURITY, "Security", on_load=TwoFactorState.load)
def security() -> rx.Component:
    return rx.vstack(
        rx.link("← Settings", href=routes.SETTINGS, size="2"),
        rx.text("How you log in, and what this workspace asks of its members.", **MUTED_MD),
        totp_card(),
        passkeys_card(),
        workspace_rule_card(),
        spacing="4",
        width="100%",
    )
