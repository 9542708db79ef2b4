"""Settings -> Brand (owners and admins): the workspace's name, logo, colours, favicon and
support e-mail on the pages visitors see, with a preview of each of those pages."""

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import native_select
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.components.settings_page import section_card, settings_page
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.brand import LOGO_INPUT_ID, BrandState


def _error(var: rx.Var, id_: str) -> rx.Component:
    return rx.cond(var != "", rx.text(var, color_scheme="red", size="2", id=id_, role="alert"))


def _text(field: str, label: str, hint: str, **props) -> rx.Component:
    id_ = f"brand-{field.replace('_', '-')}"
    error = getattr(BrandState, f"{field}_error")
    return rx.vstack(
        field_label(label, id_),
        rx.input(
            id=id_,
            name=field,
            default_value=getattr(BrandState, field),
            key=getattr(BrandState, field),
            on_blur=lambda v: BrandState.set_draft(field, v),
            aria_describedby=f"{id_}-hint",
            width="100%",
            **props,
        ),
        rx.text(hint, id=f"{id_}-hint", **MUTED_MD),
        _error(error, f"{id_}-error"),
        spacing="1",
        width="100%",
    )


def _image(field: str, label: str, hint: str) -> rx.Component:
    id_ = f"brand-{field.replace('_', '-')}"
    return rx.vstack(
        field_label(label, id_),
        native_select(
            [
                rx.el.option("None", value=""),
                rx.foreach(BrandState.images, lambda a: rx.el.option(a[1], value=a[0])),
            ],
            id_=id_,
            name=field,
            default_value=getattr(BrandState, field),
            key=getattr(BrandState, field),
            on_change=lambda v: BrandState.set_draft(field, v),
            width="100%",
        ),
        rx.text(
            hint,
            " ",
            rx.link("Upload one in the media library", href=routes.MEDIA),
            ".",
            **MUTED_MD,
        ),
        _error(getattr(BrandState, f"{field}_error"), f"{id_}-error"),
        spacing="1",
        width="100%",
    )


def _logo_upload() -> rx.Component:
    return rx.vstack(
        field_label("Upload a logo", LOGO_INPUT_ID),
        rx.el.input(
            type="file",
            id=LOGO_INPUT_ID,
            accept="image/png,image/jpeg,image/webp",
            on_change=lambda _value: BrandState.start_logo_upload(),
            disabled=BrandState.uploading,
            aria_describedby=f"{LOGO_INPUT_ID}-hint",
            font_size="var(--font-size-2)",
        ),
        rx.text(
            "PNG, JPEG or WebP; it is kept in your media library.",
            id=f"{LOGO_INPUT_ID}-hint",
            **MUTED_MD,
        ),
        rx.cond(
            BrandState.uploading,
            rx.hstack(rx.spinner(size="1"), rx.text("Uploading…", size="2"), role="status"),
        ),
        spacing="1",
        width="100%",
    )


def _plan_line() -> rx.Component:
    return rx.cond(
        BrandState.white_label,
        rx.text(
            "Your ",
            BrandState.plan_name,
            " plan shows your brand only: no mention of us on your pages.",
            **MUTED_MD,
        ),
        rx.cond(
            BrandState.can_brand,
            rx.text(
                "Your pages show your brand with a small “Powered by qrapp” line. "
                "The Enterprise plan removes it.",
                **MUTED_MD,
            ),
            rx.text(
                "On the ",
                BrandState.plan_name,
                " plan your pages show our neutral look; a brand is part of the paid plans.",
                **MUTED_MD,
            ),
        ),
    )


def _form() -> rx.Component:
    # The logo upload sits outside the form: the file goes to the media route at once,
    # not with the form's fields.
    return section_card(
        "Your brand",
        _plan_line(),
        _logo_upload(),
        rx.form(
            rx.vstack(
                _text(
                    "name",
                    "Brand name",
                    "Shown when there is no logo; blank uses the workspace's name.",
                    max_length=80,
                ),
                _image("logo_asset_id", "Logo", "An image from your media library."),
                _image("favicon_asset_id", "Favicon", "A small square image for browser tabs."),
                _text(
                    "primary_colour",
                    "Primary colour",
                    "Buttons and links, e.g. #1a4d8f. It must reach 4.5:1 contrast on white.",
                    max_length=7,
                ),
                _text(
                    "accent_colour",
                    "Accent colour",
                    "Headings and the brand name, e.g. #7a2e0e. It must reach 4.5:1 "
                    "contrast on white.",
                    max_length=7,
                ),
                _text(
                    "support_email",
                    "Support e-mail",
                    "Shown at the foot of your pages.",
                    type="email",
                    auto_complete="email",
                ),
                plan_limit_callout(BrandState.plan_limit, "brand-plan-limit"),
                rx.button("Save brand", type="submit", id="save-brand"),
                spacing="3",
                width="100%",
            ),
            on_submit=BrandState.save,
            width="100%",
        ),
        stack={"max_width": "480px"},
    )


def _frame(title: str, html: rx.Var, id_: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="3", as_="h3"),
        rx.el.iframe(
            src_doc=html,
            title=f"Preview: {title}",
            id=id_,
            sandbox="",  # no scripts, no forms: a picture of the page
            width="100%",
            height="420px",
            style={"border": "1px solid var(--gray-6)", "borderRadius": "12px"},
        ),
        spacing="2",
        width="100%",
    )


def _previews() -> rx.Component:
    return section_card(
        "Preview",
        rx.text("Each page as your visitors see it, with the fields above.", **MUTED_MD),
        rx.grid(
            _frame("Landing page", BrandState.preview_landing, "preview-landing"),
            _frame("Password page", BrandState.preview_password, "preview-password"),
            _frame("Expired code", BrandState.preview_expired, "preview-expired"),
            _frame("Form sent", BrandState.preview_thanks, "preview-thanks"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


@signed_in_page(routes.SETTINGS_BRAND, "Brand", on_load=BrandState.load)
def brand() -> rx.Component:
    return settings_page(
        _form(),
        _previews(),
        id_prefix="brand",
        allowed=BrandState.can_manage,
        intro="Your name, logo and colours on your landing pages, password and expired pages, "
        "and form confirmations.",
        error=BrandState.error,
        notice=BrandState.notice,
        denied="Only owners and admins of this workspace can change its brand.",
    )
