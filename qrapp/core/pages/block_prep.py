"""What some blocks need computed before their template partial (core.pages.render
assembles the page): the click targets and downloads a render hands out, a contact's
vCard, an event's calendar file and its "when", map and app-store links, opening hours,
lead forms, and the media blocks' pictures (core.pages.media_render).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from markupsafe import Markup

from qrapp.core import leads, routes
from qrapp.core.pages import blocks as B  # noqa: N812 - the block models, read as B.Xxx
from qrapp.core.pages import media_render
from qrapp.core.pages.colours import palette
from qrapp.core.pages.document import PageDocument
from qrapp.core.pages.lead_form import form_spec
from qrapp.core.pages.media import MediaRef
from qrapp.core.pages.sanitize import clean_rich_text
from qrapp.core.payloads import EventPayload, VCardPayload


class StoreUrls(TypedDict):
    """A click target that depends on the visitor's OS (the edge reads the user agent)."""

    ios: str
    android: str
    other: str


ClickTarget = str | StoreUrls


class Download(TypedDict):
    filename: str
    content_type: str
    body: str


DASH = "\u2013"  # en dash, for ranges of times


class Targets:
    """Collects click targets and downloads while blocks render; hands out their hrefs."""

    def __init__(self, slug: str) -> None:
        self.base = routes.PUBLIC_PAGE_PREFIX + quote(slug, safe="")
        self.clicks: dict[str, ClickTarget] = {}
        self.downloads: dict[str, Download] = {}
        self.forms: dict[str, leads.FormSpec] = {}

    def click(self, target_id: str, url: ClickTarget) -> str:
        self.clicks[target_id] = url
        return f"{self.base}/c/{target_id}"

    def download(self, block_id: str, file: Download) -> str:
        self.downloads[block_id] = file
        return f"{self.base}/d/{block_id}"

    def form(self, block_id: str, spec: leads.FormSpec) -> str:
        self.forms[block_id] = spec
        return f"{self.base}/f/{block_id}"


# --- what some blocks need computed before their partial --------------------------------


def _file_stem(text: str, fallback: str) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return stem or fallback


def _vcard(props: B.ContactProps) -> Download:
    first, _, last = props.name.rpartition(" ")
    card = VCardPayload.model_validate(
        {
            "first_name": first,
            "last_name": last,
            "formatted_name": props.name,
            "organization": props.org,
            "title": props.title,
            "mobile": props.phone,
            "email": props.email,
            "website": props.website,
            "street": props.address,
        }
    )
    return {
        "filename": _file_stem(props.name, "contact") + ".vcf",
        "content_type": "text/vcard; charset=utf-8",
        "body": card.encode(),
    }


def _utc(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.replace(tzinfo=ZoneInfo(zone)).astimezone(dt.UTC)


def _ics(props: B.EventProps, uid: str, now: dt.datetime) -> Download:
    # Times go out in UTC so no VTIMEZONE is needed; the QR engine's VEVENT gets the UID
    # and DTSTAMP a calendar file requires (RFC 5545 3.6.1).
    event = EventPayload.model_validate(
        {
            "summary": props.title,
            "start": _utc(props.start, props.timezone),
            "end": _utc(props.end, props.timezone) if props.end else None,
            "location": props.place,
            "description": props.description,
        }
    ).encode()
    stamp = f"DTSTAMP:{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}\r\n"
    event = event.replace("BEGIN:VEVENT\r\n", f"BEGIN:VEVENT\r\nUID:{uid}\r\n{stamp}", 1)
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//qrapp//Landing pages//EN\r\n"
        f"CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n{event}END:VCALENDAR\r\n"
    )
    return {
        "filename": _file_stem(props.title, "event") + ".ics",
        "content_type": "text/calendar; charset=utf-8",
        "body": body,
    }


def _when(props: B.EventProps) -> str:
    start, end = props.start, props.end
    text = f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}"
    if end is not None and end.date() == start.date():
        text += f"{DASH}{end:%H:%M}"
    elif end is not None:
        text += f" {DASH} {end:%A} {end.day} {end:%B %Y}, {end:%H:%M}"
    return text


def _map_targets(props: B.MapProps) -> ClickTarget:
    coords = f"{props.lat},{props.lng}" if props.lat is not None else ""
    query = props.address or props.label or coords
    apple = "https://maps.apple.com/?" + urlencode(
        {"ll": coords, "q": props.label or query} if coords else {"q": query}
    )
    google = "https://www.google.com/maps/search/?" + urlencode(
        {"api": "1", "query": coords or query}
    )
    if props.app == "apple":
        return apple
    if props.app == "google":
        return google
    return {"ios": apple, "android": google, "other": google}


