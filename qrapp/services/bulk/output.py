"""A bulk job's files on disk: one file per chunk and format while the job runs, then the
ZIP (written entry by entry, so memory does not grow with the rows), its manifest.csv
and the CSV of short links.

    var/bulk/<job id>/files/chunk-<first row>.<fmt>   an uncompressed ZIP of the chunk's
                                                      rows ("<row>" entries), rendered by
                                                      the worker that made them
    var/bulk/<job id>/codes.zip                       the download; links.csv beside it

Chunk files are written to a temporary name and renamed, so a reader sees a whole file or
none; the ZIP step renders any row whose file is missing (a worker killed between the
chunk's commit and its files). One file per chunk, not per row: creating, renaming and
deleting a file per code cost more wall time than drawing it on a busy disk.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from qrapp.core.render import Prepared, prepare, render
from qrapp.core.spreadsheet_cells import neutralise
from qrapp.models import QRCode
from qrapp.services.hosts import short_url
from qrapp.settings import get_settings

ZIP_NAME, LINKS_NAME, MANIFEST_NAME = "codes.zip", "links.csv", "manifest.csv"
MANIFEST_HEADER = ["row", "name", "short_url", "destination", "file"]
LINKS_HEADER = ["row", "name", "short_url"]
# PNG and PDF are compressed already; deflating them again costs time for nothing.
_COMPRESSION = {
    "png": zipfile.ZIP_STORED,
    "pdf": zipfile.ZIP_STORED,
    "svg": zipfile.ZIP_DEFLATED,
    "eps": zipfile.ZIP_DEFLATED,
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_STEM = 100


def job_dir(job_id: uuid.UUID) -> Path:
    return Path(get_settings().bulk_dir) / str(job_id)


def chunk_file(job_id: uuid.UUID, first_row: int, fmt: str) -> Path:
    return job_dir(job_id) / "files" / f"chunk-{first_row}.{fmt}"


def write_row_files(
    job_id: uuid.UUID, made: Iterable[tuple[int, Prepared]], formats: Iterable[str], size: int
) -> None:
    """The files of one chunk's rows: one chunk file per format."""
    made = list(made)
    if not made:
        return
    (job_dir(job_id) / "files").mkdir(parents=True, exist_ok=True)
    for fmt in formats:
        path = chunk_file(job_id, made[0][0], fmt)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED, allowZip64=True) as chunk:
            for row, ready in made:
                chunk.writestr(str(row), render(ready, fmt, size=size))  # type: ignore[arg-type]
        os.replace(tmp, path)


class _RowFiles:
    """The rendered files the chunk files hold, read in row order (one chunk open)."""

    def __init__(self, job_id: uuid.UUID) -> None:
        self.where: dict[tuple[int, str], Path] = {}
        for path in sorted((job_dir(job_id) / "files").glob("chunk-*")):
            fmt = path.suffix.lstrip(".")
            with zipfile.ZipFile(path) as chunk:
                for name in chunk.namelist():
                    self.where[(int(name), fmt)] = path
        self.open: tuple[Path, zipfile.ZipFile] | None = None

    def read(self, row: int, fmt: str) -> bytes | None:
        path = self.where.get((row, fmt))
        if path is None:
            return None
        if self.open is None or self.open[0] != path:
            self.close()
            self.open = (path, zipfile.ZipFile(path))
        return self.open[1].read(str(row))

    def close(self) -> None:
        if self.open is not None:
            self.open[1].close()
            self.open = None


def file_stem(pattern: str, row: int, name: str) -> str:
    """The pattern filled in and made safe as one file name in any unzip tool: no path
    separators or characters Windows refuses, no leading dots, letters of every script
    kept, at most 100 characters."""
    text = pattern.replace("{row}", str(row)).replace("{name}", name)
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub("-", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = re.sub(r"\s+", " ", text).strip(" .-")
    return text[:MAX_STEM].rstrip(" .") or str(row)


class _Names:
    """Unique file stems: a clash (same name, pattern without {row}) gets "-<row>"."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, stem: str, row: int) -> str:
        if stem.casefold() in self.used:
            stem = f"{stem[: MAX_STEM - 12]}-{row}"
        self.used.add(stem.casefold())
        return stem


def write_outputs(
    job_id: uuid.UUID,
    options: dict[str, Any],
    rows: Iterator[tuple[int, QRCode]],
    subject: Callable[[QRCode], Any],
    heartbeat: Callable[[], None],
) -> None:
    """codes.zip (every row's files + manifest.csv) and links.csv, from `rows` in row
    order; written to temporary names and renamed at the end."""
    folder = job_dir(job_id)
    folder.mkdir(parents=True, exist_ok=True)
    formats = tuple(options.get("formats") or ("png",))
    size = int(options.get("png_size") or 1024)
    pattern = options.get("name_pattern") or "{row}-{name}"
    names = _Names()
    stored = _RowFiles(job_id)
    part_zip = folder / f"{ZIP_NAME}.part"
    part_manifest = folder / f"{MANIFEST_NAME}.part"
    part_links = folder / f"{LINKS_NAME}.part"
    with (
        zipfile.ZipFile(part_zip, "w", allowZip64=True) as zf,
        part_manifest.open("w", newline="", encoding="utf-8-sig") as mf,
        part_links.open("w", newline="", encoding="utf-8-sig") as lf,
    ):
        manifest, links = csv.writer(mf), csv.writer(lf)
        manifest.writerow(MANIFEST_HEADER)
        links.writerow(LINKS_HEADER)
        for n, (row, code) in enumerate(rows, 1):
            stem = names.take(file_stem(pattern, row, code.name), row)
            files = []
            ready: Prepared | None = None
            for fmt in formats:
                arcname = f"{stem}.{fmt}"
                data = stored.read(row, fmt)
                if data is None:
                    ready = ready or prepare(subject(code), code.design)
                    data = render(ready, fmt, size=size)  # type: ignore[arg-type]
                zf.writestr(arcname, data, compress_type=_COMPRESSION[fmt])
                files.append(arcname)
            link = short_url(code) if code.is_dynamic else ""
            destination = code.destination if code.is_dynamic else _static_text(subject(code))
            manifest.writerow(
                [neutralise(v) for v in (row, code.name, link, destination, ";".join(files))]
            )
            links.writerow([neutralise(v) for v in (row, code.name, link)])
            if n % 200 == 0:
                heartbeat()
        stored.close()
        mf.flush()
        zf.write(part_manifest, MANIFEST_NAME, compress_type=zipfile.ZIP_DEFLATED)
    os.replace(part_links, folder / LINKS_NAME)
    os.replace(part_zip, folder / ZIP_NAME)
    part_manifest.unlink(missing_ok=True)


def _static_text(value: Any) -> str:
    return value if isinstance(value, str) else value.encode()


def drop_row_files(job_id: uuid.UUID) -> None:
    shutil.rmtree(job_dir(job_id) / "files", ignore_errors=True)


def drop_all(job_id: uuid.UUID) -> None:
    shutil.rmtree(job_dir(job_id), ignore_errors=True)


def path_of(job_id: uuid.UUID, kind: str) -> Path:
    return job_dir(job_id) / (ZIP_NAME if kind == "zip" else LINKS_NAME)
