"""Settings -> Domains (owners and admins)."""

import reflex as rx

from qrapp.components.domains import add_form, domain_list, remove_dialog
from qrapp.components.panels import card
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.domains import DomainsState


def _messages() -> rx.Component:
    return rx.fragment(
        rx.cond(
            DomainsState.error,
            rx.callout.root(
                rx.callout.text(DomainsState.error),
                color_scheme="red",
                role="alert",
                id="domains-error",
                high_contrast=True,  # soft red text on its tint is under 4.5:1
            ),
        ),
        rx.cond(
            DomainsState.notice,
            rx.callout.root(
                rx.callout.text(DomainsState.notice),
                color_scheme="green",
                role="status",
                id="domains-notice",
                high_contrast=True,  # soft green on its tint is 4.28:1 (axe)
            ),
        ),
    )


@signed_in_page(routes.SETTINGS_DOMAINS, "Domains", on_load=DomainsState.load)
def domains() -> rx.Component:
    return rx.cond(
        DomainsState.can_manage,
        rx.vstack(
            rx.link("← Settings", href=routes.SETTINGS, size="2"),
            rx.text(
                "Your short links and landing pages on your own domain. ",
                DomainsState.usage,
                ".",
                **MUTED_MD,
                id="domains-usage",
            ),
            _messages(),
            domain_list(),
            add_form(),
            remove_dialog(),
            spacing="4",
            width="100%",
        ),
        card(
            rx.text(
                "Only owners and admins of this workspace can manage domains.",
                id="domains-not-allowed",
            )
        ),
    )
