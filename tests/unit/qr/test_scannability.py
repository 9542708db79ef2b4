"""The verdict: decoder evidence first, then contrast, logo budget and quiet zone."""

import pytest

from qrapp.core.render import PRESETS, prepare, render
from qrapp.core.scannability import check, check_image, contrast_ratio
from tests.unit.qr.helpers import logo_b64

URL = "https://example.com/menu?table=12"


def test_plain_code_is_ok_and_decodes():
    verdict = check(URL)
    assert verdict.level == "ok"
    assert verdict.decoded_text == URL
    assert verdict.metrics["contrast"] == pytest.approx(21)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_are_not_failing(name):
    assert check(URL, PRESETS[name]).level in ("ok", "warn")


def test_invisible_code_fails():
    verdict = check(URL, {"foreground": "#ffffff", "background": "#ffffff"})
    assert verdict.level == "fail"
    assert any("could not read" in reason for reason in verdict.reasons)


def test_low_contrast_fails_even_if_the_clean_render_decodes():
    verdict = check(URL, {"foreground": "#cccccc"})
    assert verdict.level == "fail"
    assert any("contrast" in reason.lower() for reason in verdict.reasons)


def test_middling_contrast_warns():
    verdict = check(URL, {"foreground": "#8a8a8a"})
    assert verdict.level == "warn"


def test_inverted_code_warns():
    verdict = check(URL, {"foreground": "#ffffff", "background": "#111111"})
    assert verdict.level == "warn"
    assert any("inverted" in reason for reason in verdict.reasons)


def test_eye_colours_count_for_contrast():
    verdict = check(URL, {"eyes": {"frame_color": "#eeeeee"}})
    assert verdict.level == "fail"
    # Eyes are held to the good-contrast bar: scanners locate the code by them.
    verdict = check(URL, {"eyes": {"frame_color": "#8a8a8a"}})
    assert verdict.level == "fail"
    assert "eyes.frame_color" in verdict.fields
    assert check(URL, {"eyes": {"frame_color": "#e63946"}}).level == "ok"


def test_logo_budget_is_reported():
    verdict = check(URL, {"logo": {"image": logo_b64(), "size": 0.3, "margin": 3}})
    assert verdict.metrics["logo_budget_use"] > 0.6
    assert verdict.level in ("warn", "fail")
    small = check(URL, {"logo": {"image": logo_b64(), "size": 0.12, "margin": 0.5}})
    assert small.level == "ok"
    assert small.metrics["logo_budget_use"] < 0.6


def test_thin_quiet_zone_warns():
    assert check(URL, {"quiet_zone": 1}).level == "warn"


def test_check_reuses_a_prepared_code_and_size():
    ready = prepare(URL, PRESETS["dots"])
    verdict = check(ready, size=ready.layout.width * 4)
    assert verdict.decoded_text == URL
    assert verdict.metrics["px_per_module"] == 4


def test_contrast_ratio_matches_wcag():
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)


def test_check_image_reads_files():
    verdict = check_image(render(URL, PRESETS["forest"], "png", size=500))
    assert verdict.decoded_text == URL
    assert verdict.level == "ok"
    assert check_image(render(URL, None, "png", size=300), expected_text="other").level == "fail"


def test_check_image_of_a_blank_image_fails():
    blank = render(URL, {"foreground": "#ffffff"}, "png", size=200)
    assert check_image(blank).level == "fail"


def test_several_risks_together_fail():
    verdict = check(URL, {"foreground": "#8a8a8a", "quiet_zone": 1})
    assert verdict.level == "fail"
    assert any("Several risks" in reason for reason in verdict.reasons)


def test_designs_that_fail_at_block_aligned_scales_fail():
    # A dim background: zxing-cpp reads this at 10 px per module but not at 8 (its 8x8
    # binariser blocks line up with the modules), so the verdict must not pass it.
    design = {"background": "#007d3d", "quiet_zone": 1, "error_correction": "L",
              "logo": {"image": logo_b64(), "size": 0.25}}  # fmt: skip
    verdict = check("https://example.com/0", design)
    assert verdict.level == "fail"
    assert any("certain distances" in reason for reason in verdict.reasons)


def test_verdict_names_the_design_fields_to_change():
    assert check(URL).fields == ()
    assert "foreground" in check(URL, {"foreground": "#cccccc"}).fields
    assert check(URL, {"quiet_zone": 1}).fields == ("quiet_zone",)
    big_logo = check(URL, {"logo": {"image": logo_b64(), "size": 0.3, "margin": 3}})
    assert "logo.size" in big_logo.fields


def test_render_checked_returns_the_file_and_its_verdict():
    from qrapp.core.scannability import render_checked

    png, verdict = render_checked(URL, PRESETS["candy"], "png", size=300)
    assert png.startswith(b"\x89PNG")
    assert verdict.decoded_text == URL


def test_marginal_designs_that_flip_with_rendering_details_fail():
    # Found by the property test: reads in our PNG at 8 px per module but not in the
    # same SVG rasterised by resvg; the eyes' contrast (4.0:1 is the bar) gives it away.
    design = {
        "background": "#c8c8c8",
        "eyes": {"ball": "leaf", "frame_color": "#b71b00"},
        "error_correction": "L",
        "quiet_zone": 2,
    }
    assert check("https://example.com/0", design).level == "fail"
