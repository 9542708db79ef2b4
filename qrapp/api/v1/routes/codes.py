"""QR codes: list (library filters, cursor pages), create one or a batch, read, update,
pause / resume / archive, delete. Images and redirect rules: routes/code_files.py.

Every route calls the services the UI calls, with the key's actor; their errors become
problem documents (problems.py), so a rule lives in one place.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from qrapp.api.v1.cursors import decode_cursor, encode_cursor
from qrapp.api.v1.deps import caller
from qrapp.api.v1.text import Text, Time
from qrapp.core import routes
from qrapp.core.api_scopes import Scope
from qrapp.models import QRCode
from qrapp.services import hosts
from qrapp.services.authz import Actor
from qrapp.services.codes import creation, library, qrcodes, records
from qrapp.services.codes.checks import check_design, check_destination, check_name, check_utm
from qrapp.services.errors import FieldErrors

router = APIRouter(prefix="/codes", tags=["codes"])

Reader = Annotated[Actor, Depends(caller(Scope.CODES_READ))]
Writer = Annotated[Actor, Depends(caller(Scope.CODES_WRITE))]


class Validity(BaseModel):
    """When and how often a dynamic code answers; outside it, the fallback (or a notice)."""

    starts_at: Time | None = None
    ends_at: Time | None = None
    max_scans: int | None = Field(None, description="Total scans allowed; null = no limit.")
    one_scan_per_visitor: bool = False
    fallback_url: Text = ""
    schedule: dict[str, Any] | None = Field(
        None,
        description='Opening hours, e.g. {"timezone": "Europe/Stockholm", '
        '"days": {"mon": [["09:00", "17:00"]]}}.',
    )


class Code(BaseModel):
    id: uuid.UUID
    name: str
    content_type: str
    dynamic: bool
    status: str
    short_code: str | None
    domain: str | None = Field(
        description='The custom domain the short link is on, "" for ours; null for static '
        "codes. short_url uses it while the domain is verified, else our domain."
    )
    short_url: str | None
    destination: str | None
    payload: dict[str, Any]
    design: dict[str, Any]
    tags: list[str]
    folder_id: uuid.UUID | None
    landing_page_id: uuid.UUID | None
    utm: dict[str, str]
    validity: Validity
    total_scans: int
    last_scan_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, code: QRCode | sa.Row[Any]) -> Code:
        """From the model or a row of its table (records.code_row_or_raise)."""
        return cls(
            id=code.id,
            name=code.name,
            content_type=code.content_type,
            dynamic=code.is_dynamic,
            status=code.status,
            short_code=code.short_code,
            domain=code.domain if code.is_dynamic else None,
            short_url=hosts.short_url(code) if code.is_dynamic else None,
            destination=code.destination if code.is_dynamic else None,
            payload=code.payload,
            design=code.design,
            tags=list(code.tags),
            folder_id=code.folder_id,
            landing_page_id=code.landing_page_id,
            utm=dict(code.utm or {}),
            validity=Validity(
                starts_at=code.starts_at,
                ends_at=code.ends_at,
                max_scans=code.max_scans,
                one_scan_per_visitor=code.one_scan_per_visitor,
                fallback_url=code.fallback_url,
                schedule=code.schedule,
            ),
            total_scans=code.total_scans,
            last_scan_at=code.last_scan_at,
            created_at=code.created_at,
            updated_at=code.updated_at,
        )


class CodePage(BaseModel):
    items: list[Code]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class NewCode(BaseModel):
    """A dynamic code (the default) redirects its short link to `destination`; a static
    code encodes `payload` (of `content_type`) in the symbol itself."""

    name: Text
    dynamic: bool = True
    destination: Text = ""
    content_type: Text = Field(
        creation.DYNAMIC_TYPE,
        description="For static codes: url, text, email, phone, sms, wifi, vcard, ...",
    )
    payload: dict[str, Any] | None = None
    design: dict[str, Any] | None = None
    alias: Text = Field("", description="A chosen short link for a dynamic code.")
    tags: list[Text] = []
    folder_id: uuid.UUID | None = None
    landing_page_id: uuid.UUID | None = Field(
        None, description="A published landing page the dynamic code answers with."
    )
    domain: Text | None = Field(
        None,
        description="The short link's domain (dynamic codes): one of the workspace's "
        'verified custom domains, or "" for ours. Without it: the workspace\'s default.',
        max_length=260,
    )

    def to_input(self) -> creation.CodeInput:
        return creation.CodeInput(
            name=self.name,
            content_type=creation.DYNAMIC_TYPE if self.dynamic else self.content_type,
            payload=self.payload,
            design=self.design,
            is_dynamic=self.dynamic,
            destination=self.destination,
            alias=self.alias,
            tags=tuple(self.tags),
            folder_id=self.folder_id,
            landing_page_id=self.landing_page_id,
            domain=self.domain,
        )


class CodeBatch(BaseModel):
    """Up to 100 codes, created all or nothing: one bad item (its messages are keyed
    `items.<index>.<field>`) or too little room in the plan creates none."""

    items: list[NewCode]


class CodeBatchResult(BaseModel):
    items: list[Code]


class CodeChanges(BaseModel):
    """Only the fields sent are changed."""

    name: Text | None = None
    destination: Text | None = Field(None, description="Dynamic codes only.")
    payload: dict[str, Any] | None = Field(None, description="Static codes only.")
    design: dict[str, Any] | None = None
    tags: list[Text] | None = None
    folder_id: uuid.UUID | None = Field(None, description="null takes the code out of its folder.")
    utm: dict[str, str] | None = Field(None, description="utm_source, utm_medium, ...")
    validity: Validity | None = None
    domain: Text | None = Field(
        None,
        description="Move a dynamic code's short link to one of the workspace's verified "
        'custom domains, or to ours with "" or null. The short code stays; links printed '
        "with the old custom domain stop working.",
        max_length=260,
    )


def _get(actor: Actor, code_id: uuid.UUID) -> QRCode:
    return records.get_code_or_raise(actor=actor, code_id=code_id)


def _json(model: BaseModel) -> Response:
    """The model's JSON as the answer, serialised once. FastAPI would validate the returned
    model again and then serialise it (in a second thread hop for a sync route); the bytes
    are the same as its own (pydantic's JSON of the response model), so ETags do not
    change. The route keeps `response_model` for the OpenAPI description."""
    return Response(model.model_dump_json().encode(), media_type="application/json")


# The two hot reads are async with the database read and the serialisation in ONE
# thread hop (a sync route costs two: the route, then FastAPI's response validation), and
# answer the JSON bytes directly (bench/api.py: 0.06-0.15x bare Starlette before).
@router.get("", operation_id="listCodes", summary="List codes", response_model=CodePage)
async def list_codes(
    actor: Reader,
    q: Annotated[Text, Query(description="Search names, destinations, short links.")] = "",
    status: Annotated[
        Literal["active", "paused", "archived"] | None,
        Query(description="Without it: active and paused codes (not the archive)."),
    ] = None,
    content_type: Annotated[Text, Query(alias="type")] = "",
    dynamic: bool | None = None,
    tag: Text = "",
    folder_id: uuid.UUID | None = None,
    created_after: Time | None = None,
    created_before: Time | None = None,
    limit: Annotated[int, Query(ge=1, le=library.MAX_PAGE)] = 25,
    cursor: str | None = None,
) -> Response:
    after = decode_cursor(cursor) if cursor else None
    kind = "" if dynamic is None else ("dynamic" if dynamic else "static")
    query = library.LibraryQuery(
        search=q,
        content_type=content_type,
        status=status or "",
        kind=kind,
        tag=tag,
        folder_id=folder_id,
        created_from=created_after,
        created_to=created_before,
    )

    def read() -> Response:
        page = library.search_after(actor=actor, query=query, after=after, limit=limit)
        return _json(
            CodePage(
                items=[Code.of(c) for c in page.codes],
                next_cursor=encode_cursor(*page.next_after) if page.next_after else None,
            )
        )

    return await run_in_threadpool(read)


@router.post(
    "", operation_id="createCode", summary="Create a code", status_code=201, response_model=Code
)
def create_code(body: NewCode, actor: Writer, response: Response) -> Code:
    code = qrcodes.create(actor=actor, data=body.to_input())
    response.headers["Location"] = f"{routes.API_V1}/codes/{code.id}"
    return Code.of(code)


@router.post(
    "/batch",
    operation_id="createCodes",
    summary="Create up to 100 codes at once (all or nothing)",
    status_code=201,
)
def create_codes(body: CodeBatch, actor: Writer) -> CodeBatchResult:
    codes = creation.create_many(actor=actor, items=[item.to_input() for item in body.items])
    return CodeBatchResult(items=[Code.of(c) for c in codes])


@router.get("/{code_id}", operation_id="getCode", summary="Read a code", response_model=Code)
async def get_code(code_id: uuid.UUID, actor: Reader) -> Response:
    def read() -> Response:
        return _json(Code.of(records.code_row_or_raise(actor=actor, code_id=code_id)))

    return await run_in_threadpool(read)


def _precheck(changes: CodeChanges, sent: set[str]) -> None:
    """Run the services' own field checks on everything sent before changing anything,
    so a bad field refuses the whole request (the services then check again)."""
    errors: dict[str, str] = {}
    checks = {
        "name": lambda: check_name(changes.name or ""),
        "design": lambda: check_design(changes.design),
        "destination": lambda: check_destination(changes.destination or ""),
        "utm": lambda: check_utm(changes.utm),
    }
    for name, check in checks.items():
        if name in sent:
            try:
                check()
            except FieldErrors as exc:
                prefix = "utm." if name == "utm" else ""
                errors |= {prefix + k: v for k, v in exc.errors.items()}
    if errors:
        raise FieldErrors(errors)


@router.patch("/{code_id}", operation_id="updateCode", summary="Change a code")
def update_code(code_id: uuid.UUID, body: CodeChanges, actor: Writer) -> Code:
    sent = body.model_fields_set
    code = _get(actor, code_id)
    _precheck(body, sent)
    # First of the writes: its refusals (a domain not verified, a short code taken there)
    # need the database, so a refused domain must come before anything is changed.
    if "domain" in sent:
        code = qrcodes.change_domain(actor=actor, code_id=code_id, domain=body.domain)
    if sent & {"name", "design", "payload", "tags"}:
        code = qrcodes.update_code(
            actor=actor,
            code_id=code_id,
            name=body.name if "name" in sent and body.name is not None else code.name,
            design=body.design if "design" in sent and body.design is not None else code.design,
            payload=body.payload if "payload" in sent else None,
            tags=tuple(body.tags) if "tags" in sent and body.tags is not None else None,
        )
    if "destination" in sent:
        code = qrcodes.change_destination(
            actor=actor, code_id=code_id, destination=body.destination or ""
        )
    if "utm" in sent:
        code = qrcodes.set_utm(actor=actor, code_id=code_id, utm=body.utm or {})
    if "validity" in sent:
        v = body.validity or Validity()
        code = qrcodes.set_validity(
            actor=actor,
            code_id=code_id,
            starts_at=v.starts_at,
            ends_at=v.ends_at,
            max_scans=v.max_scans,
            one_scan_per_visitor=v.one_scan_per_visitor,
            fallback_url=v.fallback_url,
            schedule=v.schedule,
        )
    if "folder_id" in sent:
        library.bulk(actor=actor, action="move", code_ids=[code_id], folder_id=body.folder_id)
        code = _get(actor, code_id)
    return Code.of(code)


def _set_status(actor: Actor, code_id: uuid.UUID, status: str) -> Code:
    return Code.of(qrcodes.set_status(actor=actor, code_id=code_id, status=status))


@router.post("/{code_id}/pause", operation_id="pauseCode", summary="Pause a code")
def pause_code(code_id: uuid.UUID, actor: Writer) -> Code:
    return _set_status(actor, code_id, "paused")


@router.post(
    "/{code_id}/resume", operation_id="resumeCode", summary="Make a paused or archived code active"
)
def resume_code(code_id: uuid.UUID, actor: Writer) -> Code:
    return _set_status(actor, code_id, "active")


@router.post("/{code_id}/archive", operation_id="archiveCode", summary="Archive a code")
def archive_code(code_id: uuid.UUID, actor: Writer) -> Code:
    return _set_status(actor, code_id, "archived")


@router.delete("/{code_id}", operation_id="deleteCode", summary="Delete a code", status_code=204)
def delete_code(code_id: uuid.UUID, actor: Writer) -> Response:
    qrcodes.delete(actor=actor, code_id=code_id)
    return Response(status_code=204)
