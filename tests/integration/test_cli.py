"""The operator CLI, run as a real subprocess against the test database."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.processes import ROOT


def _qrapp(*args: str, backend: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": backend["DATABASE_URL"]}
    return subprocess.run(
        [sys.executable, "-m", "qrapp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_user_create_list_and_workspace_list(clean_db):
    out = _qrapp(
        "user",
        "create",
        "--email",
        "ops@example.com",
        "--name",
        "Ops",
        "--password",
        "operator passphrase",
        backend=clean_db,
    )
    assert out.returncode == 0, out.stderr
    listed = _qrapp("user", "list", backend=clean_db).stdout
    assert "ops@example.com" in listed
    assert "verified" in listed
    assert "unverified" not in listed
    ws = _qrapp("workspace", "list", backend=clean_db).stdout
    assert "Ops's workspace" in ws
    assert "owner ops@example.com" in ws


def test_user_create_twice_fails_with_a_message(clean_db):
    args = ("user", "create", "--email", "twice@example.com", "--password", "operator passphrase")
    assert _qrapp(*args, backend=clean_db).returncode == 0
    again = _qrapp(*args, backend=clean_db)
    assert again.returncode != 0
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr


def test_db_upgrade_is_idempotent(clean_db):
    out = _qrapp("db", "upgrade", backend=clean_db)
    assert out.returncode == 0
    assert "database at head" in out.stdout
