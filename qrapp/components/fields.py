"""A form label tied to its input.

`rx.text(as_="label", html_for=...)` renders a <label> without its `for` attribute (Radix
Text drops the prop), so no label in the app named its input: screen readers announced
"edit text, blank" and a click on the label did not focus the field. This is a real
<label for> with the look of the size-2 medium text it replaces.
"""

from __future__ import annotations

import reflex as rx


def field_label(text, html_for: str, size: str = "2", **props) -> rx.Component:
    return rx.el.label(
        text,
        html_for=html_for,
        font_size=f"var(--font-size-{size})",
        line_height=f"var(--line-height-{size})",
        letter_spacing=f"var(--letter-spacing-{size})",
        font_weight="var(--font-weight-medium)",
        **props,
    )


def named_file_input(upload: rx.Component, name: str) -> rx.Component:
    """rx.upload takes no props for its <input type=file>, which axe reports as a field
    without a label (critical): name it in the component tree. Fails at build time if a
    Reflex upgrade moves the input, rather than shipping it unnamed."""
    stack = [upload]
    while stack:
        node = stack.pop()
        if type(node).__name__ == "Input" and str(getattr(node, "type", "")) == '"file"':
            node.custom_attrs["aria-label"] = name
            return upload
        stack.extend(node.children)
    raise RuntimeError("rx.upload has no <input type=file> to name")
