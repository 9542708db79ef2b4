"""The parts every form dialog repeats (create a key, a page, a workspace, a template):
the refusal under the fields and the Cancel / submit row."""

from __future__ import annotations

import reflex as rx


def form_error(message: rx.Var, id: str = "") -> rx.Component:
    """The state's refusal of the form, announced to screen readers (role=alert); nothing
    while it is empty."""
    props = {"id": id} if id else {}
    return rx.cond(
        message != "",
        rx.text(message, color_scheme="red", size="2", role="alert", **props),
    )


def dialog_actions(submit: str, submit_id: str = "") -> rx.Component:
    """Cancel (closes the dialog; type=button so it never submits the form) and the
    form's submit button, at the end of the row."""
    props = {"id": submit_id} if submit_id else {}
    return rx.hstack(
        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
        rx.button(submit, type="submit", **props),
        justify="end",
        width="100%",
    )
