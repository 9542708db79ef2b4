"""The blocks each content kind makes from its answers (core.pages.content_kinds holds
the kinds, their short forms and the document assembly): one builder per kind, taking
the answers (and the media known by id) and returning raw blocks to validate.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Mapping
from typing import Any

from qrapp.core.pages.content_blocks import decimals

Raw = dict[str, Any]
Answers = Mapping[str, str]


class EssentialsError(ValueError):
    """The answers cannot make a page; `errors` maps form fields to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def _b(block_id: str, type_key: str, **props: Any) -> Raw:
    return {"id": block_id, "type": type_key, "props": props}


def _para(text: str, align: str = "center") -> Raw:
    """Plain text as rich text: escaped, line breaks kept."""
    body = "<br>".join(html.escape(line) for line in text.strip().splitlines() if line.strip())
    return {"html": f"<p>{body}</p>", "align": align}


def line_of(a: Answers, name: str) -> str:
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


def menu_page(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    dishes = menu_items(_text(a, "items"))
    if not dishes:
        raise EssentialsError({"items": "List at least one dish, one per line."})
    currency = line_of(a, "currency") or "EUR"
    items = []
    for n, (name, price, about) in enumerate(dishes, 1):
        item: Raw = {"id": f"i{n}", "name": name[:120], "description": about[:300]}
        if price:
            try:
                item["price"] = to_minor(price, currency)
            except ValueError:
                raise EssentialsError({"items": f"Line {n}: “{price}” is not a price."}) from None
        items.append(item)
    blocks = [_b("name", "heading", text=line_of(a, "restaurant"), level=1)]
    if _text(a, "intro"):
        blocks.append(_b("intro", "rich_text", **_para(_text(a, "intro"))))
    section = {"id": "s1", "title": line_of(a, "section"), "items": items}
    blocks.append(_b("menu", "menu", currency=currency, sections=[section]))
    if line_of(a, "phone"):
        phone = _tel(line_of(a, "phone"))
        blocks.append(_b("book", "button", label="Call to book a table", url=phone))
    return blocks


def _tel(phone: str) -> str:
    return "tel:" + re.sub(r"[^\d+]", "", phone)


# --- business card -------------------------------------------------------------------------


def business_card_page(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    contact = {
        k: line_of(a, k) for k in ("name", "title", "org", "phone", "email", "website", "address")
    }
    blocks = [_b("card", "contact", **{k: v for k, v in contact.items() if v})]
    if _text(a, "about"):
        blocks.append(_b("about", "rich_text", **_para(_text(a, "about"))))
    return blocks


# --- coupon ----------------------------------------------------------------------------------


def coupon_page(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    code = line_of(a, "code")
    if re.search(r"[\s<>\"'`]", code):
        raise EssentialsError({"code": "Use letters and digits without spaces, e.g. SPRING20."})
    props: Raw = {"title": line_of(a, "offer"), "code": code, "terms": _text(a, "terms")}
    if line_of(a, "expires"):
        try:
            props["expires"] = dt.date.fromisoformat(line_of(a, "expires")).isoformat()
        except ValueError:
            raise EssentialsError({"expires": "Give the date as YYYY-MM-DD."}) from None
    blocks = [
        _b("how", "rich_text", **_para("Show this page at the counter, or use the code online.")),
        _b("coupon", "coupon", **props),
    ]
    if line_of(a, "link"):
        blocks.append(_b("order", "button", label="Use it online", url=line_of(a, "link")))
    return blocks


# --- product ---------------------------------------------------------------------------------


def product_page(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    currency = line_of(a, "currency") or "EUR"
    try:
        price = to_minor(line_of(a, "price"), currency)
    except ValueError:
        raise EssentialsError(
            {"price": "Write the price as a number, e.g. 199 or 24.50."}
        ) from None
    props: Raw = {
        "name": line_of(a, "name"),
        "description": _text(a, "description").replace("\n", " "),
        "price": price,
        "currency": currency,
        "buy_url": line_of(a, "buy_url"),
    }
    return [_b("product", "product", **props)]


# --- social profiles (link in bio) --------------------------------------------------------------

NETWORKS = ("instagram", "tiktok", "facebook", "linkedin", "youtube", "x")


def social_page(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    items = [
        {"id": net, "network": net, **_handle_or_url(line_of(a, net))}
        for net in NETWORKS
        if line_of(a, net)
    ]
    if line_of(a, "website"):
        items.append({"id": "website", "network": "website", "url": line_of(a, "website")})
    blocks = [_b("name", "heading", text=line_of(a, "name"), level=1)]
    if _text(a, "bio"):
        blocks.append(_b("bio", "rich_text", **_para(_text(a, "bio"))))
    blocks.append(_b("social", "social_icons", items=items))
    return blocks


NETWORK_LABELS = {
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


def app_page(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    blocks = [_b("name", "heading", text=line_of(a, "name"), level=1)]
    if _text(a, "tagline"):
        blocks.append(_b("tagline", "rich_text", **_para(_text(a, "tagline"))))
    blocks.append(
        _b(
            "get",
            "app_store",
            label="Get the app",
            app_store_url=line_of(a, "app_store_url"),
            google_play_url=line_of(a, "google_play_url"),
            other_url=line_of(a, "web_url"),
        )
    )
    return blocks


# --- event ---------------------------------------------------------------------------------------


def event_page(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
    props: Raw = {"title": line_of(a, "title"), "start": line_of(a, "start")}
    for key in ("end", "place"):
        if line_of(a, key):
            props[key] = line_of(a, key)
    props["timezone"] = line_of(a, "timezone") or "UTC"
    if _text(a, "description"):
        props["description"] = " ".join(_text(a, "description").split("\n"))
    blocks = [
        _b("title", "heading", text=line_of(a, "title"), level=1),
        _b("when", "event", **props),
    ]
    if line_of(a, "tickets_url"):
        blocks.append(_b("tickets", "button", label="Get tickets", url=line_of(a, "tickets_url")))
    if line_of(a, "place"):
        blocks.append(_b("where", "map", label=line_of(a, "place"), address=line_of(a, "place")))
    return blocks


# --- file kinds (uploaded media; their blocks come with the blocks lane) -------------------

FILE_BLOCKS = {
    "pdf": ("file",),
    "images": ("gallery",),
    "video": ("video_file",),
    "mp3": ("audio",),
}


def _ids(a: Answers, name: str) -> list[str]:
    return [p for p in re.split(r"[\s,]+", str(a.get(name, "") or "")) if p]


def file_page(
    block: Callable[[list[str], Answers], Raw],
) -> Callable[[Answers, Mapping[str, Any]], list[Raw]]:
    def build(a: Answers, _m: Mapping[str, Any]) -> list[Raw]:
        blocks = [_b("title", "heading", text=line_of(a, "title"), level=1)]
        if _text(a, "description"):
            blocks.append(_b("about", "rich_text", **_para(_text(a, "description"))))
        blocks.append(block(_ids(a, "file"), a))
        return blocks

    return build


def pdf_block(ids: list[str], _a: Answers) -> Raw:
    return _b("file", "file", asset_id=ids[0], label="Download the PDF")


def gallery_block(ids: list[str], a: Answers) -> Raw:
    return _b(
        "file",
        "gallery",
        images=[
            {"id": f"i{n}", "asset_id": i, "alt": line_of(a, "title")}
            for n, i in enumerate(ids[:24], 1)
        ],
    )


def video_block(ids: list[str], a: Answers) -> Raw:
    return _b("file", "video_file", asset_id=ids[0], title=line_of(a, "title"))


def audio_block(ids: list[str], a: Answers) -> Raw:
    return _b("file", "audio", asset_id=ids[0], title=line_of(a, "title"))
