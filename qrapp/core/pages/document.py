"""A landing page's document: settings plus an ordered list of blocks, stored as JSON.

    doc = parse_document(raw)            # -> PageDocument, or DocumentError(message)
    raw = doc.model_dump(mode="json")    # what is stored (rich text already sanitized)
    blank_document("Spring sale")        # a new page's raw document
    new_block("button")                  # {"id": "k3x9p2q1", "type": "button", "props": {...}}

Errors name the place in plain words ("Block 3 (Button), Link: ..."), so the builder can
show them as they are.
"""

import re
import secrets
import string
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from qrapp.core.pages import sanitize
from qrapp.core.pages.blocks import REGISTRY, Block, BlockId

MAX_BLOCKS = 100
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# System font stacks only: no web font request, nothing for the CSP to allow.
FONTS: dict[str, tuple[str, str]] = {
    "system": ("System", 'system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif'),
    "humanist": ("Humanist", 'Seravek,"Gill Sans Nova",Ubuntu,Calibri,"DejaVu Sans",sans-serif'),
    "rounded": (
        "Rounded",
        'ui-rounded,"Hiragino Maru Gothic ProN",Quicksand,Comfortaa,"Arial Rounded MT",sans-serif',
    ),
    "serif": ("Serif", 'Charter,"Bitstream Charter","Sitka Text",Cambria,Georgia,serif'),
    "slab": ("Slab", 'Rockwell,"Rockwell Nova","Roboto Slab","DejaVu Serif",serif'),
    "mono": (
        "Monospace",
        'ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace',
    ),
}
Font = Literal["system", "humanist", "rounded", "serif", "slab", "mono"]


