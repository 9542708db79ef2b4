"""`qrapp qr ...`: render and check QR codes from the command line.

qrapp qr render --type url --data '{"url": "https://example.com"}' -o code.png
qrapp qr render --type wifi --data @wifi.json --preset ocean --format svg -o wifi.svg
qrapp qr check code.png
"""

import base64
import dataclasses
import json
from pathlib import Path
from typing import Any

import click

from qrapp.core import scannability
from qrapp.core.payloads import TYPES, PayloadError, fields, parse
from qrapp.core.render import FORMATS, PRESETS, prepare, render


def _json_arg(value: str, name: str) -> dict[str, Any]:
    """Inline JSON, or @path to a JSON file."""
    try:
        text = Path(value[1:]).read_text(encoding="utf-8") if value.startswith("@") else value
        data = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise click.BadParameter(f"not valid JSON ({exc})", param_hint=name) from None
    if not isinstance(data, dict):
        raise click.BadParameter("must be a JSON object", param_hint=name)
    return data


def _fail(errors: dict[str, str], prefix: str = "") -> None:
    for name, message in errors.items():
        label = prefix + name if name != "__all__" else (prefix.rstrip(".") or "input")
        click.echo(f"error: {label}: {message}", err=True)
    raise SystemExit(1)


def _print_verdict(verdict: scannability.Verdict) -> None:
    click.echo(f"decoded: {verdict.decoded_text!r}" if verdict.decoded_text else "decoded: -")
    click.echo(f"verdict: {verdict.level}")
    for reason in verdict.reasons:
        click.echo(f"  - {reason}")


@click.group()
def qr() -> None:
    """Render and check QR codes."""


@qr.command("render")
@click.option("--type", "type_name", required=True, type=click.Choice(list(TYPES)))
@click.option("--data", required=True, help="Field values as JSON, or @file.json.")
@click.option("--design", "design_json", help="Design as JSON, or @file.json.")
@click.option("--preset", type=click.Choice(list(PRESETS)), help="Start from a preset design.")
@click.option("--logo", type=click.Path(exists=True, dir_okay=False), help="Logo image file.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="Default: from -o.")
@click.option("--size", type=int, default=1024, show_default=True, help="Width in pixels.")
@click.option("--dpi", type=int, default=300, show_default=True, help="For print sizes.")
@click.option("--mm", "width_mm", type=float, help="Print width in mm (overrides --size).")
@click.option("--check", "run_check", is_flag=True, help="Also print the scannability verdict.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def render_command(
    type_name: str,
    data: str,
    design_json: str | None,
    preset: str | None,
    logo: str | None,
    fmt: str | None,
    size: int,
    dpi: int,
    width_mm: float | None,
    run_check: bool,
    output: str,
) -> None:
    """Render a code of content TYPE to a PNG, SVG, PDF or EPS file."""
    design: dict[str, Any] = dict(PRESETS[preset]) if preset else {}
    if design_json:
        design.update(_json_arg(design_json, "--design"))
    if logo:
        logo_settings = dict(design.get("logo") or {})
        logo_settings["image"] = base64.b64encode(Path(logo).read_bytes()).decode("ascii")
        design["logo"] = logo_settings
    fmt = fmt or Path(output).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise click.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        payload = parse(type_name, _json_arg(data, "--data"))
        ready = prepare(payload, design)
        content = render(ready, fmt=fmt, size=size, dpi=dpi, width_mm=width_mm)  # type: ignore[arg-type]
    except PayloadError as exc:
        prefix = "design." if type(exc).__name__ == "DesignError" else ""
        _fail(exc.errors, prefix)
        return
    Path(output).write_bytes(content)
    symbol = ready.symbol
    click.echo(
        f"wrote {output}: {fmt}, {len(content)} bytes, "
        f"version {symbol.version}-{symbol.error}, {symbol.size}x{symbol.size} modules"
    )
    if run_check:
        _print_verdict(scannability.check(ready))


def _rasterise_svg(data: bytes) -> bytes:
    import resvg_py  # only needed to check SVG files; the renderer does not use it

    return bytes(resvg_py.svg_to_bytes(svg_string=data.decode("utf-8"), width=1024))


@qr.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--expect", help="Fail unless the code holds exactly this text.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check_command(file: str, expect: str | None, as_json: bool) -> None:
    """Decode FILE (PNG, JPEG, WebP or SVG) and print the text and the verdict."""
    data = Path(file).read_bytes()
    if data.startswith(b"%PDF") or data.startswith(b"%!PS"):
        _fail({"file": "PDF and EPS cannot be checked directly; check the PNG or SVG."})
    if data.lstrip().startswith((b"<?xml", b"<svg")):
        data = _rasterise_svg(data)
    try:
        verdict = scannability.check_image(data, expected_text=expect)
    except PayloadError as exc:
        _fail(exc.errors)
        return
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(verdict), ensure_ascii=False))
    else:
        _print_verdict(verdict)
    if verdict.level == "fail":
        raise SystemExit(1)


@qr.command("types")
@click.argument("type_name", required=False, type=click.Choice(list(TYPES)))
def types_command(type_name: str | None) -> None:
    """List content types, or the fields of one."""
    if type_name is None:
        for name, model in TYPES.items():
            click.echo(f"{name:8} {model.label}")
        return
    for spec in fields(type_name):
        flag = "required" if spec.required else f"default {spec.default!r}"
        choices = f" one of {', '.join(spec.choices)}" if spec.choices else ""
        click.echo(f"{spec.name:20} {spec.kind:10} {flag}{choices}  {spec.label}")


@qr.command("presets")
def presets_command() -> None:
    """List the preset designs (use with render --preset NAME)."""
    for name, data in PRESETS.items():
        summary = ", ".join(
            f"{key}={value}" for key, value in data.items() if isinstance(value, str)
        )
        click.echo(f"{name:12} {summary or 'black on white, square modules'}")
