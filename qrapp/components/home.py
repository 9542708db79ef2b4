"""The public home page's sections: top bar, hero, try-it generator, features, call to
action."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, link_button, verdict_badge
from qrapp.components.shell import logo, skip_link
from qrapp.components.styles import (
    ICON_TILE,
    INSET_PANEL,
    MUTED_MD,
    MUTED_SM,
    PAGE_SECTION,
    RADIUS_LG,
    RADIUS_XL,
)
from qrapp.core import routes
from qrapp.state.home import HomeState as H

FEATURES = [
    (
        "refresh-cw",
        "Change it after printing",
        "Dynamic codes are short links: point the printed code at a new page any time.",
    ),
    (
        "chart-line",
        "See who scans",
        "Scans arrive live: countries, cities, devices, times of day, and exports.",
    ),
    (
        "palette",
        "Designs that still scan",
        "Colours, shapes, logos and frames, checked by a real decoder before you print.",
    ),
    (
        "users",
        "Made for teams",
        "Workspaces, roles and folders, with rules, schedules and passwords per code.",
    ),
]


def _account_buttons(suffix: str = "", signed_in: rx.Var | None = None) -> rx.Component:
    return rx.cond(
        H.signed_in if signed_in is None else signed_in,
        link_button(
            rx.icon("layout-dashboard", size=16),
            "Go to dashboard",
            size="3",
            href=routes.DASHBOARD,
            id="go-dashboard" + suffix,
        ),
        rx.hstack(
            link_button(
                "Log in",
                variant="soft",
                color_scheme="gray",
                size="3",
                href=routes.LOGIN,
                id="home-login" + suffix,
            ),
            link_button("Sign up free", size="3", href=routes.SIGNUP, id="home-signup" + suffix),
            spacing="2",
        ),
    )


def top_bar() -> rx.Component:
    return top_bar_for(H.signed_in)


def top_bar_for(signed_in: rx.Var) -> rx.Component:
    """The public pages' top bar (home, pricing), with the page's own signed-in Var."""
    return rx.hstack(
        logo(href=routes.HOME),
        rx.spacer(),
        # From a phone's width the footer's link stands in (the bar has no room for it).
        rx.link(
            "Pricing", href=routes.PRICING, size="3", id="nav-pricing", display=["none", "block"]
        ),
        _account_buttons(signed_in=signed_in),
        align="center",
        spacing="4",
        **PAGE_SECTION,
        padding_y="16px",
    )


def hero() -> rx.Component:
    return rx.vstack(
        rx.badge("QR codes that keep working", size="2", radius="full", variant="soft"),
        rx.heading(
            "Print a QR code once. Change where it goes forever.",
            size=rx.breakpoints(initial="8", md="9"),
            align="center",
            max_width="820px",
            as_="h1",
        ),
        rx.text(
            "qrapp designs QR codes that scan, sends every scan where you want it, and shows "
            "you who scanned, live.",
            size="4",
            color_scheme="gray",
            align="center",
            max_width="640px",
        ),
        rx.hstack(
            rx.cond(
                H.signed_in,
                link_button("Open your dashboard", size="4", href=routes.DASHBOARD),
                link_button(
                    rx.icon("sparkles", size=18),
                    "Create a free account",
                    size="4",
                    href=routes.SIGNUP,
                    id="hero-signup",
                ),
            ),
            link_button("Try it without an account", variant="outline", size="4", href="#try-it"),
            spacing="3",
            wrap="wrap",
            justify="center",
        ),
        align="center",
        spacing="5",
        padding_y=["32px", "56px"],
        padding_x="16px",
    )


def _kind_choice() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item("Website", value="url"),
        rx.segmented_control.item("Text", value="text"),
        value=H.kind,
        on_change=H.set_kind,
        id="try-kind",
        aria_label="What the code holds",
    )


def _style_choice() -> rx.Component:
    return rx.hstack(
        rx.foreach(
            H.style_options,
            lambda o: rx.button(
                o[1],
                size="1",
                variant=rx.cond(H.style == o[0], "solid", "soft"),
                on_click=H.set_style(o[0]),
                type="button",  # inside the try-it form: not a submit
                id="try-style-" + o[0],
                aria_pressed=rx.cond(H.style == o[0], "true", "false"),
            ),
        ),
        spacing="2",
        wrap="wrap",
        role="group",
        aria_labelledby="try-style-label",
    )


def _form() -> rx.Component:
    # A real form: before the scripts have loaded (they come after the first paint) or
    # with JavaScript off, Enter or "Make my code" asks GET /try (qrapp/api/try_page.py)
    # for the same preview; once they have run, the submit is handled here instead.
    return rx.el.form(
        rx.vstack(
            _fields(),
            spacing="3",
            width="100%",
        ),
        rx.el.input(type="hidden", name="kind", value=H.kind),
        rx.el.input(type="hidden", name="style", value=H.style),
        action=routes.TRY_PAGE,
        method="get",
        id="try-form",
        on_submit=H.submit,
        # Text typed before the scripts ran has no change event: check it once they do.
        on_mount=rx.call_script(
            "document.getElementById('try-content')?.value ?? ''", callback=H.adopt_typed
        ),
        width="100%",
    )


def _fields() -> rx.Component:
    return rx.fragment(
        field_label("What should the code hold?", "try-content", size="3"),
        _kind_choice(),
        rx.cond(
            H.kind == "url",
            rx.input(
                id="try-content",
                name="content",
                placeholder="https://your-site.example",
                value=H.content,
                on_change=H.set_content,
                debounce_timeout=300,
                size="3",
                width="100%",
                aria_label="Web address",
            ),
            rx.text_area(
                id="try-content",
                name="content",
                placeholder="Any text, up to 500 characters",
                value=H.content,
                on_change=H.set_content,
                debounce_timeout=300,
                rows="3",
                width="100%",
                aria_label="Text",
            ),
        ),
        rx.cond(
            H.error != "",
            rx.text(H.error, color_scheme="red", size="2", role="alert", id="try-error"),
        ),
        rx.text("Style", weight="medium", size="2", id="try-style-label"),
        _style_choice(),
        rx.text(
            "A static code: what you type is in the picture itself, it works forever and "
            "nothing is stored. With an account you get dynamic codes you can change and "
            "track, logos, frames and more.",
            size="1",
            color_scheme="gray",
        ),
        rx.button("Make my code", type="submit", id="try-submit", variant="soft", size="2"),
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.center(
            rx.cond(
                H.preview_src != "",
                rx.image(
                    src=H.preview_src,
                    alt="Your QR code",
                    width="100%",
                    max_width="260px",
                    id="try-preview",
                ),
                rx.vstack(
                    rx.icon("qr-code", size=56, color=rx.color("gray", 8)),
                    rx.text("Your code appears here", **MUTED_MD),
                    align="center",
                ),
            ),
            width="100%",
            min_height="260px",
            border_radius=RADIUS_XL,
            **INSET_PANEL,
        ),
        rx.box(verdict_badge(H.verdict_level, id_="try-verdict", pending=""), aria_live="polite"),
        rx.cond(
            H.encoded != "",
            rx.text(
                "Holds: ",
                rx.text(H.encoded, as_="span", id="try-encoded", word_break="break-all"),
                size="1",
                color_scheme="gray",
                align="center",
            ),
        ),
        rx.foreach(H.verdict_reasons, lambda r: rx.text(r, **MUTED_SM)),
        rx.hstack(
            rx.button(
                rx.icon("download", size=16),
                "PNG",
                on_click=H.download("png"),
                disabled=~H.can_download,
                id="try-png",
                aria_label="Download PNG",
            ),
            rx.button(
                rx.icon("download", size=16),
                "SVG",
                variant="soft",
                on_click=H.download("svg"),
                disabled=~H.can_download,
                id="try-svg",
                aria_label="Download SVG",
            ),
            spacing="2",
        ),
        align="center",
        spacing="3",
        width="100%",
    )


def try_it() -> rx.Component:
    return rx.box(
        card(
            rx.vstack(
                rx.heading("Make a QR code now", size="6", as_="h2"),
                rx.text("No account needed.", color_scheme="gray"),
                rx.grid(
                    _form(),
                    _preview(),
                    columns=rx.breakpoints(initial="1", sm="3fr 2fr"),
                    spacing="6",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
        ),
        id="try-it",
        width="100%",
        max_width="920px",
        padding_x="16px",
        scroll_margin_top="16px",
    )


def _feature(icon: str, title: str, text: str) -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.icon(icon, size=22, color=rx.color("accent", 11)),
            border_radius=RADIUS_LG,
            padding="10px",
            **ICON_TILE,
        ),
        rx.heading(title, size="4", as_="h3"),
        rx.text(text, **MUTED_MD),
        spacing="2",
    )


def features() -> rx.Component:
    return rx.grid(
        *[_feature(*f) for f in FEATURES],
        columns=rx.breakpoints(initial="1", sm="2", md="4"),
        spacing="6",
        **PAGE_SECTION,
        padding_y="48px",
    )


def call_to_action() -> rx.Component:
    return rx.vstack(
        rx.heading("Ready when your next poster is", size="7", align="center", as_="h2"),
        rx.text(
            "Free to start. Your codes, designs and scans in one place.",
            color_scheme="gray",
            align="center",
        ),
        _account_buttons("-cta"),
        align="center",
        spacing="4",
        padding_y="56px",
        padding_x="16px",
        width="100%",
        background=rx.color("accent", 2),
    )


def public_page(
    top: rx.Component, content: rx.Component, footer_link: rx.Component, **main_props
) -> rx.Component:
    """The frame of the public pages (home, pricing): skip link, header, main, footer."""
    return rx.vstack(
        skip_link(),
        rx.el.header(top, width="100%", display="flex", justify_content="center"),
        rx.el.main(content, id="main", tab_index=-1, width="100%", **main_props),
        rx.el.footer(
            rx.hstack(footer_link, rx.text("qrapp", **MUTED_SM), spacing="3", padding="24px")
        ),
        align="center",
        spacing="0",
        width="100%",
        min_height="100vh",
        background=rx.color("gray", 1),
    )


def home() -> rx.Component:
    return public_page(
        top_bar(),
        rx.vstack(
            hero(),
            try_it(),
            features(),
            call_to_action(),
            align="center",
            spacing="0",
            width="100%",
        ),
        rx.link("Pricing", href=routes.PRICING, size="1", id="footer-pricing"),
    )
