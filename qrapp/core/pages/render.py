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

Uploaded media comes in as `media` (asset id -> MediaRef, resolved by the services layer
in the page's workspace); a block whose asset is not there renders nothing, and
`missing_media(doc, media)` says which block that is so publishing can refuse it.

Every link in the HTML is `/p/<slug>/c/<target>` (the edge counts it, then 302s) and
every file `/p/<slug>/d/<block-id>`, so the HTML itself holds no outside link but images
(and uploaded media, which the edge serves itself). What some blocks need computed
before their partial (vCards, calendar files, store links, lead forms) is in
core/pages/block_prep.py.
"""

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from qrapp.core import leads
from qrapp.core.pages import blocks as B  # noqa: N812 - the block models, read as B.Xxx
from qrapp.core.pages import content_blocks as content
from qrapp.core.pages import media_render
from qrapp.core.pages.block_prep import ClickTarget, Download, Targets, View, prepare
from qrapp.core.pages.colours import palette
from qrapp.core.pages.document import FONTS, PageDocument
from qrapp.core.pages.icons import svg
from qrapp.core.pages.media import MediaRef
from qrapp.core.pages.sanitize import safe_image_url


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

_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


# --- the page ----------------------------------------------------------------------------


def _image_hosts(doc: PageDocument) -> list[str]:
    hosts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, B.ImageBlock) and not block.props.asset_id:
            src = safe_image_url(block.props.src)
            if src is not None:
                origin = "https://" + (urlsplit(src).netloc or "").lower()
                if origin not in hosts:
                    hosts.append(origin)
    return hosts


@dataclass(frozen=True)
class _Sources:
    images: list[str]
    media: list[str]  # where <video>/<audio> load from


def _sources(doc: PageDocument, media: Mapping[str, MediaRef]) -> _Sources:
    images, players = _image_hosts(doc), list[str]()
    for block in doc.blocks:
        for asset_id in content.asset_ids(block.props):
            ref = media.get(asset_id)
            if ref is None:
                continue
            playable = isinstance(block, content.VideoFileBlock | content.AudioBlock)
            urls = [ref.url] if playable else []
            stills = [u for u, _ in ref.srcset] + [ref.poster_url]
            if not playable and not isinstance(block, content.FileBlock):
                stills.append(ref.url)  # a file download is a link, not a load
            for target, found in ((players, urls), (images, stills)):
                for url in found:
                    origin = media_render.origin(url)
                    if origin and origin not in target:
                        target.append(origin)
    return _Sources(images=images, media=players)


def _csp(style_hash: str, sources: _Sources, *, for_meta: bool = False) -> str:
    parts = ["default-src 'none'", f"style-src '{style_hash}'"]
    if sources.images:
        parts.append("img-src " + " ".join(sources.images))
    if sources.media:
        parts.append("media-src " + " ".join(sources.media))
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


def _render(
    doc: PageDocument, slug: str, now: dt.datetime, media: Mapping[str, MediaRef]
) -> RenderedPage:
    if not _SLUG.match(slug):
        raise ValueError(f"not a page slug: {slug!r}")
    targets = Targets(slug)
    view = View(doc=doc, targets=targets, now=now, slug=slug, media=media)
    prepare(view)
    css = _css(doc)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    style_hash = "sha256-" + digest
    hosts = _sources(doc, media)
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


_NO_MEDIA: Mapping[str, MediaRef] = MappingProxyType({})


def render_page(
    doc: PageDocument,
    *,
    slug: str,
    media: Mapping[str, MediaRef] = _NO_MEDIA,
    now: dt.datetime | None = None,
) -> RenderedPage:
    """The page as published at `/p/<slug>`; `now` stamps calendar files (default: now)."""
    return _render(doc, slug, now or dt.datetime.now(dt.UTC), media)


def render_preview(doc: PageDocument, media: Mapping[str, MediaRef] = _NO_MEDIA) -> str:
    """The same HTML for the builder's preview (an iframe's srcdoc; sandbox it)."""
    return _render(doc, "preview", dt.datetime(2000, 1, 1, tzinfo=dt.UTC), media).html


def missing_media(doc: PageDocument, media: Mapping[str, MediaRef]) -> str | None:
    """Why the page cannot be published for its media ("Block 3 (Video file), Video file
    (MP4): choose a file ..."), or None when every block's file is there and of its kind."""
    for number, block in enumerate(doc.blocks, start=1):
        where = f"Block {number} ({B.REGISTRY[block.type].title})"
        for place, kind, asset_id in content.asset_fields(block.props):
            ref = media.get(asset_id)
            if isinstance(block, B.ImageBlock) and not asset_id:
                continue  # an image by its address
            if not asset_id:
                problem = "choose a file (upload one or pick one from your media)"
            elif ref is None:
                problem = "the chosen file is no longer in this workspace's media; choose another"
            elif kind != "file" and ref.kind != kind:
                problem = f"the chosen file is not {'an' if kind[0] in 'aeiou' else 'a'} {kind}"
            else:
                continue
            return f"{where}, {place}: {problem}, or remove the block."
    return None
