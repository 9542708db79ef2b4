"""Untrusted SVG is drawn at a size we choose, without outside references, under limits.

The payloads are the ones from issue 16 (a 139-byte logo that asked for a 100 GB canvas,
`height="2000"` that took 22 s and 4 GB, `<image href="/path.png">` that drew a server file)
plus entity and `<use>` bombs."""

from __future__ import annotations

import base64
import io
import resource
import time
from pathlib import Path

import pytest
import resvg_py
from PIL import Image

from qrapp.services.codes import svg_raster
from qrapp.services.codes.logos import normalise_logo
from qrapp.services.errors import FieldErrors

NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
SECRET = (13, 201, 77)  # a colour nothing else in these drawings uses


def _colours(png: bytes) -> set[tuple[int, int, int]]:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    return {(r, g, b) for _n, (r, g, b, a) in image.getcolors(1 << 20) if a > 0}


def _rasterise(svg: str, side: int = 512) -> bytes:
    return svg_raster.rasterise(svg.encode(), side=side)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        # The 139-byte logo from the issue: 512 px wide at 1:100,000 was a 100 GB canvas.
        (
            f'<svg {NS} viewBox="0 0 1 100000"><rect width="1" height="100000"/></svg>',
            "100,000 times taller than wide",
        ),
        (f'<svg {NS} viewBox="0 0 1 1" height="2000"><rect width="1" height="1"/></svg>', "2,000"),
        (f'<svg {NS} width="1" height="2000"><rect width="1" height="2000"/></svg>', "2,000"),
        (f'<svg {NS} width="30000" height="1"/>', "30,000 times wider than tall"),
        (f'<svg {NS} width="0" height="10"/>', "no usable width"),
    ],
)
def test_absurd_aspect_ratios_are_refused_at_once_in_bounded_memory(svg, reason):
    before, started = _peak_rss_mb(), time.monotonic()
    with pytest.raises(FieldErrors) as err:
        normalise_logo(svg.encode())
    assert reason in err.value.errors["logo"]
    assert time.monotonic() - started < 1
    assert _peak_rss_mb() - before < 50


@pytest.mark.parametrize(
    ("root", "size"),
    [
        ('width="2000" height="2000"', (512, 512)),
        ('viewBox="0 0 10 20"', (256, 512)),
        ('width="800" height="100"', (512, 64)),
        ('width="10mm" height="20mm"', (256, 512)),
        ('width="50%" height="25%" viewBox="0 0 100 100"', (512, 256)),
        ("", (512, 512)),  # no size at all: resvg's 100 x 100
    ],
)
def test_both_output_sides_are_fitted_within_the_box_at_the_artwork_aspect(root, size):
    svg = f'<svg {NS} {root}><rect width="100%" height="100%" fill="#00f"/></svg>'
    image = Image.open(io.BytesIO(_rasterise(svg)))
    assert image.size == size
    assert image.convert("RGB").getpixel((image.width // 2, image.height // 2)) == (0, 0, 255)


@pytest.fixture
def secret_png(tmp_path) -> Path:
    path = tmp_path / "secret.png"
    Image.new("RGB", (40, 40), SECRET).save(path)
    return path


def test_the_local_file_payload_would_be_drawn_without_the_checks(secret_png):
    # Proves the next test's payload is live: resvg on its own draws the server's file.
    image = f'<image href="{secret_png}" width="40" height="40"/>'
    svg = f'<svg {NS} width="40" height="40">{image}</svg>'
    assert SECRET in _colours(bytes(resvg_py.svg_to_bytes(svg_string=svg)))


@pytest.mark.parametrize(
    "body",
    [
        '<image href="{path}" width="40" height="40"/>',
        '<image xlink:href="file://{path}" width="40" height="40"/>',
        '<image href="  {path}" width="40" height="40"/>',
        '<image href="secret.png" width="40" height="40"/>',
        '<image href="http://169.254.169.254/latest/meta-data" width="40" height="40"/>',
        '<filter id="f"><feImage href="{path}"/></filter><rect width="9" filter="url(#f)"/>',
        '<use href="{path}.svg#x"/>',
        '<rect width="40" height="40" fill="url({path}#g)"/>',
        '<rect width="40" height="40" style="fill: url(&quot;{path}#g&quot;)"/>',
        "<style>@import url({path}.css);</style>",
        "<style>@\\69mport '{path}.css';</style>",
        "<style>rect {{ fill: url(file://{path}#g) }}</style>",
        '<rect width="40" height="40" mask="url( {path}#m)"/>',
        # A DTD's default attribute is an href too, though the element never spells it.
        '<image width="40" height="40"/>',
    ],
)
def test_references_outside_the_document_are_refused_and_never_drawn(secret_png, body):
    dtd = f'<!DOCTYPE svg [<!ATTLIST image href CDATA "{secret_png}">]>'
    svg = f'{dtd}<svg {NS} width="40" height="40">{body.format(path=secret_png)}</svg>'
    with pytest.raises(FieldErrors) as err:
        normalise_logo(svg.encode())
    assert "cannot use other files or web addresses" in err.value.errors["logo"]


def test_style_text_split_around_elements_is_refused(secret_png):
    svg = f"<svg {NS}><style>@im<x/>port url({secret_png}.css);</style></svg>"
    with pytest.raises(svg_raster.SvgRefused, match="not an image we can read"):
        _rasterise(svg)


def test_a_style_sheet_processing_instruction_is_dropped(secret_png):
    css = secret_png.with_suffix(".css")
    css.write_text("rect { fill: rgb(13, 201, 77) }")
    svg = (
        f'<?xml-stylesheet href="{css}" type="text/css"?>'
        f'<svg {NS} width="40" height="40"><rect width="40" height="40" fill="#000"/></svg>'
    )
    assert _colours(normalise_logo(svg.encode())) == {(0, 0, 0)}


def test_in_document_references_and_embedded_images_still_draw(secret_png):
    data = base64.b64encode(secret_png.read_bytes()).decode()
    svg = (
        f'<svg {NS} width="40" height="40"><defs><linearGradient id="g">'
        '<stop offset="0" stop-color="#f00"/><stop offset="1" stop-color="#f00"/>'
        '</linearGradient><rect id="r" width="20" height="40" fill="url(#g)"/></defs>'
        '<a href="https://example.com/brand"><use xlink:href="#r"/></a>'
        f'<image x="20" width="20" height="40" href="data:image/png;base64,{data}"/>'
        "<style>.x { fill: url('#g') }</style></svg>"
    )
    image = Image.open(io.BytesIO(normalise_logo(svg.encode()))).convert("RGB")
    assert image.getpixel((64, 256)) == (255, 0, 0)
    assert image.getpixel((448, 256)) == SECRET  # the data: image the user embedded


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        (
            "data:image/svg+xml;base64,"
            + base64.b64encode(f'<svg {NS}><image href="/etc/x.png"/></svg>'.encode()).decode(),
            "must be PNG, JPEG, GIF or WebP",
        ),
        ("data:text/plain,%3Csvg/%3E", "must be PNG, JPEG, GIF or WebP"),
        ("data:image/png;base64,!!!", "must be PNG, JPEG, GIF or WebP"),
    ],
)
def test_embedded_images_must_be_raster_images(href, reason):
    svg = f'<svg {NS} width="40" height="40"><image href="{href}" width="40" height="40"/></svg>'
    with pytest.raises(FieldErrors) as err:
        normalise_logo(svg.encode())
    assert reason in err.value.errors["logo"]


