"""The frame of a Settings sub-page (Domains, Webhooks, Brand, API keys, ...) and the pieces
those pages repeat: the way back to Settings, the intro line, the error and notice callouts,
the permission gate, a list with its empty state, a section or form card, an item's card
header and action row, a checked text field, a copy button, an Enabled/Disabled badge.

A page composes these; its own module keeps only what is particular to it. The ids the
pieces render (``<prefix>-error``, ``<prefix>-notice``, ``<prefix>-not-allowed``) are the
ones the pages had before, which the e2e tests find them by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, field_error
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes

# Hostnames, DNS records, secrets: text a person copies exactly, wrapped anywhere.
CODE_TEXT = {"font_family": "monospace", "size": "2", "word_break": "break-all"}

# The <summary> of a disclosure inside a card (settings of one item, a long request body).
SUMMARY_STYLE = {"cursor": "pointer", "font_size": "14px"}


def back_to_settings() -> rx.Component:
    return rx.link("← Settings", href=routes.SETTINGS, size="2")


def page_messages(error: rx.Var, notice: rx.Var, id_prefix: str) -> rx.Component:
    """The page's last error (role alert) and notice (role status), each shown when set.
    High contrast: soft red text on its tint is under 4.5:1, soft green 4.28:1 (axe)."""
    kinds = ((error, "red", "alert", "error"), (notice, "green", "status", "notice"))
    return rx.fragment(
        *[
            rx.cond(
                message,
                rx.callout.root(
                    rx.callout.text(message),
                    color_scheme=colour,
                    role=role,
                    id=f"{id_prefix}-{suffix}",
                    high_contrast=True,
                ),
            )
            for message, colour, role, suffix in kinds
        ]
    )


def not_allowed_card(text: str, id_: str) -> rx.Component:
    return card(rx.text(text, id=id_))


def settings_page(
    *sections: rx.Component,
    id_prefix: str,
    allowed: rx.Var,
    denied: str | rx.Component,
    intro: str | rx.Component | None = None,
    error: rx.Var | None = None,
    notice: rx.Var | None = None,
    loaded: rx.Var | None = None,
    back: bool = True,
    dialogs: Sequence[rx.Component] = (),
) -> rx.Component:
    """A Settings sub-page's body: the way back, the intro, the messages and the sections
    for people who may manage it; `denied` (a sentence or a component) for the others.

    The gate only hides: every handler behind it authorizes again. With `loaded` the
    refusal waits until the state has loaded (no flash of it before the permission is
    known). `dialogs` stay mounted outside the gate."""
    head: list[rx.Component] = []
    if back:
        head.append(back_to_settings())
    if intro is not None:
        head.append(rx.text(intro, **MUTED_MD) if isinstance(intro, str) else intro)
    if error is not None and notice is not None:
        head.append(page_messages(error, notice, id_prefix))
    refusal = (
        not_allowed_card(denied, f"{id_prefix}-not-allowed") if isinstance(denied, str) else denied
    )
    gated = rx.cond(
        allowed,
        rx.vstack(*head, *sections, spacing="4", width="100%"),
        refusal if loaded is None else rx.cond(loaded, refusal),
    )
    if not dialogs:
        return gated
    return rx.vstack(gated, *dialogs, spacing="4", width="100%")


def item_list(
    items: rx.Var, render: Callable[..., rx.Component], empty: rx.Component
) -> rx.Component:
    """The page's items as a column of cards, or its empty state when there are none."""
    return rx.cond(
        items.length() > 0,  # type: ignore[attr-defined]
        rx.vstack(rx.foreach(items, render), spacing="3", width="100%"),
        empty,
    )


def section_header(
    title: str | rx.Component, action: rx.Component | None = None, title_id: str | None = None
) -> rx.Component:
    """A card's h2, with an optional control at the far end of its line."""
    heading = (
        rx.heading(title, size="4", as_="h2", id=title_id) if isinstance(title, str) else title
    )
    if action is None:
        return heading
    return rx.hstack(heading, rx.spacer(), action, width="100%", align="center")


def section_card(
    title: str | rx.Component,
    *children: rx.Component,
    action: rx.Component | None = None,
    title_id: str | None = None,
    stack: dict | None = None,
    **card_props,
) -> rx.Component:
    """A card holding one section of the page: its h2 (and action), then its content.
    `stack` adds props to the inner column (e.g. a max width)."""
    return card(
        rx.vstack(
            section_header(title, action, title_id),
            *children,
            spacing="3",
            width="100%",
            **(stack or {}),
        ),
        **card_props,
    )


