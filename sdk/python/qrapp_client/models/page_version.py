from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PageVersion")


@_attrs_define
class PageVersion:
    """
    Attributes:
        author (str):
        created_at (datetime.datetime):
        is_live (bool):
        number (int):
    """

    author: str
    created_at: datetime.datetime
    is_live: bool
    number: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        author = self.author

        created_at = self.created_at.isoformat()

        is_live = self.is_live

        number = self.number

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "author": author,
                "created_at": created_at,
                "is_live": is_live,
                "number": number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        author = d.pop("author")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        is_live = d.pop("is_live")

        number = d.pop("number")

        page_version = cls(
            author=author,
            created_at=created_at,
            is_live=is_live,
            number=number,
        )

        page_version.additional_properties = d
        return page_version

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
