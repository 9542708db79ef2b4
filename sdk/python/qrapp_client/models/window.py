from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.window_granularity import WindowGranularity

T = TypeVar("T", bound="Window")


@_attrs_define
class Window:
    """
    Attributes:
        end (datetime.datetime):
        first_day (datetime.date):
        granularity (WindowGranularity):
        last_day (datetime.date):
        range_ (str):
        start (datetime.datetime):
        timezone (str):
    """

    end: datetime.datetime
    first_day: datetime.date
    granularity: WindowGranularity
    last_day: datetime.date
    range_: str
    start: datetime.datetime
    timezone: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        end = self.end.isoformat()

        first_day = self.first_day.isoformat()

        granularity = self.granularity.value

        last_day = self.last_day.isoformat()

        range_ = self.range_

        start = self.start.isoformat()

        timezone = self.timezone

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "end": end,
                "first_day": first_day,
                "granularity": granularity,
                "last_day": last_day,
                "range": range_,
                "start": start,
                "timezone": timezone,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end = datetime.datetime.fromisoformat(d.pop("end"))

        first_day = datetime.date.fromisoformat(d.pop("first_day"))

        granularity = WindowGranularity(d.pop("granularity"))

        last_day = datetime.date.fromisoformat(d.pop("last_day"))

        range_ = d.pop("range")

        start = datetime.datetime.fromisoformat(d.pop("start"))

        timezone = d.pop("timezone")

        window = cls(
            end=end,
            first_day=first_day,
            granularity=granularity,
            last_day=last_day,
            range_=range_,
            start=start,
            timezone=timezone,
        )

        window.additional_properties = d
        return window

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
