"""Landing-page blocks: one pydantic model per block type and the REGISTRY of them.

A block is stored as `{"id": "k3x9p2", "type": "button", "props": {...}}`. Adding a block
type = one props model and one `BlockType` entry here, plus its template partial
`templates/blocks/<key>.html` (and a download builder in render.py if it offers a file).
Every text prop is plain text (the templates escape it); only rich text carries HTML, and
that goes through the allowlist sanitizer here (on save) and again when rendering.

Long by design: this is the one place a block type is added (issue 10), fourteen models
and their registry entries.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from qrapp.core.pages import sanitize
from qrapp.core.pages.lead_form import LeadFormProps
from qrapp.core.payloads import validators

ID_PATTERN = r"^[A-Za-z0-9_]{1,24}$"
BlockId = Annotated[str, Field(pattern=ID_PATTERN, title="Id")]


def _text(label: str, max_length: int = 200, *, required: bool = False, default: str = "") -> Any:
    if required:
        return Field(title=label, min_length=1, max_length=max_length)
    return Field(default=default, title=label, max_length=max_length)


def _check_link(value: str) -> str:
    problem = sanitize.link_error(value)
    if problem is not None:
        raise ValueError(problem)
    link = sanitize.safe_link(value)
    assert link is not None  # link_error said it is fine
    return link


def _optional_link(value: str) -> str:
    return _check_link(value) if value.strip() else ""


def _check_https(value: str) -> str:
    link = _check_link(value)
    if not link.lower().startswith("https://"):
        raise ValueError("Use an https:// address.")
    return link


class Props(BaseModel):
    """Base of every props model: unknown fields refused, text trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- heading, text, media -------------------------------------------------------------


class HeadingProps(Props):
    text: str = _text("Text", 200, required=True)
    level: Literal[1, 2, 3] = Field(default=2, title="Level")
    align: Literal["left", "center", "right"] = Field(default="center", title="Alignment")
    # "boxed": a dashed ticket-like frame, for a coupon code or a price.
    style: Literal["plain", "boxed"] = Field(default="plain", title="Style")


class RichTextProps(Props):
    html: str = _text("Text", 20_000, default="<p></p>")
    align: Literal["left", "center", "right"] = Field(default="left", title="Alignment")

    @field_validator("html")
    @classmethod
    def _clean(cls, value: str) -> str:
        return sanitize.clean_rich_text(value)


class ImageProps(Props):
    src: str = Field(title="Image address", max_length=2000)
    alt: str = _text("Alternative text", 300, required=True)
    link: str = Field(default="", title="Link", max_length=2000)
    shape: Literal["square", "rounded", "circle"] = Field(default="rounded", title="Shape")
    size: Literal["small", "medium", "full"] = Field(default="full", title="Size")

    _src = field_validator("src")(lambda cls, v: _check_https(v))
    _link = field_validator("link")(lambda cls, v: _optional_link(v))


class ButtonProps(Props):
    label: str = _text("Label", 80, required=True)
    url: str = Field(title="Link", max_length=2000)
    style: Literal["filled", "outline", "soft"] = Field(default="filled", title="Style")

    _url = field_validator("url")(lambda cls, v: _check_link(v))


class LinkItem(Props):
    id: BlockId
    label: str = _text("Label", 80, required=True)
    url: str = Field(title="Link", max_length=2000)

    _url = field_validator("url")(lambda cls, v: _check_link(v))


def _unique_ids(items: list[Any]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"Two items share the id {item.id}.")
        seen.add(item.id)


class LinkListProps(Props):
    items: list[LinkItem] = Field(default_factory=list, title="Links", max_length=50)

    @model_validator(mode="after")
    def _ids(self) -> "LinkListProps":
        _unique_ids(self.items)
        return self


NETWORKS: dict[str, str] = {
    "instagram": "Instagram",
    "facebook": "Facebook",
    "x": "X",
    "linkedin": "LinkedIn",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "github": "GitHub",
    "mastodon": "Mastodon",
    "threads": "Threads",
    "pinterest": "Pinterest",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "email": "E-mail",
    "website": "Website",
}
Network = Literal[
    "instagram", "facebook", "x", "linkedin", "youtube", "tiktok", "github", "mastodon",
    "threads", "pinterest", "whatsapp", "telegram", "email", "website",
]  # fmt: skip

