"""Settings -> Webhooks (owners and admins)."""

import reflex as rx

from qrapp.components.panels import card
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD
from qrapp.components.webhooks import add_form, delivery_log, endpoint_list
from qrapp.core import routes
from qrapp.state.webhooks import WebhooksState


def _messages() -> rx.Component:
    return rx.fragment(
        rx.cond(
            WebhooksState.error,
            rx.callout.root(
                rx.callout.text(WebhooksState.error),
                color_scheme="red",
                role="alert",
                id="webhooks-error",
                high_contrast=True,  # soft red text on its tint is under 4.5:1
            ),
        ),
        rx.cond(
            WebhooksState.notice,
            rx.callout.root(
                rx.callout.text(WebhooksState.notice),
                color_scheme="green",
                role="status",
                id="webhooks-notice",
                high_contrast=True,  # soft green on its tint is 4.28:1 (axe)
            ),
        ),
    )


@signed_in_page(routes.SETTINGS_WEBHOOKS, "Webhooks", on_load=WebhooksState.load)
def webhooks() -> rx.Component:
    return rx.cond(
        WebhooksState.can_manage,
        rx.vstack(
            rx.link("← Settings", href=routes.SETTINGS, size="2"),
            rx.text(
                "Tell your own systems when codes change, codes are scanned, pages are "
                "published, leads arrive, bulk jobs finish or the plan changes.",
                **MUTED_MD,
            ),
            _messages(),
            endpoint_list(),
            delivery_log(),
            add_form(),
            spacing="4",
            width="100%",
        ),
        card(
            rx.text(
                "Only owners and admins of this workspace can manage webhooks.",
                id="webhooks-not-allowed",
            )
        ),
    )