def _store_targets(props: B.AppStoreProps) -> StoreUrls:
    ios, android, other = props.app_store_url, props.google_play_url, props.other_url
    return {
        "ios": ios or other or android,
        "android": android or other or ios,
        "other": other or ios or android,
    }


def _hours_rows(props: B.OpeningHoursProps) -> list[tuple[str, str]]:
    by_day = {d.day: d for d in props.days}
    rows = []
    for key, name in B.WEEKDAYS.items():
        day = by_day.get(key)  # type: ignore[call-overload]
        if day is None:
            continue
        text = ", ".join(f"{r.opens}{DASH}{r.closes}" for r in day.ranges) or "Closed"
        rows.append((name, text))
    return rows


@dataclass
class View:
    """What the page template needs besides the document."""

    doc: PageDocument
    targets: Targets
    now: dt.datetime
    slug: str
    media: Mapping[str, MediaRef] = field(default_factory=dict)
    heading_tags: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def prepare(view: View) -> None:
    first = True
    for block in view.doc.blocks:
        if isinstance(block, B.HeadingBlock):
            # One h1 per page, the first heading; later "level 1" headings step down to h2.
            level = 1 if first else max(2, block.props.level)
            view.heading_tags[block.id] = f"h{level}"
            first = False
        prepare = _PREPARE.get(block.type)
        if prepare is not None:
            view.extra[block.id] = prepare(block, view)


def _prep_rich_text(block: Any, view: View) -> Markup:
    count = 0

    def to_click(url: str) -> str:
        nonlocal count
        count += 1
        return view.targets.click(f"{block.id}-l{count}", url)

    # Cleaned again here although it was cleaned on save: a stored document may predate
    # today's allowlist, and the render is what visitors get.
    return Markup(clean_rich_text(block.props.html, rewrite_link=to_click))  # noqa: S704


def _prep_contact(block: Any, view: View) -> dict[str, str]:
    p: B.ContactProps = block.props
    t = view.targets
    links = {"save": t.download(block.id, _vcard(p))}
    if p.phone:
        links["phone"] = t.click(f"{block.id}-phone", "tel:" + p.phone)
    if p.email:
        links["email"] = t.click(f"{block.id}-email", "mailto:" + p.email)
    if p.website:
        links["web"] = t.click(f"{block.id}-web", p.website)
        links["web_text"] = (urlsplit(p.website).hostname or p.website).removeprefix("www.")
    return links


def _prep_event(block: Any, view: View) -> dict[str, str]:
    p: B.EventProps = block.props
    uid = f"{view.slug}-{block.id}@pages.qrapp"
    return {
        "save": view.targets.download(block.id, _ics(p, uid, view.now)),
        "when": _when(p),
        "datetime": _utc(p.start, p.timezone).strftime("%Y-%m-%dT%H:%MZ"),
        "zone": "" if p.timezone == "UTC" else p.timezone.replace("_", " "),
        "month": f"{p.start:%b}",
        "day": str(p.start.day),
    }


_INPUT_TYPES = {"text": "text", "email": "email", "phone": "tel", "number": "text", "date": "date"}
_AUTOCOMPLETE = {"name": "name", "email": "email", "phone": "tel"}


def _prep_lead_form(block: Any, view: View) -> dict[str, Any]:
    spec = form_spec(block.props, palette(view.doc.settings.theme))
    return {
        "action": view.targets.form(block.id, spec),
        "fields": spec["fields"],
        # The edge writes a signed "served at" token over this for every view.
        "token": leads.TOKEN_PLACEHOLDER,
        "token_field": leads.TOKEN_FIELD,
        "honeypot": leads.HONEYPOT_FIELD,
        "consent_field": leads.CONSENT_FIELD,
        "input_types": _INPUT_TYPES,
        "autocomplete": _AUTOCOMPLETE,
        "max": leads.MAX_LENGTH,
    }


_PREPARE: dict[str, Callable[[Any, View], Any]] = {
    "lead_form": _prep_lead_form,
    "rich_text": _prep_rich_text,
    "contact": _prep_contact,
    "event": _prep_event,
    "map": lambda b, v: v.targets.click(b.id, _map_targets(b.props)),
    "app_store": lambda b, v: {
        "main": v.targets.click(b.id, _store_targets(b.props)),
        "ios": v.targets.click(f"{b.id}-ios", b.props.app_store_url)
        if b.props.app_store_url
        else "",
        "android": v.targets.click(f"{b.id}-android", b.props.google_play_url)
        if b.props.google_play_url
        else "",
    },
    "opening_hours": lambda b, v: _hours_rows(b.props),
    **media_render.PREPARE,
}
