"""The palette path's cache: what a design fixes (palette, frame, caption, eyes, logo) is
built once per design, symbol size and placement; each code paints only its modules.

The cached path must give exactly the pixels of painting every layer in order (the
reference below), and two designs must never share a base or a stamp.
"""

import io

import numpy as np
import pytest
from PIL import Image

from qrapp.core.render import palette as pal
from qrapp.core.render import prepare, raster, render, render_image
from qrapp.core.render.palette import _cached_index_stamps, _logo_palette
from tests.unit.qr.helpers import logo_b64, png_text

URLS = ["https://qr.example.com/Ab3dE5f", "https://qr.example.com/zz9YY8x", "Hello"]
LOGO = {"image": logo_b64(), "size": 0.2}
DESIGNS = {
    "rounded-logo": {
        "foreground": "#1a1a2e",
        "modules": "rounded",
        "eyes": {"frame": "rounded", "ball": "circle", "frame_color": "#1a3d7c"},
        "logo": LOGO,
    },
    "dots-transparent": {
        "modules": "dots",
        "transparent_background": True,
        "eyes": {"frame": "leaf", "ball": "diamond", "ball_color": "#aa0000"},
    },
    "square-modules-round-eyes": {"eyes": {"frame": "circle", "ball": "circle"}},
    "classy-box-frame": {
        "modules": "classy",
        "frame": {"style": "box", "text": "Scan me", "color": "#123456"},
        "logo": {**LOGO, "shape": "circle", "margin": 0},
    },
    "vertical-banner": {
        "modules": "vertical",
        "background": "#fff8e7",
        "frame": {"style": "banner-top", "text": "Hi", "color": "#335577"},
    },
    "horizontal-pill-transparent": {
        "modules": "horizontal",
        "transparent_background": True,
        "frame": {"style": "pill", "text": "Menu", "color": "#222222"},
    },
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    pal.clear_cache()
    yield
    pal.clear_cache()


def _reference(text: str, design, size: int) -> Image.Image:
    """Every layer quantised and painted in order onto one index array: the composition
    the cache must reproduce exactly."""
    ready = prepare(text, design)
    symbol, d, layout = ready.symbol, ready.design, ready.layout
    place = raster.placement(layout, size)
    layers = [
        *raster._under_layers(d, layout, place),
        raster._modules_layer(symbol, d, layout, place),
        *raster._eye_layers(symbol, d, layout, place),
    ]
    palette = pal._Palette(raster._background(d))
    index = np.zeros((place.height, place.width), dtype=np.uint8)
    for layer in layers:
        first = palette.ramp(layer.under, layer.ink) - 1
        level = (layer.coverage.astype(np.uint16) * 15 + 127) // 255
        h, w = layer.coverage.shape
        region = index[layer.y : layer.y + h, layer.x : layer.x + w]
        np.copyto(region, (level + first).astype(np.uint8), where=level > 0)
    logo = raster._logo(d, layout, place)
    if logo is not None:
        spare = 256 - len(palette.entries)
        prepared = _logo_palette(logo.data, *logo.box, raster._background(d), spare)
        assert prepared is not None
        indices, entries = prepared
        first = len(palette.entries)
        palette.entries.extend(entries)
        h, w = indices.shape
        region = index[logo.y : logo.y + h, logo.x : logo.x + w]
        np.copyto(region, (indices + first).astype(np.uint8), where=indices != 255)
    image = Image.fromarray(index, "P")
    image.putpalette([v for colour, _a in palette.entries for v in raster.rgb(colour)])
    image.info["transparency"] = bytes(alpha for _c, alpha in palette.entries)
    return image


def _rgba(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGBA"))


@pytest.mark.parametrize("name", list(DESIGNS))
@pytest.mark.parametrize("size", [200, 1024])
def test_cached_path_paints_exactly_the_layer_by_layer_picture(name, size):
    design = DESIGNS[name]
    for text in URLS:  # the first builds the base, the others reuse it
        image = render_image(text, design, size=size)
        assert image.mode == "P"
        assert np.array_equal(_rgba(image), _rgba(_reference(text, design, size))), text


def test_a_cache_hit_gives_the_same_bytes_as_a_fresh_render():
    design = DESIGNS["classy-box-frame"]
    render(URLS[1], design, "png", size=600)  # fills the cache
    warm = render(URLS[0], design, "png", size=600)
    pal.clear_cache()
    assert render(URLS[0], design, "png", size=600) == warm
    assert png_text(warm) == URLS[0]


def test_designs_that_differ_in_one_field_never_share_a_base():
    first = DESIGNS["rounded-logo"]
    variants = [
        {**first, "foreground": "#1a1a2f"},
        {**first, "eyes": {**first["eyes"], "ball": "square"}},
        {**first, "logo": {**LOGO, "size": 0.22}},
        {**first, "modules": "extra-rounded"},
    ]
    for variant in variants:
        pal.clear_cache()
        alone = _rgba(render_image(URLS[0], variant, size=400))
        pal.clear_cache()
        render_image(URLS[0], first, size=400)  # the first design's base is kept...
        after = _rgba(render_image(URLS[0], variant, size=400))  # ...and not used here
        assert np.array_equal(after, alone)
        assert not np.array_equal(after, _rgba(render_image(URLS[0], first, size=400)))
    assert len(pal._bases) == 2


def test_sizes_and_symbol_sizes_get_their_own_bases():
    design = DESIGNS["rounded-logo"]
    for size in (300, 301, 1024):
        render_image(URLS[0], design, size=size)
    render_image("https://qr.example.com/" + "x" * 80, design, size=1024)  # a larger symbol
    assert len(pal._bases) == 4
    assert np.array_equal(
        _rgba(render_image(URLS[0], design, size=300)), _rgba(_reference(URLS[0], design, 300))
    )


def test_the_cache_is_bounded_and_print_sizes_are_not_kept():
    for k in range(pal.BASE_CACHE_SIZE + 3):
        render_image(URLS[0], {**DESIGNS["dots-transparent"], "foreground": f"#0000{k:02x}"}, 200)
    assert len(pal._bases) == pal.BASE_CACHE_SIZE
    pal.clear_cache()
    render_image(URLS[0], DESIGNS["rounded-logo"], size=3000)
    assert len(pal._bases) == 0


def test_painting_a_code_leaves_the_cached_frame_untouched():
    design = DESIGNS["vertical-banner"]
    first = _rgba(render_image(URLS[0], design, size=300))
    render_image(URLS[1], design, size=300)
    (base,) = pal._bases.values()
    assert base is not None
    assert base.under is not None
    assert not base.under.flags.writeable
    assert np.array_equal(_rgba(render_image(URLS[0], design, size=300)), first)


def test_index_stamps_are_kept_per_style_scale_and_palette_offset():
    rounded = _cached_index_stamps("rounded", 12, 16)
    assert _cached_index_stamps("rounded", 12, 16) is rounded
    for other in (("dots", 12, 16), ("rounded", 13, 16), ("rounded", 12, 31)):
        stamps = _cached_index_stamps(*other)
        assert stamps is not rounded
        assert stamps.shape[1:] != rounded.shape[1:] or not np.array_equal(stamps, rounded)


def test_a_photo_logo_falls_back_to_rgb_every_time():
    noise = np.random.default_rng(1).integers(0, 256, (96, 96, 3), dtype=np.uint8)
    photo = Image.fromarray(noise, "RGB")  # too many colours for the palette's spare entries
    out = io.BytesIO()
    photo.save(out, "PNG")
    design = {"modules": "rounded", "logo": {"image": out.getvalue(), "size": 0.3}}
    for text in URLS[:2]:
        assert render_image(text, design, size=300).mode == "RGB"
    assert list(pal._bases.values()) == [None]
