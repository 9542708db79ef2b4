"""The workspace's plan and its usage meters (services/billing/overview.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from qrapp.api.v1.deps import caller
from qrapp.core.api_scopes import Scope
from qrapp.services.authz import Actor
from qrapp.services.billing import overview

router = APIRouter(tags=["usage"])


class Meter(BaseModel):
    key: str = Field(description="dynamic_codes, static_codes, landing_pages, seats, media_bytes")
    label: str
    used: int
    limit: int | None = Field(description="null = unlimited on this plan")
    over: bool


class PlanInfo(BaseModel):
    id: str
    name: str
    api_requests_per_minute: int
    bulk_rows_per_job: int | None


class Usage(BaseModel):
    plan: PlanInfo
    meters: list[Meter]
    scans_this_month: int


@router.get("/usage", operation_id="getUsage", summary="The workspace's plan and usage")
def get_usage(actor: Annotated[Actor, Depends(caller(Scope.USAGE_READ))]) -> Usage:
    got = overview.workspace_usage(actor=actor)
    return Usage(
        plan=PlanInfo(
            id=got.plan.id.value,
            name=got.plan.name,
            api_requests_per_minute=got.plan.api_per_minute,
            bulk_rows_per_job=got.plan.bulk_rows,
        ),
        meters=[
            Meter(key=m.key, label=m.label, used=m.used, limit=m.limit, over=m.over)
            for m in got.meters
        ],
        scans_this_month=got.scans_this_month,
    )