class DocumentError(ValueError):
    """A document that cannot be saved or published, with one message for a person.

    `block` is the 1-based block number (None for page settings), `field` the field's
    dotted path inside it, for the builder to highlight."""

    def __init__(self, message: str, *, block: int | None = None, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.block = block
        self.field = field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _colour(value: str) -> str:
    if not COLOUR.match(value):
        raise ValueError("Use a colour like #1a2b3c.")
    return value.lower()


class Theme(_Strict):
    background: str = Field(default="#ffffff", title="Background colour")
    text: str = Field(default="#1f2328", title="Text colour")
    accent: str = Field(default="#2f5bd3", title="Button colour")
    font: Font = Field(default="system", title="Font")
    button_style: Literal["rounded", "pill", "square", "outline"] = Field(
        default="rounded", title="Button style"
    )

    _colours = field_validator("background", "text", "accent")(lambda cls, v: _colour(v))


class Seo(_Strict):
    description: str = Field(default="", title="Description", max_length=300)
    og_image: str = Field(default="", title="Share image", max_length=2000)
    noindex: bool = Field(default=False, title="Hide from search engines")

    @field_validator("og_image")
    @classmethod
    def _image(cls, value: str) -> str:
        if value and sanitize.safe_image_url(value) is None:
            raise ValueError("Use an https:// image address.")
        return sanitize.safe_image_url(value) or ""


class PageSettings(_Strict):
    title: str = Field(title="Page title", min_length=1, max_length=120)
    lang: str = Field(default="en", title="Language", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
    theme: Theme = Field(default_factory=Theme, title="Theme")
    seo: Seo = Field(default_factory=Seo, title="SEO")


class PageDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")
    settings: PageSettings
    blocks: list[Block] = Field(default_factory=list, max_length=MAX_BLOCKS)


# --- errors in plain words ------------------------------------------------------------------

_FRIENDLY = {
    "missing": "this field is required.",
    "extra_forbidden": "unknown field.",
    "string_type": "must be text.",
    "bool_type": "must be true or false.",
    "bool_parsing": "must be true or false.",
    "int_parsing": "must be a whole number.",
    "int_type": "must be a whole number.",
    "int_from_float": "must be a whole number.",
    "date_parsing": "must be a date (YYYY-MM-DD).",
    "date_from_datetime_parsing": "must be a date (YYYY-MM-DD).",
    "date_type": "must be a date (YYYY-MM-DD).",
    "float_parsing": "must be a number.",
    "float_type": "must be a number.",
    "list_type": "must be a list.",
    "model_type": "must be an object with fields.",
    "dict_type": "must be an object with fields.",
    "datetime_parsing": "must be a date and time (YYYY-MM-DDTHH:MM).",
    "datetime_from_date_parsing": "must be a date and time (YYYY-MM-DDTHH:MM).",
    "datetime_type": "must be a date and time (YYYY-MM-DDTHH:MM).",
}


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _FRIENDLY:
        return _FRIENDLY[kind]
    if kind == "literal_error":
        return f"choose one of {ctx.get('expected')}."
    if kind == "string_too_long":
        return f"at most {ctx['max_length']} characters."
    if kind == "string_too_short":
        return "this field is required."
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items."
    if kind == "string_pattern_mismatch":
        return "not in the expected format."
    if kind in ("greater_than_equal", "less_than_equal"):
        return str(error["msg"]).lower().rstrip(".") + "."
    text = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _describe(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> str:
    """`("items", 2, "url")` -> `Links, item 3, Link` using the fields' titles."""
    words: list[str] = []
    for part in loc:
        if isinstance(part, int):
            words.append(f"item {part + 1}")
            continue
        field = model.model_fields.get(str(part)) if model is not None else None
        words.append(field.title or str(part) if field is not None else f"“{part}”")
        model = _inner_model(field.annotation) if field is not None else None
    return ", ".join(words)


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _first_error(exc: ValidationError, model: type[BaseModel], where: str) -> tuple[str, str]:
    error = dict(exc.errors()[0])
    loc: tuple[Any, ...] = tuple(error["loc"])  # type: ignore[arg-type]
    place = _describe(model, loc)
    message = _message(error)
    if error["type"] == "extra_forbidden":
        return f"{where}: unknown field {place.rsplit(', ', 1)[-1]}.", ".".join(map(str, loc))
    prefix = f"{where}, {place}" if place else where
    return f"{prefix}: {message[:1].upper() + message[1:]}", ".".join(map(str, loc))


# --- parsing --------------------------------------------------------------------------------


def _check_block(number: int, raw: Any, seen_ids: set[str]) -> dict[str, Any]:
    where = f"Block {number}"
    if not isinstance(raw, dict):
        raise DocumentError(f"{where} is not an object with id, type and props.", block=number)
    type_key = raw.get("type")
    if not isinstance(type_key, str) or not type_key:
        raise DocumentError(f"{where} has no type.", block=number, field="type")
    kind = REGISTRY.get(type_key)
    if kind is None:
        known = ", ".join(REGISTRY)
        raise DocumentError(
            f"{where}: unknown block type “{type_key[:40]}” (known: {known}).",
            block=number,
            field="type",
        )
    where = f"Block {number} ({kind.title})"
    extra = sorted(set(raw) - {"id", "type", "props"})
    if extra:
        raise DocumentError(f"{where}: unknown key “{extra[0][:40]}”.", block=number)
    block_id = raw.get("id")
    if not isinstance(block_id, str) or not re.match(r"^[A-Za-z0-9_]{1,24}$", block_id):
        raise DocumentError(f"{where} has no valid id.", block=number, field="id")
    if block_id in seen_ids:
        raise DocumentError(f"{where} has the same id as another block.", block=number, field="id")
    seen_ids.add(block_id)
    props = raw.get("props", {})
    try:
        checked = kind.props_model.model_validate(props)
    except ValidationError as exc:
        message, field = _first_error(exc, kind.props_model, where)
        raise DocumentError(message, block=number, field=field) from None
    return {"id": block_id, "type": type_key, "props": checked.model_dump(mode="json")}


def parse_document(raw: Any) -> PageDocument:
    """Validate a stored or edited document; DocumentError names the first problem."""
    if not isinstance(raw, dict):
        raise DocumentError("The page document is not an object.")
    extra = sorted(set(raw) - {"settings", "blocks"})
    if extra:
        raise DocumentError(f"The page document has an unknown key “{extra[0][:40]}”.")
    try:
        settings = PageSettings.model_validate(raw.get("settings"))
    except ValidationError as exc:
        message, field = _first_error(exc, PageSettings, "Page settings")
        raise DocumentError(message, field="settings." + field) from None
    blocks = raw.get("blocks", [])
    if not isinstance(blocks, list):
        raise DocumentError("The page's blocks are not a list.")
    if len(blocks) > MAX_BLOCKS:
        raise DocumentError(f"A page has at most {MAX_BLOCKS} blocks.")
    seen: set[str] = set()
    checked = [_check_block(n, block, seen) for n, block in enumerate(blocks, start=1)]
    return PageDocument.model_validate({"settings": settings, "blocks": checked})


_ALPHABET = string.ascii_lowercase + string.digits


def new_id() -> str:
    """A fresh short block or item id (8 characters, 41 bits: unique within a page)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def new_block(type_key: str) -> dict[str, Any]:
    """A new block of `type_key` with valid starting props; KeyError for an unknown type."""
    props = REGISTRY[type_key].default_props()
    for item in props.get("items", []):
        item["id"] = new_id()  # item ids are click targets: never shared between blocks
    return {"id": new_id(), "type": type_key, "props": props}


def blank_document(title: str) -> dict[str, Any]:
    """A new page's raw document: the title as its heading and nothing else."""
    title = (title or "").strip()[:120] or "Untitled page"
    heading = new_block("heading")
    heading["props"].update(text=title, level=1)
    return {"settings": PageSettings(title=title).model_dump(mode="json"), "blocks": [heading]}


__all__ = [
    "FONTS",
    "MAX_BLOCKS",
    "Block",
    "BlockId",
    "DocumentError",
    "PageDocument",
    "PageSettings",
    "Seo",
    "Theme",
    "blank_document",
    "new_block",
    "new_id",
    "parse_document",
]
