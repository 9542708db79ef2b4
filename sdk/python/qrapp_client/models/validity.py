from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.validity_schedule_type_0 import ValidityScheduleType0


T = TypeVar("T", bound="Validity")


@_attrs_define
class Validity:
    """When and how often a dynamic code answers; outside it, the fallback (or a notice).

    Attributes:
        ends_at (datetime.datetime | None | Unset):
        fallback_url (str | Unset):  Default: ''.
        max_scans (int | None | Unset): Total scans allowed; null = no limit.
        one_scan_per_visitor (bool | Unset):  Default: False.
        schedule (None | Unset | ValidityScheduleType0): Opening hours, e.g. {"timezone": "Europe/Stockholm", "days":
            {"mon": [["09:00", "17:00"]]}}.
        starts_at (datetime.datetime | None | Unset):
    """

    ends_at: datetime.datetime | None | Unset = UNSET
    fallback_url: str | Unset = ""
    max_scans: int | None | Unset = UNSET
    one_scan_per_visitor: bool | Unset = False
    schedule: None | Unset | ValidityScheduleType0 = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.validity_schedule_type_0 import ValidityScheduleType0  # noqa: PLC0415

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        fallback_url = self.fallback_url

        max_scans: int | None | Unset
        if isinstance(self.max_scans, Unset):
            max_scans = UNSET
        else:
            max_scans = self.max_scans

        one_scan_per_visitor = self.one_scan_per_visitor

        schedule: dict[str, Any] | None | Unset
        if isinstance(self.schedule, Unset):
            schedule = UNSET
        elif isinstance(self.schedule, ValidityScheduleType0):
            schedule = self.schedule.to_dict()
        else:
            schedule = self.schedule

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if ends_at is not UNSET:
            field_dict["ends_at"] = ends_at
        if fallback_url is not UNSET:
            field_dict["fallback_url"] = fallback_url
        if max_scans is not UNSET:
            field_dict["max_scans"] = max_scans
        if one_scan_per_visitor is not UNSET:
            field_dict["one_scan_per_visitor"] = one_scan_per_visitor
        if schedule is not UNSET:
            field_dict["schedule"] = schedule
        if starts_at is not UNSET:
            field_dict["starts_at"] = starts_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.validity_schedule_type_0 import ValidityScheduleType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)

                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("ends_at", UNSET))

        fallback_url = d.pop("fallback_url", UNSET)

        def _parse_max_scans(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_scans = _parse_max_scans(d.pop("max_scans", UNSET))

        one_scan_per_visitor = d.pop("one_scan_per_visitor", UNSET)

        def _parse_schedule(data: object) -> None | Unset | ValidityScheduleType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                schedule_type_0 = ValidityScheduleType0.from_dict(data)

                return schedule_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | ValidityScheduleType0, data)

        schedule = _parse_schedule(d.pop("schedule", UNSET))

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)

                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("starts_at", UNSET))

        validity = cls(
            ends_at=ends_at,
            fallback_url=fallback_url,
            max_scans=max_scans,
            one_scan_per_visitor=one_scan_per_visitor,
            schedule=schedule,
            starts_at=starts_at,
        )

        validity.additional_properties = d
        return validity

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
