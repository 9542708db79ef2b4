"""The rule editor: condition rows, value menus and the variant fields of a rule."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import native_select
from qrapp.components.styles import INSET_PANEL, MUTED_MD, MUTED_SM, RADIUS_LG, RADIUS_SM
from qrapp.core import rule_fields
from qrapp.state.code_rules import RulesState as R

FIELDS = list(rule_fields.FIELD_LABELS.items())


LIST_FIELDS = tuple(rule_fields.OPTIONS)


# Typed fields: what to type, as a placeholder.
HINTS = {
    "region": "Stockholm, Skåne",
    "city": "Göteborg, Malmö",
    "ip": "203.0.113.0/24, 198.51.100.7",
    "query": "src=poster",
    "time": "09:00-17:00 mon,tue,wed,thu,fri",
    "date": "2026-12-01T00:00Z to 2026-12-31T23:59Z",
}


# The ops each field takes (rule_fields.FIELD_OPS), grouped by identical choices.
_OP_GROUPS: dict[tuple[str, ...], list[str]] = {}
for _field, _ops in rule_fields.FIELD_OPS.items():
    _OP_GROUPS.setdefault(_ops, []).append(_field)


def _op_select(ops: tuple[str, ...], row, index) -> rx.Component:
    if len(ops) == 1:
        return rx.text(rule_fields.OP_LABELS[ops[0]], **MUTED_MD)
    return native_select(
        [rx.el.option(rule_fields.OP_LABELS[op], value=op) for op in ops],
        value=row["op"],
        on_change=lambda v: R.set_row(index, "op", v),
        aria_label="Operator",
    )


# At most 300 px, and never more than the room Radix measured below (or above) the button.
_MENU_LIST_HEIGHT = "min(300px, calc(var(--radix-popover-content-available-height) - 60px))"


def _option(item) -> rx.Component:
    # rx.checkbox with its text renders <label><button role=checkbox/>text</label>: the
    # label names the checkbox and makes the whole line clickable.
    return rx.box(
        rx.checkbox(
            item["label"],
            checked=item["checked"],
            on_change=lambda _checked: R.toggle_value(item["value"]),
        ),
        padding="4px 6px",
        border_radius=RADIUS_SM,
        width="100%",
        _hover={"background": rx.color("gray", 3)},
    )


def _value_menu(row, index) -> rx.Component:
    """A checkbox menu of the field's own values. Radix renders the popover in a portal at
    the document's end, so no card's overflow can cut it off, and it flips or shrinks to
    stay inside the window."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.text(
                    rx.cond(row["summary"] != "", row["summary"], "Choose…"),
                    overflow="hidden",
                    text_overflow="ellipsis",
                    white_space="nowrap",
                ),
                rx.icon("chevron-down", size=14),
                variant="surface",
                color_scheme="gray",
                justify="between",
                width="100%",
                class_name="rule-values",
                title=rx.cond(row["summary"] != "", row["summary"], "Choose values"),
            ),
        ),
        rx.popover.content(
            rx.vstack(
                rx.cond(
                    row["field"] != "device",
                    rx.input(
                        placeholder="Search…",
                        value=R.menu_search,
                        on_change=R.set_menu_search,
                        aria_label="Search values",
                        size="1",
                        width="100%",
                        id="rule-menu-search",
                    ),
                ),
                rx.scroll_area(
                    rx.vstack(rx.foreach(R.menu_items, _option), spacing="0", width="100%"),
                    type="auto",
                    scrollbars="vertical",
                    max_height=_MENU_LIST_HEIGHT,
                ),
                rx.cond(
                    R.menu_items.length() == 0,
                    rx.text("Nothing matches.", **MUTED_SM),
                ),
                spacing="2",
                width="100%",
            ),
            side="bottom",
            align="start",
            avoid_collisions=True,
            collision_padding=8,
            width="300px",
            max_width="calc(100vw - 16px)",
            class_name="rule-menu",
            aria_label="Choose values",
        ),
        open=R.menu_row == index,
        on_open_change=lambda is_open: R.open_menu(index, is_open),
    )


