"""Settings -> Security: the account's sessions and the workspace's IP allowlist (the
two-factor lane adds its own card here, from its own component module)."""

import reflex as rx

from qrapp.components.ip_allowlist import ip_allowlist_card
from qrapp.components.security_sessions import sessions_card
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.ip_allowlist import IpAllowlistState
from qrapp.state.security_sessions import SecuritySessionsState


@signed_in_page(
    routes.SETTINGS_SECURITY,
    "Security",
    on_load=[SecuritySessionsState.load, IpAllowlistState.load],
)
def security() -> rx.Component:
    return rx.vstack(
        sessions_card(),
        ip_allowlist_card(),
        spacing="5",
        width="100%",
    )
