"""What the content blocks' partials need computed: their media resolved to MediaRefs
(a block or image whose asset is missing gets nothing and so renders nothing), prices
formatted, buy links turned into counted clicks. Used by render.py's _PREPARE table; each
function takes the block and render's view (its targets, media and clock)."""

from collections.abc import Callable
from typing import Any, TypedDict
from urllib.parse import urlsplit

from qrapp.core.pages import content_blocks as content
from qrapp.core.pages.media import MediaRef

# What an image's `sizes` says to the browser picking from its srcset: the page column is
# 36rem wide at most (page.css main), a grid shows two pictures side by side.
FULL_WIDTH = "(min-width: 36rem) 36rem, 100vw"
HALF_WIDTH = "(min-width: 36rem) 17rem, 50vw"
_KINDS = {"pdf": "PDF", "video": "Video", "audio": "Audio", "image": "Image"}


class Picture(TypedDict):
    src: str
    srcset: str
    sizes: str
    width: int
    height: int
    alt: str
    caption: str


def origin(url: str) -> str:
    """What a CSP source list needs to allow `url`: 'self' for our own paths (the edge
    serves /m/...), else the https origin; "" for anything else (never allowed)."""
    if url.startswith("/") and not url.startswith("//"):
        return "'self'"
    parts = urlsplit(url)
    if parts.scheme in ("https", "http") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc.lower()}"
    return ""


def picture(ref: MediaRef, alt: str, sizes: str = FULL_WIDTH, caption: str = "") -> Picture:
    return Picture(
        src=ref.url,
        srcset=", ".join(f"{url} {width}w" for url, width in ref.srcset),
        sizes=sizes,
        width=ref.width,
        height=ref.height,
        alt=alt,
        caption=caption,
    )


def size_text(size: int) -> str:
    """1_234_567 -> "1.2 MB" (decimal units, as phones show file sizes)."""
    for unit, step in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= step:
            return f"{size / step:.1f} {unit}".replace(".0 ", " ")
    return f"{size} bytes"


def _file_kind(ref: MediaRef) -> str:
    if ref.kind in _KINDS:
        return _KINDS[ref.kind]
    ext = ref.filename.rsplit(".", 1)[-1] if "." in ref.filename else ""
    return ext.upper()[:8] if ext.isalnum() else "File"


def _gallery(block: Any, view: Any) -> list[Picture]:
    p: content.GalleryProps = block.props
    sizes = HALF_WIDTH if p.layout == "grid" else FULL_WIDTH
    return [
        picture(view.media[img.asset_id], img.alt, sizes, img.caption)
        for img in p.images
        if img.asset_id in view.media
    ]


def _one(block: Any, view: Any) -> MediaRef | None:
    return view.media.get(block.props.asset_id) if block.props.asset_id else None


def _file(block: Any, view: Any) -> dict[str, str] | None:
    ref = _one(block, view)
    if ref is None:
        return None
    return {
        "url": ref.url,
        "filename": ref.filename,
        "about": f"{_file_kind(ref)}, {size_text(ref.size)}",
    }


def _image(block: Any, view: Any) -> Picture | None:
    ref = _one(block, view)
    return picture(ref, block.props.alt) if ref is not None else None


def _coupon(block: Any, _view: Any) -> dict[str, str]:
    expires = block.props.expires
    if expires is None:
        return {}
    return {"date": expires.isoformat(), "text": f"{expires.day} {expires:%B %Y}"}


def _product(block: Any, view: Any) -> dict[str, Any]:
    p: content.ProductProps = block.props
    return {
        "images": [
            picture(view.media[img.asset_id], img.alt)
            for img in p.images
            if img.asset_id in view.media
        ],
        "price": content.format_price(p.price, p.currency),
        "buy": view.targets.click(block.id, p.buy_url) if p.buy_url else "",
    }


def _menu(block: Any, _view: Any) -> list[dict[str, Any]]:
    p: content.MenuProps = block.props
    return [
        {
            "title": section.title,
            "items": [
                {
                    "name": item.name,
                    "description": item.description,
                    "price": ""
                    if item.price is None
                    else content.format_price(item.price, p.currency),
                    "tags": [content.DIET_TAGS[t] for t in item.tags],
                }
                for item in section.items
            ],
        }
        for section in p.sections
    ]


PREPARE: dict[str, Callable[[Any, Any], Any]] = {
    "image": _image,
    "gallery": _gallery,
    "video_file": _one,
    "audio": _one,
    "file": _file,
    "coupon": _coupon,
    "product": _product,
    "menu": _menu,
}
