"""Settings -> Webhooks (owners and admins)."""

import reflex as rx

from qrapp.components.settings_page import settings_page
from qrapp.components.shell import signed_in_page
from qrapp.components.webhooks import add_form, delivery_log, endpoint_list
from qrapp.core import routes
from qrapp.state.webhooks import WebhooksState


@signed_in_page(routes.SETTINGS_WEBHOOKS, "Webhooks", on_load=WebhooksState.load)
def webhooks() -> rx.Component:
    return settings_page(
        endpoint_list(),
        delivery_log(),
        add_form(),
        id_prefix="webhooks",
        allowed=WebhooksState.can_manage,
        intro="Tell your own systems when codes change, codes are scanned, pages are "
        "published, leads arrive, bulk jobs finish or the plan changes.",
        error=WebhooksState.error,
        notice=WebhooksState.notice,
        denied="Only owners and admins of this workspace can manage webhooks.",
    )
