"""Making the codes of one chunk of a bulk job, inside the chunk's transaction.

The batch path of services.codes.creation.create, with the same rules (name, design,
destination or content, tags, alias, folder, "does it scan") but without a transaction,
an audit row and an edge notice per code: the chunk commits its codes and the rows that
record them at once. The scannability verdict (a real decoder run, the slow part) is kept
per design and symbol version: codes of one job differ only in their content, and a
dynamic job's short links all have the same length, so one verdict serves every row
with the same design; a row whose content makes the symbol denser gets its own.
"""

from __future__ import annotations

import functools
import hashlib
import json
import uuid
from typing import Any

from sqlmodel import Session, select

from qrapp.cachebus import announce_code_changed
from qrapp.core.bulk.mapping import is_dynamic
from qrapp.core.bulk.rows import merge_design
from qrapp.core.payloads import Payload, parse
from qrapp.core.render import Prepared, prepare
from qrapp.core.render.design import Design
from qrapp.core.scannability import check as check_scannable
from qrapp.core.shortcodes import alias_problem, new_short_code
from qrapp.db import Transaction
from qrapp.models import BulkJob, Folder, QRCode
from qrapp.services.codes.checks import (
    check_design,
    check_destination,
    check_name,
    check_payload,
    clean_tags,
)
from qrapp.services.errors import FieldErrors
from qrapp.services.hosts import own_hosts, short_url

DYNAMIC_TYPE = "url"


def subject(code: QRCode) -> str | Payload:
    """What the symbol encodes, as the designer renders it (a payload keeps its
    preferred error-correction level)."""
    if code.is_dynamic:
        return short_url(code)
    return parse(code.content_type, code.payload)


# (design, symbol version, error level) -> "" when it scans, else the reasons. Bounded:
# a job has one design plus its rows' overrides.
_verdicts: dict[tuple[str, int, str], str] = {}


def _scan_problem(ready: Prepared, design_digest: str) -> str:
    key = (design_digest, ready.symbol.version, ready.symbol.error)
    if key not in _verdicts:
        if len(_verdicts) >= 256:
            _verdicts.clear()
        verdict = check_scannable(ready)
        problem = " ".join(verdict.reasons) or "This design does not scan."
        _verdicts[key] = problem if verdict.level == "fail" else ""
    return _verdicts[key]


class ChunkMaker:
    """Makes codes for the rows of one chunk; one instance per chunk transaction."""

    def __init__(self, tx: Transaction, job: BulkJob) -> None:
        self.tx = tx
        self.session: Session = tx.session
        self.job = job
        self.options = job.options
        self.dynamic = is_dynamic(self.options["content_type"], self.options.get("dynamic", False))
        self.content_type = DYNAMIC_TYPE if self.dynamic else self.options["content_type"]
        self.base_design: dict[str, Any] = self.options.get("design") or {}
        self.tag: str = self.options.get("tag", "")
        self.folders: dict[str, uuid.UUID] = {}
        self.designs: dict[str, tuple[dict[str, Any], Design, str]] = {}
        self.short_codes: set[str] = set()
        self.own = own_hosts() if self.dynamic else None  # once per chunk, not per row

    def make(self, data: dict[str, Any]) -> tuple[QRCode, Prepared]:
        """The code for one row's input (added to the session), or FieldErrors."""
        name = check_name(data.get("name", ""))
        design, model, digest = self._design(data.get("design") or {})
        tags = clean_tags([self.tag, *(data.get("tags") or ())])
        folder_id = self._folder(data.get("folder") or "")
        alias = (data.get("alias") or "").strip()
        if self.dynamic:
            destination = check_destination(data.get("destination", ""), field="url", own=self.own)
            payload: dict[str, Any] = {}
            short = self._short_code(alias)
        else:
            if alias:
                raise FieldErrors({"alias": "Only dynamic codes have a short link."})
            destination, short = "", None
            try:
                payload = check_payload(self.content_type, data.get("payload") or {})
            except FieldErrors as exc:  # named as the mapping names them
                raise FieldErrors({f"payload.{k}": v for k, v in exc.errors.items()}) from None
        code = QRCode(
            workspace_id=self.job.workspace_id,
            name=name,
            content_type=self.content_type,
            payload=payload,
            design=design,
            is_dynamic=self.dynamic,
            short_code=short,
            destination=destination,
            tags=tags,
            folder_id=folder_id,
            created_by=self.job.created_by,
        )
        ready = prepare(subject(code), model)
        if problem := _scan_problem(ready, digest):
            raise FieldErrors({"design": problem})
        self.session.add(code)
        if alias:
            # An edge may hold "unknown" for this alias in its cache: clear it. A random
            # short code was never handed out, so no edge can hold it.
            self.tx.after_commit(functools.partial(announce_code_changed, "", alias))
        return code, ready

    def _design(self, overrides: dict[str, Any]) -> tuple[dict[str, Any], Design, str]:
        """The checked design of rows with these overrides (most rows have none), its
        model and its digest: checked once per chunk, not once per row."""
        key = json.dumps(overrides, sort_keys=True)
        if key not in self.designs:
            checked = check_design(merge_design(self.base_design, overrides))
            # A digest, not the JSON, keys the verdicts: the JSON carries the logo.
            digest = hashlib.sha256(json.dumps(checked, sort_keys=True).encode()).hexdigest()
            self.designs[key] = (checked, Design.parse(checked), digest)
        return self.designs[key]

    def _short_code(self, alias: str) -> str:
        if alias:
            if problem := alias_problem(alias):
                raise FieldErrors({"alias": problem})
            if alias.lower() in self.short_codes or self._taken(alias):
                raise FieldErrors({"alias": f"'{alias}' is already taken."})
            self.short_codes.add(alias.lower())
            return alias
        # A clash of random codes is caught by the unique key at the chunk's commit,
        # and the chunk is made again with fresh codes.
        code = new_short_code()
        self.short_codes.add(code.lower())
        return code

    def _taken(self, code: str) -> bool:
        found = self.session.exec(
            select(QRCode.id).where(QRCode.domain == "", QRCode.short_code == code)
        ).first()
        return found is not None

    def _folder(self, name: str) -> uuid.UUID | None:
        name = " ".join(name.split())[:80]
        if not name:
            return self.job.folder_id
        if name not in self.folders:
            folder = self.session.exec(
                select(Folder).where(
                    Folder.workspace_id == self.job.workspace_id, Folder.name == name
                )
            ).first()
            if folder is None:
                folder = Folder(workspace_id=self.job.workspace_id, name=name)
                self.session.add(folder)
                self.session.flush()
            self.folders[name] = folder.id
        return self.folders[name]