# Where a bare handle lives on each network ("{}" is the handle without its @).
_HANDLE_URLS = {
    "instagram": "https://www.instagram.com/{}",
    "facebook": "https://www.facebook.com/{}",
    "x": "https://x.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}",
    "youtube": "https://www.youtube.com/@{}",
    "tiktok": "https://www.tiktok.com/@{}",
    "github": "https://github.com/{}",
    "threads": "https://www.threads.net/@{}",
    "pinterest": "https://www.pinterest.com/{}",
    "telegram": "https://t.me/{}",
}
_HANDLE = re.compile(r"^@?[A-Za-z0-9_.\-]{1,64}$")
_MASTODON = re.compile(r"^@?([A-Za-z0-9_]{1,64})@([A-Za-z0-9.\-]+\.[A-Za-z]{2,})$")
_EMAIL = re.compile(r"^[^@\s<>\"/:]+@[^@\s<>\"/:]+\.[^@\s<>\"/:]+$")


def social_url(network: str, url: str, handle: str) -> str:
    """The address a social icon opens: its URL, else one built from the handle."""
    if url:
        return url
    handle = handle.strip()
    if network == "email":
        return "mailto:" + handle
    if network == "whatsapp":
        return "https://wa.me/" + validators.e164(handle)[1:]
    if network == "mastodon":
        match = _MASTODON.match(handle)
        assert match is not None
        return f"https://{match.group(2)}/@{match.group(1)}"
    return _HANDLE_URLS[network].format(handle.lstrip("@"))


class SocialItem(Props):
    id: BlockId
    network: Network = Field(title="Network")
    url: str = Field(default="", title="Link", max_length=2000)
    handle: str = _text("Handle", 100)

    _url = field_validator("url")(lambda cls, v: _optional_link(v))

    @model_validator(mode="after")
    def _target(self) -> "SocialItem":
        if self.url or not self.handle:
            if not self.url:
                raise ValueError(f"Give a link or a handle for {NETWORKS[self.network]}.")
            return self
        net, handle = self.network, self.handle
        if net == "email" and not _EMAIL.match(handle):
            raise ValueError("Write the e-mail address as name@example.com.")
        if net == "whatsapp":
            validators.e164(handle)  # its ValueError says how to write the number
        if net == "mastodon" and not _MASTODON.match(handle):
            raise ValueError("Write a Mastodon handle as @name@server.social.")
        if net == "website":
            raise ValueError("Give the website's link.")
        if net in _HANDLE_URLS and not _HANDLE.match(handle):
            raise ValueError("A handle has letters, digits, dots, dashes and underscores only.")
        return self

    @property
    def href(self) -> str:
        return social_url(self.network, self.url, self.handle)


class SocialIconsProps(Props):
    items: list[SocialItem] = Field(default_factory=list, title="Profiles", max_length=20)

    @model_validator(mode="after")
    def _ids(self) -> "SocialIconsProps":
        _unique_ids(self.items)
        return self


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