def form_card(
    title: str,
    intro: str,
    *fields: rx.Component,
    on_submit,
    form_props: dict | None = None,
    **card_props,
) -> rx.Component:
    """A card whose whole content is one form: h2, an intro line, the fields and buttons.
    The form keeps what was typed after a submit (a refused value stays to be corrected)."""
    return card(
        rx.form(
            rx.vstack(
                rx.heading(title, size="4", as_="h2"),
                rx.text(intro, **MUTED_MD),
                *fields,
                spacing="3",
                width="100%",
                max_width="560px",
            ),
            on_submit=on_submit,
            reset_on_submit=False,
            **(form_props or {}),
        ),
        **card_props,
    )


def checked_input(label: str, id_: str, error: rx.Var, **input_props) -> rx.Component:
    """A labelled text input with its error under it; the input points at the error
    (aria-describedby) and says when it is invalid (aria-invalid)."""
    return rx.fragment(
        field_label(label, id_),
        rx.input(
            id=id_,
            width="100%",
            aria_invalid=rx.cond(error, "true", "false"),
            aria_describedby=f"{id_}-error",
            **input_props,
        ),
        rx.box(field_error(error, error != ""), id=f"{id_}-error"),
    )


def form_field(
    label: str,
    id_: str,
    error: rx.Var,
    invalid: rx.Var,
    *,
    control: Callable[..., rx.Component] = rx.input,
    hint: str = "",
    **control_props,
) -> rx.Component:
    """A labelled control of a submitted form (a `name`, a default value) in its own
    column: label, control, an optional hint, then its error, which the control points at
    (aria-describedby) and whose presence it states (aria-invalid)."""
    return rx.vstack(
        field_label(label, id_),
        control(
            id=id_,
            width="100%",
            aria_invalid=rx.cond(invalid, "true", "false"),
            aria_describedby=f"{id_}-error",
            **control_props,
        ),
        rx.text(hint, **MUTED_MD) if hint else rx.fragment(),
        rx.box(field_error(error, invalid), id=f"{id_}-error"),
        spacing="1",
        width="100%",
    )


def labelled_checkbox(name: str, id_: str, label: str, checked: rx.Var | bool) -> rx.Component:
    """A checkbox of a submitted form with its label beside it."""
    return rx.hstack(
        rx.el.input(type="checkbox", name=name, id=id_, default_checked=checked),
        rx.el.label(label, html_for=id_),
        align="center",
        spacing="2",
    )


def item_header(title: rx.Var, *badges: rx.Component) -> rx.Component:
    """An item card's first line: its name (h3, long hostnames and URLs wrap) and its
    badges at the far end."""
    return rx.hstack(
        rx.heading(title, size="3", as_="h3", word_break="break-all"),
        *badges,
        justify="between",
        width="100%",
        align="center",
    )


def item_actions(*buttons: rx.Component) -> rx.Component:
    """The row of buttons of an item card; it wraps on a narrow screen."""
    return rx.hstack(*buttons, wrap="wrap", spacing="2")


def save_or_cancel(
    editing: rx.Var, add: str, save: str, on_cancel: rx.EventHandler, id_prefix: str
) -> rx.Component:
    """A form's submit button, "add" or "save" by whether it edits an item, and the
    Cancel that leaves the edit (ids save-<prefix>, cancel-<prefix>)."""
    return rx.hstack(
        rx.button(rx.cond(editing, save, add), type="submit", id=f"save-{id_prefix}"),
        rx.cond(
            editing,
            rx.button(
                "Cancel",
                type="button",
                variant="soft",
                color_scheme="gray",
                on_click=on_cancel,
                id=f"cancel-{id_prefix}",
            ),
        ),
        spacing="2",
    )


def enabled_badge(enabled: rx.Var) -> rx.Component:
    return rx.cond(
        enabled,
        rx.badge("Enabled", color_scheme="green", high_contrast=True),
        rx.badge("Disabled", color_scheme="red", high_contrast=True),
    )


def copy_button(value: rx.Var, aria_label: str | rx.Var, toast: str = "Copied") -> rx.Component:
    """A small icon button that puts `value` on the clipboard and says so."""
    return rx.icon_button(
        rx.icon("copy", size=14),
        size="1",
        variant="soft",
        aria_label=aria_label,
        on_click=[rx.set_clipboard(value), rx.toast.success(toast)],
    )


def summary_line(text: str) -> rx.Component:
    return rx.el.summary(text, style=SUMMARY_STYLE)
