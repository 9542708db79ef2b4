"""Small building blocks shared by pages: cards, empty states, not-yet panels."""

from __future__ import annotations

import reflex as rx

from qrapp.components.styles import ICON_TILE, RADIUS_ROUND, RADIUS_SM, RADIUS_XL


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(*children, size="3", width="100%", **props)


def empty_state(
    icon: str, title: str, text: str, action: rx.Component | None = None
) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.box(
                rx.icon(icon, size=32, color=rx.color("accent", 11)),
                border_radius=RADIUS_ROUND,
                padding="18px",
                **ICON_TILE,
            ),
            rx.heading(title, size="5", align="center", as_="h2"),
            rx.text(text, color_scheme="gray", align="center", max_width="440px"),
            action or rx.fragment(),
            align="center",
            spacing="3",
        ),
        padding_y="56px",
        border=f"1px dashed {rx.color('gray', 6)}",
        border_radius=RADIUS_XL,
        width="100%",
    )


def field_error(message: rx.Var, show: rx.Var) -> rx.Component:
    return rx.cond(show, rx.text(message, color_scheme="red", size="2", role="alert"))


SELECT_STYLE = {
    "width": "100%",
    "padding": "6px 8px",
    "border_radius": RADIUS_SM,
    "border": f"1px solid {rx.color('gray', 7)}",
    "background": rx.color("gray", 1),
    "color": rx.color("gray", 12),
    "font_size": "14px",
    "height": "32px",
}


def native_select(options, value=None, on_change=None, id_=None, **props) -> rx.Component:
    """A plain <select> styled like the theme's inputs. Unlike Radix's select it allows an
    empty-string option, and with no value it is an uncontrolled form field."""
    children = options if isinstance(options, list) else [options]
    if value is not None:
        props["value"] = value
    if on_change is not None:
        props["on_change"] = on_change
    return rx.el.select(*children, id=id_, style=SELECT_STYLE, **props)


_VERDICTS = {
    "ok": ("circle-check", "Scans well", "green"),
    "warn": ("triangle-alert", "Scans, with risks", "amber"),
    "fail": ("circle-x", "Does not scan", "red"),
}


def verdict_badge(level: rx.Var, id_: str | None = None, pending: str = "Checking…"):
    """The scannability verdict as a coloured badge; `pending` shows before there is one."""
    cases = [
        # high contrast: soft green text is 4.28:1 and amber 4.24:1 on their tints
        (
            key,
            rx.badge(
                rx.icon(icon, size=14),
                label,
                color_scheme=colour,
                size="2",
                high_contrast=True,
                id=id_,
            ),
        )
        for key, (icon, label, colour) in _VERDICTS.items()
    ]
    fallback = (
        rx.badge(pending, color_scheme="gray", size="2", id=id_) if pending else rx.fragment()
    )
    return rx.match(level, *cases, fallback)


def link_button(*children, href, id: str | None = None, **button_props) -> rx.Component:
    """A link that looks like a button. `rx.link(rx.button(...))` put a <button> inside an
    <a>: two tab stops for one action and a "link, button" announcement. Here the button
    styles go onto a <span> (Radix asChild), so there is one focusable link."""
    return rx.link(
        rx.button(rx.el.span(*children), as_child=True, **button_props),
        href=href,
        id=id,
        underline="none",
        display="inline-flex",
        border_radius="var(--radius-3)",
    )


def confirm_delete_dialog(
    title: str,
    description: rx.Var | str,
    confirm_label: str,
    *,
    on_confirm,
    open: rx.Var,
    on_open_change,
) -> rx.Component:
    """The "Delete this …?" question of the list pages: Cancel, or the red button
    (#confirm-delete) that runs `on_confirm`."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        confirm_label, color_scheme="red", on_click=on_confirm, id="confirm-delete"
                    )
                ),
                justify="end",
                spacing="3",
                margin_top="12px",
            ),
        ),
        open=open,
        on_open_change=on_open_change,
    )
