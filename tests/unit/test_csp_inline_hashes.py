"""The Content-Security-Policy allows each inline script of the built pages by hash."""

from __future__ import annotations

import base64
import hashlib

from qrapp.api.security_headers import _InlineScriptHashes


def _source(script: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"


def test_an_inline_script_after_an_empty_script_tag_is_allowed(tmp_path, monkeypatch):
    # A head script with src (assets/focus.js) right before the page's inline hydration
    # script: the hash must be of that inline script, not of both tags run together.
    client = tmp_path / "build" / "client"
    client.mkdir(parents=True)
    hydrate = b"window.__reactRouterContext = {};"
    (client / "index.html").write_bytes(
        b'<head><script src="/focus.js" defer=""></script><script>'
        + hydrate
        + b"</script></head><body><script>theme()</script></body>"
    )
    monkeypatch.setenv("REFLEX_WEB_WORKDIR", str(tmp_path))

    sources = _InlineScriptHashes().sources().split()

    assert sorted(sources) == sorted([_source(hydrate), _source(b"theme()")])
