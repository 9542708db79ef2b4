"""Run REST v1 alone: `python -m qrapp.api [--host H] [--port P] [--workers N]`.

Production runs the API as its own process so integrators' traffic never shares the
dashboard's event loop; the paths are the same as when it is mounted in the web backend
(`/api/v1/...`).
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount

from qrapp.api.v1 import app as v1
from qrapp.core import routes


def standalone() -> Starlette:
    return Starlette(routes=[Mount(routes.API_V1, app=v1.build())])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m qrapp.api")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8002)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--log-level", default="warning")
    args = ap.parse_args(argv)
    uvicorn.run(
        "qrapp.api.__main__:standalone",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,
        log_level=args.log_level,
    )


if __name__ == "__main__":
    main()
