"""Moving keyboard focus to the result of an action once it is on screen: the new code's
heading after Save, a confirmation after a change on the code page.

The element usually does not exist yet when the handler answers (the state delta is
applied and React renders afterwards, and after Save a client-side navigation loads the
next page first), so the browser polls for it for up to 5 s. Without this, focus falls
to <body> and a keyboard or screen reader user starts again from the top of the page.
"""

from __future__ import annotations

import json

import reflex as rx

_SCRIPT = """(() => {
  const selector = %s, path = %s;
  let tries = 0;
  const attempt = () => {
    const here = path === null || location.pathname.replace(/\\/$/, "") === path;
    const el = here ? document.querySelector(selector) : null;
    if (el && el.textContent.trim() !== "") {
      if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
      el.focus();
      return;
    }
    if (tries++ < 100) setTimeout(attempt, 50);
  };
  attempt();
})()"""


def focus_when_shown(selector: str, path: str | None = None) -> rx.event.EventSpec:
    """Focus the first element matching `selector` once it shows text, and, when `path`
    is given, once the browser is on that path (so an element of the same id on the page
    being left is not the one focused)."""
    path = path.rstrip("/") if path is not None else None
    return rx.call_script(_SCRIPT % (json.dumps(selector), json.dumps(path)))
