"""The `qrapp qr` commands: happy paths and field messages with a non-zero exit."""

import json

from click.testing import CliRunner

from qrapp.cli import main


def run(*args: str):
    return CliRunner().invoke(main, ["qr", *args])


def test_render_png_then_check(tmp_path):
    out = tmp_path / "swish.png"
    data = json.dumps({"payee": "1237856901", "amount": "100", "message": "12229445"})
    result = run("render", "--type", "swish", "--data", data, "--preset", "forest", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\x89PNG")
    checked = run("check", str(out))
    assert checked.exit_code == 0
    assert "decoded: 'C1237856901;100,00;12229445;0'" in checked.output
    assert "verdict: ok" in checked.output


def test_render_svg_with_design_file_and_check(tmp_path):
    design = tmp_path / "design.json"
    design.write_text(json.dumps({"modules": "dots", "eyes": {"frame": "circle"}}))
    out = tmp_path / "code.svg"
    result = run(
        "render", "--type", "url", "--data", '{"url": "example.com"}',
        "--design", f"@{design}", "--format", "svg", "--size", "300", "-o", str(out), "--check",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "decoded: 'https://example.com'" in result.output
    assert "verdict: " in result.output
    assert "decoded: 'https://example.com'" in run("check", str(out)).output


def test_render_pdf(tmp_path):
    out = tmp_path / "code.pdf"
    result = run(
        "render", "--type", "text", "--data", '{"text": "hi"}', "--mm", "30", "-o", str(out)
    )
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")
    checked = run("check", str(out))
    assert checked.exit_code == 1
    assert "check the PNG or SVG" in checked.output


def test_bad_payload_prints_field_messages_and_fails(tmp_path):
    result = run(
        "render", "--type", "wifi", "--data", '{"ssid": "x", "password": "short"}',
        "-o", str(tmp_path / "x.png"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "password: A WPA password has 8 to 63 characters." in result.output
    assert not (tmp_path / "x.png").exists()


def test_bad_design_names_the_design_field(tmp_path):
    result = run(
        "render", "--type", "url", "--data", '{"url": "example.com"}',
        "--design", '{"foreground": "red"}', "-o", str(tmp_path / "x.png"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "design.foreground" in result.output


def test_bad_json_is_a_usage_error(tmp_path):
    result = run("render", "--type", "url", "--data", "{nope", "-o", str(tmp_path / "x.png"))
    assert result.exit_code == 2
    assert "not valid JSON" in result.output


def test_check_of_an_image_without_a_code_fails(tmp_path):
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("L", (100, 100), 255).save(blank)
    result = run("check", str(blank))
    assert result.exit_code == 1
    assert "verdict: fail" in result.output


def test_types_lists_content_types_and_fields():
    assert "swish" in run("types").output
    assert "iban" in run("types", "epc").output


def test_presets_lists_every_preset():
    output = run("presets").output
    assert "classic" in output
    assert "ocean" in output
    assert "corporate" in output


def test_check_prints_json(tmp_path):
    out = tmp_path / "code.png"
    run("render", "--type", "text", "--data", '{"text": "hi"}', "--size", "200", "-o", str(out))
    result = run("check", str(out), "--json")
    verdict = json.loads(result.output)
    assert verdict["decoded_text"] == "hi"
    assert verdict["level"] == "ok"
