"""Write every landing-page starter's HTML (and, with --shots, a 390 px wide screenshot in
Debian's chromium with JavaScript off) to a folder, to look at them as a visitor would.

    .venv/bin/python scripts/page_starters.py var/starters --shots

Remote images (the product photo) are answered with a local placeholder of the same
shape, so the screenshot shows the layout without network access.
"""

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qrapp.core.pages.document import parse_document  # noqa: E402
from qrapp.core.pages.render import render_page  # noqa: E402
from qrapp.core.pages.starters import STARTERS  # noqa: E402

ORIGIN = "https://pages.test"


def _placeholder_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 600), "#e9c46a")
    draw = ImageDraw.Draw(image)
    draw.ellipse((300, 150, 600, 450), outline="#264653", width=28)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def write_pages(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for starter in STARTERS:
        page = render_page(parse_document(starter.document()), slug=starter.key.replace("_", "-"))
        path = folder / f"{starter.key}.html"
        path.write_text(page.html, encoding="utf-8")
        print(f"{path}  {len(page.html.encode()):,} bytes")
        paths.append(path)
    return paths


def screenshots(paths: list[Path], width: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS

    png = _placeholder_png()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": 844}, device_scale_factor=1,
            java_script_enabled=False,
        )  # fmt: skip
        pages = {f"{ORIGIN}/p/{path.stem}": path for path in paths}

        def answer(route):  # the pages from their files, any other request a placeholder
            path = pages.get(route.request.url)
            if path is not None:
                route.fulfill(body=path.read_text(encoding="utf-8"), content_type="text/html")
            else:
                route.fulfill(body=png, content_type="image/png")

        # Served from an https origin, not file://, so the page's CSP and images behave
        # as they will on the edge.
        context.route("**/*", answer)
        page = context.new_page()
        for url, path in pages.items():
            page.goto(url)
            shot = path.with_suffix(f".{width}.png")
            page.screenshot(path=str(shot), full_page=True)
            print(shot)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--shots", action="store_true", help="also take screenshots")
    parser.add_argument("--width", type=int, default=390)
    args = parser.parse_args()
    paths = write_pages(args.folder)
    if args.shots:
        screenshots(paths, args.width)


if __name__ == "__main__":
    main()
