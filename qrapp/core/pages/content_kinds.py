"""Content QR types: a dynamic code whose destination is a page made from a starter and
a few essentials a person fills in (a menu's name and first dishes, a coupon's code...).
Pure: the kinds, their short forms, and the page document made from the answers.

    KINDS                      the kinds in the order the create flow shows them
    get_kind("menu")           the ContentKind, or KeyError
    build_document(kind, answers, media={})   the page document (validated), or
                               EssentialsError({field: message}) naming the form's fields

File kinds (PDF, images, video, MP3) take uploaded media by asset id: `media` maps the
ids to what is known of them (core.pages.media.MediaRef-like: kind, filename). The
blocks each kind makes from its answers are in core/pages/kind_blocks.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qrapp.core.pages import sanitize
from qrapp.core.pages.blocks import REGISTRY
from qrapp.core.pages.content_blocks import CURRENCIES
from qrapp.core.pages.document import DocumentError, parse_document
from qrapp.core.pages.kind_blocks import (
    FILE_BLOCKS,
    NETWORK_LABELS,
    NETWORKS,
    Answers,
    Raw,
    app_page,
    audio_block,
    business_card_page,
    coupon_page,
    event_page,
    file_page,
    gallery_block,
    line_of,
    menu_page,
    pdf_block,
    product_page,
    social_page,
    video_block,
)

# EssentialsError is part of this module's interface (the create flow catches it here).
from qrapp.core.pages.kind_blocks import EssentialsError as EssentialsError
from qrapp.core.pages.starters import starter


@dataclass(frozen=True)
class Essential:
    """One field of a kind's short form. `kind` names the widget, as the designer's
    FieldSpec does (text, multiline, url, email, phone, date, datetime, file)."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    help: str = ""
    default: str = ""
    max_length: int = 200
    accept: str = ""  # file fields: the media kind they take (pdf, image, video, audio)
    choices: tuple[str, ...] = ()  # choice fields


@dataclass(frozen=True)
class ContentKind:
    key: str
    label: str
    icon: str
    blurb: str
    starter: str
    fields: tuple[Essential, ...]
    build: Callable[[Answers, Mapping[str, Any]], list[Raw]] = field(repr=False)
    # Which block/prop an error of the built document belongs to: (block id, prop) ->
    # form field; (block id, "") catches the rest of that block.
    sources: Mapping[tuple[str, str], str] = field(default_factory=dict, repr=False)
    # "at least one of these" groups: (fields, message)
    one_of: tuple[tuple[tuple[str, ...], str], ...] = ()

    @property
    def file_field(self) -> Essential | None:
        return next((f for f in self.fields if f.kind == "file"), None)

    @property
    def needs_blocks(self) -> tuple[str, ...]:
        return FILE_BLOCKS.get(self.key, ())


def _title(label: str = "Title") -> Essential:
    return Essential("title", label, required=True, max_length=120)


def _file(label: str, accept: str, help_text: str) -> Essential:
    return Essential("file", label, "file", required=True, help=help_text, accept=accept)


_CURRENCY = Essential("currency", "Currency", "choice", default="EUR", choices=tuple(CURRENCIES))
_DESCRIPTION = Essential(
    "description", "Short description (optional)", "multiline", max_length=1000
)

