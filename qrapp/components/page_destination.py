"""A dynamic code's destination as "a landing page": a native select of the workspace's
published pages (labelled, keyboard-usable as it is), for the designer's create flow and
the code page's destination card."""

from __future__ import annotations

import reflex as rx

from qrapp.components.panels import native_select
from qrapp.core import routes
from qrapp.state.page_destination import CodePageDestinationState as P
from qrapp.state.page_destination import PageChoicesState as C

NO_PAGE = "None: send scans to the web address"


def _select(select_id: str, value, on_change, first: str, disabled=False) -> rx.Component:
    return native_select(
        [
            rx.el.option(first, value=""),
            rx.foreach(C.page_choices, lambda p: rx.el.option(p["label"], value=p["id"])),
        ],
        value=value,
        on_change=on_change,
        id_=select_id,
        disabled=disabled,
        on_mount=C.load_page_choices,
    )


def _label(text: str, for_id: str) -> rx.Component:
    # A native <label for=...>: Radix Text rendered as a label drops html_for, and the
    # select needs its name from the label (screen readers, get_by_label).
    return rx.el.label(rx.text(text, size="2", as_="span"), html_for=for_id)


def designer_page_picker(value, on_change, error: rx.Component | None = None) -> rx.Component:
    """For the designer's dynamic destination: a page instead of a URL (optional)."""
    return rx.vstack(
        _label("Or answer scans with a landing page", "destination-page"),
        _select("destination-page", value, on_change, NO_PAGE),
        rx.text(
            "The page opens straight away, with no redirect. Only published pages are listed.",
            size="1",
            color_scheme="gray",
        ),
        error or rx.fragment(),
        spacing="1",
        width="100%",
    )


def code_page_picker(can_edit) -> rx.Component:
    """For the code page's destination card: which page the code answers with."""
    return rx.vstack(
        rx.cond(
            P.current_page != "",
            rx.text(
                "Scans answer with the landing page ",
                rx.text.strong(P.current_page),
                rx.cond(~P.current_published, " (not published: scans see “not available”)", ""),
                ". Saving a web address above sends scans there instead.",
                size="2",
                id="destination-page-current",
            ),
        ),
        rx.cond(
            P.current_page_id != "",
            rx.link(
                rx.hstack(rx.icon("pencil", size=14), "Edit the page in the builder"),
                href=routes.landing_page(P.current_page_id),
                id="edit-page-in-builder",
                size="2",
            ),
        ),
        _label("Answer scans with a landing page", "code-destination-page"),
        rx.hstack(
            _select(
                "code-destination-page",
                P.chosen_page,
                P.choose_page,
                "Choose a published page",
                ~can_edit,
            ),
            rx.cond(
                can_edit,
                rx.button("Use this page", on_click=P.save_page, id="save-destination-page"),
            ),
            width="100%",
            align="center",
        ),
        rx.cond(
            P.page_error != "",
            rx.text(P.page_error, color_scheme="red", size="2", role="alert"),
        ),
        on_mount=P.load_current_page,
        spacing="1",
        width="100%",
    )
