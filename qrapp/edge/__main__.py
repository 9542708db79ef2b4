"""Run the edge: `python -m qrapp.edge [--host H] [--port P] [--workers N]`.

uvicorn with the edge's settings in one place (the Procfile, the tests and bench/edge.py
all start it this way): the fast-lane protocol (qrapp.edge.fast_http), no proxy headers
(the edge reads X-Forwarded-For itself, from EDGE_TRUSTED_PROXIES only), no access log.
"""

from __future__ import annotations

import argparse

import uvicorn

APP = "qrapp.edge.app:app"
PROTOCOL = "qrapp.edge.fast_http:EdgeHttpProtocol"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m qrapp.edge")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8001)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--log-level", default="warning")
    args = ap.parse_args(argv)
    uvicorn.run(
        APP,
        host=args.host,
        port=args.port,
        workers=args.workers,
        http=PROTOCOL,
        proxy_headers=False,
        access_log=False,
        log_level=args.log_level,
    )


if __name__ == "__main__":
    main()
