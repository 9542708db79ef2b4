"""What every block module shares: the props base model, ids, text fields, link checks,
the block model base and the registry's BlockType. Its own module so block modules beside
blocks.py (content_blocks.py, lead_form.py) can use them without importing blocks.py,
which imports them for its registry."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from qrapp.core.pages import sanitize

ID_PATTERN = r"^[A-Za-z0-9_]{1,24}$"
BlockId = Annotated[str, Field(pattern=ID_PATTERN, title="Id")]


def text(label: str, max_length: int = 200, *, required: bool = False, default: str = "") -> Any:
    if required:
        return Field(title=label, min_length=1, max_length=max_length)
    return Field(default=default, title=label, max_length=max_length)


def check_link(value: str) -> str:
    problem = sanitize.link_error(value)
    if problem is not None:
        raise ValueError(problem)
    link = sanitize.safe_link(value)
    assert link is not None  # link_error said it is fine
    return link


def optional_link(value: str) -> str:
    return check_link(value) if value.strip() else ""


def check_https(value: str) -> str:
    link = check_link(value)
    if not link.lower().startswith("https://"):
        raise ValueError("Use an https:// address.")
    return link


def unique_ids(items: list[Any]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"Two items share the id {item.id}.")
        seen.add(item.id)


class Props(BaseModel):
    """Base of every props model: unknown fields refused, text trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BlockModel(BaseModel):
    """Base of the union members `{id, type, props}`."""

    model_config = ConfigDict(extra="forbid")
    id: BlockId


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
