"""Content QR types: a dynamic code whose destination is a page made from a starter and
a few essentials a person fills in (a menu's name and first dishes, a coupon's code...).
Pure: the kinds, their short forms, and the page document made from the answers.

    KINDS                      the kinds in the order the create flow shows them
    get_kind("menu")           the ContentKind, or KeyError
    build_document(kind, answers, media={})   the page document (validated), or
                               EssentialsError({field: message}) naming the form's fields

File kinds (PDF, images, video, MP3) take uploaded media by asset id: `media` maps the
ids to what is known of them (core.pages.media.MediaRef-like: kind, filename).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qrapp.core.pages import sanitize
from qrapp.core.pages.blocks import REGISTRY
from qrapp.core.pages.content_blocks import CURRENCIES, decimals
from qrapp.core.pages.document import DocumentError, parse_document
from qrapp.core.pages.starters import starter

Raw = dict[str, Any]
Answers = Mapping[str, str]


class EssentialsError(ValueError):
    """The answers cannot make a page; `errors` maps form fields to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


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
        return _FILE_BLOCKS.get(self.key, ())


def _b(block_id: str, type_key: str, **props: Any) -> Raw:
    return {"id": block_id, "type": type_key, "props": props}


def _para(text: str, align: str = "center") -> Raw:
    """Plain text as rich text: escaped, line breaks kept."""
    body = "<br>".join(html.escape(line) for line in text.strip().splitlines() if line.strip())
    return {"html": f"<p>{body}</p>", "align": align}


def _get(a: Answers, name: str) -> str:
    return " ".join(str(a.get(name, "") or "").split()) if name else ""


def _text(a: Answers, name: str) -> str:
    """Multi-line text: each line tidied, blank lines dropped."""
    lines = (" ".join(line.split()) for line in str(a.get(name, "") or "").splitlines())
    return "\n".join(line for line in lines if line)


# --- menu ------------------------------------------------------------------------------

# "Diavola 12 kr", "Tiramisu - 8": a trailing price after a space or a separator.
_PRICE = re.compile(
    r"^(.*?)[\s,;:\u00b7\u2013\u2014-]+((?:[€$£¥]\s?)?\d[\d.,]*(?:\s?(?:kr|sek|eur|€|\$|£))?)$",
    re.I,
)


def menu_items(text: str) -> list[tuple[str, str, str]]:
    """One dish per line: "Name, price, description", "Name | price | description",
    "Name price" or "Name - price"; a line without a price is a dish without one."""
    dishes = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if "|" in line:
            name, price, about = [*(p.strip() for p in line.split("|")), "", ""][:3]
        elif len(bits := [p.strip() for p in line.split(",")]) >= 2 and _PRICE.match(
            "x " + bits[1]
        ):
            name, price, about = bits[0], bits[1], ", ".join(bits[2:])
        elif m := _PRICE.match(line):
            name, price, about = m.group(1).strip(" ,"), m.group(2), ""
        else:
            name, _, about = line.partition(" - ")
            price = ""
        dishes.append((name, price, about))
    return dishes


def to_minor(price: str, currency: str) -> int:
    """ "€12.50", "12,5", "129 kr" -> minor units of `currency`; ValueError if no amount."""
    m = re.search(r"\d[\d\s.,]*", price)
    if m is None:
        raise ValueError(price)
    digits = m.group(0).replace(" ", "").rstrip(".,")
    whole, _, frac = (
        digits.replace(",", ".").rpartition(".")
        if re.search(r"[.,]\d{1,2}$", digits)
        else (digits, "", "")
    )
    whole = re.sub(r"[.,]", "", whole)
    places = int(decimals(currency))
    value = int(whole or "0") * int(10**places)
    if frac and places:
        value += int(frac.ljust(places, "0")[:places])
    return value


