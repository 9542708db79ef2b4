from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """
    Attributes:
        attempts (int):
        body (str):
        created_at (datetime.datetime):
        duration_ms (int | None):
        error (str):
        event_type (str):
        id (UUID):
        last_attempt_at (datetime.datetime | None):
        msg_id (str): The webhook-id header: the same on every retry.
        response_body_head (str):
        response_status (int | None):
        status (str): pending | delivered | failed
    """

    attempts: int
    body: str
    created_at: datetime.datetime
    duration_ms: int | None
    error: str
    event_type: str
    id: UUID
    last_attempt_at: datetime.datetime | None
    msg_id: str
    response_body_head: str
    response_status: int | None
    status: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        body = self.body

        created_at = self.created_at.isoformat()

        duration_ms: int | None
        duration_ms = self.duration_ms

        error = self.error

        event_type = self.event_type

        id = str(self.id)

        last_attempt_at: None | str
        if isinstance(self.last_attempt_at, datetime.datetime):
            last_attempt_at = self.last_attempt_at.isoformat()
        else:
            last_attempt_at = self.last_attempt_at

        msg_id = self.msg_id

        response_body_head = self.response_body_head

        response_status: int | None
        response_status = self.response_status

        status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "body": body,
                "created_at": created_at,
                "duration_ms": duration_ms,
                "error": error,
                "event_type": event_type,
                "id": id,
                "last_attempt_at": last_attempt_at,
                "msg_id": msg_id,
                "response_body_head": response_body_head,
                "response_status": response_status,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        body = d.pop("body")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_duration_ms(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_ms = _parse_duration_ms(d.pop("duration_ms"))

        error = d.pop("error")

        event_type = d.pop("event_type")

        id = UUID(d.pop("id"))

        def _parse_last_attempt_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_attempt_at = _parse_last_attempt_at(d.pop("last_attempt_at"))

        msg_id = d.pop("msg_id")

        response_body_head = d.pop("response_body_head")

        def _parse_response_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        response_status = _parse_response_status(d.pop("response_status"))

        status = d.pop("status")

        delivery = cls(
            attempts=attempts,
            body=body,
            created_at=created_at,
            duration_ms=duration_ms,
            error=error,
            event_type=event_type,
            id=id,
            last_attempt_at=last_attempt_at,
            msg_id=msg_id,
            response_body_head=response_body_head,
            response_status=response_status,
            status=status,
        )

        delivery.additional_properties = d
        return delivery

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