def parse_video(url: str) -> tuple[str, str] | None:
    """(provider, video id) of a YouTube or Vimeo link, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    candidate = ""
    if host == "youtu.be" and path:
        candidate = path[0]
    elif host in ("youtube.com", "youtube-nocookie.com", "music.youtube.com"):
        if path[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            candidate = path[1]
        if _YOUTUBE_ID.match(candidate):
            return "youtube", candidate
        return None
    elif host in ("vimeo.com", "player.vimeo.com"):
        numbers = [p for p in path if p.isdigit()]
        return ("vimeo", numbers[0]) if numbers else None
    return ("youtube", candidate) if _YOUTUBE_ID.match(candidate) else None


def video_url(provider: str, video_id: str) -> str:
    if provider == "youtube":
        return f"https://www.youtube.com/watch?v={video_id}"
    return f"https://vimeo.com/{video_id}"


class VideoProps(Props):
    url: str = Field(title="Video link", max_length=500)
    title: str = _text("Title", 120, default="Watch the video")

    @field_validator("url")
    @classmethod
    def _video(cls, value: str) -> str:
        parsed = parse_video(value)
        if parsed is None:
            raise ValueError("Paste a YouTube or Vimeo video link.")
        # Stored canonical: the poster links there and nothing else is ever loaded.
        return video_url(*parsed)


class DividerProps(Props):
    style: Literal["line", "dots", "space"] = Field(default="line", title="Style")


class SpacerProps(Props):
    size: Literal["small", "medium", "large"] = Field(default="medium", title="Size")


# --- contact, hours, place, event, apps ---------------------------------------------------


class ContactProps(Props):
    name: str = _text("Name", 100, required=True)
    title: str = _text("Job title", 100)
    org: str = _text("Company", 100)
    phone: str = _text("Phone", 40)
    email: str = _text("E-mail", 254)
    website: str = Field(default="", title="Website", max_length=500)
    address: str = _text("Address", 300)
    button_label: str = _text("Button label", 40, default="Save contact")

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return validators.e164(value) if value else ""

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not _EMAIL.match(value):
            raise ValueError("Write the e-mail address as name@example.com.")
        return value

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        return validators.optional_web_url(value)


WEEKDAYS: dict[str, str] = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", title="Time (HH:MM)")]


class TimeRange(Props):
    opens: Clock
    closes: Clock

    @model_validator(mode="after")
    def _not_empty(self) -> "TimeRange":
        # closes < opens is allowed: it means past midnight (18:00-02:00).
        if self.opens == self.closes:
            raise ValueError("Opening and closing time are the same.")
        return self


class DayHours(Props):
    day: Weekday = Field(title="Day")
    ranges: list[TimeRange] = Field(default_factory=list, title="Hours", max_length=4)


class OpeningHoursProps(Props):
    title: str = _text("Title", 80, default="Opening hours")
    days: list[DayHours] = Field(default_factory=list, title="Days", max_length=7)
    note: str = _text("Note", 300)

    @model_validator(mode="after")
    def _once_per_day(self) -> "OpeningHoursProps":
        seen = [d.day for d in self.days]
        for day in WEEKDAYS:
            if seen.count(day) > 1:  # type: ignore[arg-type]
                raise ValueError(f"{WEEKDAYS[day]} is listed twice.")
        return self


class MapProps(Props):
    label: str = _text("Place name", 100)
    address: str = _text("Address", 300)
    lat: float | None = Field(default=None, title="Latitude", ge=-90, le=90)
    lng: float | None = Field(default=None, title="Longitude", ge=-180, le=180)
    # No geo: links: the edge redirects clicks only to http/https/mailto/tel, and Google
    # Maps links open the maps app on Android anyway.
    app: Literal["auto", "apple", "google"] = Field(default="auto", title="Maps app")

    @model_validator(mode="after")
    def _somewhere(self) -> "MapProps":
        if (self.lat is None) != (self.lng is None):
            raise ValueError("Give both latitude and longitude, or neither.")
        if not self.address and self.lat is None:
            raise ValueError("Give an address or coordinates.")
        return self


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("Unknown time zone, e.g. Europe/Stockholm.") from None
    return value


class EventProps(Props):
    title: str = _text("Title", 200, required=True)
    start: dt.datetime = Field(title="Starts")
    end: dt.datetime | None = Field(default=None, title="Ends")
    timezone: str = Field(default="UTC", title="Time zone", max_length=64)
    place: str = _text("Place", 300)
    description: str = _text("Description", 1000)
    button_label: str = _text("Button label", 40, default="Add to calendar")

    _tz = field_validator("timezone")(lambda cls, v: _zone(v))

    @field_validator("start", "end")
    @classmethod
    def _wall_clock(cls, value: dt.datetime | None) -> dt.datetime | None:
        # Times are wall-clock times in `timezone`; an offset would contradict it.
        if value is not None and value.tzinfo is not None:
            raise ValueError("Give the local time without an offset; set the time zone.")
        return value.replace(second=0, microsecond=0) if value is not None else None

    @model_validator(mode="after")
    def _order(self) -> "EventProps":
        if self.end is not None and self.end <= self.start:
            raise ValueError("The event must end after it starts.")
        return self


def _store_url(value: str, hosts: tuple[str, ...], store: str) -> str:
    if not value:
        return ""
    link = _check_https(value)
    host = (urlsplit(link).hostname or "").lower()
    if host not in hosts:
        raise ValueError(f"Use the app's {store} link ({hosts[0]}).")
    return link


class AppStoreProps(Props):
    label: str = _text("Button label", 60, default="Get the app")
    app_store_url: str = Field(default="", title="App Store link", max_length=500)
    google_play_url: str = Field(default="", title="Google Play link", max_length=500)
    other_url: str = Field(default="", title="Other devices link", max_length=500)

    @field_validator("app_store_url")
    @classmethod
    def _ios(cls, value: str) -> str:
        return _store_url(value, ("apps.apple.com", "itunes.apple.com"), "App Store")

    @field_validator("google_play_url")
    @classmethod
    def _android(cls, value: str) -> str:
        return _store_url(value, ("play.google.com",), "Google Play")

    _other = field_validator("other_url")(lambda cls, v: _optional_link(v))

    @model_validator(mode="after")
    def _one(self) -> "AppStoreProps":
        if not (self.app_store_url or self.google_play_url or self.other_url):
            raise ValueError("Give at least one store link.")
        return self


# --- the registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class BlockType:
    key: str
    title: str
    description: str
    icon: str  # a lucide icon name, for the builder's palette
    props_model: type[BaseModel]  # Props, or lead_form's look-alike
    example: Callable[[], dict[str, Any]]

    def default_props(self) -> dict[str, Any]:
        """Valid props a new block of this type starts with."""
        return self.props_model.model_validate(self.example()).model_dump(mode="json")


def _hours() -> dict[str, Any]:
    week = [{"day": d, "ranges": [{"opens": "09:00", "closes": "17:00"}]} for d in WEEKDAYS]
    return {"days": [*week[:5], {"day": "sat", "ranges": []}, {"day": "sun", "ranges": []}]}


_TYPES = [
    BlockType("heading", "Heading", "A title or section heading.", "heading",
              HeadingProps, lambda: {"text": "Heading"}),
    BlockType("rich_text", "Text", "Paragraphs with bold, italic, links and lists.", "text",
              RichTextProps, lambda: {"html": "<p>Write something here.</p>"}),
    BlockType("image", "Image", "A picture, optionally linked.", "image",
              ImageProps, lambda: {"src": "https://images.example.com/photo.jpg",
                                   "alt": "Describe the picture"}),
    BlockType("button", "Button", "A link styled as a button.", "mouse-pointer-click",
              ButtonProps, lambda: {"label": "Visit our website", "url": "https://example.com"}),
    BlockType("link_list", "Link list", "A stack of links, as on a link-in-bio page.", "list",
              LinkListProps, lambda: {"items": [
                  {"id": "l1", "label": "Our website", "url": "https://example.com"}]}),
    BlockType("social_icons", "Social icons", "Round icons linking to your profiles.",
              "share-2", SocialIconsProps, lambda: {"items": [
                  {"id": "s1", "network": "instagram", "handle": "example"}]}),
    BlockType("video", "Video", "A YouTube or Vimeo video, loaded only when tapped.",
              "circle-play", VideoProps,
              lambda: {"url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ"}),
    BlockType("divider", "Divider", "A line between sections.", "minus", DividerProps, dict),
    BlockType("spacer", "Spacer", "Empty space between blocks.", "move-vertical",
              SpacerProps, dict),
    BlockType("contact", "Contact card", "Name, phone, e-mail and a Save contact button.",
              "contact", ContactProps, lambda: {"name": "Your name"}),
    BlockType("opening_hours", "Opening hours", "When you are open, day by day.", "clock",
              OpeningHoursProps, _hours),
    BlockType("map", "Map", "An address that opens in the visitor's maps app.", "map-pin",
              MapProps, lambda: {"address": "1 Main Street, Springfield"}),
    BlockType("event", "Event", "Date, place and an Add to calendar button.", "calendar",
              EventProps, lambda: {"title": "Our event", "start": "2027-01-15T18:00",
                                   "end": "2027-01-15T21:00"}),
    BlockType("app_store", "App buttons", "App Store and Google Play, chosen by the phone.",
              "smartphone", AppStoreProps,
              lambda: {"app_store_url": "https://apps.apple.com/app/id123456789",
                       "google_play_url": "https://play.google.com/store/apps/details?id=com.example"}),
]  # fmt: skip

_TYPES.append(BlockType("lead_form", "Lead form", "A contact form; leads arrive in the app.",
                        "inbox", LeadFormProps, lambda: {"title": "Get in touch"}))  # fmt: skip
REGISTRY: dict[str, BlockType] = {t.key: t for t in _TYPES}


# --- block models: the discriminated union a document's blocks validate against -----------


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: BlockId


class HeadingBlock(_Block):
    type: Literal["heading"]
    props: HeadingProps


class RichTextBlock(_Block):
    type: Literal["rich_text"]
    props: RichTextProps


class ImageBlock(_Block):
    type: Literal["image"]
    props: ImageProps


class ButtonBlock(_Block):
    type: Literal["button"]
    props: ButtonProps


class LinkListBlock(_Block):
    type: Literal["link_list"]
    props: LinkListProps


class SocialIconsBlock(_Block):
    type: Literal["social_icons"]
    props: SocialIconsProps


class VideoBlock(_Block):
    type: Literal["video"]
    props: VideoProps


class DividerBlock(_Block):
    type: Literal["divider"]
    props: DividerProps


class SpacerBlock(_Block):
    type: Literal["spacer"]
    props: SpacerProps


class ContactBlock(_Block):
    type: Literal["contact"]
    props: ContactProps


class OpeningHoursBlock(_Block):
    type: Literal["opening_hours"]
    props: OpeningHoursProps


class MapBlock(_Block):
    type: Literal["map"]
    props: MapProps


class EventBlock(_Block):
    type: Literal["event"]
    props: EventProps


class AppStoreBlock(_Block):
    type: Literal["app_store"]
    props: AppStoreProps


class LeadFormBlock(_Block):
    type: Literal["lead_form"]
    props: LeadFormProps


Block = Annotated[
    HeadingBlock | RichTextBlock | ImageBlock | ButtonBlock | LinkListBlock | SocialIconsBlock
    | VideoBlock | DividerBlock | SpacerBlock | ContactBlock | OpeningHoursBlock | MapBlock
    | EventBlock | AppStoreBlock | LeadFormBlock,
    Field(discriminator="type"),
]  # fmt: skip
