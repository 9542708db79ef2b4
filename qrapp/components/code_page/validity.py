"""Limits of a dynamic code: expiry, scan cap and the weekly schedule."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card
from qrapp.state.code_detail import CodeDetailState as C


def validity_card() -> rx.Component:
    def field(label: str, name: str, value, **props) -> rx.Component:
        """A labelled input of the form, with its error under it."""
        return rx.vstack(
            field_label(label, "validity-" + name),
            rx.input(name=name, default_value=value, key=value, id="validity-" + name, **props),
            rx.cond(
                C.validity_errors.contains(name),
                rx.text(C.validity_errors[name], color_scheme="red", size="1", role="alert"),
            ),
            spacing="1",
        )

    return card(
        rx.form(
            rx.vstack(
                rx.heading("Scan limits and schedule", size="4", as_="h3"),
                rx.grid(
                    field("Active from (UTC)", "starts_at", C.starts_at, type="datetime-local"),
                    field("Active until (UTC)", "ends_at", C.ends_at, type="datetime-local"),
                    field(
                        # The code's total, as the edge counts it (qrcodes.set_validity).
                        "Maximum scans in total, counting the scans it already has",
                        "max_scans",
                        C.max_scans,
                        placeholder="no limit",
                        input_mode="numeric",
                    ),
                    field(
                        "When it is not active, send people to",
                        "fallback_url",
                        C.fallback_url,
                        placeholder="our branded page",
                    ),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                _schedule_editor(),
                # rx.checkbox with its text renders a <label> around both.
                rx.checkbox(
                    "Count only one scan per visitor",
                    name="one_scan_per_visitor",
                    default_checked=C.one_scan_per_visitor,
                    key=C.one_scan_per_visitor.to_string(),
                ),
                rx.cond(C.can_edit, rx.button("Save limits", type="submit")),
                spacing="3",
                width="100%",
            ),
            on_submit=C.save_validity,
        )
    )


def _schedule_editor() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.switch(
                checked=C.schedule_on, on_change=C.set_schedule_on, id="schedule-on", name=""
            ),
            field_label("Only redirect during opening hours", "schedule-on"),
            align="center",
        ),
        rx.cond(
            C.schedule_on,
            rx.vstack(
                rx.hstack(
                    # Tied by aria-labelledby: an id would add the field to the form's data.
                    rx.text("Time zone", size="2", id="schedule-tz-label"),
                    rx.input(
                        aria_labelledby="schedule-tz-label",
                        value=C.schedule_tz,
                        on_change=C.set_schedule_tz,
                        size="1",
                        placeholder="Europe/Stockholm",
                        width="200px",
                    ),
                    align="center",
                ),
                rx.foreach(
                    C.schedule_days,
                    lambda d, i: rx.hstack(
                        rx.checkbox(
                            d["name"],
                            checked=d["open"],
                            on_change=lambda v: C.set_day(i, "open", v),
                            width="110px",
                        ),
                        rx.input(
                            type="time",
                            value=d["start"],
                            aria_label=d["name"] + " opens at",
                            size="1",
                            on_change=lambda v: C.set_day(i, "start", v),
                            disabled=~d["open"],
                        ),
                        rx.text("to", size="2"),
                        rx.input(
                            type="time",
                            value=d["end"],
                            aria_label=d["name"] + " closes at",
                            size="1",
                            on_change=lambda v: C.set_day(i, "end", v),
                            disabled=~d["open"],
                        ),
                        align="center",
                    ),
                ),
                spacing="1",
                width="100%",
            ),
        ),
        rx.cond(
            C.validity_errors.contains("schedule"),
            rx.text(C.validity_errors["schedule"], color_scheme="red", size="1", role="alert"),
        ),
        spacing="2",
        width="100%",
    )
