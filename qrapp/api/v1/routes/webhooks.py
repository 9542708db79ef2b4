"""Webhook endpoints and their deliveries (the same services as Settings -> Webhooks)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from qrapp.api.v1.deps import caller
from qrapp.core.api_scopes import Scope
from qrapp.services.authz import Actor
from qrapp.services.webhooks import endpoints
from qrapp.services.webhooks.events import EVENT_TYPES

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

Reader = Annotated[Actor, Depends(caller(Scope.WEBHOOKS_READ))]
Writer = Annotated[Actor, Depends(caller(Scope.WEBHOOKS_WRITE))]


class Endpoint(BaseModel):
    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    secret: str = Field(description="Signs every delivery (Standard Webhooks, `whsec_...`).")
    previous_secret_until: dt.datetime | None = Field(
        description="After a rotation the previous secret also signs until then."
    )
    enabled: bool
    disabled_reason: str
    created_at: dt.datetime

    @classmethod
    def of(cls, ep: endpoints.EndpointView) -> Endpoint:
        return cls(
            id=ep.id,
            url=ep.url,
            description=ep.description,
            event_types=list(ep.event_types),
            secret=ep.secret,
            previous_secret_until=ep.previous_secret_until,
            enabled=ep.enabled,
            disabled_reason=ep.disabled_reason,
            created_at=ep.created_at,
        )


class EndpointList(BaseModel):
    items: list[Endpoint]


class EndpointCreate(BaseModel):
    url: str = Field(max_length=2000, examples=["https://example.com/hooks/qrapp"])
    event_types: list[str] = Field(
        min_length=1, max_length=len(EVENT_TYPES), examples=[["code.created"]]
    )
    description: str = Field(default="", max_length=200)


class EndpointUpdate(BaseModel):
    url: str | None = Field(default=None, max_length=2000)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=len(EVENT_TYPES))
    description: str | None = Field(default=None, max_length=200)
    enabled: bool | None = None


class Delivery(BaseModel):
    id: uuid.UUID
    msg_id: str = Field(description="The webhook-id header: the same on every retry.")
    event_type: str
    status: str = Field(description="pending | delivered | failed")
    attempts: int
    response_status: int | None
    response_body_head: str
    duration_ms: int | None
    error: str
    body: str
    created_at: dt.datetime
    last_attempt_at: dt.datetime | None

    @classmethod
    def of(cls, d: endpoints.DeliveryView) -> Delivery:
        return cls(
            id=d.id,
            msg_id=d.msg_id,
            event_type=d.event_type,
            status=d.status,
            attempts=d.attempts,
            response_status=d.status_code,
            response_body_head=d.response_head,
            duration_ms=d.duration_ms,
            error=d.error,
            body=d.body,
            created_at=d.created_at,
            last_attempt_at=d.last_attempt_at,
        )


class DeliveryList(BaseModel):
    items: list[Delivery]


@router.get("/endpoints", operation_id="listWebhookEndpoints", summary="List endpoints")
def list_endpoints(actor: Reader) -> EndpointList:
    return EndpointList(items=[Endpoint.of(e) for e in endpoints.list_endpoints(actor=actor)])


@router.post(
    "/endpoints",
    operation_id="createWebhookEndpoint",
    summary="Add an endpoint",
    status_code=201,
)
def create_endpoint(body: EndpointCreate, actor: Writer) -> Endpoint:
    return Endpoint.of(
        endpoints.create_endpoint(
            actor=actor, url=body.url, event_types=body.event_types, description=body.description
        )
    )


@router.get("/endpoints/{endpoint_id}", operation_id="getWebhookEndpoint", summary="Read one")
def get_endpoint(endpoint_id: uuid.UUID, actor: Reader) -> Endpoint:
    return Endpoint.of(endpoints.get_endpoint(actor=actor, endpoint_id=endpoint_id))


@router.patch(
    "/endpoints/{endpoint_id}", operation_id="updateWebhookEndpoint", summary="Change one"
)
def update_endpoint(endpoint_id: uuid.UUID, body: EndpointUpdate, actor: Writer) -> Endpoint:
    return Endpoint.of(
        endpoints.update_endpoint(
            actor=actor,
            endpoint_id=endpoint_id,
            url=body.url,
            event_types=body.event_types,
            description=body.description,
            enabled=body.enabled,
        )
    )


@router.delete(
    "/endpoints/{endpoint_id}",
    operation_id="deleteWebhookEndpoint",
    summary="Delete one",
    status_code=204,
    response_class=Response,
)
def delete_endpoint(endpoint_id: uuid.UUID, actor: Writer) -> Response:
    endpoints.delete_endpoint(actor=actor, endpoint_id=endpoint_id)
    return Response(status_code=204)


@router.post(
    "/endpoints/{endpoint_id}/rotate-secret",
    operation_id="rotateWebhookSecret",
    summary="Make a new secret (the old one signs too for 24 hours)",
)
def rotate_secret(endpoint_id: uuid.UUID, actor: Writer) -> Endpoint:
    return Endpoint.of(endpoints.rotate_secret(actor=actor, endpoint_id=endpoint_id))


@router.get(
    "/endpoints/{endpoint_id}/deliveries",
    operation_id="listWebhookDeliveries",
    summary="The endpoint's newest messages and how their delivery went",
)
def list_deliveries(endpoint_id: uuid.UUID, actor: Reader) -> DeliveryList:
    rows = endpoints.list_deliveries(actor=actor, endpoint_id=endpoint_id)
    return DeliveryList(items=[Delivery.of(d) for d in rows])


@router.post(
    "/deliveries/{delivery_id}/resend",
    operation_id="resendWebhookDelivery",
    summary="Send a message again (the same id)",
    status_code=202,
    response_class=Response,
)
def resend(delivery_id: uuid.UUID, actor: Writer) -> Response:
    endpoints.resend(actor=actor, message_id=delivery_id)
    return Response(status_code=202)