def _menu(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    dishes = menu_items(_text(a, "items"))
    if not dishes:
        raise EssentialsError({"items": "List at least one dish, one per line."})
    currency = _get(a, "currency") or "EUR"
    items = []
    for n, (name, price, about) in enumerate(dishes, 1):
        item: Raw = {"id": f"i{n}", "name": name[:120], "description": about[:300]}
        if price:
            try:
                item["price"] = to_minor(price, currency)
            except ValueError:
                raise EssentialsError({"items": f"Line {n}: “{price}” is not a price."}) from None
        items.append(item)
    blocks = [_b("name", "heading", text=_get(a, "restaurant"), level=1)]
    if _text(a, "intro"):
        blocks.append(_b("intro", "rich_text", **_para(_text(a, "intro"))))
    section = {"id": "s1", "title": _get(a, "section"), "items": items}
    blocks.append(_b("menu", "menu", currency=currency, sections=[section]))
    if _get(a, "phone"):
        phone = _tel(_get(a, "phone"))
        blocks.append(_b("book", "button", label="Call to book a table", url=phone))
    return blocks


def _tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", phone)


# --- business card -------------------------------------------------------------------------


def _business_card(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    contact = {
        k: _get(a, k) for k in ("name", "title", "org", "phone", "email", "website", "address")
    }
    blocks = [_b("card", "contact", **{k: v for k, v in contact.items() if v})]
    if _text(a, "about"):
        blocks.append(_b("about", "rich_text", **_para(_text(a, "about"))))
    return blocks


# --- coupon ----------------------------------------------------------------------------------


def _coupon(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    code = _get(a, "code")
    if re.search(r"[\s<>\"'`]", code):
        raise EssentialsError({"code": "Use letters and digits without spaces, e.g. SPRING20."})
    props: Raw = {"title": _get(a, "offer"), "code": code, "terms": _text(a, "terms")}
    if _get(a, "expires"):
        try:
            props["expires"] = dt.date.fromisoformat(_get(a, "expires")).isoformat()
        except ValueError:
            raise EssentialsError({"expires": "Give the date as YYYY-MM-DD."}) from None
    blocks = [
        _b("how", "rich_text", **_para("Show this page at the counter, or use the code online.")),
        _b("coupon", "coupon", **props),
    ]
    if _get(a, "link"):
        blocks.append(_b("order", "button", label="Use it online", url=_get(a, "link")))
    return blocks


# --- product ---------------------------------------------------------------------------------


def _product(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    currency = _get(a, "currency") or "EUR"
    try:
        price = to_minor(_get(a, "price"), currency)
    except ValueError:
        raise EssentialsError(
            {"price": "Write the price as a number, e.g. 199 or 24.50."}
        ) from None
    props: Raw = {
        "name": _get(a, "name"),
        "description": _text(a, "description").replace("\n", " "),
        "price": price,
        "currency": currency,
        "buy_url": _get(a, "buy_url"),
    }
    return [_b("product", "product", **props)]


# --- social profiles (link in bio) --------------------------------------------------------------

_NETWORKS = ("instagram", "tiktok", "facebook", "linkedin", "youtube", "x")


def _social(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    items = [
        {"id": net, "network": net, **_handle_or_url(_get(a, net))}
        for net in _NETWORKS
        if _get(a, net)
    ]
    if _get(a, "website"):
        items.append({"id": "website", "network": "website", "url": _get(a, "website")})
    blocks = [_b("name", "heading", text=_get(a, "name"), level=1)]
    if _text(a, "bio"):
        blocks.append(_b("bio", "rich_text", **_para(_text(a, "bio"))))
    blocks.append(_b("social", "social_icons", items=items))
    return blocks


_NETWORK_LABELS = {
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "x": "X",
}


def _handle_or_url(value: str) -> dict[str, str]:
    if value.lower().startswith(("http://", "https://")):
        return {"url": value}
    return {"handle": value.lstrip("@")}


# --- app download ------------------------------------------------------------------------------


def _app(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    blocks = [_b("name", "heading", text=_get(a, "name"), level=1)]
    if _text(a, "tagline"):
        blocks.append(_b("tagline", "rich_text", **_para(_text(a, "tagline"))))
    blocks.append(
        _b(
            "get",
            "app_store",
            label="Get the app",
            app_store_url=_get(a, "app_store_url"),
            google_play_url=_get(a, "google_play_url"),
            other_url=_get(a, "web_url"),
        )
    )
    return blocks


# --- event ---------------------------------------------------------------------------------------


def _event(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    props: Raw = {"title": _get(a, "title"), "start": _get(a, "start")}
    for key in ("end", "place"):
        if _get(a, key):
            props[key] = _get(a, key)
    props["timezone"] = _get(a, "timezone") or "UTC"
    if _text(a, "description"):
        props["description"] = " ".join(_text(a, "description").split("\n"))
    blocks = [
        _b("title", "heading", text=_get(a, "title"), level=1),
        _b("when", "event", **props),
    ]
    if _get(a, "tickets_url"):
        blocks.append(_b("tickets", "button", label="Get tickets", url=_get(a, "tickets_url")))
    if _get(a, "place"):
        blocks.append(_b("where", "map", label=_get(a, "place"), address=_get(a, "place")))
    return blocks


# --- file kinds (uploaded media; their blocks come with the blocks lane) -------------------

_FILE_BLOCKS = {
    "pdf": ("file",),
    "images": ("gallery",),
    "video": ("video_file",),
    "mp3": ("audio",),
}


def _ids(a: Answers, name: str) -> list[str]:
    return [p for p in re.split(r"[\s,]+", str(a.get(name, "") or "")) if p]


def _file_page(
    block: Callable[[list[str], Answers], Raw],
) -> Callable[[Answers, Mapping[str, Any]], list[Raw]]:
    def build(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
        blocks = [_b("title", "heading", text=_get(a, "title"), level=1)]
        if _text(a, "description"):
            blocks.append(_b("about", "rich_text", **_para(_text(a, "description"))))
        blocks.append(block(_ids(a, "file"), a))
        return blocks

    return build


def _pdf_block(ids: list[str], _a: Answers) -> Raw:
    return _b("file", "file", asset_id=ids[0], label="Download the PDF")


def _gallery_block(ids: list[str], a: Answers) -> Raw:
    return _b(
        "file",
        "gallery",
        images=[
            {"id": f"i{n}", "asset_id": i, "alt": _get(a, "title")}
            for n, i in enumerate(ids[:24], 1)
        ],
    )


def _video_block(ids: list[str], a: Answers) -> Raw:
    return _b("file", "video_file", asset_id=ids[0], title=_get(a, "title"))


def _audio_block(ids: list[str], a: Answers) -> Raw:
    return _b("file", "audio", asset_id=ids[0], title=_get(a, "title"))


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
        _file_page(_pdf_block), {("title", ""): "title", ("file", ""): "file"},
    ),
    ContentKind(
        "images", "Images", "images", "A gallery of photos.", "link_in_bio",
        (_title(), _file("Images", "image", "JPEG, PNG or WebP photos."), _DESCRIPTION),
        _file_page(_gallery_block), {("title", ""): "title", ("file", ""): "file"},
    ),
    ContentKind(
        "video", "Video", "video", "A video that plays right on the phone.", "link_in_bio",
        (_title(), _file("Video file", "video", "An MP4 video."), _DESCRIPTION),
        _file_page(_video_block), {("title", ""): "title", ("file", ""): "file"},
    ),
    ContentKind(
        "mp3", "MP3", "music", "An audio file to listen to: a podcast, a tour, a song.",
        "link_in_bio", (_title(), _file("Audio file", "audio", "An MP3 file."), _DESCRIPTION),
        _file_page(_audio_block), {("title", ""): "title", ("file", ""): "file"},
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
        _menu,
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
        _business_card,
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
        _coupon,
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
        _product,
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
            *(Essential(n, f"{_NETWORK_LABELS[n]} (optional)", max_length=100,
                        help="Your handle or the profile's link")
              for n in _NETWORKS),
            Essential("website", "Website (optional)", "url", max_length=500),
        ),
        _social,
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
        _app,
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
        _event,
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
        (_get(answers, n) for n in ("title", "name", "restaurant", "offer") if _get(answers, n)), ""
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
