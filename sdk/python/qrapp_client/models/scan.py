from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Scan")


@_attrs_define
class Scan:
    """
    Attributes:
        browser (str):
        city (str):
        code_id (UUID):
        country (str):
        device_type (str):
        event_id (UUID):
        is_bot (bool):
        is_unique (bool):
        language (str):
        occurred_at (datetime.datetime):
        os (str):
        referrer_host (str):
        region (str):
        source (str): qr (scanned) or link (clicked)
        variant (str):
    """

    browser: str
    city: str
    code_id: UUID
    country: str
    device_type: str
    event_id: UUID
    is_bot: bool
    is_unique: bool
    language: str
    occurred_at: datetime.datetime
    os: str
    referrer_host: str
    region: str
    source: str
    variant: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        browser = self.browser

        city = self.city

        code_id = str(self.code_id)

        country = self.country

        device_type = self.device_type

        event_id = str(self.event_id)

        is_bot = self.is_bot

        is_unique = self.is_unique

        language = self.language

        occurred_at = self.occurred_at.isoformat()

        os = self.os

        referrer_host = self.referrer_host

        region = self.region

        source = self.source

        variant = self.variant

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "browser": browser,
                "city": city,
                "code_id": code_id,
                "country": country,
                "device_type": device_type,
                "event_id": event_id,
                "is_bot": is_bot,
                "is_unique": is_unique,
                "language": language,
                "occurred_at": occurred_at,
                "os": os,
                "referrer_host": referrer_host,
                "region": region,
                "source": source,
                "variant": variant,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        browser = d.pop("browser")

        city = d.pop("city")

        code_id = UUID(d.pop("code_id"))

        country = d.pop("country")

        device_type = d.pop("device_type")

        event_id = UUID(d.pop("event_id"))

        is_bot = d.pop("is_bot")

        is_unique = d.pop("is_unique")

        language = d.pop("language")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        os = d.pop("os")

        referrer_host = d.pop("referrer_host")

        region = d.pop("region")

        source = d.pop("source")

        variant = d.pop("variant")

        scan = cls(
            browser=browser,
            city=city,
            code_id=code_id,
            country=country,
            device_type=device_type,
            event_id=event_id,
            is_bot=is_bot,
            is_unique=is_unique,
            language=language,
            occurred_at=occurred_at,
            os=os,
            referrer_host=referrer_host,
            region=region,
            source=source,
            variant=variant,
        )

        scan.additional_properties = d
        return scan

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
