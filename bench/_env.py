"""The set-up every bench shares with the e2e fixture and scripts/run, so a bench runs
from a fresh clone after ./scripts/test (not only from a shell scripts/run prepared).

    from bench._env import bench_env, need_commands
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.processes import tool_env  # noqa: E402


def bench_env() -> dict[str, str]:
    """Environment for the product's processes a bench starts: bun from .tools/ (Reflex
    never downloads it), no Reflex telemetry or version check, the npm registry this
    machine reaches, this checkout on the import path."""
    return tool_env()


def use_bench_env() -> None:
    """The same set-up for this process (a bench that builds or imports the app itself)."""
    os.environ.update(bench_env())


def need_commands(packages: dict[str, str]) -> None:
    """Install the Debian packages of missing commands ({command: package}) as root, like
    scripts/test does; otherwise stop with the apt-get line to run."""
    missing = sorted({pkg for cmd, pkg in packages.items() if not shutil.which(cmd)})
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing {', '.join(missing)}: apt-get install {' '.join(missing)}")
    print(f"installing {', '.join(missing)} with apt-get", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    # Debian starts the packaged services; benches start their own.
    for service in ("nginx", "redis-server", "postgresql"):
        if service in missing:
            subprocess.run(["service", service, "stop"], capture_output=True)


def need_postgres() -> None:
    """PostgreSQL's server programs (initdb, pg_ctl), which the benches start themselves."""
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        need_commands({"initdb-missing": "postgresql"})
