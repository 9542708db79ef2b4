"""Settings -> Audit log (AUDIT_VIEW): who did what, to what, when and from where, with
filters, pages and a CSV download of everything the filters match."""

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, empty_state, native_select
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.audit_log import AuditLogState


def _select(label: str, name: str, choices, value, everyone: str) -> rx.Component:
    return rx.vstack(
        field_label(label, f"audit-{name}"),
        native_select(
            [
                rx.el.option(everyone, value=""),
                rx.foreach(choices, lambda c: rx.el.option(c["label"], value=c["value"])),
            ],
            id_=f"audit-{name}",
            name=name,
            default_value=value,
            key=value,
        ),
        spacing="1",
        min_width="180px",
        flex="1",
    )


def _date(label: str, name: str, value) -> rx.Component:
    return rx.vstack(
        field_label(label, f"audit-{name}"),
        rx.input(type="date", name=name, id=f"audit-{name}", default_value=value, key=value),
        spacing="1",
    )


def _filters() -> rx.Component:
    s = AuditLogState
    return rx.form(
        rx.vstack(
            rx.hstack(
                _select("Person or API key", "person", s.people, s.f_person, "Everyone"),
                _select("Action", "action", s.actions, s.f_action, "Every action"),
                _select("Object", "object_type", s.object_types, s.f_object_type, "Every kind"),
                rx.vstack(
                    field_label("Object id", "audit-object_id"),
                    rx.input(
                        name="object_id",
                        id="audit-object_id",
                        default_value=s.f_object_id,
                        key=s.f_object_id,
                        placeholder="exact id",
                        max_length=64,
                    ),
                    spacing="1",
                ),
                _date("From (UTC)", "date_from", s.f_date_from),
                _date("To (UTC)", "date_to", s.f_date_to),
                wrap="wrap",
                spacing="3",
                width="100%",
                align="end",
            ),
            rx.hstack(
                rx.button("Apply filters", type="submit", id="audit-apply"),
                rx.button("Clear", type="button", variant="soft", on_click=s.clear_filters),
                rx.spacer(),
                rx.button(
                    rx.icon("download", size=14),
                    "Download CSV",
                    type="button",
                    variant="outline",
                    on_click=rx.download(url=s.csv_href),
                    id="audit-csv",
                    aria_label="Download CSV of the filtered audit log",
                ),
                width="100%",
                align="center",
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=s.apply_filters,
    )


def _row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["when"], white_space="nowrap"),
        rx.table.cell(row["who"]),
        rx.table.cell(rx.text(row["what"], as_="span"), title=row["action"]),
        rx.table.cell(row["object"]),
        rx.table.cell(rx.code(row["ip"])),
        class_name="audit-row",
        data_action=row["action"],
    )


def _table() -> rx.Component:
    s = AuditLogState
    return rx.cond(
        s.rows.length() > 0,
        rx.vstack(
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h, scope="col")
                                for h in ("When (UTC)", "Who", "What", "Object", "From (IP)")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(s.rows, _row)),
                    width="100%",
                    variant="surface",
                    id="audit-table",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.hstack(
                rx.button(
                    "Newer",
                    variant="soft",
                    on_click=s.previous_page,
                    disabled=s.page_number <= 1,
                    id="audit-newer",
                ),
                rx.text("Page ", s.page_number, **MUTED_MD),
                rx.button(
                    "Older",
                    variant="soft",
                    on_click=s.next_page,
                    disabled=~s.has_next,
                    id="audit-older",
                ),
                align="center",
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        empty_state(
            "scroll-text",
            "Nothing in the audit log matches",
            "Sign-ins, changes to codes, pages, members, keys and settings appear here. "
            "Try other filters, or clear them.",
        ),
    )


@signed_in_page(routes.SETTINGS_AUDIT, "Audit log", on_load=AuditLogState.load)
def audit_log_page() -> rx.Component:
    s = AuditLogState
    return rx.cond(
        s.allowed,
        rx.vstack(
            card(
                rx.vstack(
                    rx.text(
                        "Who did what in this workspace, and the sign-ins and security "
                        "changes of its members.",
                        **MUTED_MD,
                    ),
                    _filters(),
                    rx.cond(
                        s.error,
                        rx.text(
                            s.error, color_scheme="red", size="2", role="alert", id="audit-error"
                        ),
                    ),
                    spacing="3",
                    width="100%",
                )
            ),
            _table(),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            s.loaded,
            rx.callout.root(
                rx.callout.icon(rx.icon("lock")),
                rx.callout.text(s.error),
                color_scheme="amber",
                id="audit-denied",
            ),
        ),
    )
