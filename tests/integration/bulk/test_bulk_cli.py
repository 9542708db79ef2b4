"""`qrapp bulk run` as a real subprocess: the dry run's problems on stderr, a progress
bar, and the ZIP at -o with one file per valid row and format."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from sqlmodel import func, select

from qrapp.db import read_session
from qrapp.models import QRCode
from tests.integration.helpers import actor, sign_up_and_session
from tests.support.processes import ROOT


def test_bulk_run_makes_the_zip_of_a_csv(bulk_dir, tmp_path):
    owner = actor(sign_up_and_session("cli@bulk.example"))
    source = tmp_path / "posters.csv"
    source.write_text(
        "name;url\nPoster 1;https://example.com/1\nBad one;javascript:alert(1)\n"
        "Poster 3;example.com/3\n",
        encoding="utf-8-sig",
    )
    out = tmp_path / "out.zip"
    env = {
        **os.environ,
        "DATABASE_URL": bulk_dir["DATABASE_URL"],
        "BULK_DIR": bulk_dir["BULK_DIR"],
        # Nobody takes the queued tasks: the command makes the codes itself.
        "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'cli-broker.sqlite'}",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qrapp",
            "bulk",
            "run",
            str(source),
            "--workspace",
            str(owner.workspace_id),
            "--format",
            "png,svg",
            "--size",
            "256",
            "-o",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "row 2: url:" in done.stderr
    assert "Making codes" in done.stderr
    assert "2 codes made, 0 rows failed" in done.stdout
    names = sorted(zipfile.ZipFile(out).namelist())
    assert names == [
        "1-Poster 1.png",
        "1-Poster 1.svg",
        "3-Poster 3.png",
        "3-Poster 3.svg",
        "manifest.csv",
    ]
    with read_session() as s:
        made = s.exec(
            select(func.count())
            .select_from(QRCode)
            .where(QRCode.workspace_id == owner.workspace_id)
        ).one()
    assert made == 2


def test_bulk_run_refuses_an_unknown_template_with_a_message(bulk_dir, tmp_path):
    owner = actor(sign_up_and_session("cli2@bulk.example"))
    source = tmp_path / "a.csv"
    source.write_text("name,url\nA,https://example.com\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qrapp",
            "bulk",
            "run",
            str(source),
            "--workspace",
            str(owner.workspace_id),
            "--template",
            "Nope",
            "-o",
            str(tmp_path / "o.zip"),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": bulk_dir["DATABASE_URL"]},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "No design template named 'Nope'" in done.stderr
    assert "Traceback" not in done.stderr
