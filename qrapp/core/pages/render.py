"""A page document rendered to what the edge serves: HTML, its CSP, an ETag, the click
targets and the downloads. Runs at publish time (and for the builder's preview); the edge
imports none of this, it serves the stored result.

    page = render_page(doc, slug="spring-sale")
    page.html       complete HTML document, one inline <style>, no script
    page.csp        Content-Security-Policy header value for it
    page.etag       '"<hash>"' of html + csp
    page.clicks     {"b1": "https://...", "b7": {"ios": ..., "android": ..., "other": ...}}
    page.downloads  {"b4": {"filename": "ann-lee.vcf", "content_type": ..., "body": ...}}
    page.forms      {"b9": FormSpec}: each lead form's fields, for the edge to check posts

Every link in the HTML is `/p/<slug>/c/<target>` (the edge counts it, then 302s) and
every file `/p/<slug>/d/<block-id>`, so the HTML itself holds no outside link but images.
"""

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from qrapp.core import leads, routes
from qrapp.core.pages import blocks as B  # noqa: N812 - the block models, read as B.Xxx
from qrapp.core.pages.colours import palette
from qrapp.core.pages.document import FONTS, PageDocument
from qrapp.core.pages.icons import svg
from qrapp.core.pages.lead_form import form_spec
from qrapp.core.pages.sanitize import clean_rich_text, safe_image_url
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


@dataclass(frozen=True)
class RenderedPage:
    html: str
    csp: str
    etag: str
    clicks: dict[str, ClickTarget] = field(default_factory=dict)
    downloads: dict[str, Download] = field(default_factory=dict)
    forms: dict[str, leads.FormSpec] = field(default_factory=dict)


_env = Environment(
    loader=PackageLoader("qrapp.core.pages", "templates"),
    # .css is not HTML: its values are validated colours and fixed font stacks.
    autoescape=select_autoescape(
        enabled_extensions=("html",), disabled_extensions=("css",), default=True
    ),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)

DASH = "\u2013"  # en dash, for ranges of times
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


class _Targets:
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
class _View:
    """What the page template needs besides the document."""

    doc: PageDocument
    targets: _Targets
    now: dt.datetime
    slug: str
    heading_tags: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def _prepare(view: _View) -> None:
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


def _prep_rich_text(block: Any, view: _View) -> Markup:
    count = 0

    def to_click(url: str) -> str:
        nonlocal count
        count += 1
        return view.targets.click(f"{block.id}-l{count}", url)

    # Cleaned again here although it was cleaned on save: a stored document may predate
    # today's allowlist, and the render is what visitors get.
    return Markup(clean_rich_text(block.props.html, rewrite_link=to_click))  # noqa: S704


def _prep_contact(block: Any, view: _View) -> dict[str, str]:
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


def _prep_event(block: Any, view: _View) -> dict[str, str]:
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


def _prep_lead_form(block: Any, view: _View) -> dict[str, Any]:
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


_PREPARE: dict[str, Callable[[Any, _View], Any]] = {
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
}


# --- the page ----------------------------------------------------------------------------


def _image_hosts(doc: PageDocument) -> list[str]:
    hosts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, B.ImageBlock):
            src = safe_image_url(block.props.src)
            if src is not None:
                origin = "https://" + (urlsplit(src).netloc or "").lower()
                if origin not in hosts:
                    hosts.append(origin)
    return hosts


def _csp(style_hash: str, hosts: list[str], *, for_meta: bool = False) -> str:
    parts = ["default-src 'none'", f"style-src '{style_hash}'"]
    if hosts:
        parts.append("img-src " + " ".join(hosts))
    parts += ["form-action 'self'", "base-uri 'none'"]
    if not for_meta:
        parts.append("frame-ancestors 'none'")  # ignored (with a warning) in a meta tag
    return "; ".join(parts)


def _css(doc: PageDocument) -> str:
    theme = doc.settings.theme
    colours = palette(theme)
    return _env.get_template("page.css").render(
        c=colours, font=FONTS[theme.font][1], button=theme.button_style
    )


def _render(doc: PageDocument, slug: str, now: dt.datetime) -> RenderedPage:
    if not _SLUG.match(slug):
        raise ValueError(f"not a page slug: {slug!r}")
    targets = _Targets(slug)
    view = _View(doc=doc, targets=targets, now=now, slug=slug)
    _prepare(view)
    css = _css(doc)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    style_hash = "sha256-" + digest
    hosts = _image_hosts(doc)
    html = _env.get_template("page.html").render(
        doc=doc,
        s=doc.settings,
        blocks=doc.blocks,
        css=Markup(css),  # noqa: S704 - built from validated colours and fixed stacks
        meta_csp=_csp(style_hash, hosts, for_meta=True),
        heading_tags=view.heading_tags,
        extra=view.extra,
        click=targets.click,
        icon=lambda name, size=24: Markup(svg(name, size)),  # noqa: S704 - fixed markup
        networks=B.NETWORKS,
        has_h1=bool(view.heading_tags),
    )
    csp = _csp(style_hash, hosts)
    etag = '"' + hashlib.sha256((html + "\n" + csp).encode()).hexdigest()[:32] + '"'
    return RenderedPage(
        html=html,
        csp=csp,
        etag=etag,
        clicks=targets.clicks,
        downloads=targets.downloads,
        forms=targets.forms,
    )


def render_page(doc: PageDocument, *, slug: str, now: dt.datetime | None = None) -> RenderedPage:
    """The page as published at `/p/<slug>`; `now` stamps calendar files (default: now)."""
    return _render(doc, slug, now or dt.datetime.now(dt.UTC))


def render_preview(doc: PageDocument) -> str:
    """The same HTML for the builder's preview (an iframe's srcdoc; sandbox it)."""
    return _render(doc, "preview", dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).html
