"""Rendering: every format, every style; judged by decoding, plus format facts."""

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import segno
from PIL import Image

from qrapp.core.payloads import PayloadError, parse
from qrapp.core.render import PRESETS, Design, DesignError, prepare, preset, render, render_image
from qrapp.core.render.symbol import build_symbol
from tests.unit.qr.helpers import logo_b64, logo_png, png_text, svg_image, svg_text

URL = "https://example.com/menu?table=12"
STYLES = ["square", "rounded", "extra-rounded", "dots", "classy", "vertical", "horizontal"]


@pytest.mark.parametrize("text", [URL, "Hej då, Åsa! 日本語", "x" * 500, "WIFI:T:WPA;S:a\\;b;;"])
@pytest.mark.parametrize("level", ["L", "M", "Q", "H"])
def test_symbol_is_segnos_matrix_for_the_chosen_mask(text, level):
    symbol = build_symbol(text, level)
    encoding = None if text.isascii() else "utf-8"
    reference = segno.make_qr(text, error=level, mask=symbol.mask, encoding=encoding)
    assert np.array_equal(np.array(reference.matrix, dtype=bool), symbol.dark)
    assert "LMQH".index(symbol.error) >= "LMQH".index(level)


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_decodes_in_png_and_svg(name):
    assert png_text(render(URL, PRESETS[name], "png", size=500)) == URL
    assert svg_text(render(URL, PRESETS[name], "svg", size=500)) == URL


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("eyes", [("square", "square"), ("circle", "circle"), ("leaf", "diamond")])
def test_module_and_eye_styles_decode(style, eyes):
    design = {"modules": style, "eyes": {"frame": eyes[0], "ball": eyes[1]}}
    assert png_text(render(URL, design, "png", size=400)) == URL
    assert svg_text(render(URL, design, "svg", size=400)) == URL


def test_png_is_exactly_the_requested_width_with_whole_pixel_modules():
    image = Image.open(io.BytesIO(render(URL, None, "png", size=333, dpi=600)))
    assert image.size == (333, 333)
    assert image.info["dpi"] == pytest.approx((600, 600), abs=1)
    # Plain designs are 1-bit palette PNGs: two colours, no anti-aliasing.
    assert image.mode == "P"
    assert len(image.getcolors()) == 2


def test_plain_png_is_small():
    assert len(render(URL, None, "png", size=1024)) < 4000


def test_flat_styled_design_stays_a_palette_png():
    image = render_image(URL, {"modules": "dots", "foreground": "#224466"}, size=300)
    assert image.mode == "P"


def test_gradient_design_is_rgb_and_transparent_is_rgba():
    gradient = PRESETS["ocean"]
    assert render_image(URL, gradient, size=300).mode == "RGB"
    transparent = {**gradient, "transparent_background": True}
    assert render_image(URL, transparent, size=300).mode == "RGBA"


def test_transparent_plain_png_has_a_transparent_background():
    image = Image.open(io.BytesIO(render(URL, {"transparent_background": True}, "png", size=300)))
    rgba = image.convert("RGBA")
    assert rgba.getpixel((0, 0))[3] == 0
    assert png_text(render(URL, {"transparent_background": True}, "png", size=300)) == URL


def test_svg_is_well_formed_and_vector():
    svg = render(URL, PRESETS["ocean"], "svg", size=512).decode()
    root = ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input
    assert root.tag.endswith("svg")
    assert root.get("width") == "512"
    assert "<image" not in svg
    assert "linearGradient" in svg


def test_svg_frame_caption_is_outlined_not_text():
    svg = render(URL, PRESETS["corporate"], "svg", size=512).decode()
    assert "<text" not in svg
    assert "font-family" not in svg
    assert svg_text(svg.encode()) == URL


def test_svg_embeds_the_logo():
    svg = render(URL, {"logo": {"image": logo_b64()}}, "svg", size=512).decode()
    assert 'href="data:image/png;base64,' in svg


@pytest.mark.parametrize("name", ["classic", "ocean", "radial-glow", "corporate"])
def test_pdf_is_a_vector_page_of_the_print_size(name):
    pdf = render(URL, PRESETS[name], "pdf", size=1181, dpi=300)
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    media = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert media is not None
    assert float(media.group(1)) == pytest.approx(1181 / 300 * 72, rel=1e-3)  # 10 cm
    assert b"/Subtype /Image" not in pdf
    # The cross-reference table points at every object.
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split()[0])
    assert pdf[xref : xref + 4] == b"xref"


def test_pdf_with_gradient_uses_a_shading_and_logo_an_image():
    pdf = render(URL, {**PRESETS["ocean"], "logo": {"image": logo_b64()}}, "pdf")
    assert b"/ShadingType 2" in pdf
    assert b"/Subtype /Image" in pdf
    assert b"/SMask" in pdf


def test_eps_has_a_bounding_box():
    eps = render(URL, PRESETS["sunset"], "eps", size=720, dpi=72)
    assert eps.startswith(b"%!PS-Adobe-3.0 EPSF-3.0")
    assert b"%%BoundingBox: 0 0 720 720" in eps
    assert b"shfill" in eps


def test_logo_raises_error_correction_and_clears_modules():
    design = Design.parse({"logo": {"image": logo_b64(), "size": 0.2}})
    assert design.effective_error in ("Q", "H")
    ready = prepare(URL, design)
    assert ready.symbol.error in ("Q", "H")
    assert ready.layout.cleared.any()
    centre = ready.symbol.size // 2
    assert ready.layout.cleared[centre, centre]
    assert png_text(render(ready, size=500)) == URL


@pytest.mark.parametrize("shape", ["square", "circle"])
def test_logo_shapes_decode(shape):
    design = {"modules": "rounded", "logo": {"image": logo_b64(), "size": 0.25, "shape": shape}}
    assert png_text(render(URL, design, "png", size=500)) == URL
    assert svg_text(render(URL, design, "svg", size=500)) == URL