KINDS: tuple[ContentKind, ...] = (
    ContentKind(
        "pdf", "PDF", "file-text", "A PDF people can read and download, on a page of its own.",
        "link_in_bio", (_title(), _file("PDF file", "pdf", "A PDF document."), _DESCRIPTION),
        file_page(pdf_block), {("title", ""): "title", ("file", ""): "file"},
    ),
    ContentKind(
        "images", "Images", "images", "A gallery of photos.", "link_in_bio",
        (_title(), _file("Images", "image", "JPEG, PNG or WebP photos."), _DESCRIPTION),
        file_page(gallery_block), {("title", ""): "title", ("file", ""): "file"},
    ),
    ContentKind(
        "video", "Video", "video", "A video that plays right on the phone.", "link_in_bio",
        (_title(), _file("Video file", "video", "An MP4 video."), _DESCRIPTION),
        file_page(video_block), {("title", ""): "title", ("file", ""): "file"},
    ),
    ContentKind(
        "mp3", "MP3", "music", "An audio file to listen to: a podcast, a tour, a song.",
        "link_in_bio", (_title(), _file("Audio file", "audio", "An MP3 file."), _DESCRIPTION),
        file_page(audio_block), {("title", ""): "title", ("file", ""): "file"},
    ),
    ContentKind(
        "menu", "Menu", "utensils", "A restaurant menu page with dishes and prices.",
        "restaurant_menu",
        (
            Essential("restaurant", "Restaurant name", required=True, max_length=200),
            Essential("section", "First section", required=True, default="Menu", max_length=200,
                      help="e.g. Starters, Pasta, Drinks. Add more sections in the builder."),
            Essential("items", "Dishes", "multiline", required=True, max_length=4000,
                      help="One dish per line: name, price, description. "
                           "e.g. Burrata, €12, roasted tomatoes"),
            Essential("intro", "Welcome text (optional)", "multiline", max_length=1000),
            _CURRENCY,
            Essential("phone", "Phone for bookings (optional)", "phone", max_length=40),
        ),
        menu_page,
        {("name", ""): "restaurant", ("menu", "sections"): "items", ("menu", ""): "items",
         ("menu", "currency"): "currency", ("intro", ""): "intro", ("book", ""): "phone"},
    ),
    ContentKind(
        "business_card", "Business card", "contact",
        "Your contact details on a page, with a Save contact button (vCard).", "business_card",
        (
            Essential("name", "Full name", required=True, max_length=100),
            Essential("title", "Job title (optional)", max_length=100),
            Essential("org", "Company (optional)", max_length=100),
            Essential("phone", "Phone (optional)", "phone", max_length=40,
                      help="With the country code, e.g. +46 8 123 456 78"),
            Essential("email", "E-mail (optional)", "email", max_length=254),
            Essential("website", "Website (optional)", "url", max_length=500),
            Essential("address", "Address (optional)", max_length=300),
            Essential("about", "About you (optional)", "multiline", max_length=1000),
        ),
        business_card_page,
        {**{("card", k): k for k in ("name", "title", "org", "phone", "email", "website",
                                     "address")}, ("card", ""): "name", ("about", ""): "about"},
    ),
    ContentKind(
        "coupon", "Coupon", "ticket-percent", "A discount code to show at the counter.", "coupon",
        (
            Essential("offer", "Offer", required=True, default="", max_length=200,
                      help="e.g. 20% off your next visit"),
            Essential("code", "Coupon code", required=True, max_length=40,
                      help="What people show or type, e.g. SPRING20"),
            Essential("expires", "Valid until (optional)", "date"),
            Essential("terms", "Terms (optional)", "multiline", max_length=1000),
            Essential("link", "Online shop link (optional)", "url", max_length=2000),
        ),
        coupon_page,
        {("coupon", "title"): "offer", ("coupon", "code"): "code", ("coupon", "terms"): "terms",
         ("coupon", "expires"): "expires", ("coupon", ""): "code", ("order", ""): "link"},
    ),
    ContentKind(
        "product", "Product", "shopping-bag", "A product with its price and a Buy button.",
        "product",
        (
            Essential("name", "Product name", required=True, max_length=120),
            Essential("price", "Price", required=True, max_length=60, help="e.g. 199 or 24.50"),
            _CURRENCY,
            Essential("buy_url", "Buy link", "url", required=True, max_length=2000,
                      help="Your shop's page, or a payment link."),
            Essential("description", "Description (optional)", "multiline", max_length=1000),
        ),
        product_page,
        {("product", "name"): "name", ("product", "price"): "price",
         ("product", "buy_url"): "buy_url", ("product", "description"): "description",
         ("product", "currency"): "currency", ("product", ""): "name"},
    ),
    ContentKind(
        "social", "Social profiles", "share-2", "All your profiles on one link-in-bio page.",
        "link_in_bio",
        (
            Essential("name", "Your name or brand", required=True, max_length=200),
            Essential("bio", "Short bio (optional)", "multiline", max_length=1000),
            *(Essential(n, f"{NETWORK_LABELS[n]} (optional)", max_length=100,
                        help="Your handle or the profile's link")
              for n in NETWORKS),
            Essential("website", "Website (optional)", "url", max_length=500),
        ),
        social_page,
        {("name", ""): "name", ("bio", ""): "bio", ("social", ""): "instagram"},
        ((("instagram", "tiktok", "facebook", "linkedin", "youtube", "x", "website"),
          "Add at least one profile or your website."),),
    ),
    ContentKind(
        "app", "App download", "smartphone",
        "One code for App Store and Google Play: phones go straight to their store.",
        "app_download",
        (
            Essential("name", "App name", required=True, max_length=200),
            Essential("tagline", "Tagline (optional)", "multiline", max_length=500),
            Essential("app_store_url", "App Store link", "url", max_length=500,
                      help="https://apps.apple.com/..."),
            Essential("google_play_url", "Google Play link", "url", max_length=500,
                      help="https://play.google.com/store/apps/details?id=..."),
            Essential("web_url", "Web link for other devices (optional)", "url", max_length=500),
        ),
        app_page,
        {("name", ""): "name", ("tagline", ""): "tagline", ("get", "app_store_url"):
         "app_store_url", ("get", "google_play_url"): "google_play_url",
         ("get", "other_url"): "web_url", ("get", ""): "app_store_url"},
        ((("app_store_url", "google_play_url"), "Give the App Store or Google Play link."),),
    ),
    ContentKind(
        "event_page", "Event", "calendar-days",
        "Date, place and tickets on a page, with Add to calendar.", "event",
        (
            Essential("title", "Event name", required=True, max_length=200),
            Essential("start", "Starts", "datetime", required=True),
            Essential("end", "Ends (optional)", "datetime"),
            Essential("timezone", "Time zone", default="UTC", max_length=64,
                      help="e.g. Europe/Stockholm"),
            Essential("place", "Place (optional)", max_length=300),
            Essential("description", "Description (optional)", "multiline", max_length=1000),
            Essential("tickets_url", "Tickets link (optional)", "url", max_length=2000),
        ),
        event_page,
        {("title", ""): "title", ("when", "start"): "start", ("when", "end"): "end",
         ("when", "timezone"): "timezone", ("when", "place"): "place",
         ("when", "description"): "description", ("when", ""): "end",
         ("tickets", ""): "tickets_url", ("where", ""): "place"},
    ),
)  # fmt: skip
_BY_KEY = {k.key: k for k in KINDS}


