"""The QR designer: content form, design panel, live preview with a scannability verdict,
and saving. Used to create a code (/codes/new) and to edit one (/codes/[id]/edit).

Rendering happens on the server in a thread; a sequence number drops previews that a
newer change has already overtaken.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import uuid
from typing import Any, TypedDict

import reflex as rx

from qrapp.core.payloads import PayloadError, fields, parse, type_list
from qrapp.core.permissions import Permission
from qrapp.core.render import PRESETS, render
from qrapp.core.shortcodes import DEFAULT_LENGTH
from qrapp.services.codes import design_templates, logos, qrcodes
from qrapp.services.errors import FieldErrors, NotSignedIn, ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, code_id_from_path, load_actor, query_param
from qrapp.state.designer_checks import (
    COLOUR_KEYS,
    OPTIONAL_COLOURS,
    caption_problem,
    content_key,
    drawable_caption,
    is_colour,
)
from qrapp.state.previews import preview

log = logging.getLogger(__name__)

PREVIEW_SIZE = 360
DYNAMIC = "dynamic"  # the type grid's "dynamic URL" entry
_BOOL_KINDS = {"bool"}
VIEWER_REASON = "Viewers can't change codes — ask an owner or admin."
_SLIDERS = {"gradient_angle": (0, 360), "logo_size": (0.08, 0.3), "quiet_zone": (0, 10)}
# Fields whose errors wait until the person leaves them (or presses Save).
_SETTINGS_FIELDS = {"name", "destination", "alias", "tags"}

_DESIGN_DEFAULTS: dict[str, Any] = {
    "foreground": "#000000",
    "background": "#ffffff",
    "transparent": False,
    "gradient_on": False,
    "gradient_kind": "linear",
    "gradient_color": "#4f46e5",
    "gradient_angle": 45,
    "modules": "square",
    "eye_frame": "square",
    "eye_ball": "square",
    "eye_frame_color": "",
    "eye_ball_color": "",
    "logo_size": 0.22,
    "logo_shape": "square",
    "quiet_zone": 4,
    "error_correction": "M",
    "frame_style": "none",
    "frame_text": "SCAN ME",
    "frame_color": "#000000",
    "frame_text_color": "#ffffff",
}


class FieldView(TypedDict):
    name: str
    label: str
    kind: str
    required: bool
    help: str
    choices: list[str]


class TemplateCard(TypedDict):
    id: str
    name: str
    src: str
    is_default: bool


class TypeCard(TypedDict):
    key: str
    label: str
    icon: str
    blurb: str


_ICONS = {
    DYNAMIC: ("link", "A short link you can re-point after printing, with scan analytics."),
    "url": ("globe", "Opens a web page. The address is printed in the code."),
    "text": ("text", "Shows a short text."),
    "email": ("mail", "Writes an e-mail with subject and body filled in."),
    "sms": ("message-square", "Writes a text message."),
    "phone": ("phone", "Calls a number."),
    "vcard": ("contact", "Saves a contact card."),
    "mecard": ("id-card", "A compact contact card."),
    "wifi": ("wifi", "Joins a Wi-Fi network without typing the password."),
    "geo": ("map-pin", "Opens a place on the map."),
    "event": ("calendar", "Adds an event to the calendar."),
    "swish": ("smartphone", "A Swish payment with payee, amount and message."),
    "epc": ("landmark", "A SEPA credit transfer (GiroCode) for banking apps."),
}

TYPE_CARDS: list[TypeCard] = [
    TypeCard(key=DYNAMIC, label="Dynamic URL", icon=_ICONS[DYNAMIC][0], blurb=_ICONS[DYNAMIC][1])
] + [
    TypeCard(
        key=key,
        label=label,
        icon=_ICONS.get(key, ("qr-code", ""))[0],
        blurb=_ICONS.get(key, ("", ""))[1],
    )
    for key, label in type_list()
]
_TYPE_KEYS = {card["key"] for card in TYPE_CARDS}


def _placeholder_short_url() -> str:
    return f"{get_settings().edge_url.rstrip('/')}/{'x' * DEFAULT_LENGTH}"


def _template_cards(rows) -> list[TemplateCard]:
    cards = []
    for t in rows:
        try:
            png = render("https://qrapp.example/template", t.design, "png", size=128)
        except PayloadError:
            continue
        cards.append(
            TemplateCard(
                id=str(t.id),
                name=t.name,
                src="data:image/png;base64," + base64.b64encode(png).decode(),
                is_default=t.is_default,
            )
        )
    return cards


class DesignerState(rx.State):
    # what and how
    mode: str = "new"  # new | edit
    content_type: str = ""
    type_label: str = ""
    is_dynamic: bool = True
    field_specs: list[FieldView] = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    name: str = ""
    destination: str = ""
    alias: str = ""
    tags_text: str = ""
    can_edit: bool = False
    # design
    foreground: str = "#000000"
    background: str = "#ffffff"
    transparent: bool = False
    gradient_on: bool = False
    gradient_kind: str = "linear"
    gradient_color: str = "#4f46e5"
    gradient_angle: int = 45
    modules: str = "square"
    eye_frame: str = "square"
    eye_ball: str = "square"
    eye_frame_color: str = ""
    eye_ball_color: str = ""
    has_logo: bool = False
    logo_size: float = 0.22
    logo_shape: str = "square"
    quiet_zone: int = 4
    error_correction: str = "M"
    frame_style: str = "none"
    frame_text: str = "SCAN ME"
    frame_color: str = "#000000"
    frame_text_color: str = "#ffffff"
    preset: str = ""
    templates: list[TemplateCard] = []
    template_name: str = ""
    template_default: bool = False
    # preview
    preview_src: str = ""
    verdict_level: str = ""
    verdict_reasons: list[str] = []
    preview_error: str = ""
    saving: bool = False
    # the first thing that keeps Save from working, in words ("" = nothing)
    content_issue: str = ""

    _refused: dict[str, str] = {}  # what the last save was refused for
    _touched: list[str] = []  # fields the person has left: their problems show
    _submitted: bool = False  # Save was pressed: every problem shows
    _good_colours: dict[str, str] = {}  # last valid colour per key, drawn meanwhile
    _logo: bytes = b""
    _code_id: str = ""
    _fixed_text: str = ""  # an existing dynamic code's short URL
    _template_designs: dict[str, dict] = {}
    _defaults: list[str] = []
    _seq: int = 0

    @rx.var
    def type_cards(self) -> list[TypeCard]:
        return TYPE_CARDS

    @rx.var
    def preset_names(self) -> list[str]:
        return list(PRESETS)

    @rx.var(deps=["can_edit", "content_issue", "preview_error", "verdict_level"], auto_deps=False)
    def save_reason(self) -> str:
        """Why Save is disabled, shown beside it ("" when it works)."""
        return self._why_blocked()

    @rx.var(deps=["can_edit", "content_issue", "preview_error", "verdict_level"], auto_deps=False)
    def save_blocked(self) -> bool:
        return self._why_blocked() != ""

    def _why_blocked(self) -> str:
        if not self.can_edit:
            return VIEWER_REASON
        if self.content_issue:
            return self.content_issue
        if self.preview_error:
            return "The preview could not be drawn: fix the highlighted settings."
        if self.verdict_level == "fail":
            return "Fix the design so it scans before saving."
        if self.verdict_level == "":
            return "Checking that the code scans…"
        return ""

    @rx.var
    def caption_length(self) -> int:
        return len(self.frame_text)

    # ---- loading -----------------------------------------------------------------

    def _reset_design(self) -> None:
        for key, value in _DESIGN_DEFAULTS.items():
            setattr(self, key, value)
        self._logo, self.has_logo, self.preset = b"", False, ""
        self._good_colours = {}

    def _start_fresh(self, mode: str) -> None:
        """Forget everything of the last code: its preview, verdict, values and errors.
        A render still running for it is dropped by the sequence number."""
        self._seq += 1
        self.mode, self._code_id, self._fixed_text = mode, "", ""
        self.content_type, self.type_label, self.is_dynamic = "", "", True
        self.field_specs, self.values = [], {}
        self.name = self.destination = self.alias = self.tags_text = ""
        self.preview_src, self.verdict_level, self.verdict_reasons = "", "", []
        self.preview_error, self.content_issue, self.saving = "", "", False
        self.template_name, self.template_default = "", False
        self.errors, self._refused = {}, {}
        self._touched, self._submitted = [], False
        self._reset_design()

    def _choose_type(self, key: str) -> None:
        self.content_type = key
        self.is_dynamic = key == DYNAMIC
        self.type_label = next(c["label"] for c in TYPE_CARDS if c["key"] == key)
        specs = [] if self.is_dynamic else fields(key)
        self.field_specs = [
            FieldView(
                name=f.name,
                label=f.label + ("" if f.required else " (optional)"),
                kind=f.kind,
                required=f.required,
                help=f.help or "",
                choices=[str(c) for c in f.choices or ()],
            )
            for f in specs
        ]
        self.values = {
            f.name: ("true" if f.default is True else "false")
            if f.kind in _BOOL_KINDS
            else ("" if f.default is None else str(f.default))
            for f in specs
        }

    @rx.event
    async def load_new(self):
        self._start_fresh("new")
        try:
            actor = await load_actor(self)
        except ServiceError:
            return
        self.can_edit = actor.can(Permission.CODES_EDIT)
        await self._load_templates(actor)
        if self._defaults:  # new codes start from the workspace's default template
            self._apply_design(self._template_designs[self._defaults[0]])
        wanted = query_param(self, "type")
        if wanted in _TYPE_KEYS:
            self._choose_type(wanted)
            self._check()
            return DesignerState.refresh_preview
        self.content_type = ""

    @rx.event
    def choose_type(self, key: str):
        if key not in _TYPE_KEYS:
            return rx.toast.error("Unknown content type.")
        return rx.redirect(f"/codes/new?type={key}")

    @rx.event
    async def load_edit(self):
        self._start_fresh("edit")
        try:
            actor = await load_actor(self)
            code_id = code_id_from_path(self)
            code = await asyncio.to_thread(qrcodes.get_code_or_raise, actor=actor, code_id=code_id)
        except (ValueError, ServiceError):
            self.content_type = ""
            return rx.redirect("/codes")
        self.can_edit = actor.can(Permission.CODES_EDIT)
        await self._load_templates(actor)
        self._code_id = str(code.id)
        self._choose_type(DYNAMIC if code.is_dynamic else code.content_type)
        self.name, self.destination = code.name, code.destination
        self.tags_text = ", ".join(code.tags)
        for key in self.values:
            if key in code.payload and code.payload[key] is not None:
                value = code.payload[key]
                self.values[key] = str(value).lower() if isinstance(value, bool) else str(value)
        self._apply_design(code.design)
        self._fixed_text = qrcodes.code_text(code) if code.is_dynamic else ""
        self._check()
        return DesignerState.refresh_preview

    async def _load_templates(self, actor) -> None:
        rows = await asyncio.to_thread(design_templates.list_templates, actor=actor)
        cards = await asyncio.to_thread(_template_cards, rows)
        self.templates = cards
        self._template_designs = {str(t.id): t.design for t in rows}
        self._defaults = [str(t.id) for t in rows if t.is_default]

    @rx.event
    def apply_template(self, template_id: str):
        design = self._template_designs.get(str(template_id))
        if design is None:
            return rx.toast.error("That template no longer exists.")
        self._apply_design(design)
        self._check()
        return DesignerState.refresh_preview

    @rx.event
    def set_template_name(self, value: str):
        self.template_name = str(value)[:60]

    @rx.event
    def set_template_default(self, value: bool):
        self.template_default = bool(value)

    @rx.event
    async def save_template(self):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                design_templates.save_template,
                actor=actor,
                name=self.template_name,
                design=self._design(),
                make_default=self.template_default,
                ip=client_ip(self),
            )
            await self._load_templates(actor)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.template_name, self.template_default = "", False
        return rx.toast.success("Template saved for your workspace.")

    @rx.event
    async def delete_template(self, template_id: str):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                design_templates.delete_template,
                actor=actor,
                template_id=uuid.UUID(str(template_id)),
                ip=client_ip(self),
            )
            await self._load_templates(actor)
        except ValueError:
            return rx.toast.error("That template no longer exists.")
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return rx.toast.success("Template deleted.")

    # ---- the design as data ----------------------------------------------------------

    def _colour(self, key: str) -> str | None:
        """The colour to draw for `key`: what is typed when it is a colour, else the last
        valid one, so a half-typed "#1e" never stops the preview."""
        value = getattr(self, key).strip()
        if key in OPTIONAL_COLOURS and value == "":
            return None
        if is_colour(value):
            return value
        return self._good_colours.get(key, _DESIGN_DEFAULTS[key] or None)

    def _design(self) -> dict[str, Any]:
        """The design as drawn: typed values that cannot be drawn (a bad colour, an emoji
        in the caption) are left out here and reported by _check instead."""
        caption = drawable_caption(self.frame_text)
        design: dict[str, Any] = {
            "foreground": self._colour("foreground"),
            "background": self._colour("background"),
            "transparent_background": self.transparent,
            "modules": self.modules,
            "eyes": {
                "frame": self.eye_frame,
                "ball": self.eye_ball,
                "frame_color": self._colour("eye_frame_color"),
                "ball_color": self._colour("eye_ball_color"),
            },
            "quiet_zone": int(self.quiet_zone),
            "error_correction": self.error_correction,
            "frame": {
                "style": self.frame_style if caption else "none",
                "text": caption or _DESIGN_DEFAULTS["frame_text"],
                "color": self._colour("frame_color"),
                "text_color": self._colour("frame_text_color"),
            },
        }
        if self.gradient_on:
            design["gradient"] = {
                "kind": self.gradient_kind,
                "angle": float(self.gradient_angle),
                "stops": [
                    {"offset": 0, "color": self._colour("foreground")},
                    {"offset": 1, "color": self._colour("gradient_color")},
                ],
            }
        if self._logo:
            design["logo"] = {
                "image": base64.b64encode(self._logo).decode(),
                "size": float(self.logo_size),
                "shape": self.logo_shape,
            }
        return design

    def _apply_design(self, design: dict[str, Any]) -> None:
        self._reset_design()
        eyes = design.get("eyes") or {}
        frame = design.get("frame") or {}
        self.foreground = design.get("foreground", self.foreground)
        self.background = design.get("background", self.background)
        self.transparent = bool(design.get("transparent_background", False))
        self.modules = design.get("modules", self.modules)
        self.eye_frame = eyes.get("frame", self.eye_frame)
        self.eye_ball = eyes.get("ball", self.eye_ball)
        self.eye_frame_color = eyes.get("frame_color") or ""
        self.eye_ball_color = eyes.get("ball_color") or ""
        self.quiet_zone = int(design.get("quiet_zone", 4))
        self.error_correction = design.get("error_correction", "M")
        self.frame_style = frame.get("style", "none")
        self.frame_text = frame.get("text", "SCAN ME")
        self.frame_color = frame.get("color", "#000000")
        self.frame_text_color = frame.get("text_color", "#ffffff")
        gradient = design.get("gradient")
        if gradient and len(gradient.get("stops", [])) >= 2:
            self.gradient_on = True
            self.gradient_kind = gradient.get("kind", "linear")
            self.gradient_angle = int(gradient.get("angle", 45))
            self.foreground = gradient["stops"][0]["color"]
            self.gradient_color = gradient["stops"][-1]["color"]
        logo = design.get("logo")
        if logo and logo.get("image"):
            image = logo["image"]
            self._logo = base64.b64decode(image) if isinstance(image, str) else bytes(image)
            self.has_logo = True
            self.logo_size = float(logo.get("size", 0.22))
            self.logo_shape = logo.get("shape", "square")

    def _payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.field_specs:
            raw = self.values.get(spec["name"], "")
            if spec["kind"] in _BOOL_KINDS:
                out[spec["name"]] = raw == "true"
            elif raw.strip() != "" or spec["required"]:
                out[spec["name"]] = raw
        return out

    def _preview_text(self) -> str:
        if self.is_dynamic:
            return self._fixed_text or _placeholder_short_url()
        return parse(self.content_type, self._payload()).encode()

    # ---- what is wrong, and when to say it ---------------------------------------------

    def _content_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if self.is_dynamic and self.mode == "new":
            try:
                qrcodes.check_destination(self.destination)
            except FieldErrors as exc:
                problems["destination"] = exc.message
        elif not self.is_dynamic and self.content_type:
            try:
                parse(self.content_type, self._payload())
            except PayloadError as exc:
                names = {f["name"] for f in self.field_specs}
                for key, message in exc.errors.items():
                    field = key.split(".", 1)[0]
                    target = content_key(field) if field in names else "content"
                    problems.setdefault(target, message)
        return problems

    def _design_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        for key in COLOUR_KEYS:
            value = getattr(self, key).strip()
            if not (value == "" and key in OPTIONAL_COLOURS) and not is_colour(value):
                problems["c-" + key] = "Use a hex colour like #1a2b3c."
        if self.frame_style != "none" and (problem := caption_problem(self.frame_text)):
            problems["frame_text"] = problem
        return problems

    def _check(self) -> None:
        """Re-validate the whole form, decide what Save is waiting for, show what is due."""
        problems = {**self._content_problems(), **self._design_problems()}
        if not " ".join(self.name.split()):
            problems["name"] = "Give the code a name you will recognise."
        labels = {content_key(f["name"]): f["label"] for f in self.field_specs}
        labels |= {"destination": "Destination URL", "name": "Name", "alias": "Short link"}
        labels |= {"tags": "Tags", "design": "Design"}
        labels |= {"frame_text": "Caption", **{"c-" + k: "Colour" for k in COLOUR_KEYS}}
        first = next(iter({**problems, **self._refused}.items()), None)
        self.content_issue = f"{labels.get(first[0], 'Content')}: {first[1]}" if first else ""
        # Design problems show at once: the person just chose that value and sees the
        # preview ignore it. Form fields wait until they are left, or until Save.
        due = {
            k: v
            for k, v in problems.items()
            if self._submitted or k in self._touched or k in ("frame_text", "content")
        }
        self.errors = {**due, **self._refused}

    @rx.event
    def leave_field(self, key: str):
        """A field lost focus: from now on its problems show."""
        key = str(key)[:80]
        known = _SETTINGS_FIELDS | {content_key(f["name"]) for f in self.field_specs}
        known |= {"c-" + k for k in COLOUR_KEYS}
        if key in known and key not in self._touched:
            self._touched = [*self._touched, key]
            self._check()

    # ---- changes ---------------------------------------------------------------------

    @rx.event
    def set_value(self, name: str, value: str | bool):
        if name not in self.values:
            return
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)[:4000]
        self.values[name] = text
        self._refused.pop(content_key(name), None)
        self._check()
        return DesignerState.refresh_preview

    @rx.event
    def set_design(self, key: str, value: str | bool | int | float | list):
        if key not in _DESIGN_DEFAULTS:
            return
        default = _DESIGN_DEFAULTS[key]
        if isinstance(value, list):  # sliders send [value]
            value = value[0] if value else default
        try:
            if isinstance(default, bool):
                value = bool(value)
            elif isinstance(default, int):
                value = int(float(value))
            elif isinstance(default, float):
                value = float(value)
            else:
                value = str(value)[:64]
        except (TypeError, ValueError):
            return
        setattr(self, key, value)
        self._refused = {k: v for k, v in self._refused.items() if not k.startswith("design")}
        if key in COLOUR_KEYS and is_colour(str(value).strip()):
            self._good_colours[key] = str(value).strip()
        self.preset = ""
        self._check()
        return DesignerState.refresh_preview

    @rx.event
    def slide(self, key: str, value: list):
        """A slider moves: show its number at once; the preview follows on release."""
        if key not in _SLIDERS or not isinstance(value, list):
            return
        try:
            number = float(value[0])
        except (IndexError, TypeError, ValueError):
            return
        low, high = _SLIDERS[key]
        number = min(max(number, low), high)
        setattr(self, key, number if key == "logo_size" else int(number))

    @rx.event
    def apply_preset(self, name: str):
        if name not in PRESETS:
            return
        logo, size, shape = self._logo, self.logo_size, self.logo_shape
        self._apply_design(PRESETS[name])
        if logo:
            self._logo, self.has_logo, self.logo_size, self.logo_shape = logo, True, size, shape
        self.preset = name
        self._check()
        return DesignerState.refresh_preview

    @rx.event
    def set_name(self, value: str):
        self.name = str(value)[:200]
        self._refused.pop("name", None)
        self._check()

    @rx.event
    def set_destination(self, value: str):
        self.destination = str(value)[:4096]
        self._refused.pop("destination", None)
        self._check()

    @rx.event
    def set_alias(self, value: str):
        self.alias = str(value)[:64]
        self._refused.pop("alias", None)
        self._check()

    @rx.event
    def set_tags_text(self, value: str):
        self.tags_text = str(value)[:400]
        self._refused.pop("tags", None)
        self._check()

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]):
        try:
            await load_actor(self, Permission.CODES_EDIT)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        if not files:
            return
        data = await files[0].read(logos.MAX_BYTES + 1)
        try:
            png = await asyncio.to_thread(logos.normalise_logo, data)
        except FieldErrors as exc:
            self.errors = {**self.errors, "logo": exc.errors["logo"]}
            return rx.toast.error(exc.errors["logo"])
        self._logo, self.has_logo = png, True
        self._check()
        if self.error_correction in ("L", "M"):
            self.error_correction = "H"  # a logo hides modules; H restores the most
        return DesignerState.refresh_preview

    @rx.event
    def remove_logo(self):
        self._logo, self.has_logo = b"", False
        self._check()
        return DesignerState.refresh_preview

    @rx.event(background=True)
    async def refresh_preview(self):
        async with self:
            self._seq += 1
            seq = self._seq
            self.verdict_level, self.verdict_reasons = "", []
            try:
                text = self._preview_text()
            except PayloadError:
                # Nothing to draw yet; the fields say what is missing when it is due.
                self.preview_src = ""
                self.preview_error = "Fill in the content to see your code."
                return
            design = self._design()
        # Every failure is reported and forgotten: the next change renders afresh.
        try:
            uri, level, reasons = await asyncio.to_thread(preview, text, design, PREVIEW_SIZE)
            error = ""
        except PayloadError as exc:
            uri, level, reasons = "", "", []
            error = "; ".join(exc.errors.values())
        except Exception:
            log.exception("designer preview failed")
            uri, level, reasons = "", "", []
            error = "This design could not be drawn. Try another setting."
        async with self:
            if seq != self._seq:
                return  # a newer change is already rendering
            self.preview_error = error
            if not error:
                self.preview_src, self.verdict_level, self.verdict_reasons = uri, level, reasons

    # ---- saving ----------------------------------------------------------------------

    @rx.event
    async def save(self):
        self._submitted = True
        self._check()
        if reason := self._why_blocked():
            yield rx.toast.error(reason)
            return
        self.saving = True
        yield
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            tags = tuple(t.strip() for t in self.tags_text.split(",") if t.strip())
            if self.mode == "edit":
                code_id = uuid.UUID(self._code_id)
                await asyncio.to_thread(
                    qrcodes.update_code,
                    actor=actor,
                    code_id=code_id,
                    name=self.name,
                    design=self._design(),
                    payload=None if self.is_dynamic else self._payload(),
                    tags=tags,
                    ip=client_ip(self),
                )
                saved_id = code_id
            else:
                data = qrcodes.CodeInput(
                    name=self.name,
                    content_type="url" if self.is_dynamic else self.content_type,
                    payload=None if self.is_dynamic else self._payload(),
                    design=self._design(),
                    is_dynamic=self.is_dynamic,
                    destination=self.destination,
                    alias=self.alias,
                    tags=tags,
                )
                code = await asyncio.to_thread(
                    qrcodes.create, actor=actor, data=data, ip=client_ip(self)
                )
                saved_id = code.id
        except NotSignedIn:
            self.saving = False
            yield rx.redirect("/login")
            return
        except FieldErrors as exc:
            self.saving = False
            # The content was checked above with the same rules, so the service's own
            # keys ("name", "alias", "design.…") are the code's, not a content field's.
            self._refused = dict(exc.errors)
            self._check()
            yield rx.toast.error(exc.message)
            return
        except ServiceError as exc:
            self.saving = False
            yield rx.toast.error(exc.message)
            return
        self.saving = False
        yield rx.redirect(f"/codes/{saved_id}")
