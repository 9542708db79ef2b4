"""Write the REST v1 OpenAPI document: `python -m qrapp.api.openapi [--out FILE]`.

The SDKs (scripts/sdk) are generated from this file, and the drift check compares them,
so the output must be byte-for-byte stable: keys sorted, two-space indent, a final
newline, and nothing that depends on the machine, the clock or a database (building the
FastAPI app only declares routes). The `servers` entry names the path the API is served
under, so a generated client is given the host alone (`https://qr.example.com`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from qrapp.api.v1 import app as v1
from qrapp.core import routes

MOUNT = routes.API_V1


def document() -> dict[str, Any]:
    spec = v1.build().openapi()
    spec["servers"] = [{"url": MOUNT, "description": "This host"}]
    return spec


def dumps(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m qrapp.api.openapi")
    ap.add_argument("--out", type=Path, help="write here instead of standard output")
    args = ap.parse_args(argv)
    text = dumps(document())
    if args.out is None:
        sys.stdout.write(text)
        return
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # Rewrite only on change, so the file's mtime says when the API last changed.
    if not args.out.exists() or args.out.read_text(encoding="utf-8") != text:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
