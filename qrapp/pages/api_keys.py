"""Settings -> API keys (owners and admins)."""

import reflex as rx

from qrapp.components.api_keys import (
    create_dialog,
    intro,
    key_table,
    token_dialog,
    usage_panel,
)
from qrapp.components.panels import confirm_delete_dialog, empty_state
from qrapp.components.settings_page import section_card, settings_page
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.api_keys import ApiKeysState


def _create_button(id_: str) -> rx.Component:
    return rx.button(
        rx.icon("plus", size=14),
        "Create key",
        on_click=ApiKeysState.open_create(True),
        id=id_,
    )


def _keys() -> rx.Component:
    return rx.cond(
        ApiKeysState.keys.length() > 0,
        section_card(
            "Keys",
            intro(),
            rx.box(key_table(), overflow_x="auto", width="100%"),
            action=_create_button("create-key"),
        ),
        empty_state(
            "key-round",
            "No API keys yet",
            "An API key lets your own systems (a shop, a CRM, a print workflow) create "
            "codes and read scans through the REST API, with only the scopes you choose.",
            rx.vstack(
                _create_button("create-first-key"),
                rx.link(
                    "Read the API reference",
                    href=ApiKeysState.docs_url,
                    is_external=True,
                    size="2",
                ),
                align="center",
                spacing="2",
            ),
        ),
    )


@signed_in_page(routes.API_KEYS, "API keys", on_load=ApiKeysState.load)
def api_keys() -> rx.Component:
    return settings_page(
        _keys(),
        usage_panel(),
        id_prefix="api-keys",
        allowed=ApiKeysState.allowed,
        denied=empty_state(
            "lock",
            "Only owners and admins manage API keys",
            "Ask an owner or admin of this workspace if you need a key.",
        ),
        loaded=ApiKeysState.loaded,
        back=False,  # the page had no way back before the scaffold; it stays as it was
        dialogs=[
            create_dialog(),
            token_dialog(),
            confirm_delete_dialog(
                "Revoke this key?",
                "“" + ApiKeysState.revoke_name + "” stops working at once, for every request. "
                "This cannot be undone.",
                "Revoke key",
                on_confirm=ApiKeysState.confirm_revoke,
                open=ApiKeysState.revoke_open,
                on_open_change=ApiKeysState.cancel_revoke,
            ),
        ],
    )
