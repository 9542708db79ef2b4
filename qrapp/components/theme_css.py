"""Radix Themes' stylesheet with the colour scales the app uses, not all thirty.

`@radix-ui/themes/styles.css` is every token (31 colour scales, light, dark and P3),
every component and the layout utilities: one render-blocking stylesheet of about
700 KB. Radix ships the same CSS in parts; this imports the base tokens, the colour
scales in COLORS, the components and the utilities. Using a colour scheme that is not
in COLORS draws it without colour: tests/unit/test_theme_colors.py finds every colour
name in the UI code and fails until it is added here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

# accent (indigo) and gray (slate) from rxconfig, and every color_scheme / rx.color used.
COLORS = ("gray", "slate", "indigo", "red", "green", "amber")


@dataclasses.dataclass
class RadixThemesLean(rx.plugins.RadixThemesPlugin):
    def get_stylesheet_paths(self, **_context: Any) -> tuple[str, ...]:
        if not self.enabled:
            return ()
        return (
            "@radix-ui/themes/tokens/base.css",
            *(f"@radix-ui/themes/tokens/colors/{c}.css" for c in COLORS),
            "@radix-ui/themes/components.css",
            "@radix-ui/themes/utilities.css",
        )

    def get_frontend_dependencies(self, **_context: Any) -> tuple[str, ...]:
        # Reflex makes every plugin dependency a "bundled library": the app root then
        # imports all of Radix Themes (every component, used or not) on every page. The
        # components import what they use from the package themselves.
        return ()
