"""The web app in one process: `python -m qrapp.processes.web [reflex run options]`.

`reflex run --env prod --single-port` compiles the app, builds the frontend, and then
serves through Granian, whose supervisor process (which also holds the compiled app)
forks the worker that serves: two processes of about 200 MB (RSS) each for the embedded
default's one worker. This runs the same `reflex run` (same compile, same build, same
single port), and then replaces the process (exec: the same pid for supervisord) with a
fresh interpreter that serves the app with uvicorn in that one process, without the
compile's leftovers. Production, with Redis and several workers, uses `reflex run`.

A restart after a crash under the same supervisord serves the build that supervisord's
first start made, with the environment `reflex run` had set for it: the compile and the
build take 30 s to 2 min on two cores, and the code on disk is the one that was running.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

SERVE_FLAG = "--serve"


def serve(target: str, host: str, port: int, loglevel: str) -> None:
    """Serve the built app in this process: uvicorn as Reflex's own development server
    starts it (`reflex.utils.exec`), but without believing X-Forwarded-For from 127.0.0.1
    (Granian never does) and without a line per request."""
    import uvicorn

    uvicorn.run(
        target,
        factory=True,
        host=host,
        port=port,
        log_level=loglevel,
        proxy_headers=False,
        access_log=False,
        server_header=False,
        ws="wsproto",
    )


def _stamp_path() -> Path:
    return Path(os.environ.get("REFLEX_WEB_WORKDIR", ".web")) / "qrapp-served.json"


def _supervisor_identity() -> str | None:
    """supervisord's pid and start time when it started this process, else None (a pid
    alone could belong to a later supervisord)."""
    if not os.environ.get("SUPERVISOR_ENABLED"):
        return None
    ppid = os.getppid()
    try:
        started = Path(f"/proc/{ppid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None
    return f"{ppid}:{started}"


def _exec(argv: list[str]) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)  # noqa: S606 (our own argv, no shell)


def _restart_served_build(args: list[str]) -> None:
    """Exec the server as supervisord's first start of this program did, if it did."""
    identity = _supervisor_identity()
    try:
        saved = json.loads(_stamp_path().read_text())
    except (OSError, ValueError):
        return
    if identity is None or saved.get("supervisor") != identity or saved.get("args") != args:
        return
    print("restarting the web app on the build made at this supervisord's start", flush=True)
    os.environ.update(saved["env"])
    _exec(saved["argv"])


def _build_and_serve(args: list[str]) -> None:
    from reflex.reflex import cli
    from reflex.utils import exec as reflex_exec

    if not hasattr(reflex_exec, "run_granian_backend_prod"):
        sys.exit("qrapp.processes.web: this Reflex version has no run_granian_backend_prod")
    before = dict(os.environ)

    def exec_server(host: str, port: int, loglevel, app_target: str | None = None) -> None:
        """Stands in for reflex.utils.exec.run_granian_backend_prod (same signature)."""
        target = app_target or reflex_exec.get_app_instance_from_file()
        argv = [sys.executable, "-m", "qrapp.processes.web", SERVE_FLAG, target, host]
        argv += [str(port), loglevel.value]
        # What `reflex run` put in the environment for the served app (REFLEX_ENV_MODE,
        # skip-compile and mount-frontend flags, ports), kept for a restart.
        env = {k: v for k, v in os.environ.items() if before.get(k) != v}
        if identity := _supervisor_identity():
            stamp = {"supervisor": identity, "args": args, "env": env, "argv": argv}
            _stamp_path().write_text(json.dumps(stamp))
        _exec(argv)

    # run_backend_prod looks these names up when it is called: the rest of `reflex run`
    # (compile, build, port checks) stays Reflex's own.
    reflex_exec.run_granian_backend_prod = exec_server
    reflex_exec.should_use_granian = lambda: True
    cli(["run", "--env", "prod", "--single-port", *args], prog_name="reflex")


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == [SERVE_FLAG]:
        target, host, port, loglevel = args[1:5]
        serve(target, host, int(port), loglevel)
        return
    _restart_served_build(args)
    _build_and_serve(args)


if __name__ == "__main__":
    main()
