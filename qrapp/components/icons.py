"""Icons whose name is only known in the browser, drawn from a fixed set.

`rx.icon(<a Var>)` renders lucide's DynamicIcon, which ships lucide's whole icon map
(about a third of the JavaScript of every signed-in page, and a chunk per icon in the
build). A match over fixed names imports only those icons.
"""

from __future__ import annotations

from collections.abc import Iterable

import reflex as rx


def icon_of(name, names: Iterable[str], **props) -> rx.Component:
    """The icon called `name` (a Var holding one of `names`); nothing for another name."""
    cases = [(n, rx.icon(n, **props)) for n in dict.fromkeys(names)]
    return rx.match(name, *cases, rx.fragment())
