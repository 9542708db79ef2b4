"""Blocks that carry content (issue 11): image gallery, uploaded video and audio, file
download, coupon, product and menu. Registered in blocks.py with the others.

Uploaded media is referred to by `asset_id`: a document may hold an empty one (a block
just added, nothing chosen yet) and renders nothing for it; publishing refuses a block
whose asset is empty or not in the page's workspace (render.missing_media names it).
Prices are whole minor units (cents, öre) with the block's currency, so no float rounding.
"""

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from qrapp.core.pages.props import (
    BlockId,
    BlockModel,
    BlockType,
    Props,
    optional_link,
    text,
    unique_ids,
)

AssetKind = Literal["image", "video", "audio", "file"]


def asset_field(label: str, kind: AssetKind) -> Any:
    """An uploaded asset's id; `kind` tells the builder's picker what to offer."""
    return Field(
        default="",
        title=label,
        pattern=r"^[A-Za-z0-9_-]{0,64}$",
        json_schema_extra={"asset": kind},
    )


# --- money -------------------------------------------------------------------------------

# code: (prefix, suffix, decimals). A short list people pick from; a plain, locale-neutral
# format ("€12.50", "129 kr") reads right in every language the page may be in.
CURRENCIES: dict[str, tuple[str, str, int]] = {
    "EUR": ("€", "", 2),
    "USD": ("$", "", 2),
    "GBP": ("£", "", 2),
    "SEK": ("", " kr", 2),
    "NOK": ("", " kr", 2),
    "DKK": ("", " kr", 2),
    "CHF": ("CHF ", "", 2),
    "PLN": ("", " zł", 2),
    "CZK": ("", " Kč", 2),
    "CAD": ("CA$", "", 2),
    "AUD": ("A$", "", 2),
    "JPY": ("¥", "", 0),
    "INR": ("₹", "", 2),
    "BRL": ("R$", "", 2),
}
Currency = Literal[
    "EUR", "USD", "GBP", "SEK", "NOK", "DKK", "CHF", "PLN", "CZK", "CAD", "AUD", "JPY",
    "INR", "BRL",
]  # fmt: skip
MAX_PRICE = 10**10  # minor units: a hundred million in any of these currencies


def price_field(label: str = "Price", *, required: bool = True) -> Any:
    if required:
        return Field(title=label, ge=0, le=MAX_PRICE)
    return Field(default=None, title=label, ge=0, le=MAX_PRICE)


def decimals(currency: str) -> int:
    return CURRENCIES.get(currency, ("", "", 2))[2]


def format_price(minor: int, currency: str) -> str:
    """12_50, "EUR" -> "€12.50"; whole amounts keep their decimals ("129.00 kr")."""
    prefix, suffix, places = CURRENCIES.get(currency, ("", " " + currency, 2))
    units, cents = divmod(int(minor), 10**places)
    amount = f"{units:,}".replace(",", "\u202f")  # thin no-break space groups thousands
    if places:
        amount += f".{cents:0{places}d}"
    return f"{prefix}{amount}{suffix}"


# --- media blocks ------------------------------------------------------------------------


ALT_EXAMPLE = "Describe the picture"


def _alt() -> Any:
    return Field(title="Alternative text", min_length=1, max_length=300, examples=[ALT_EXAMPLE])


class GalleryImage(Props):
    id: BlockId
    asset_id: str = asset_field("Image", "image")
    alt: str = _alt()
    caption: str = text("Caption", 200)


class GalleryProps(Props):
    title: str = text("Title", 120)
    images: list[GalleryImage] = Field(default_factory=list, title="Images", max_length=24)
    layout: Literal["grid", "stack"] = Field(default="grid", title="Layout")

    @model_validator(mode="after")
    def _ids(self) -> "GalleryProps":
        unique_ids(self.images)
        return self


class VideoFileProps(Props):
    asset_id: str = asset_field("Video file (MP4)", "video")
    title: str = text("Title", 120)


class AudioProps(Props):
    asset_id: str = asset_field("Audio file (MP3)", "audio")
    title: str = text("Title", 120)


class FileProps(Props):
    asset_id: str = asset_field("File", "file")
    label: str = text("Button label", 80, default="Download")
    description: str = text("Description", 300)


# --- coupon, product, menu ---------------------------------------------------------------


class CouponProps(Props):
    title: str = text("Offer", 120, required=True)
    code: str = Field(title="Code", min_length=1, max_length=40, pattern=r"^[^\s<>\"'`]+$")
    expires: dt.date | None = Field(default=None, title="Valid until")
    terms: str = text("Terms", 1000)

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> Any:
        # Codes are typed as letters and digits; keep them as the shop's till expects them.
        return value.strip().upper() if isinstance(value, str) else value


class ProductImage(Props):
    id: BlockId
    asset_id: str = asset_field("Image", "image")
    alt: str = _alt()


class ProductProps(Props):
    name: str = text("Product name", 120, required=True)
    description: str = text("Description", 1000)
    images: list[ProductImage] = Field(default_factory=list, title="Images", max_length=8)
    price: int = price_field()
    currency: Currency = Field(default="EUR", title="Currency")
    button_label: str = text("Button label", 60, default="Buy now")
    buy_url: str = Field(default="", title="Buy link or payment link", max_length=2000)

    _buy = field_validator("buy_url")(lambda cls, v: optional_link(v))

    @model_validator(mode="after")
    def _ids(self) -> "ProductProps":
        unique_ids(self.images)
        return self


