from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, Unset

T = TypeVar("T", bound="BodyStartBulkJob")


@_attrs_define
class BodyStartBulkJob:
    """
    Attributes:
        file (str): CSV or XLSX, a header row first.
        content_type (str | Unset): url for dynamic codes, or a static type. Default: 'url'.
        dynamic (bool | Unset):  Default: True.
        formats (str | Unset): Comma-separated: png, svg, pdf, eps. Default: 'png'.
        mapping (str | Unset): JSON: field key -> header or column, e.g. {"url": "Link"}. Default: ''.
        name_pattern (str | Unset):  Default: '{row}-{name}'.
        png_size (int | Unset):  Default: 1024.
        skip_invalid_rows (bool | Unset): Start with the valid rows when some are refused. Default: False.
        template_id (None | str | Unset): A saved design's id.
    """

    file: str
    content_type: str | Unset = "url"
    dynamic: bool | Unset = True
    formats: str | Unset = "png"
    mapping: str | Unset = ""
    name_pattern: str | Unset = "{row}-{name}"
    png_size: int | Unset = 1024
    skip_invalid_rows: bool | Unset = False
    template_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file = self.file

        content_type = self.content_type

        dynamic = self.dynamic

        formats = self.formats

        mapping = self.mapping

        name_pattern = self.name_pattern

        png_size = self.png_size

        skip_invalid_rows = self.skip_invalid_rows

        template_id: None | str | Unset
        if isinstance(self.template_id, Unset):
            template_id = UNSET
        else:
            template_id = self.template_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file": file,
            }
        )
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if dynamic is not UNSET:
            field_dict["dynamic"] = dynamic
        if formats is not UNSET:
            field_dict["formats"] = formats
        if mapping is not UNSET:
            field_dict["mapping"] = mapping
        if name_pattern is not UNSET:
            field_dict["name_pattern"] = name_pattern
        if png_size is not UNSET:
            field_dict["png_size"] = png_size
        if skip_invalid_rows is not UNSET:
            field_dict["skip_invalid_rows"] = skip_invalid_rows
        if template_id is not UNSET:
            field_dict["template_id"] = template_id

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("file", (None, str(self.file).encode(), "text/plain")))

        if not isinstance(self.content_type, Unset):
            files.append(("content_type", (None, str(self.content_type).encode(), "text/plain")))

        if not isinstance(self.dynamic, Unset):
            files.append(("dynamic", (None, str(self.dynamic).encode(), "text/plain")))

        if not isinstance(self.formats, Unset):
            files.append(("formats", (None, str(self.formats).encode(), "text/plain")))

        if not isinstance(self.mapping, Unset):
            files.append(("mapping", (None, str(self.mapping).encode(), "text/plain")))

        if not isinstance(self.name_pattern, Unset):
            files.append(("name_pattern", (None, str(self.name_pattern).encode(), "text/plain")))

        if not isinstance(self.png_size, Unset):
            files.append(("png_size", (None, str(self.png_size).encode(), "text/plain")))

        if not isinstance(self.skip_invalid_rows, Unset):
            files.append(("skip_invalid_rows", (None, str(self.skip_invalid_rows).encode(), "text/plain")))

        if not isinstance(self.template_id, Unset):
            if isinstance(self.template_id, str):
                files.append(("template_id", (None, str(self.template_id).encode(), "text/plain")))
            else:
                files.append(("template_id", (None, str(self.template_id).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file = d.pop("file")

        content_type = d.pop("content_type", UNSET)

        dynamic = d.pop("dynamic", UNSET)

        formats = d.pop("formats", UNSET)

        mapping = d.pop("mapping", UNSET)

        name_pattern = d.pop("name_pattern", UNSET)

        png_size = d.pop("png_size", UNSET)

        skip_invalid_rows = d.pop("skip_invalid_rows", UNSET)

        def _parse_template_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        template_id = _parse_template_id(d.pop("template_id", UNSET))

        body_start_bulk_job = cls(
            file=file,
            content_type=content_type,
            dynamic=dynamic,
            formats=formats,
            mapping=mapping,
            name_pattern=name_pattern,
            png_size=png_size,
            skip_invalid_rows=skip_invalid_rows,
            template_id=template_id,
        )

        body_start_bulk_job.additional_properties = d
        return body_start_bulk_job

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
