"""Settings -> Security: how the account logs in (two-factor, passkeys), where it is
signed in (sessions and devices), and what the workspace asks of its members (the
two-factor rule, the IP allowlist)."""

import reflex as rx

from qrapp.components.ip_allowlist import ip_allowlist_card
from qrapp.components.security_sessions import sessions_card
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD
from qrapp.components.two_factor_settings import passkeys_card, totp_card, workspace_rule_card
from qrapp.core import routes
from qrapp.state.ip_allowlist import IpAllowlistState
from qrapp.state.security_sessions import SecuritySessionsState
from qrapp.state.security_two_factor import TwoFactorState


@signed_in_page(
    routes.SETTINGS_SECURITY,
    "Security",
    on_load=[TwoFactorState.load, SecuritySessionsState.load, IpAllowlistState.load],
)
def security() -> rx.Component:
    return rx.vstack(
        rx.link("← Settings", href=routes.SETTINGS, size="2"),
        rx.text("How you log in, and what this workspace asks of its members.", **MUTED_MD),
        totp_card(),
        passkeys_card(),
        sessions_card(),
        workspace_rule_card(),
        ip_allowlist_card(),
        spacing="5",
        width="100%",
    )
