from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TopCode")


@_attrs_define
class TopCode:
    """
    Attributes:
        id (UUID):
        name (str):
        scans (int):
        share (float):
        short_code (str):
        uniques (int):
    """

    id: UUID
    name: str
    scans: int
    share: float
    short_code: str
    uniques: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        scans = self.scans

        share = self.share

        short_code = self.short_code

        uniques = self.uniques

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "scans": scans,
                "share": share,
                "short_code": short_code,
                "uniques": uniques,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        scans = d.pop("scans")

        share = d.pop("share")

        short_code = d.pop("short_code")

        uniques = d.pop("uniques")

        top_code = cls(
            id=id,
            name=name,
            scans=scans,
            share=share,
            short_code=short_code,
            uniques=uniques,
        )

        top_code.additional_properties = d
        return top_code

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
