"""The builder's right-hand side: the selected block's properties, the page settings and
the versions, as tabs; and the top bar (save status, undo/redo, publish) and preview."""

from __future__ import annotations

import reflex as rx

from qrapp.components.builder.fields import field_form
from qrapp.components.dialogs import dialog_actions, form_error
from qrapp.components.panels import native_select
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.components.styles import MUTED_MD, MUTED_SM, RADIUS_XL
from qrapp.core import routes
from qrapp.state.page_builder import BuilderState as S


def block_panel() -> rx.Component:
    return rx.cond(
        S.selected_id == "",
        rx.text("Select a block in the page to change it.", **MUTED_MD, id="no-selection"),
        rx.vstack(
            rx.heading(S.selected_title, size="3", as_="h3", id="selected-title"),
            field_form(
                S.block_fields,
                "prop-",
                S.set_prop,
                on_item=S.set_item,
                on_add=S.add_item,
                on_remove=S.remove_item,
            ),
            spacing="3",
            width="100%",
        ),
    )


def page_panel() -> rx.Component:
    return field_form(S.settings_fields, "setting-", S.set_setting)


def versions_panel() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.versions.length() == 0,
            rx.text("Nothing published yet. Each publish keeps a version here.", **MUTED_MD),
        ),
        rx.foreach(
            S.versions,
            lambda v: rx.hstack(
                rx.vstack(
                    rx.hstack(
                        rx.text("Version " + v["number"].to_string(), size="2", weight="bold"),
                        rx.cond(v["live"], rx.badge("Live", color_scheme="green", size="1")),
                        align="center",
                    ),
                    rx.text(v["when"] + rx.cond(v["who"] != "", " · " + v["who"], ""), **MUTED_SM),
                    spacing="0",
                ),
                rx.spacer(),
                rx.cond(
                    S.can_edit,
                    rx.button(
                        "Restore",
                        size="1",
                        variant="soft",
                        on_click=S.restore(v["number"]),
                        aria_label="Restore version " + v["number"].to_string(),
                    ),
                ),
                width="100%",
                align="center",
                class_name="version-row",
            ),
        ),
        spacing="2",
        width="100%",
        id="versions",
    )


def side_panel() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(
            rx.tabs.trigger("Block", value="block", id="tab-block"),
            rx.tabs.trigger("Page", value="page", id="tab-page"),
            rx.tabs.trigger("Versions", value="versions", id="tab-versions"),
        ),
        rx.tabs.content(rx.box(block_panel(), padding_top="12px"), value="block"),
        rx.tabs.content(rx.box(page_panel(), padding_top="12px"), value="page"),
        rx.tabs.content(rx.box(versions_panel(), padding_top="12px"), value="versions"),
        value=S.panel,
        on_change=S.set_panel,
        width="100%",
    )


def save_status() -> rx.Component:
    return rx.box(
        rx.match(
            S.save_status,
            ("saving", rx.text("Saving…", **MUTED_SM)),
            (
                "conflict",
                rx.hstack(
                    rx.text(S.save_message, size="2", color_scheme="red", weight="medium"),
                    rx.button(
                        "Reload", size="1", color_scheme="red", on_click=S.reload, id="reload"
                    ),
                    align="center",
                ),
            ),
            ("invalid", rx.text("Not saved: " + S.save_message, size="2", color_scheme="red")),
            ("error", rx.text(S.save_message, size="2", color_scheme="red")),
            rx.text("Saved", **MUTED_SM),
        ),
        id="save-status",
        role="status",
        aria_live="polite",
    )


