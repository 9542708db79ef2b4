"""The process list of scripts/run and the supervisord configuration made from it."""

from __future__ import annotations

import io
import shlex
from pathlib import Path

from supervisor.datatypes import RestartUnconditionally
from supervisor.options import ServerOptions

from qrapp.processes import supervisor
from qrapp.processes.programs import programs

EMBEDDED = {"WEB_PORT": "3000", "EDGE_PORT": "8080"}
PRODUCTION = EMBEDDED | {"REDIS_URL": "redis://127.0.0.1:6379/0", "WORKER_CONCURRENCY": "4"}


def _parsed(env: dict[str, str], tmp_path: Path) -> dict:
    """The configuration as supervisord itself reads it: program name -> config."""
    options = ServerOptions()
    options.configfile = str(tmp_path / "supervisord.conf")
    section = options.configroot.supervisord
    options.read_config(io.StringIO(supervisor.render(env, tmp_path)))
    return {p.name: p for group in section.process_group_configs for p in group.process_configs}


def test_the_embedded_default_is_lean(tmp_path):
    found = {p.name: p.argv for p in programs(EMBEDDED, tmp_path)}
    assert list(found) == ["web", "edge", "ingest", "worker"]  # no separate beat
    assert found["web"][1:3] == ["-m", "qrapp.processes.web"]  # one web process
    worker = found["worker"]
    assert worker[worker.index("--pool") + 1] == "solo"
    assert "--beat-thread" in worker


def test_production_keeps_reflex_prefork_and_one_beat(tmp_path):
    found = {p.name: p.argv for p in programs(PRODUCTION, tmp_path)}
    assert list(found) == ["web", "edge", "api", "ingest", "worker", "beat"]
    assert found["api"][1:3] == ["-m", "qrapp.api"]
    assert found["web"][1:5] == ["-m", "reflex", "run", "--env"]
    assert "--pool" not in found["worker"]
    assert "--beat-thread" not in found["worker"]
    assert found["worker"][found["worker"].index("--concurrency") + 1] == "4"


def test_supervisord_reads_the_configuration_as_written(tmp_path):
    for env in (EMBEDDED, PRODUCTION):
        parsed = _parsed(env, tmp_path)
        assert set(parsed) == {p.name for p in programs(env, tmp_path)}
        for name, conf in parsed.items():
            assert conf.autorestart is RestartUnconditionally
            assert conf.startretries == supervisor.START_RETRIES
            assert conf.stopasgroup
            assert conf.killasgroup
            argv = shlex.split(conf.command)
            # bash execs the program itself, so supervisord watches the program's pid.
            assert argv[:2] == ["/bin/bash", "-c"]
            assert argv[2].startswith('exec "$0" "$@"')
            assert argv[3:] == next(p.argv for p in programs(env, tmp_path) if p.name == name)
    # A literal % (celery's %h) survives supervisord's own %-expansion.
    assert "worker@%h" in shlex.split(_parsed(EMBEDDED, tmp_path)["worker"].command)


def test_the_procfile_lists_every_process_of_production(tmp_path):
    from qrapp.settings import PROJECT_ROOT

    lines = (PROJECT_ROOT / "Procfile").read_text().splitlines()
    names = [line.split(":", 1)[0] for line in lines if line and not line.startswith("#")]
    assert names == [p.name for p in programs(PRODUCTION, tmp_path)]
