"""File names of a bulk job's ZIP: from the pattern, safe in any unzip tool, unique; and the
chunk files its rows are rendered to while the job runs."""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from PIL import Image

from qrapp.core.render import prepare
from qrapp.core.scannability import decode
from qrapp.models import QRCode
from qrapp.services.bulk import output
from qrapp.services.bulk.making import subject
from qrapp.services.bulk.output import MAX_STEM, _Names, file_stem
from tests.support.environment import patched_env


@pytest.mark.parametrize(
    ("row", "name", "expected"),
    [
        (1, "Poster", "1-Poster"),
        (2, "../../etc/passwd", "2-..-..-etc-passwd"),
        (3, 'a:b*c?"d<e>f|g\\h', "3-a-b-c-d-e-f-g-h"),
        (4, "Menü café 東京", "4-Menü café 東京"),
        (5, "مرحبا", "5-مرحبا"),
        (6, "tab\there\nnewline", "6-tab-here-newline"),
        (7, "\u202eevil", "7-evil"),  # bidi override dropped
    ],
)
def test_file_stem_is_safe(row, name, expected):
    assert file_stem("{row}-{name}", row, name) == expected


def test_file_stem_never_leads_with_a_dot_or_is_empty():
    assert file_stem("{name}", 9, "...") == "9"
    assert file_stem("{name}", 9, ".hidden") == "hidden"
    assert len(file_stem("{row}-{name}", 1, "x" * 500)) == MAX_STEM


def test_names_are_unique_whatever_the_case():
    names = _Names()
    assert names.take("Poster", 1) == "Poster"
    assert names.take("poster", 2) == "poster-2"
    assert names.take("Other", 3) == "Other"


# --- chunk files: one file per chunk and format, read back in row order ------------------


@pytest.fixture
def job_files(tmp_path):
    with patched_env({"BULK_DIR": str(tmp_path)}):
        yield uuid.uuid4()


def _code(row: int):
    return QRCode(
        name=f"Item {row}",
        content_type="url",
        payload={},
        design={"modules": "rounded"},
        is_dynamic=True,
        short_code=f"Code{row:03d}",
        destination=f"https://example.com/{row}",
    )


def test_chunk_files_hold_each_row_once_and_the_zip_step_renders_what_is_missing(job_files):
    codes = {row: _code(row) for row in range(1, 8)}
    made = {row: prepare(subject(code), code.design) for row, code in codes.items()}
    for chunk in ([1, 2, 3], [4, 5]):  # rows 6 and 7: a worker was killed before their files
        output.write_row_files(job_files, [(r, made[r]) for r in chunk], ["png", "svg"], 200)
    files = sorted(p.name for p in (output.job_dir(job_files) / "files").iterdir())
    assert files == ["chunk-1.png", "chunk-1.svg", "chunk-4.png", "chunk-4.svg"]
    with zipfile.ZipFile(output.chunk_file(job_files, 4, "png")) as chunk:
        assert chunk.namelist() == ["4", "5"]

    options = {"formats": ["png", "svg"], "png_size": 200}
    output.write_outputs(
        job_files, options, iter(sorted(codes.items())), subject, heartbeat=lambda: None
    )
    with zipfile.ZipFile(output.path_of(job_files, "zip")) as zf:
        names = zf.namelist()
        for row, code in codes.items():
            assert f"{row}-Item {row}.png" in names
            assert f"{row}-Item {row}.svg" in names
            image = Image.open(io.BytesIO(zf.read(f"{row}-Item {row}.png")))
            assert decode(image) == subject(code)
    assert len(names) == 2 * len(codes) + 1  # and manifest.csv