def test_an_embedded_pixel_flood_is_refused():
    flood = io.BytesIO()
    Image.new("1", (20000, 20000)).save(flood, "PNG")
    href = "data:image/png;base64," + base64.b64encode(flood.getvalue()).decode()
    svg = f'<svg {NS} width="40" height="40"><image href="{href}" width="40" height="40"/></svg>'
    with pytest.raises(FieldErrors) as err:
        normalise_logo(svg.encode())
    assert "too many pixels" in err.value.errors["logo"]


@pytest.mark.parametrize(
    ("prolog", "reference"),
    [
        # Billion laughs: ten levels of ten, a few hundred bytes that expand to gigabytes.
        (
            "<!DOCTYPE svg [<!ENTITY a0 'lol'>"
            + "".join(f"<!ENTITY a{i} '{f'&a{i - 1};' * 10}'>" for i in range(1, 10))
            + "]>",
            "&a9;",
        ),
        ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),  # XXE
        ('<!DOCTYPE svg [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>', ""),
    ],
)
def test_entity_declarations_are_refused(prolog, reference):
    svg = f"{prolog}<svg {NS} width='40' height='40'><text>{reference}</text></svg>"
    started = time.monotonic()
    with pytest.raises(FieldErrors) as err:
        normalise_logo(svg.encode())
    assert "entity declarations" in err.value.errors["logo"]
    assert time.monotonic() - started < 1


def test_a_plain_doctype_is_accepted():
    svg = (
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
        f'<svg {NS} width="10" height="10"><rect width="10" height="10" fill="#0f0"/></svg>'
    )
    assert _colours(normalise_logo(svg.encode())) == {(0, 255, 0)}


def test_use_bombs_and_use_cycles_are_refused_before_drawing():
    levels = "".join(
        f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 10)
    )
    bomb = f'<svg {NS}><defs><rect id="l0" width="1"/>{levels}</defs><use href="#l9"/></svg>'
    cycle = f'<svg {NS}><g id="a"><use href="#b"/></g><g id="b"><use xlink:href="#a"/></g></svg>'
    deep = f"<svg {NS}>" + "<g>" * 150 + "</g>" * 150 + "</svg>"
    for svg in (bomb, cycle, deep):
        started = time.monotonic()
        with pytest.raises(svg_raster.SvgRefused, match="too complex"):
            _rasterise(svg)
        assert time.monotonic() - started < 1


BLURS = (
    f'<svg {NS} width="40" height="40"><defs><filter id="f" x="-10" y="-10" width="20" '
    'height="20"><feGaussianBlur stdDeviation="200"/></filter></defs>'
    + "".join(
        f'<rect x="{i % 40}" y="{i // 40}" width="30" height="30" filter="url(#f)"/>'
        for i in range(3000)
    )
    + "</svg>"
)


def test_drawing_stops_at_the_cpu_limit(monkeypatch):
    monkeypatch.setattr(svg_raster, "CPU_SECONDS", 1)
    started = time.monotonic()
    with pytest.raises(svg_raster.SvgRefused, match="too complex"):
        _rasterise(BLURS)
    assert time.monotonic() - started < svg_raster.WALL_SECONDS


def test_drawing_stops_at_the_wall_clock_limit(monkeypatch):
    monkeypatch.setattr(svg_raster, "WALL_SECONDS", 0.3)
    started = time.monotonic()
    with pytest.raises(svg_raster.SvgRefused, match="too complex"):
        _rasterise(BLURS)
    assert time.monotonic() - started < 3


def test_drawing_stops_at_the_memory_limit(monkeypatch):
    # 512 x 512 RGBA is 1 MB; a 256 kB address-space budget cannot hold the canvas.
    monkeypatch.setattr(svg_raster, "MEMORY_BYTES", 256 * 1024)
    with pytest.raises(svg_raster.SvgRefused, match="too complex"):
        _rasterise(f'<svg {NS} width="40" height="40"><rect width="40" height="40"/></svg>')
