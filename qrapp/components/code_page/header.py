"""The code's header: name, status, type, and the actions with the delete dialog."""

from __future__ import annotations

import reflex as rx

from qrapp.components.plan_limit import plan_limit_callout, read_only_badge
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.code_detail import CodeDetailState as C


def _actions() -> rx.Component:
    return rx.cond(
        C.can_edit,
        rx.flex(
            # The link is the one tab stop; the button inside is only its look.
            rx.link(
                rx.button(rx.icon("palette"), "Edit design", variant="soft", tab_index=-1),
                href=routes.code_edit(C.code_id),
            ),
            rx.button(rx.icon("copy"), "Duplicate", variant="soft", on_click=C.duplicate),
            rx.cond(
                ~C.is_dynamic,
                rx.fragment(),  # a static code cannot be paused: its content is printed
                rx.cond(
                    C.status == "active",
                    rx.button(
                        rx.icon("pause"),
                        "Pause",
                        variant="soft",
                        color_scheme="amber",
                        # amber-11 on amber-3 is 4.24:1; the high-contrast text passes 4.5:1
                        high_contrast=True,
                        on_click=C.set_status("paused"),
                        id="pause",
                    ),
                    rx.button(
                        rx.icon("play"),
                        "Activate",
                        variant="soft",
                        color_scheme="green",
                        high_contrast=True,
                        on_click=C.set_status("active"),
                        id="activate",
                    ),
                ),
            ),
            rx.cond(
                C.status != "archived",
                rx.button(
                    rx.icon("archive"),
                    "Archive",
                    variant="soft",
                    color_scheme="gray",
                    on_click=C.set_status("archived"),
                ),
            ),
            rx.button(
                rx.icon("trash-2"),
                "Delete",
                variant="soft",
                color_scheme="red",
                high_contrast=True,
                on_click=C.ask_delete(True),
            ),
            gap="2",
            wrap="wrap",
        ),
    )


def delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete this code?"),
            rx.alert_dialog.description(
                "Printed copies of a dynamic code stop working and its analytics are deleted. "
                "This cannot be undone."
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Cancel", variant="soft", color_scheme="gray", on_click=C.ask_delete(False)
                    )
                ),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=C.delete)),
                justify="end",
                spacing="3",
                margin_top="16px",
            ),
        ),
        open=C.confirm_delete,
    )


def code_plan_badges() -> rx.Component:
    """What the plan does to this code (read-only beyond the allowance)."""
    return read_only_badge(C.read_only, "code-read-only-badge")


def header() -> rx.Component:
    return rx.vstack(
        rx.link(
            rx.hstack(rx.icon("arrow-left", size=14), "All codes"), href=routes.CODES, size="2"
        ),
        rx.hstack(
            rx.heading(C.name, size="7", as_="h2", id="code-name"),
            rx.match(
                C.status,
                (
                    "archived",
                    rx.badge("Archived", color_scheme="gray", size="2", high_contrast=True),
                ),
                (
                    "paused",
                    rx.cond(
                        C.is_dynamic,
                        rx.badge("Paused", color_scheme="amber", size="2", high_contrast=True),
                    ),
                ),
                # green-11 on green-3 is 4.28:1; high contrast text reaches 4.5:1 in both modes
                rx.cond(
                    C.is_dynamic,
                    rx.badge("Active", color_scheme="green", size="2", high_contrast=True),
                ),
            ),
            rx.cond(
                ~C.is_dynamic,
                rx.badge("Static · not tracked", color_scheme="gray", variant="outline", size="2"),
            ),
            code_plan_badges(),
            align="center",
            wrap="wrap",
        ),
        plan_limit_callout(C.read_only, "code-read-only"),
        plan_limit_callout(C.plan_limit, "code-plan-limit"),
        rx.hstack(
            rx.text(C.type_label, **MUTED_MD),
            rx.text("· created ", C.created, **MUTED_MD),
            rx.foreach(C.tags, lambda t: rx.badge(t, variant="outline")),
            wrap="wrap",
        ),
        rx.cond(
            C.is_dynamic,
            rx.hstack(
                rx.code(C.short_url, size="3", id="short-url"),
                rx.icon_button(
                    rx.icon("copy", size=14),
                    variant="ghost",
                    aria_label="Copy short link",
                    on_click=[rx.set_clipboard(C.short_url), rx.toast.success("Short link copied")],
                ),
                align="center",
            ),
        ),
        _actions(),
        spacing="2",
        width="100%",
    )
