"""The CSP lists the hash of every inline script of the built pages, also of one that
follows an external script (the skip-link work added `<script src="/focus.js">` to the
head, and React Router's context script after it was refused: code pages stayed blank)."""

from __future__ import annotations

import base64
import hashlib

from qrapp.api.security_headers import _InlineScriptHashes


def _source(body: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"


def test_an_inline_script_after_an_external_one_is_allowed(tmp_path, monkeypatch):
    monkeypatch.setenv("REFLEX_WEB_WORKDIR", str(tmp_path))
    client = tmp_path / "build" / "client"
    client.mkdir(parents=True)
    (client / "index.html").write_bytes(
        b'<head><script>theme()</script><script defer src="/focus.js"></script></head>'
        b"<body><script>window.__reactRouterContext = {};</script></body>"
    )

    sources = _InlineScriptHashes().sources().split()

    assert sorted(sources) == sorted(
        [_source(b"theme()"), _source(b"window.__reactRouterContext = {};")]
    )
