"""Exported pages paint before their scripts compete for the connection.

Every page is prerendered: its HTML and the one stylesheet paint it, and the scripts
only make it interactive (hydration, then the websocket). React Router lists every
script a page imports as `<link rel="modulepreload">` in the head, which Chrome fetches
at High priority beside the render-blocking stylesheet: on a slow phone connection the
200 KB of scripts share the bandwidth with the stylesheet, and the first paint waits for
both (Lighthouse mobile /login: FCP and LCP 3.1 s).

- Every page: `fetchpriority="low"` on those links lets the stylesheet go first.
- The public pages people land on (`paint_first`: log in, sign up, the home page...):
  the scripts are asked for once the page has painted (one frame later; at once in a
  hidden tab), all at the same time as before. Their text is in the HTML, so nothing
  a person reads waits for them; signed-in pages keep fetching at once, since their
  content comes over the websocket the scripts open.

A Reflex plugin whose `post_build` hook rewrites the exported HTML before Reflex
compresses it (reflex.utils.build.build). A page whose bootstrap does not have the
shape React Router writes is left as it is.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import reflex as rx

_MODULEPRELOAD = re.compile(r'<link rel="modulepreload"(?![^>]*fetchpriority)')
_PRELOAD_TAG = re.compile(r'<link rel="modulepreload"[^>]*?href="([^"]+)"[^>]*>')
_BOOTSTRAP = re.compile(r'(<script type="module"[^>]*>)(.*?)(</script>)', re.S)
_SIDE_EFFECT_IMPORT = re.compile(r'^import "([^"]+)";$')
_NAMED_IMPORT = re.compile(r'^import \* as (\w+) from "([^"]+)";$')
_ENTRY = re.compile(r'^import\("([^"]+)"\);$')
_ROUTE_MODULES = re.compile(r"^window\.__reactRouterRouteModules = \{.*\};$")

# Resolves after the next frame is painted, or at once when nobody can see the page.
_AFTER_PAINT = (
    "await new Promise((go) => document.visibilityState === 'hidden' ? go()"
    " : requestAnimationFrame(() => setTimeout(go)));"
)


def lower_script_priority(html: str) -> str:
    """`html` with fetchpriority="low" on every modulepreload link."""
    return _MODULEPRELOAD.sub('<link rel="modulepreload" fetchpriority="low"', html)


def scripts_after_paint(html: str) -> str:
    """`html` whose scripts are fetched after its first paint: the modulepreload links
    move from the head into the bootstrap, which imports the same modules (dynamically,
    after a frame) and then the entry, as React Router's static bootstrap did."""
    match = _BOOTSTRAP.search(html)
    if not match:
        return html
    side_effects, named, entry, route_modules = [], [], None, None
    for line in filter(None, (raw.strip() for raw in match.group(2).splitlines())):
        if m := _SIDE_EFFECT_IMPORT.match(line):
            side_effects.append(m.group(1))
        elif m := _NAMED_IMPORT.match(line):
            named.append((m.group(1), m.group(2)))
        elif m := _ENTRY.match(line):
            entry = m.group(1)
        elif _ROUTE_MODULES.match(line):
            route_modules = line
        else:  # a bootstrap this does not know: keep it
            return html
    if entry is None or route_modules is None:
        return html
    hrefs = _PRELOAD_TAG.findall(html)
    body = "\n".join(
        [
            _AFTER_PAINT,
            f"for (const href of {json.dumps(hrefs)}) {{",
            "  const link = document.createElement('link');",
            "  link.rel = 'modulepreload'; link.href = href; document.head.append(link);",
            "}",
            *(f"await import({json.dumps(src)});" for src in side_effects),
            f"const [{', '.join(n for n, _ in named)}] = await Promise.all("
            f"[{', '.join(f'import({json.dumps(src)})' for _, src in named)}]);",
            route_modules,
            f"import({json.dumps(entry)});",
        ]
    )
    html = html[: match.start(2)] + body + html[match.end(2) :]
    return _PRELOAD_TAG.sub("", html)


def page_files(static_dir: Path, route: str) -> list[Path]:
    """The exported HTML files of `route` (`login/index.html` and its `login.html` copy)."""
    if route == "/":
        return [static_dir / "index.html"]
    name = route.strip("/")
    return [static_dir / name / "index.html", static_dir / f"{name}.html"]


@dataclasses.dataclass
class LowPriorityScripts(rx.plugins.Plugin):
    paint_first: tuple[str, ...] = ()

    def post_build(self, **context: Any) -> None:
        static_dir: Path = context["static_dir"]
        first = {p for route in self.paint_first for p in page_files(static_dir, route)}
        for page in static_dir.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            hinted = scripts_after_paint(html) if page in first else html
            hinted = lower_script_priority(hinted)
            if hinted != html:
                page.write_text(hinted, encoding="utf-8")
