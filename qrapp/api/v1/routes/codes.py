"""QR codes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from qrapp.api.v1.deps import caller
from qrapp.core.api_scopes import Scope
from qrapp.models import QRCode
from qrapp.services import hosts
from qrapp.services.authz import Actor
from qrapp.services.codes import records

router = APIRouter(prefix="/codes", tags=["codes"])


class Code(BaseModel):
    id: uuid.UUID
    name: str
    content_type: str
    dynamic: bool
    status: str
    short_url: str | None
    destination: str | None
    payload: dict[str, Any]
    design: dict[str, Any]
    tags: list[str]
    folder_id: uuid.UUID | None
    total_scans: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, code: QRCode) -> Code:
        return cls(
            id=code.id,
            name=code.name,
            content_type=code.content_type,
            dynamic=code.is_dynamic,
            status=code.status,
            short_url=hosts.short_url(code) if code.is_dynamic else None,
            destination=code.destination if code.is_dynamic else None,
            payload=code.payload,
            design=code.design,
            tags=list(code.tags),
            folder_id=code.folder_id,
            total_scans=code.total_scans,
            created_at=code.created_at,
            updated_at=code.updated_at,
        )


@router.get("/{code_id}", operation_id="getCode", summary="Read a code")
def get_code(
    code_id: uuid.UUID, actor: Annotated[Actor, Depends(caller(Scope.CODES_READ))]
) -> Code:
    return Code.of(records.get_code_or_raise(actor=actor, code_id=code_id))
