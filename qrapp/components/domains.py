"""Settings -> Domains: the add form, a domain's card (records, status, settings) and the
removal question."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import (
    card,
    confirm_delete_dialog,
    empty_state,
    field_error,
    native_select,
)
from qrapp.components.styles import MUTED_MD
from qrapp.state.domains import DomainRow, DomainsState, RecordRow

S = DomainsState
_CODE = {"font_family": "monospace", "size": "2", "word_break": "break-all"}


def add_form() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.heading("Add a domain", size="4", as_="h2"),
                rx.text(
                    "Use a subdomain you control, for example go.example.com. We show the "
                    "DNS records to create next.",
                    **MUTED_MD,
                ),
                field_label("Domain", "domain-hostname"),
                rx.input(
                    name="hostname",
                    id="domain-hostname",
                    placeholder="go.example.com",
                    width="100%",
                    aria_invalid=rx.cond(S.hostname_error, "true", "false"),
                    aria_describedby="domain-hostname-error",
                ),
                rx.box(
                    field_error(S.hostname_error, S.hostname_error != ""),
                    id="domain-hostname-error",
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
                spacing="3",
                width="100%",
                max_width="560px",
            ),
            on_submit=S.add_domain,
            reset_on_submit=False,
        )
    )


def _record_row(r: RecordRow) -> rx.Component:
    rec: rx.Var = r  # type: ignore[assignment]
    return rx.table.row(
        rx.table.cell(rx.text(rec["type"], size="2", weight="medium")),
        rx.table.cell(rx.text(rec["name"], class_name="record-name", **_CODE)),
        rx.table.cell(
            rx.hstack(
                rx.text(rec["value"], class_name="record-value", **_CODE),
                rx.icon_button(
                    rx.icon("copy", size=14),
                    size="1",
                    variant="soft",
                    aria_label="Copy the " + rec["type"] + " value",
                    on_click=[rx.set_clipboard(rec["value"]), rx.toast.success("Copied")],
                ),
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
                rx.text.span(row["challenge_url"], **_CODE),
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
        rx.el.summary("Domain settings", style={"cursor": "pointer", "font_size": "14px"}),
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
            rx.hstack(
                rx.heading(row["hostname"], size="3", as_="h3", **{"word_break": "break-all"}),
                rx.hstack(
                    rx.cond(row["is_default"], rx.badge("Default", variant="outline")),
                    rx.box(_status_badge(row), class_name="domain-status"),
                    spacing="2",
                ),
                justify="between",
                width="100%",
                align="center",
            ),
            rx.cond(
                row["reason"] != "",
                rx.text(row["reason"], size="2", class_name="domain-reason"),
            ),
            rx.cond(row["status"] != "verified", _records(row)),
            rx.hstack(
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
                wrap="wrap",
                spacing="2",
            ),
            rx.cond(row["status"] == "verified", _records(row)),
            _settings_form(row),
            spacing="3",
            width="100%",
        ),
        class_name="domain-card",
    )


def domain_list() -> rx.Component:
    return rx.cond(
        S.domains.length() > 0,
        rx.vstack(rx.foreach(S.domains, domain_card), spacing="3", width="100%"),
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
