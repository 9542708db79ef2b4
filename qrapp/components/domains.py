"""Settings -> Domains: the add form, a domain's card (records, status, settings) and the
removal question."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, confirm_delete_dialog, empty_state, native_select
from qrapp.components.settings_page import (
    CODE_TEXT,
    checked_input,
    copy_button,
    form_card,
    item_actions,
    item_header,
    item_list,
    summary_line,
)
from qrapp.components.styles import MUTED_MD
from qrapp.state.domains import DomainRow, DomainsState, RecordRow

S = DomainsState


def add_form() -> rx.Component:
    return form_card(
        "Add a domain",
        "Use a subdomain you control, for example go.example.com. We show the DNS records "
        "to create next.",
        checked_input(
            "Domain",
            "domain-hostname",
            S.hostname_error,
            name="hostname",
            placeholder="go.example.com",
        ),
        field_label("Proof of ownership", "domain-proof"),
        native_select(
            [
                rx.el.option("A DNS TXT record (recommended)", value="dns"),
                rx.el.option("A file our server answers over HTTP", value="http"),
            ],
            id_="domain-proof",
            name="proof",
        ),
        rx.button("Add domain", type="submit", id="add-domain"),
        on_submit=S.add_domain,
    )


def _record_row(r: RecordRow) -> rx.Component:
    rec: rx.Var = r  # type: ignore[assignment]
    return rx.table.row(
        rx.table.cell(rx.text(rec["type"], size="2", weight="medium")),
        rx.table.cell(rx.text(rec["name"], class_name="record-name", **CODE_TEXT)),
        rx.table.cell(
            rx.hstack(
                rx.text(rec["value"], class_name="record-value", **CODE_TEXT),
                copy_button(rec["value"], "Copy the " + rec["type"] + " value"),
                align="center",
                spacing="2",
            )
        ),
        class_name="dns-record",
    )


def _records(row: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text("DNS records to create", size="2", weight="medium"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Type"),
                    rx.table.column_header_cell("Name"),
                    rx.table.column_header_cell("Value"),
                )
            ),
            rx.table.body(rx.foreach(row["records"], _record_row)),
            width="100%",
            size="1",
        ),
        rx.text(
            "At the root of a domain (no subdomain), where a CNAME is not allowed, create "
            "A/AAAA records with the addresses the CNAME target has.",
            **MUTED_MD,
        ),
        rx.cond(
            row["proof"] == "http",
            rx.text(
                "Proof over HTTP: once the CNAME is in place we fetch ",
                rx.text.span(row["challenge_url"], **CODE_TEXT),
                ".",
                size="2",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _status_badge(row: rx.Var) -> rx.Component:
    return rx.match(
        row["status"],
        ("verified", rx.badge("Verified", color_scheme="green", high_contrast=True)),
        ("failed", rx.badge("Failed", color_scheme="red", high_contrast=True)),
        ("lost", rx.badge("Lost", color_scheme="red", high_contrast=True)),
        rx.badge("Pending", color_scheme="amber", high_contrast=True),
    )


def _settings_form(row: rx.Var) -> rx.Component:
    root_id = "root-" + row["id"]
    missing_id = "missing-" + row["id"]
    robots_id = "robots-" + row["id"]
    return rx.el.details(
        summary_line("Domain settings"),
        rx.form(
            rx.vstack(
                rx.el.input(type="hidden", name="domain_id", value=row["id"]),
                field_label("Send visitors of the bare domain to (optional)", root_id),
                rx.input(
                    name="root_redirect_url",
                    id=root_id,
                    default_value=row["root_redirect_url"],
                    placeholder="https://example.com",
                    width="100%",
                ),
                field_label("Send unknown short links to (optional)", missing_id),
                rx.input(
                    name="not_found_url",
                    id=missing_id,
                    default_value=row["not_found_url"],
                    placeholder="https://example.com/not-found",
                    width="100%",
                ),
                field_label("Search engines", robots_id),
                native_select(
                    [
                        rx.el.option("May index this domain", value="allow"),
                        rx.el.option("Must not index this domain", value="deny"),
                    ],
                    id_=robots_id,
                    name="robots",
                    default_value=row["robots"],
                ),
                rx.button("Save settings", type="submit", variant="soft", class_name="save-domain"),
                spacing="2",
                width="100%",
                max_width="560px",
            ),
            on_submit=S.save_settings,
            reset_on_submit=False,
        ),
    )


def domain_card(d: DomainRow) -> rx.Component:
    row: rx.Var = d  # type: ignore[assignment]
    return card(
        rx.vstack(
            item_header(
                row["hostname"],
                rx.hstack(
                    rx.cond(row["is_default"], rx.badge("Default", variant="outline")),
                    rx.box(_status_badge(row), class_name="domain-status"),
                    spacing="2",
                ),
            ),
            rx.cond(
                row["reason"] != "",
                rx.text(row["reason"], size="2", class_name="domain-reason"),
            ),
            rx.cond(row["status"] != "verified", _records(row)),
            item_actions(
                rx.button(
                    rx.cond(S.checking_id == row["id"], "Checking…", "Check now"),
                    variant="soft",
                    on_click=S.check_now(row["id"]),
                    disabled=S.checking_id != "",
                    class_name="check-domain",
                    aria_label="Check now: " + row["hostname"],
                ),
                rx.cond(
                    (row["status"] == "verified") & ~row["is_default"],
                    rx.button(
                        "Make default",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.set_default(row["id"]),
                        class_name="default-domain",
                        aria_label="Make default: " + row["hostname"],
                    ),
                ),
                rx.cond(
                    row["is_default"],
                    rx.button(
                        "Use our domain by default",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.clear_default,
                        class_name="clear-default",
                    ),
                ),
                rx.button(
                    "Remove",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.ask_remove(row["id"], row["hostname"]),
                    class_name="remove-domain",
                    aria_label="Remove " + row["hostname"],
                ),
            ),
            rx.cond(row["status"] == "verified", _records(row)),
            _settings_form(row),
            spacing="3",
            width="100%",
        ),
        class_name="domain-card",
    )


def domain_list() -> rx.Component:
    return item_list(
        S.domains,
        domain_card,
        empty_state(
            "globe",
            "No custom domains yet",
            "Add a domain such as go.example.com below: your short links and pages then "
            "carry your own name.",
        ),
    )


def remove_dialog() -> rx.Component:
    return confirm_delete_dialog(
        "Remove this domain?",
        "Codes on " + S.remove_name + " will use our default domain. Printed codes that "
        "carry it stop working until you add and verify it again.",
        "Remove domain",
        on_confirm=S.confirm_remove,
        open=S.remove_id != "",
        on_open_change=S.set_remove_open,
    )
