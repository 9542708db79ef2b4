"""The signed-in layout's menus: the workspace switcher, the new-workspace dialog and the
user menu (components/shell.py places them)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.dialogs import dialog_actions, form_error
from qrapp.components.styles import MUTED_SM, VISUALLY_HIDDEN
from qrapp.core import routes
from qrapp.state.session import SessionState


def _menu_label(text) -> rx.Component:
    return rx.text(text, **MUTED_SM, padding_x="8px", padding_y="4px")


def workspace_switcher() -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.button(
                rx.vstack(
                    rx.text(SessionState.workspace_name, size="2", weight="bold", trim="both"),
                    rx.text(SessionState.role, **MUTED_SM),
                    align="start",
                    spacing="1",
                    overflow="hidden",
                    text_align="left",
                ),
                # Read by screen readers only: the button has a name before the session
                # answers (its visible text is empty until then), and the visible text
                # stays part of that name (WCAG 2.5.3, axe label-content-name-mismatch).
                rx.el.span("Switch workspace", style=VISUALLY_HIDDEN),
                rx.spacer(),
                rx.icon("chevrons-up-down", size=16),
                variant="soft",
                color_scheme="gray",
                width="100%",
                height="auto",
                padding="8px 10px",
                justify_content="space-between",
                id="workspace-switcher",
            ),
        ),
        rx.dropdown_menu.content(
            _menu_label("Workspaces"),
            rx.foreach(
                SessionState.workspaces,
                lambda w: rx.dropdown_menu.item(
                    rx.hstack(
                        rx.cond(
                            w["is_personal"], rx.icon("user", size=14), rx.icon("users", size=14)
                        ),
                        rx.text(w["name"]),
                        rx.spacer(),
                        rx.badge(w["role"], variant="soft", size="1"),
                        width="100%",
                        align="center",
                    ),
                    on_select=SessionState.switch_workspace(w["id"]),
                ),
            ),
            rx.dropdown_menu.separator(),
            rx.dropdown_menu.item(
                rx.hstack(rx.icon("plus", size=14), rx.text("New team workspace")),
                on_select=SessionState.set_new_workspace_open(True),
            ),
            width="240px",
        ),
    )


def new_workspace_dialog() -> rx.Component:
    return rx.dialog.root(
        _new_workspace_content(),
        open=SessionState.new_workspace_open,
        on_open_change=SessionState.set_new_workspace_open,
    )


def _new_workspace_content() -> rx.Component:
    return rx.dialog.content(
        rx.dialog.title("New team workspace"),
        rx.dialog.description(
            "A shared space for a team's codes, pages and analytics. You will be its owner.",
            size="2",
        ),
        rx.form(
            rx.vstack(
                rx.input(
                    name="name",
                    placeholder="e.g. Marketing",
                    required=True,
                    width="100%",
                    aria_label="Workspace name",
                ),
                form_error(SessionState.new_workspace_error),
                dialog_actions("Create workspace"),
                spacing="3",
                margin_top="12px",
            ),
            on_submit=SessionState.create_workspace,
        ),
        max_width="420px",
    )


def user_menu() -> rx.Component:
    return rx.dropdown_menu.root(
        rx.dropdown_menu.trigger(
            rx.button(
                rx.avatar(fallback=SessionState.user_initial, size="2", radius="full"),
                variant="ghost",
                radius="full",
                id="user-menu",
                aria_label="Account menu",
            )
        ),
        rx.dropdown_menu.content(
            _menu_label(SessionState.user_label),
            rx.dropdown_menu.item(
                rx.hstack(rx.icon("settings", size=14), rx.text("Settings")),
                on_select=rx.redirect(routes.SETTINGS),
            ),
            rx.dropdown_menu.item(
                rx.hstack(
                    rx.color_mode_cond(rx.icon("moon", size=14), rx.icon("sun", size=14)),
                    rx.text(rx.color_mode_cond("Dark mode", "Light mode")),
                ),
                on_select=rx.toggle_color_mode,
            ),
            rx.dropdown_menu.separator(),
            rx.dropdown_menu.item(
                rx.hstack(rx.icon("log-out", size=14), rx.text("Log out")),
                on_select=SessionState.log_out,
                id="logout",
                color="red",
            ),
        ),
    )
