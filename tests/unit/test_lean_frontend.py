"""What keeps the frontend lean from breaking the pages it trims: every colour the UI
code names has its Radix scale imported, every chart trace type is in the plotly bundle,
and no icon name is left for the browser to look up."""

from __future__ import annotations

import re
from pathlib import Path

from qrapp.components.plotly_lean import TRACES
from qrapp.components.theme_css import COLORS

ROOT = Path(__file__).resolve().parents[2]
UI = [ROOT / "rxconfig.py", *sorted((ROOT / "qrapp").rglob("*.py"))]
# Radix Themes' colour scales (tokens/colors/*.css of @radix-ui/themes 3).
RADIX_COLORS = {
    "gray",
    "gold",
    "bronze",
    "brown",
    "yellow",
    "amber",
    "orange",
    "tomato",
    "red",
    "ruby",
    "crimson",
    "pink",
    "plum",
    "purple",
    "violet",
    "iris",
    "indigo",
    "blue",
    "cyan",
    "teal",
    "jade",
    "green",
    "grass",
    "lime",
    "mint",
    "sky",
    "mauve",
    "slate",
    "sage",
    "olive",
    "sand",
}


def test_every_radix_colour_the_ui_names_is_imported():
    named = {}
    for path in UI:
        for literal in re.findall(r"""["']([a-z]+)["']""", path.read_text()):
            if literal in RADIX_COLORS:
                named.setdefault(literal, path.relative_to(ROOT))
    missing = {colour: str(where) for colour, where in named.items() if colour not in COLORS}
    assert not missing, f"add these to qrapp/components/theme_css.py COLORS: {missing}"
    assert {"indigo", "slate", "red", "green"} <= set(named)  # the scan finds what is there


def test_every_trace_the_figures_draw_is_in_the_plotly_bundle():
    figures = (ROOT / "qrapp" / "state" / "analytics_figures.py").read_text()
    drawn = {name.lower() for name in re.findall(r"go\.(\w+)\(", figures)} - {"figure"}
    assert drawn, "no trace found: the scan no longer matches how figures are built"
    assert drawn <= set(TRACES), f"add {drawn - set(TRACES)} to assets/plotly_lean.js and TRACES"
    bundle = (ROOT / "assets" / "plotly_lean.js").read_text()
    for trace in set(TRACES) - {"scatter"}:  # plotly's core registers scatter itself
        assert f'from "plotly.js/lib/{trace}"' in bundle


def test_no_icon_name_is_left_to_the_browser():
    """rx.icon(<a Var>) is lucide's DynamicIcon: its whole icon map on every page."""
    dynamic = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in UI
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"rx\.icon\((rx\.|[A-Za-z_]+\[|[A-Z]\w*\.)", line)
    ]
    assert not dynamic, f"use qrapp.components.icons.icon_of or rx.cond of fixed icons: {dynamic}"


def test_exported_pages_fetch_their_scripts_after_the_stylesheet(tmp_path):
    from qrapp.components.build_hints import LowPriorityScripts

    page = tmp_path / "login" / "index.html"
    page.parent.mkdir()
    page.write_text(
        '<head><link rel="modulepreload" href="/assets/a-12345678.js"/>'
        '<link rel="modulepreload" fetchpriority="low" href="/assets/b-12345678.js"/>'
        '<link as="style" href="/assets/s-12345678.css" rel="preload"/></head>'
    )
    LowPriorityScripts().post_build(static_dir=tmp_path)
    html = page.read_text()
    assert html.count('fetchpriority="low"') == 2
    assert '<link as="style" href="/assets/s-12345678.css" rel="preload"/>' in html


BOOTSTRAP_PAGE = """<html><head><link rel="modulepreload" href="/assets/manifest-1.js"/>\
<link rel="modulepreload" href="/assets/root-2.js"/>\
<link rel="modulepreload" href="/assets/login-3.js"/>\
<link rel="stylesheet" href="/assets/s-4.css"/></head><body><main>Log in</main>\
<script type="module" async="">import "/assets/manifest-1.js";
import * as route0 from "/assets/root-2.js";
import * as route1 from "/assets/login-3.js";

  window.__reactRouterRouteModules = {"root":route0,"routes/[login]._index":route1};

import("/assets/entry.client-5.js");</script></body></html>"""


def test_public_pages_ask_for_their_scripts_after_the_first_paint(tmp_path):
    from qrapp.components.build_hints import LowPriorityScripts

    for name in ("login/index.html", "login.html", "codes/index.html"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(BOOTSTRAP_PAGE)
    LowPriorityScripts(paint_first=("/login",)).post_build(static_dir=tmp_path)

    for name in ("login/index.html", "login.html"):
        html = (tmp_path / name).read_text()
        head, body = html.split("<body>")
        assert "modulepreload" not in head
        bootstrap = body.split('<script type="module" async="">')[1]
        assert bootstrap.index("requestAnimationFrame") < bootstrap.index("import(")
        for src in ("manifest-1", "root-2", "login-3", "entry.client-5"):
            assert f'import("/assets/{src}.js")' in bootstrap
        assert '["/assets/manifest-1.js", "/assets/root-2.js", "/assets/login-3.js"]' in bootstrap
        assert 'window.__reactRouterRouteModules = {"root":route0' in bootstrap
    # A signed-in page fetches at once, at low priority.
    codes = (tmp_path / "codes/index.html").read_text()
    assert codes.count('<link rel="modulepreload" fetchpriority="low"') == 3
    assert 'import * as route0 from "/assets/root-2.js";' in codes


def test_a_bootstrap_of_another_shape_is_left_alone():
    from qrapp.components.build_hints import scripts_after_paint

    odd = BOOTSTRAP_PAGE.replace('import("/assets/entry', 'start(); import("/assets/entry')
    assert scripts_after_paint(odd) == odd
