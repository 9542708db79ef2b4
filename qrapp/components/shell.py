"""The signed-in layout: sidebar, top bar, mobile navigation and the page frame (the
workspace switcher, the new-workspace dialog and the user menu are in shell_menus.py)."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from qrapp.components.shell_menus import new_workspace_dialog, user_menu, workspace_switcher
from qrapp.components.styles import MUTED_SM, RADIUS_MD, VISUALLY_HIDDEN
from qrapp.core import routes
from qrapp.state.session import SessionState

NAV = [
    ("Dashboard", routes.DASHBOARD, "layout-dashboard"),
    ("QR codes", routes.CODES, "qr-code"),
    ("Landing pages", routes.LANDING_PAGES, "layout-template"),
    ("Media", routes.MEDIA, "images"),
    ("Analytics", routes.ANALYTICS, "chart-line"),
    ("Bulk", routes.BULK, "layers"),
    ("Team", routes.TEAM, "users"),
    ("Settings", routes.SETTINGS, "settings"),
]


def _nav_item(label: str, href: str, icon: str) -> rx.Component:
    active = rx.State.router.url.path == href
    return rx.link(
        rx.hstack(
            rx.icon(icon, size=18),
            rx.text(label, size="3", weight="medium"),
            align="center",
            spacing="3",
            padding_x="12px",
            padding_y="8px",
            border_radius=RADIUS_MD,
            width="100%",
            background=rx.cond(active, rx.color("accent", 4), "transparent"),
            color=rx.cond(active, rx.color("accent", 11), rx.color("gray", 11)),
            _hover={"background": rx.color("accent", 3), "color": rx.color("accent", 11)},
        ),
        href=href,
        underline="none",
        width="100%",
        aria_current=rx.cond(active, "page", "false"),
    )


def logo(href: str = routes.DASHBOARD) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(
                rx.icon("qr-code", size=20, color="white"),
                background=rx.color("accent", 9),
                border_radius=RADIUS_MD,
                padding="6px",
                display="flex",
            ),
            # Text, not a heading: each page has its own single h1.
            rx.text("qrapp", size="5", weight="bold"),
            align="center",
            spacing="2",
        ),
        href=href,
        underline="none",
        color=rx.color("gray", 12),
    )


def skip_link() -> rx.Component:
    """The first tab stop of every page: past the navigation to the page's own content.
    A plain anchor, so the browser moves focus to <main id="main" tabindex="-1">."""
    return rx.el.a("Skip to content", href="#main", class_name="skip-link")


def _sidebar_body() -> rx.Component:
    return rx.vstack(
        logo(),
        workspace_switcher(),
        rx.el.nav(
            rx.vstack(
                *[_nav_item(*item) for item in NAV],
                # Owners and admins only (BILLING_VIEW); the page refuses others anyway.
                rx.cond(
                    SessionState.can_view_billing,
                    _nav_item("Billing", routes.BILLING, "credit-card"),
                ),
                # Owners and admins only (API_KEYS_MANAGE); the page refuses others anyway.
                rx.cond(
                    SessionState.can_manage_api_keys,
                    _nav_item("API keys", routes.API_KEYS, "key-round"),
                ),
                spacing="1",
                width="100%",
            ),
            aria_label="Main",
            width="100%",
        ),
        rx.spacer(),
        rx.text("qrapp", **MUTED_SM),
        spacing="5",
        height="100%",
        width="100%",
        padding="16px",
    )


def sidebar() -> rx.Component:
    return rx.box(
        _sidebar_body(),
        display=["none", "none", "block"],
        width="248px",
        min_width="248px",
        height="100vh",
        position="sticky",
        top="0",
        border_right=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 2),
    )


def mobile_nav() -> rx.Component:
    return rx.box(
        # A dialog drawn as a sheet from the left: Radix's dialog is already on every
        # signed-in page (the new-workspace dialog), a drawer (vaul) costs 9 KB gzip more.
        rx.dialog.root(
            rx.dialog.trigger(
                rx.icon_button(rx.icon("menu"), variant="ghost", aria_label="Open menu")
            ),
            rx.dialog.content(
                rx.dialog.title("Menu", **VISUALLY_HIDDEN),  # the dialog's name, not drawn
                _sidebar_body(),
                position="fixed",
                top="0",
                left="0",
                width="272px",
                max_width="85vw",
                height="100vh",
                max_height="100vh",
                margin="0",
                padding="0",
                border_radius="0",
                background=rx.color("gray", 2),
            ),
        ),
        display=["block", "block", "none"],
    )


def verify_banner() -> rx.Component:
    return rx.cond(
        SessionState.email_verified,
        rx.fragment(),
        rx.callout.root(
            rx.callout.icon(rx.icon("mail-warning")),
            rx.callout.text(
                "Please confirm your e-mail address ",
                rx.text(SessionState.user_email, weight="bold", as_="span"),
                " with the link we sent you. ",
                rx.cond(
                    SessionState.verification_sent,
                    rx.text("A new link is on its way.", as_="span"),
                    rx.link(
                        "Send the link again",
                        on_click=SessionState.resend_verification,
                        cursor="pointer",
                    ),
                ),
            ),
            color_scheme="amber",
            size="1",
            margin_bottom="16px",
        ),
    )


def shell(title: str, content: rx.Component) -> rx.Component:
    return rx.fragment(
        skip_link(),
        rx.hstack(
            sidebar(),
            # The top bar belongs to <main>: it holds the page's one h1, where the skip link
            # and assets/focus.js send focus.
            rx.el.main(
                rx.hstack(
                    mobile_nav(),
                    rx.heading(title, size="6", weight="bold", as_="h1", tab_index=-1),
                    rx.spacer(),
                    user_menu(),
                    align="center",
                    padding_x=["16px", "24px", "32px"],
                    padding_y="14px",
                    border_bottom=f"1px solid {rx.color('gray', 4)}",
                    position="sticky",
                    top="0",
                    background=rx.color("gray", 1),
                    z_index="10",
                ),
                rx.box(
                    verify_banner(),
                    content,
                    padding=["16px", "24px", "32px"],
                    max_width="1200px",
                    width="100%",
                ),
                id="main",
                tab_index=-1,
                flex="1",
                min_width="0",
            ),
            new_workspace_dialog(),
            spacing="0",
            align="start",
            width="100%",
            min_height="100vh",
        ),
    )


def page_skeleton() -> rx.Component:
    """Grey blocks where a page's content will be, until the session answers."""
    return rx.vstack(
        rx.skeleton(height="28px", width="40%"),
        rx.grid(
            *[rx.skeleton(height="96px", width="100%") for _ in range(3)],
            columns=rx.breakpoints(initial="1", sm="3"),
            spacing="4",
            width="100%",
        ),
        rx.skeleton(height="240px", width="100%"),
        spacing="4",
        width="100%",
        id="page-skeleton",
        aria_busy="true",
    )


def signed_in_page(
    route: str,
    title: str,
    on_load: Callable | list | None = None,
    first: Callable[[], rx.Component] | None = None,
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register a signed-in page. The guard only redirects; handlers still authorize.

    `first`: what stays in place above the content whether or not the session has
    answered (components/first_view.py: content the server paints into the page)."""

    def decorator(body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        loads = [SessionState.guard]
        if on_load is not None:
            loads += on_load if isinstance(on_load, list) else [on_load]

        @rx.page(route=route, title=f"{title} · qrapp", on_load=loads)
        def page() -> rx.Component:
            # The frame is in the exported HTML, so it paints before the websocket
            # answers; the page's own content waits for the session (the guard).
            content = rx.cond(SessionState.signed_in, body(), page_skeleton())
            return shell(title, rx.fragment(first(), content) if first else content)

        # Reflex writes a page's memoized components into one JS module per Python module
        # of the page function: as the body's module, each page loads its own, not every
        # signed-in page's (file uploads, charts, debounced inputs on every page).
        page.__module__ = body.__module__
        return page

    return decorator