def toolbar() -> rx.Component:
    edit = rx.hstack(
        rx.icon_button(
            rx.icon("undo-2", size=16),
            variant="soft",
            color_scheme="gray",
            on_click=S.undo,
            disabled=~S.can_undo,
            aria_label="Undo",
            id="undo",
        ),
        rx.icon_button(
            rx.icon("redo-2", size=16),
            variant="soft",
            color_scheme="gray",
            on_click=S.redo,
            disabled=~S.can_redo,
            aria_label="Redo",
            id="redo",
        ),
        save_status(),
        rx.spacer(),
        rx.button(
            rx.icon("bookmark-plus", size=16),
            "Save as template",
            variant="soft",
            color_scheme="gray",
            on_click=S.set_template_open(True),
            id="save-template",
        ),
        rx.cond(
            S.status == "published",
            rx.button(
                "Unpublish",
                variant="soft",
                color_scheme="gray",
                on_click=S.unpublish,
                id="unpublish",
            ),
        ),
        rx.button(
            rx.icon("upload", size=16),
            "Publish",
            on_click=S.publish,
            loading=S.publishing,
            id="publish",
        ),
        align="center",
        width="100%",
        spacing="3",
        wrap="wrap",
    )
    return rx.vstack(
        rx.hstack(
            rx.heading(S.name, size="5", as_="h2", id="page-name"),
            rx.badge(S.status, id="page-status", variant="soft"),
            rx.cond(
                S.public_url != "",
                rx.link(
                    S.public_url, href=S.public_url, is_external=True, size="2", id="public-url"
                ),
            ),
            _domain_select(),
            # The page's leads (lead-form blocks): their table and exports.
            rx.link(
                rx.icon("inbox", size=14), "Leads", href=S.leads_href, size="2", id="page-leads"
            ),
            # Variants of the page with traffic weights, and which converts better.
            rx.link(
                rx.icon("flask-conical", size=14),
                "A/B test",
                href=routes.page_ab_test(S.page_id),
                size="2",
                id="page-ab-test",
            ),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(
            S.can_edit,
            edit,
            rx.callout(
                "You can look at this page; your role does not allow changing it.",
                icon="eye",
                color_scheme="gray",
                id="read-only-note",
            ),
        ),
        rx.cond(
            S.problem != "",
            rx.callout(
                S.problem, icon="triangle-alert", color_scheme="amber", id="problem", size="1"
            ),
        ),
        plan_limit_callout(S.plan_limit, "builder-plan-limit"),
        spacing="2",
        width="100%",
    )


def _width_button(value: str, label: str) -> rx.Component:
    return rx.button(
        label,
        size="1",
        variant=rx.cond(S.preview_width == value, "solid", "outline"),
        on_click=S.set_preview_width(value),
        aria_pressed=rx.cond(S.preview_width == value, "true", "false"),
        id="width-" + value,
    )


def preview() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Preview", size="3", as_="h2"),
            rx.spacer(),
            _width_button("phone", "Phone"),
            _width_button("tablet", "Tablet"),
            _width_button("desktop", "Desktop"),
            align="center",
            width="100%",
        ),
        rx.center(
            rx.el.iframe(
                src_doc=S.preview,
                title="Preview of the page",
                # No scripts, no same origin: the preview can do nothing to the builder.
                sandbox="",
                id="preview-frame",
                style={
                    "width": S.frame_width,
                    "max_width": "100%",
                    "height": "680px",
                    "border": f"1px solid {rx.color('gray', 6)}",
                    "border_radius": RADIUS_XL,
                    "background": "white",
                },
            ),
            width="100%",
            overflow_x="auto",
        ),
        spacing="2",
        width="100%",
    )


def template_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Save as template"),
            rx.dialog.description(
                "New pages of this workspace can start from this page.", size="2"
            ),
            rx.form(
                rx.vstack(
                    rx.el.label(
                        rx.text("Name", size="2", weight="medium"), html_for="template-name"
                    ),
                    rx.input(
                        name="name", id="template-name", required=True, width="100%", max_length=80
                    ),
                    rx.el.label(
                        rx.text("Description", size="2", weight="medium"),
                        html_for="template-description",
                    ),
                    rx.input(
                        name="description", id="template-description", width="100%", max_length=300
                    ),
                    form_error(S.template_error),
                    dialog_actions("Save template", submit_id="template-submit"),
                    spacing="2",
                    margin_top="12px",
                ),
                on_submit=S.save_as_template,
            ),
            max_width="440px",
        ),
        open=S.template_open,
        on_open_change=S.set_template_open,
    )


def _domain_select() -> rx.Component:
    """The page's domain: ours or one of the workspace's verified domains (shown only when
    there is one)."""
    return rx.cond(
        S.can_edit & (S.domain_choices.length() > 0),
        rx.hstack(
            rx.el.label("Domain", html_for="page-domain", style={"font_size": "14px"}),
            native_select(
                [
                    rx.el.option("Our domain", value=""),
                    rx.foreach(S.domain_choices, lambda d: rx.el.option(d, value=d)),
                ],
                value=S.page_domain,
                on_change=S.set_page_domain,
                id_="page-domain",
            ),
            rx.cond(
                S.domain_error != "",
                rx.text(S.domain_error, color_scheme="red", size="2", role="alert"),
            ),
            align="center",
            spacing="2",
        ),
    )
