"""Benchmark: our QR renderer against segno's own PNG writer, in the same run.

    .venv/bin/python bench/qr_render.py [--codes 500] [--rss-codes 10000]

Every figure is the median time per code over the same URL payloads, and its ratio to
the baseline `segno.make(url).save(png, scale=10)` (10 px per module, segno's default
4-module quiet zone). Our renders are asked for the same pixel width. Targets (issue 3):
plain PNG <= 1.0x, styled PNG <= 2.0x, SVG <= 1.0x, scannability check <= 5 ms.
The RSS check renders many codes in one process and reports resident-memory growth.
"""

import argparse
import base64
import gc
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import segno
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qrapp.core.render import prepare, render
from qrapp.core.scannability import check


def _logo() -> str:
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, 248, 248), 56, fill=(230, 57, 70, 255))
    draw.rectangle((88, 88, 168, 168), fill=(255, 255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


STYLED = {
    "modules": "rounded",
    "eyes": {"frame": "rounded", "ball": "circle", "frame_color": "#e63946"},
    "logo": {"image": _logo(), "size": 0.22},
    "error_correction": "H",
}


def _urls(count: int) -> list[str]:
    return [
        f"https://example.com/p/{i}?utm_source=qr&ref={i * 7919 % 100003}" for i in range(count)
    ]


def _medians_ms(urls: list[str], actions: list[Callable[[str], object]]) -> list[float]:
    """Median ms per code of each action, interleaved per payload so that load from
    anything else on the machine hits the baseline and our renders alike."""
    for url in urls[:20]:  # warm caches (font, stamps, logo) as a long-running worker would
        for action in actions:
            action(url)
    times: list[list[float]] = [[] for _ in actions]
    for url in urls:
        for index, action in enumerate(actions):
            start = time.perf_counter()
            action(url)
            times[index].append(time.perf_counter() - start)
    return [statistics.median(series) * 1000 for series in times]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=500)
    parser.add_argument("--rss-codes", type=int, default=10_000)
    args = parser.parse_args()
    urls = _urls(args.codes)
    # The pixel width segno's PNG has at scale 10, so both sides draw the same image size.
    width = {url: segno.make(url).symbol_size(scale=10)[0] for url in urls}
    width_styled = {url: prepare(url, STYLED).layout.width * 10 for url in urls}

    def segno_png(url: str) -> bytes:
        out = io.BytesIO()
        segno.make(url).save(out, kind="png", scale=10)
        return out.getvalue()

    def segno_svg(url: str) -> bytes:
        out = io.BytesIO()
        segno.make(url).save(out, kind="svg")
        return out.getvalue()

    rows = [
        ("plain PNG", lambda u: render(u, None, "png", size=width[u]), 1.0),
        ("styled PNG (rounded, eyes, logo, EC H)",
         lambda u: render(u, STYLED, "png", size=width_styled[u]), 2.0),
        ("plain SVG", lambda u: render(u, None, "svg", size=width[u]), 1.0),
        ("styled SVG", lambda u: render(u, STYLED, "svg", size=width_styled[u]), None),
        ("plain PDF", lambda u: render(u, None, "pdf", size=width[u]), None),
        ("styled PDF", lambda u: render(u, STYLED, "pdf", size=width_styled[u]), None),
        ("scannability check, plain (10 px/module)", lambda u: check(u), None),
        ("scannability check, styled (10 px/module)", lambda u: check(u, STYLED), None),
    ]  # fmt: skip
    baseline, segno_svg_ms, *ours = _medians_ms(
        urls, [segno_png, segno_svg, *(action for _name, action, _target in rows)]
    )
    print(f"{len(urls)} URL payloads, median per code; baseline = segno.make().save(png, scale=10)")
    print(f"{'baseline segno PNG':44} {baseline:7.3f} ms   1.00x")
    print(
        f"{'segno SVG (for reference)':44} {segno_svg_ms:7.3f} ms   {segno_svg_ms / baseline:.2f}x"
    )
    for (name, _action, target), ms in zip(rows, ours, strict=True):
        goal = f"  (target <= {target:.1f}x)" if target else ""
        if name.startswith("scannability"):
            goal = "  (target <= 5 ms)"
        extra = f", {ms / segno_svg_ms:.2f}x segno SVG" if name == "plain SVG" else ""
        print(f"{name:44} {ms:7.3f} ms   {ms / baseline:.2f}x{goal}{extra}")

    if args.rss_codes:
        many = _urls(args.rss_codes)
        gc.collect()
        for url in many[:200]:  # steady state first: caches and allocator pools filled
            render(url, STYLED if len(url) % 2 else None, "png", size=410)
        gc.collect()
        before = _rss_mb()
        start = time.perf_counter()
        for index, url in enumerate(many):
            design = STYLED if index % 2 else None
            render(url, design, ("png", "svg", "pdf")[index % 3], size=410)
        gc.collect()
        after = _rss_mb()
        seconds = time.perf_counter() - start
        print(
            f"RSS over {len(many)} codes (mixed plain/styled, PNG/SVG/PDF): "
            f"{before:.1f} MB -> {after:.1f} MB, growth {after - before:+.1f} MB "
            f"(target < 50 MB), {seconds:.1f} s"
        )


if __name__ == "__main__":
    main()
