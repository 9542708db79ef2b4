"""Property: for random valid payloads and random designs, a verdict that is not `fail`
means the PNG and the rasterised SVG decode to exactly the encoded text, and a code that
does not decode is never `ok`."""

import base64
import datetime as dt
import io

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from qrapp.core.payloads import parse
from qrapp.core.render import prepare, render
from qrapp.core.scannability import CHECK_PX_PER_MODULE, _grey, check, decode
from tests.unit.qr.helpers import logo_png, svg_image

SETTINGS = settings(
    max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

words = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")), min_size=1, max_size=40
).filter(lambda s: s.strip())
ascii_words = st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=20)
phones = st.integers(10**8, 10**11).map(lambda n: f"+46{n}")

payloads = st.one_of(
    st.builds(lambda p: ("url", {"url": f"https://example.com/{p}"}), ascii_words.map(
        lambda s: "".join(ch for ch in s if ch.isalnum()) or "x")),
    st.builds(lambda t: ("text", {"text": t}), words),
    st.builds(lambda s, p: ("wifi", {"ssid": s[:10], "password": (p * 8)[:20]}),
              words, ascii_words),
    st.builds(lambda f, la, ph: ("vcard", {"first_name": f, "last_name": la, "mobile": ph}),
              words, words, phones),
    st.builds(lambda n, b: ("sms", {"number": n, "body": b}), phones, words),
    st.builds(lambda la, lo: ("geo", {"latitude": la, "longitude": lo}),
              st.floats(-90, 90), st.floats(-180, 180)),
    st.builds(lambda a, m: ("swish", {"payee": "1237856901", "amount": a, "message": m[:20]}),
              st.integers(100, 10**6).map(lambda c: f"{c / 100:.2f}"), ascii_words),
    st.builds(lambda s, d: ("event", {"summary": s, "start": d.isoformat() + "Z"}), words,
              st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1))),
    st.builds(lambda s, b: ("email", {"to": "info@example.com", "subject": s, "body": b}),
              words, words),
    st.builds(lambda n: ("phone", {"number": n}), phones),
    st.builds(lambda la, n: ("mecard", {"last_name": la, "note": n}), words, words),
    st.builds(lambda name, a, t: ("epc", {"name": name[:70], "iban": "DE89370400440532013000",
                                          "amount": a, "text": t[:100]}),
              words, st.integers(1, 10**8).map(lambda c: f"{c / 100:.2f}"), ascii_words),
)  # fmt: skip

colours = st.integers(0, 0xFFFFFF).map(lambda c: f"#{c:06x}")
dark = st.integers(0, 0x50).map(lambda v: f"#{v:02x}{v // 2:02x}{v:02x}")
light = st.integers(0xC8, 0xFF).map(lambda v: f"#{v:02x}{v:02x}{v:02x}")
gradients = st.builds(
    lambda kind, angle, a, b: {
        "kind": kind, "angle": angle,
        "stops": [{"offset": 0, "color": a}, {"offset": 1, "color": b}],
    },
    st.sampled_from(["linear", "radial"]), st.integers(-180, 180), st.one_of(dark, colours),
    st.one_of(dark, colours),
)  # fmt: skip
LOGO = base64.b64encode(logo_png()).decode("ascii")
designs = st.fixed_dictionaries(
    {
        "foreground": st.one_of(dark, colours),
        "background": st.one_of(light, colours),
        "modules": st.sampled_from(
            ["square", "rounded", "extra-rounded", "dots", "classy", "vertical", "horizontal"]
        ),
        "eyes": st.fixed_dictionaries(
            {
                "frame": st.sampled_from(["square", "rounded", "extra-rounded", "circle", "leaf"]),
                "ball": st.sampled_from(["square", "rounded", "circle", "leaf", "diamond"]),
            },
            optional={"frame_color": st.one_of(dark, colours), "ball_color": dark},
        ),
        "error_correction": st.sampled_from(["L", "M", "Q", "H"]),
        "quiet_zone": st.integers(1, 6),
    },
    optional={
        "gradient": gradients,
        "transparent_background": st.booleans(),
        "logo": st.builds(
            lambda size, shape: {"image": LOGO, "size": size, "shape": shape},
            st.floats(0.08, 0.3), st.sampled_from(["square", "circle"]),
        ),
        "frame": st.builds(
            lambda style, text: {"style": style, "text": text},
            st.sampled_from(["none", "banner-bottom", "banner-top", "box", "pill"]),
            st.sampled_from(["SCAN ME", "Menu", "Wi-Fi här"]),
        ),
    },
)  # fmt: skip


@SETTINGS
@given(payload=payloads, design=designs, ppm=st.integers(4, 9))
def test_png_verdict_agrees_with_the_decoder(payload, design, ppm):
    model = parse(*payload)
    ready = prepare(model, design)
    size = ready.layout.width * ppm
    verdict = check(ready, size=size)
    event(f"verdict {verdict.level}")

    decoded = decode(Image.open(io.BytesIO(render(ready, size=size))))
    if verdict.level != "fail":
        assert decoded == model.encode()
        assert verdict.decoded_text == model.encode()
    if decoded != model.encode():
        assert verdict.level != "ok"


@SETTINGS
@given(payload=payloads, design=designs)
def test_svg_decodes_whenever_the_verdict_is_not_fail(payload, design):
    model = parse(*payload)
    ready = prepare(model, design)
    verdict = check(ready)
    event(f"verdict {verdict.level}")
    if verdict.level != "fail":
        # Rasterised by another renderer (resvg) at the size the verdict judged. Known
        # limit, seen about once in 2,500 random designs: coloured eyes right at the 4:1
        # contrast bar on a grey background can read in our raster but not in resvg's at
        # exactly 8 px per module, where ZXing's 8x8 binariser blocks line up.
        size = ready.layout.width * CHECK_PX_PER_MODULE
        image = svg_image(render(ready, fmt="svg", size=size), width=size)
        assert decode(_grey(image)) == model.encode()
