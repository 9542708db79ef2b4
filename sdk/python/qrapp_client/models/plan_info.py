from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PlanInfo")


@_attrs_define
class PlanInfo:
    """
    Attributes:
        api_requests_per_minute (int):
        bulk_rows_per_job (int | None):
        id (str):
        name (str):
    """

    api_requests_per_minute: int
    bulk_rows_per_job: int | None
    id: str
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_requests_per_minute = self.api_requests_per_minute

        bulk_rows_per_job: int | None
        bulk_rows_per_job = self.bulk_rows_per_job

        id = self.id

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "api_requests_per_minute": api_requests_per_minute,
                "bulk_rows_per_job": bulk_rows_per_job,
                "id": id,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        api_requests_per_minute = d.pop("api_requests_per_minute")

        def _parse_bulk_rows_per_job(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        bulk_rows_per_job = _parse_bulk_rows_per_job(d.pop("bulk_rows_per_job"))

        id = d.pop("id")

        name = d.pop("name")

        plan_info = cls(
            api_requests_per_minute=api_requests_per_minute,
            bulk_rows_per_job=bulk_rows_per_job,
            id=id,
            name=name,
        )

        plan_info.additional_properties = d
        return plan_info

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