DIET_TAGS: dict[str, str] = {
    "vegetarian": "Vegetarian",
    "vegan": "Vegan",
    "gluten_free": "Gluten-free",
    "dairy_free": "Dairy-free",
    "nut_free": "Nut-free",
    "spicy": "Spicy",
    "halal": "Halal",
    "kosher": "Kosher",
}
DietTag = Literal[
    "vegetarian", "vegan", "gluten_free", "dairy_free", "nut_free", "spicy", "halal", "kosher"
]  # fmt: skip


class MenuItem(Props):
    id: BlockId
    name: str = text("Dish", 120, required=True)
    description: str = text("Description", 300)
    price: int | None = price_field(required=False)
    tags: list[DietTag] = Field(default_factory=list, title="Dietary tags", max_length=8)

    @field_validator("tags", mode="before")
    @classmethod
    def _tags(cls, value: Any) -> Any:
        if isinstance(value, str):  # "vegan, gluten-free" as typed in the builder
            value = [
                t.strip().lower().replace("-", "_").replace(" ", "_") for t in value.split(",")
            ]
        if isinstance(value, list):
            unknown = [str(t) for t in value if t and t not in DIET_TAGS]
            if unknown:
                known = ", ".join(DIET_TAGS.values())
                raise ValueError(f"Unknown tag “{unknown[0][:30]}”; use {known}.")
            return list(dict.fromkeys(t for t in value if t))
        return value


class MenuSection(Props):
    id: BlockId
    title: str = text("Section", 80, required=True)
    items: list[MenuItem] = Field(default_factory=list, title="Dishes", max_length=60)

    @model_validator(mode="after")
    def _ids(self) -> "MenuSection":
        unique_ids(self.items)
        return self


class MenuProps(Props):
    title: str = text("Title", 120)
    currency: Currency = Field(default="EUR", title="Currency")
    sections: list[MenuSection] = Field(default_factory=list, title="Sections", max_length=20)
    note: str = text("Note", 300)

    @model_validator(mode="after")
    def _ids(self) -> "MenuProps":
        unique_ids(self.sections)
        unique_ids([item for section in self.sections for item in section.items])
        return self


def asset_fields(props: BaseModel, place: str = "") -> list[tuple[str, str, str]]:
    """(place, kind, asset id) of every asset field in a block's props, in order; place is
    in the builder's words ("Images, item 2, Image"). Empty ids are included: a block added
    without choosing its file yet."""
    out: list[tuple[str, str, str]] = []
    for name, info in type(props).model_fields.items():
        value = getattr(props, name)
        label = f"{place}, {info.title or name}" if place else str(info.title or name)
        extra = info.json_schema_extra
        if isinstance(extra, dict) and "asset" in extra:
            out.append((label, str(extra["asset"]), str(value)))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    out += asset_fields(item, f"{label}, item {i + 1}")
    return out


def asset_ids(props: BaseModel) -> list[str]:
    return [asset_id for _, _, asset_id in asset_fields(props)]


# --- registry entries and union members ------------------------------------------------


def _menu_example() -> dict[str, Any]:
    return {
        "currency": "EUR",
        "sections": [
            {
                "id": "s1",
                "title": "Mains",
                "items": [{"id": "i1", "name": "Dish of the day", "price": 1450}],
            }
        ],
    }


TYPES = [
    BlockType("gallery", "Image gallery", "Uploaded pictures in a grid or a stack.", "images",
              GalleryProps, lambda: {"images": [{"id": "g1", "alt": ALT_EXAMPLE}]}),
    BlockType("video_file", "Video file", "An uploaded MP4 video with a player.", "film",
              VideoFileProps, dict),
    BlockType("audio", "Audio", "An uploaded MP3 with a player.", "music", AudioProps, dict),
    BlockType("file", "File download", "A PDF or other file to download, with its size.",
              "file-down", FileProps, dict),
    BlockType("coupon", "Coupon", "A code to show at the till, its expiry and terms.",
              "ticket", CouponProps, lambda: {"title": "10% off your next order",
                                              "code": "WELCOME10"}),
    BlockType("product", "Product", "Pictures, price and a buy button.", "shopping-bag",
              ProductProps, lambda: {"name": "Product name", "price": 1900}),
    BlockType("menu", "Menu", "Sections of dishes with prices and dietary tags.",
              "utensils", MenuProps, _menu_example),
]  # fmt: skip


class GalleryBlock(BlockModel):
    type: Literal["gallery"]
    props: GalleryProps


class VideoFileBlock(BlockModel):
    type: Literal["video_file"]
    props: VideoFileProps


class AudioBlock(BlockModel):
    type: Literal["audio"]
    props: AudioProps


class FileBlock(BlockModel):
    type: Literal["file"]
    props: FileProps


class CouponBlock(BlockModel):
    type: Literal["coupon"]
    props: CouponProps


class ProductBlock(BlockModel):
    type: Literal["product"]
    props: ProductProps


class MenuBlock(BlockModel):
    type: Literal["menu"]
    props: MenuProps


ContentBlock = (
    GalleryBlock | VideoFileBlock | AudioBlock | FileBlock | CouponBlock | ProductBlock | MenuBlock
)
