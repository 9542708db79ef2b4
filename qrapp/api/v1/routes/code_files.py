"""A code's image (the designer's renderer and the code's saved design) and its redirect
rules (services/codes/redirect_rules.py)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from qrapp.api.disposition import attachment
from qrapp.api.files import MEDIA, _slug
from qrapp.api.v1.deps import caller
from qrapp.api.v1.problems import ApiProblem
from qrapp.api.v1.text import Text
from qrapp.core.api_scopes import Scope
from qrapp.core.payloads import PayloadError
from qrapp.core.render import DEFAULT_SIZE, MAX_SIZE, MIN_SIZE, prepare, render
from qrapp.core.scannability import check
from qrapp.models import RedirectRule
from qrapp.services.authz import Actor
from qrapp.services.codes import qrcodes, redirect_rules
from qrapp.services.errors import FieldErrors

router = APIRouter(prefix="/codes", tags=["codes"])

Reader = Annotated[Actor, Depends(caller(Scope.CODES_READ))]
Writer = Annotated[Actor, Depends(caller(Scope.CODES_WRITE))]

ImageFormat = Literal["png", "svg", "pdf"]


@router.get(
    "/{code_id}/image",
    operation_id="getCodeImage",
    summary="Download a code's image (PNG, SVG or PDF)",
    response_class=Response,
    responses={
        200: {
            "description": "The image, as the designer's download makes it.",
            "content": {
                "image/png": {"schema": {"type": "string", "format": "binary"}},
                "image/svg+xml": {"schema": {"type": "string", "format": "binary"}},
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
def get_code_image(
    code_id: uuid.UUID,
    actor: Reader,
    format: ImageFormat = "png",
    size: Annotated[
        int,
        Query(
            ge=MIN_SIZE,
            le=MAX_SIZE,
            description="Width in pixels (PNG; the SVG's nominal size; PDF at 300 dpi).",
        ),
    ] = DEFAULT_SIZE,
) -> Response:
    code = qrcodes.get_code_or_raise(actor=actor, code_id=code_id)
    ready = prepare(qrcodes.code_text(code), code.design)
    verdict = check(ready)
    if verdict.level == "fail":
        raise ApiProblem(
            409,
            "This design does not scan, so it cannot be downloaded: " + " ".join(verdict.reasons),
            kind="design-does-not-scan",
        )
    try:
        data = render(ready, fmt=format, size=size)
    except PayloadError as exc:
        raise FieldErrors(exc.errors) from None
    return Response(
        data,
        media_type=MEDIA[format],
        headers={
            "Content-Disposition": attachment(f"{_slug(code.name)}-qr.{format}"),
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


class RuleCondition(BaseModel):
    field: Text = Field(description="country, device, os, browser, language, ip, query, ...")
    op: Text = "in"
    value: Any = None


class RuleVariant(BaseModel):
    label: Text = ""
    destination: Text
    weight: int = 1


class Rule(BaseModel):
    id: uuid.UUID
    position: int
    label: str
    conditions: list[dict[str, Any]]
    destination: str
    variants: list[dict[str, Any]]

    @classmethod
    def of(cls, rule: RedirectRule) -> Rule:
        return cls(
            id=rule.id,
            position=rule.position,
            label=rule.label,
            conditions=list(rule.conditions),
            destination=rule.destination,
            variants=list(rule.variants),
        )


class RuleList(BaseModel):
    items: list[Rule]


class NewRule(BaseModel):
    """A rule sends matching scans to `destination`, or splits them between `variants`."""

    label: Text = ""
    conditions: list[RuleCondition] = []
    destination: Text = ""
    variants: list[RuleVariant] | None = None


class RuleSet(BaseModel):
    rules: list[NewRule] = Field(description="All the code's rules, first match wins.")


@router.get(
    "/{code_id}/rules", operation_id="listCodeRules", summary="List a code's redirect rules"
)
def list_code_rules(code_id: uuid.UUID, actor: Reader) -> RuleList:
    return RuleList(
        items=[Rule.of(r) for r in redirect_rules.list_rules(actor=actor, code_id=code_id)]
    )


@router.put(
    "/{code_id}/rules",
    operation_id="replaceCodeRules",
    summary="Replace all of a code's redirect rules",
)
def replace_code_rules(code_id: uuid.UUID, body: RuleSet, actor: Writer) -> RuleList:
    rules = redirect_rules.replace_rules(
        actor=actor,
        code_id=code_id,
        rules=[
            redirect_rules.RuleInput(
                conditions=[c.model_dump() for c in r.conditions],
                destination=r.destination,
                variants=[v.model_dump() for v in r.variants] if r.variants else None,
                label=r.label,
            )
            for r in body.rules
        ],
    )
    return RuleList(items=[Rule.of(r) for r in rules])
