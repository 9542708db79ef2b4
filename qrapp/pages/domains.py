"""Settings -> Domains (owners and admins)."""

import reflex as rx

from qrapp.components.domains import add_form, domain_list, remove_dialog
from qrapp.components.settings_page import settings_page
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.domains import DomainsState


@signed_in_page(routes.SETTINGS_DOMAINS, "Domains", on_load=DomainsState.load)
def domains() -> rx.Component:
    return settings_page(
        domain_list(),
        add_form(),
        remove_dialog(),
        id_prefix="domains",
        allowed=DomainsState.can_manage,
        intro=rx.text(
            "Your short links and landing pages on your own domain. ",
            DomainsState.usage,
            ".",
            **MUTED_MD,
            id="domains-usage",
        ),
        error=DomainsState.error,
        notice=DomainsState.notice,
        denied="Only owners and admins of this workspace can manage domains.",
    )
