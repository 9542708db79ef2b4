from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Page")


@_attrs_define
class Page:
    """
    Attributes:
        id (UUID):
        name (str):
        public_url (None | str):
        published_at (datetime.datetime | None):
        published_version (int | None):
        slug (str):
        status (str): draft, published or unpublished
        updated_at (datetime.datetime):
        views (int):
    """

    id: UUID
    name: str
    public_url: None | str
    published_at: datetime.datetime | None
    published_version: int | None
    slug: str
    status: str
    updated_at: datetime.datetime
    views: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        public_url: None | str
        public_url = self.public_url

        published_at: None | str
        if isinstance(self.published_at, datetime.datetime):
            published_at = self.published_at.isoformat()
        else:
            published_at = self.published_at

        published_version: int | None
        published_version = self.published_version

        slug = self.slug

        status = self.status

        updated_at = self.updated_at.isoformat()

        views = self.views

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "public_url": public_url,
                "published_at": published_at,
                "published_version": published_version,
                "slug": slug,
                "status": status,
                "updated_at": updated_at,
                "views": views,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        def _parse_public_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        public_url = _parse_public_url(d.pop("public_url"))

        def _parse_published_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                published_at_type_0 = datetime.datetime.fromisoformat(data)

                return published_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        published_at = _parse_published_at(d.pop("published_at"))

        def _parse_published_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        published_version = _parse_published_version(d.pop("published_version"))

        slug = d.pop("slug")

        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        views = d.pop("views")

        page = cls(
            id=id,
            name=name,
            public_url=public_url,
            published_at=published_at,
            published_version=published_version,
            slug=slug,
            status=status,
            updated_at=updated_at,
            views=views,
        )

        page.additional_properties = d
        return page

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