@pytest.mark.parametrize("style", ["banner-bottom", "banner-top", "box", "pill"])
def test_frames_decode_and_grow_the_canvas(style):
    design = {"frame": {"style": style, "text": "Scan för menyn"}, "modules": "rounded"}
    image = render_image(URL, design, size=400)
    assert image.width == 400
    assert image.height > 400
    assert png_text(render(URL, design, "png", size=400)) == URL
    assert svg_text(render(URL, design, "svg", size=400)) == URL


def test_payload_model_and_its_preferred_error_level():
    epc = parse("epc", {"name": "A", "iban": "DE89370400440532013000", "amount": "12.5"})
    ready = prepare(epc, {"error_correction": "L"})
    assert ready.symbol.error in ("M", "Q", "H")
    assert png_text(render(ready, size=400)) == epc.encode()


def test_design_round_trips_through_json():
    design = Design.parse({**PRESETS["radial-glow"], "logo": {"image": logo_b64()}})
    again = Design.model_validate_json(design.model_dump_json())
    assert again == design


def test_logo_accepts_raw_bytes_base64_and_data_urls():
    raw = Design.parse({"logo": {"image": logo_png()}})
    assert raw == Design.parse({"logo": {"image": logo_b64()}})
    assert raw == Design.parse({"logo": {"image": "data:image/png;base64," + logo_b64()}})
    assert raw.model_dump(mode="json")["logo"]["image"] == logo_b64()


def test_design_errors_name_the_field():
    with pytest.raises(DesignError) as info:
        Design.parse({"foreground": "red", "modules": "blob", "logo": {"image": "bm9wZQ=="}})
    assert set(info.value.errors) == {"foreground", "modules", "logo.image"}
    with pytest.raises(DesignError) as info:
        Design.parse({"frame": {"style": "pill", "text": "  "}})
    assert info.value.errors == {"frame.text": "A frame needs a caption."}


def test_bad_render_arguments_are_field_errors():
    with pytest.raises(PayloadError) as info:
        render(URL, None, "gif")  # type: ignore[arg-type]
    assert "format" in info.value.errors
    with pytest.raises(PayloadError):
        render(URL, None, "png", size=10)
    with pytest.raises(PayloadError):
        render("", None, "png")
    with pytest.raises(PayloadError):
        render("x" * 2000, {"error_correction": "H"}, "png")


def test_presets_are_valid_designs():
    assert len(PRESETS) >= 8
    for name in PRESETS:
        assert isinstance(preset(name), Design)


def test_same_input_gives_identical_bytes():
    design = {**PRESETS["corporate"], "logo": {"image": logo_b64()}}
    for fmt in ("png", "svg", "pdf", "eps"):
        assert render(URL, design, fmt, size=400) == render(URL, design, fmt, size=400)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("name", ["classic", "ocean", "radial-glow", "corporate"])
def test_pdf_rasterised_by_poppler_decodes(name, tmp_path):
    pdf = tmp_path / "code.pdf"
    pdf.write_bytes(render(URL, {**PRESETS[name], "logo": {"image": logo_b64()}}, "pdf"))
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert png_text((tmp_path / "page-1.png").read_bytes()) == URL


@pytest.mark.skipif(shutil.which("gs") is None, reason="ghostscript not installed")
def test_eps_rasterised_by_ghostscript_decodes(tmp_path):
    eps = tmp_path / "code.eps"
    eps.write_bytes(render(URL, {**PRESETS["sunset"], "logo": {"image": logo_b64()}}, "eps"))
    out = tmp_path / "eps.png"
    args = ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dEPSCrop", "-sDEVICE=png16m", "-r72"]
    subprocess.run(["gs", *args, f"-sOutputFile={out}", str(eps)], check=True)
    assert png_text(out.read_bytes()) == URL


def test_print_width_in_millimetres():
    pdf = render(URL, None, "pdf", width_mm=25.4)
    assert b"/MediaBox [0 0 72 72]" in pdf
    png = Image.open(io.BytesIO(render(URL, None, "png", width_mm=50.8, dpi=300)))
    assert png.size == (600, 600)
    with pytest.raises(PayloadError) as info:
        render(URL, None, "pdf", width_mm=1)
    assert "width_mm" in info.value.errors


@pytest.mark.parametrize(
    ("name", "tolerance"),
    [("classic", 0.0), ("soft-rounded", 3), ("dots", 3), ("forest", 6), ("cafe", 6)],
)
def test_png_and_svg_draw_the_same_picture(name, tolerance):
    # The rasteriser (stamps) and the vector writers (traced outlines) share geometry:
    # at the same pixel size they differ only in anti-aliasing at shape edges.
    ready = prepare(URL, PRESETS[name])
    size = ready.layout.width * 8
    png = np.asarray(Image.open(io.BytesIO(render(ready, size=size))).convert("L"), dtype=float)
    svg = np.asarray(svg_image(render(ready, fmt="svg", size=size), width=size).convert("RGBA"))
    alpha = svg[..., 3:4] / 255
    grey = (svg[..., :3] * alpha + 255 * (1 - alpha)).mean(axis=-1)
    assert png.shape == grey.shape
    assert np.abs(png - grey).mean() <= tolerance


def test_logo_pixel_floods_are_field_errors():
    # A tiny file that claims a huge canvas must be refused before anything decodes it.
    flood = io.BytesIO()
    Image.new("1", (20000, 20000)).save(flood, "PNG")
    with pytest.raises(DesignError) as info:
        Design.parse({"logo": {"image": flood.getvalue()}})
    assert "pixels" in info.value.errors["logo.image"]