def get_kind(key: str) -> ContentKind:
    return _BY_KEY[key]


def available_kinds() -> tuple[ContentKind, ...]:
    """The kinds whose blocks exist in this build (file kinds wait for their blocks)."""
    return tuple(k for k in KINDS if all(b in REGISTRY for b in k.needs_blocks))


def check_answers(kind: ContentKind, answers: Answers) -> dict[str, str]:
    """Form-level problems: required fields, lengths, links, "one of" groups."""
    problems: dict[str, str] = {}
    for f in kind.fields:
        value = str(answers.get(f.name, "") or "").strip()
        if not value:
            if f.required:
                problems[f.name] = (
                    "Upload a file." if f.kind == "file" else f"{_bare(f.label)} is required."
                )
            continue
        if len(value) > f.max_length and f.kind != "file":
            problems[f.name] = f"Use at most {f.max_length} characters."
        elif f.kind == "url" and (err := sanitize.link_error(value)):
            problems[f.name] = err
    for names, message in kind.one_of:
        if not any(str(answers.get(n, "") or "").strip() for n in names):
            problems.setdefault(names[0], message)
    return problems


def _bare(label: str) -> str:
    return label.removesuffix(" (optional)")


def build_document(
    kind: ContentKind, answers: Answers, media: Mapping[str, Any] | None = None
) -> Raw:
    """The page for `answers`: the starter's look (theme, font, buttons) with blocks made
    from the answers, validated. Problems are EssentialsError naming the form fields."""
    if problems := check_answers(kind, answers):
        raise EssentialsError(problems)
    base = starter(kind.starter).build()
    blocks = kind.build(answers, media or {})
    title = next(
        (
            line_of(answers, n)
            for n in ("title", "name", "restaurant", "offer")
            if line_of(answers, n)
        ),
        "",
    )
    doc: Raw = {
        "settings": {**base["settings"], "title": title[:120] or base["settings"]["title"]},
        "blocks": blocks,
    }
    doc["settings"]["seo"] = {"description": ""}
    try:
        return parse_document(doc).model_dump(mode="json")
    except DocumentError as exc:
        # "Block 2 (Contact card), Phone: Write ..." -> "Write ...": the form names the field.
        message = exc.message.split(": ", 1)[-1] if exc.block is not None else exc.message
        raise EssentialsError({_source(kind, blocks, exc): message}) from None


def _source(kind: ContentKind, blocks: list[Raw], exc: DocumentError) -> str:
    """The form field a document error comes from (the first field when unknown)."""
    if exc.block is not None and 1 <= exc.block <= len(blocks):
        block_id = blocks[exc.block - 1]["id"]
        prop = (exc.field or "").split(".", 1)[0]
        for key in ((block_id, prop), (block_id, "")):
            if key in kind.sources:
                return kind.sources[key]
    return kind.fields[0].name