def _row(row, index) -> rx.Component:
    return rx.flex(
        rx.box(
            native_select(
                [rx.el.option(label, value=v) for v, label in FIELDS],
                value=row["field"],
                on_change=lambda v: R.set_row(index, "field", v),
                aria_label="Condition",
                class_name="rule-field",
            ),
            width="170px",
        ),
        rx.box(
            rx.match(
                row["field"],
                *[(*fields, _op_select(ops, row, index)) for ops, fields in _OP_GROUPS.items()],
                rx.fragment(),
            ),
            width="120px",
        ),
        rx.box(
            rx.match(
                row["field"],
                (*LIST_FIELDS, _value_menu(row, index)),
                rx.input(
                    value=row["value"],
                    on_change=lambda v: R.set_row(index, "value", v),
                    placeholder=rx.match(row["field"], *HINTS.items(), ""),
                    width="100%",
                    aria_label="Value",
                    class_name="rule-value",
                ),
            ),
            flex="1 1 200px",
            min_width="0",
        ),
        # soft, not ghost: a ghost button's negative margins let the value field cover
        # part of it (axe target-size: 26 x 20 px of a 24 x 24 minimum)
        rx.icon_button(
            rx.icon("x", size=14),
            variant="soft",
            color_scheme="gray",
            on_click=R.remove_row(index),
            aria_label="Remove condition",
        ),
        gap="2",
        wrap="wrap",
        width="100%",
        align="center",
        class_name="rule-condition",
    )


def _variant(v, index) -> rx.Component:
    return rx.hstack(
        rx.input(
            value=v["label"],
            on_change=lambda x: R.set_variant(index, "label", x),
            width="60px",
            aria_label="Variant",
        ),
        rx.input(
            value=v["destination"],
            placeholder="https://…",
            on_change=lambda x: R.set_variant(index, "destination", x),
            width="100%",
            aria_label="Variant destination",
            class_name="variant-destination",
        ),
        rx.input(
            value=v["weight"],
            on_change=lambda x: R.set_variant(index, "weight", x),
            width="70px",
            aria_label="Weight (%)",
        ),
        width="100%",
    )


def rule_editor() -> rx.Component:
    return rx.vstack(
        rx.heading("New rule", size="2", as_="h4"),
        rx.input(
            placeholder="Name (optional), e.g. iPhones in Sweden",
            value=R.label,
            on_change=R.set_label,
            width="100%",
            aria_label="Rule name",
        ),
        rx.foreach(R.rows, _row),
        rx.cond(
            R.rows.length() == 0,
            rx.text(
                rx.cond(
                    R.split,
                    "No conditions: every scan is shared out between the variants.",
                    "No conditions: add one, or split traffic A/B to share out every scan.",
                ),
                size="2",
                color_scheme="gray",
                id="no-conditions",
            ),
        ),
        rx.text(
            "Times of day are in the workspace's time zone (",
            R.timezone,
            ").",
            size="1",
            color_scheme="gray",
        ),
        rx.button(
            rx.icon("plus", size=14),
            "Condition",
            size="1",
            variant="soft",
            on_click=R.add_row,
            id="add-condition",
        ),
        rx.hstack(
            rx.switch(checked=R.split, on_change=R.set_split, id="ab-split"),
            rx.el.label("Split traffic A/B", html_for="ab-split", font_size="14px"),
            align="center",
        ),
        rx.cond(
            R.split,
            rx.vstack(
                rx.foreach(R.variants, _variant),
                rx.button("Add variant", size="1", variant="soft", on_click=R.add_variant),
                width="100%",
            ),
            rx.input(
                placeholder="Send them to https://…",
                value=R.destination,
                on_change=R.set_destination,
                width="100%",
                id="rule-destination",
                aria_label="Destination of this rule",
            ),
        ),
        rx.foreach(
            R.errors.values(),
            lambda e: rx.text(e, color_scheme="red", size="1", role="alert"),
        ),
        rx.button("Add rule", on_click=R.add_rule, id="add-rule"),
        spacing="2",
        width="100%",
        border_radius=RADIUS_LG,
        **INSET_PANEL,
    )
