"""The bulk page's "new job" form as state: the uploaded file, the job's options, the column
mapping and the dry run's report. A mixin of BulkState (state/bulk.py), which starts jobs.

The file itself stays on the server (services/bulk/spool.py): the state keeps its key, its
headers and the first rows for the preview. Every handler loads the actor and checks
BULK_RUN; client arguments are checked against the known fields, columns and options.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from qrapp.core.bulk.mapping import FIELDS, guess_mapping, job_fields
from qrapp.core.bulk.reading import BulkFileError, read_table
from qrapp.core.bulk.rows import JobOptions
from qrapp.core.bulk.samples import sample_csv
from qrapp.core.payloads import type_list
from qrapp.core.permissions import Permission
from qrapp.services.bulk import dry_run as dry_runs
from qrapp.services.bulk import spool
from qrapp.services.codes import design_templates
from qrapp.services.errors import ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import load_actor
from qrapp.state.bulk_views import (
    ColumnChoice,
    FieldRow,
    ProblemRow,
    column_choices,
    number,
    problem_rows,
)

# The largest file the page takes; api/upload_limit.py refuses bigger bodies up front.
MAX_FILE_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 5
SHOWN_PROBLEMS = 200  # the rest are in the report CSV
FORMATS = ("png", "svg", "pdf", "eps")
PNG_SIZES = ("256", "512", "1024", "2048", "4096")
NO_TEMPLATE = "none"  # the select's value for "the default look"
DYNAMIC_TYPE = "url"  # a dynamic code is a short link to a web address


def _content_types() -> list[list[str]]:
    return [[key, label] for key, label in type_list() if key in FIELDS]


class BulkFormMixin(rx.State, mixin=True):
    # the file
    file_name: str = ""
    file_error: str = ""
    row_count: int = 0
    headers: list[str] = []
    preview: list[list[str]] = []
    reading: bool = False
    _spool_key: str = ""

    # the job's options
    content_types: list[list[str]] = []
    content_type: str = DYNAMIC_TYPE
    dynamic: bool = True
    templates: list[list[str]] = []  # [id, name]
    template_id: str = NO_TEMPLATE
    formats: list[str] = ["png"]
    png_size: str = "1024"
    name_pattern: str = "{row}-{name}"
    options_error: str = ""

    # the mapping: field key -> column index as text ("" = not used)
    mapping: dict[str, str] = {}

    # the dry run
    checking: bool = False
    has_report: bool = False
    report_total: int = 0
    valid_count: int = 0
    problem_count: int = 0
    problems: list[ProblemRow] = []
    dense: list[ProblemRow] = []
    template_verdict: str = ""
    template_verdict_text: str = ""

    # --- derived ----------------------------------------------------------------------

    @rx.var
    def columns(self) -> list[ColumnChoice]:
        return column_choices(self.headers)

    @rx.var
    def fields(self) -> list[FieldRow]:
        return [
            FieldRow(
                key=f.key,
                label=f.label,
                required=bool(f.required),
                column=self.mapping.get(f.key, ""),
                input_id=f"map-{f.key}",
            )
            for f in job_fields(self._effective_type(), self.dynamic)
        ]

    @rx.var
    def has_file(self) -> bool:
        return bool(self.file_name)

    @rx.var
    def rows_text(self) -> str:
        return f"{number(self.row_count)} row{'s' if self.row_count != 1 else ''}"

    @rx.var
    def start_label(self) -> str:
        return (
            f"Start with {number(self.valid_count)} valid row{'s' if self.valid_count != 1 else ''}"
        )

    @rx.var
    def hidden_problems(self) -> int:
        return max(0, self.problem_count - len(self.problems))

    def _effective_type(self) -> str:
        return DYNAMIC_TYPE if self.dynamic else self.content_type

    # --- loading ----------------------------------------------------------------------

    async def _load_form(self, actor) -> None:
        self.content_types = _content_types()
        rows = await asyncio.to_thread(design_templates.list_templates, actor=actor)
        self.templates = [[str(t.id), t.name] for t in rows]
        default = next((str(t.id) for t in rows if t.is_default), NO_TEMPLATE)
        if self.template_id not in {t[0] for t in self.templates}:
            self.template_id = default

    def _forget_report(self) -> None:
        self.has_report, self.problems, self.dense = False, [], []
        self.report_total = self.valid_count = self.problem_count = 0
        self.template_verdict = self.template_verdict_text = ""

    def _clear_file(self) -> None:
        self.file_name, self.file_error, self.row_count = "", "", 0
        self.headers, self.preview, self.mapping = [], [], {}
        self._spool_key = ""
        self._forget_report()

    # --- the file ---------------------------------------------------------------------

    @rx.event
    async def upload_file(self, files: list[rx.UploadFile]):
        try:
            actor = await load_actor(self, Permission.BULK_RUN)
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        if not files:
            return
        upload = files[0]
        filename = (upload.name or upload.filename or "upload.csv").rsplit("/", 1)[-1][:200]
        data = await upload.read(MAX_FILE_BYTES + 1)
        self._clear_file()
        if len(data) > MAX_FILE_BYTES:
            self.file_error = f"{filename} is over {MAX_FILE_BYTES // (1024 * 1024)} MB."
            return
        self.reading = True
        yield
        try:
            table = await asyncio.to_thread(
                read_table, data, filename, max_rows=get_settings().bulk_max_rows
            )
            key = await asyncio.to_thread(
                spool.save_upload, actor=actor, filename=filename, data=data
            )
        except BulkFileError as exc:
            self.file_error = message_of(exc)
            return
        except ServiceError as exc:
            self.file_error = exc.message
            return
        finally:
            self.reading = False
        self._spool_key = key
        self.file_name = filename
        self.row_count = len(table.rows)
        self.headers = [str(h) for h in table.headers]
        self.preview = [[str(c) for c in row] for row in table.rows[:PREVIEW_ROWS]]
        self._guess()

    @rx.event
    async def remove_file(self):
        try:
            actor = await load_actor(self, Permission.BULK_RUN)
            if self._spool_key:
                await asyncio.to_thread(spool.discard, actor=actor, key=self._spool_key)
        except ServiceError:
            pass  # nothing of theirs to remove
        self._clear_file()

    def _guess(self) -> None:
        guessed = guess_mapping(self.headers, self._effective_type(), self.dynamic)
        keys = {f.key for f in job_fields(self._effective_type(), self.dynamic)}
        self.mapping = {k: str(v) for k, v in guessed.items() if k in keys}
        self._forget_report()

    # --- options ----------------------------------------------------------------------

    @rx.event
    async def set_dynamic(self, value: str):
        if not await self._may_edit():
            return
        self.dynamic = value == "dynamic"
        self._guess()

    @rx.event
    async def set_content_type(self, value: str):
        if not await self._may_edit():
            return
        if value in {key for key, _ in _content_types()}:
            self.content_type = value
            self._guess()

    @rx.event
    async def set_template(self, value: str):
        if not await self._may_edit():
            return
        if value == NO_TEMPLATE or value in {t[0] for t in self.templates}:
            self.template_id = value
            self._forget_report()

    @rx.event
    async def toggle_format(self, fmt: str, on: bool):
        if not await self._may_edit() or fmt not in FORMATS:
            return
        chosen = [f for f in self.formats if f != fmt] + ([fmt] if on else [])
        self.formats = [f for f in FORMATS if f in chosen]
        self.options_error = "" if self.formats else "Choose at least one file format."

    @rx.event
    async def set_png_size(self, value: str):
        if await self._may_edit() and value in PNG_SIZES:
            self.png_size = value

    @rx.event
    async def set_name_pattern(self, value: str):
        if await self._may_edit():
            self.name_pattern = str(value)[:120]

    @rx.event
    async def set_column(self, key: str, value: str):
        if not await self._may_edit():
            return
        if key not in {f.key for f in job_fields(self._effective_type(), self.dynamic)}:
            return
        if value == "":
            self.mapping = {k: v for k, v in self.mapping.items() if k != key}
        elif value.isdigit() and int(value) < len(self.headers):
            self.mapping = {**self.mapping, key: value}
        else:
            return
        self._forget_report()

    async def _may_edit(self) -> bool:
        try:
            await load_actor(self, Permission.BULK_RUN)
        except ServiceError:
            return False
        return True

    def _options(self) -> JobOptions:
        if not self.formats:
            raise ServiceError("Choose at least one file format.")
        pattern = " ".join(self.name_pattern.split()) or "{row}-{name}"
        return JobOptions(
            content_type=self._effective_type(),
            dynamic=self.dynamic,
            template_id=None if self.template_id == NO_TEMPLATE else self.template_id,
            formats=tuple(self.formats),
            png_size=int(self.png_size),
            name_pattern=pattern,
        )

    def _mapping(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.mapping.items() if v.isdigit()}

    # --- the dry run ------------------------------------------------------------------

    async def _dry_run(self, actor):
        """The dry run over the spooled file with the form's options and mapping."""
        if not self._spool_key:
            raise ServiceError("Upload a CSV or XLSX file first.")
        options = self._options()
        mapping = self._mapping()
        upload = await asyncio.to_thread(spool.load_upload, actor=actor, key=self._spool_key)
        return await asyncio.to_thread(
            dry_runs.dry_run,
            actor=actor,
            workspace_id=actor.workspace_id,
            data=upload.data,
            filename=upload.filename,
            mapping=mapping,
            options=options,
        )

    @rx.event
    async def run_dry_run(self):
        try:
            actor = await load_actor(self, Permission.BULK_RUN)
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        self.checking, self.options_error = True, ""
        self._forget_report()
        yield
        try:
            report = await self._dry_run(actor)
            csv_bytes = await asyncio.to_thread(dry_runs.report_csv, report)
            await asyncio.to_thread(
                spool.save_report, actor=actor, key=self._spool_key, report_csv=csv_bytes
            )
        except (ServiceError, BulkFileError) as exc:
            self.options_error = message_of(exc)
            return
        finally:
            self.checking = False
        self.has_report = True
        self.report_total = int(report.total)
        self.valid_count = len(report.valid)
        self.problem_count = len(report.problems)
        labels = dict(report.field_labels)
        self.problems = problem_rows(report.problems, SHOWN_PROBLEMS, labels)
        self.dense = problem_rows(report.dense_verdicts, SHOWN_PROBLEMS, labels)
        self.template_verdict, self.template_verdict_text = _verdict(report.template_verdict)

    @rx.event
    async def download_report(self):
        try:
            actor = await load_actor(self, Permission.BULK_RUN)
            data = await asyncio.to_thread(spool.load_report, actor=actor, key=self._spool_key)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        stem = self.file_name.rsplit(".", 1)[0] or "bulk"
        return rx.download(data=data, filename=f"{stem}-report.csv", mime_type="text/csv")

    @rx.event
    async def download_sample(self):
        try:
            await load_actor(self, Permission.WORKSPACE_VIEW)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        content_type = self._effective_type()
        data = sample_csv(content_type, self.dynamic)
        kind = "dynamic" if self.dynamic else content_type
        return rx.download(data=data, filename=f"bulk-sample-{kind}.csv", mime_type="text/csv")


def message_of(exc: Exception) -> str:
    return str(getattr(exc, "message", "") or exc) or "The file could not be checked."


def _verdict(value) -> tuple[str, str]:
    """(level for the badge: ok | warn | fail | "", the words shown beside it)."""
    text = str(value or "")
    level = text.split(":", 1)[0].strip().lower()
    if level in ("ok", "warn", "fail"):
        return level, text.split(":", 1)[1].strip() if ":" in text else ""
    return "", text
