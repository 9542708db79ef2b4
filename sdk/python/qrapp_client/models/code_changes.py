from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.code_changes_design_type_0 import CodeChangesDesignType0
    from ..models.code_changes_payload_type_0 import CodeChangesPayloadType0
    from ..models.code_changes_utm_type_0 import CodeChangesUtmType0
    from ..models.validity import Validity


T = TypeVar("T", bound="CodeChanges")


@_attrs_define
class CodeChanges:
    """Only the fields sent are changed.

    Attributes:
        design (CodeChangesDesignType0 | None | Unset):
        destination (None | str | Unset): Dynamic codes only.
        domain (None | str | Unset): Move a dynamic code's short link to one of the workspace's verified custom domains,
            or to ours with "" or null. The short code stays; links printed with the old custom domain stop working.
        folder_id (None | Unset | UUID): null takes the code out of its folder.
        name (None | str | Unset):
        payload (CodeChangesPayloadType0 | None | Unset): Static codes only.
        tags (list[str] | None | Unset):
        utm (CodeChangesUtmType0 | None | Unset): utm_source, utm_medium, ...
        validity (None | Unset | Validity):
    """

    design: CodeChangesDesignType0 | None | Unset = UNSET
    destination: None | str | Unset = UNSET
    domain: None | str | Unset = UNSET
    folder_id: None | Unset | UUID = UNSET
    name: None | str | Unset = UNSET
    payload: CodeChangesPayloadType0 | None | Unset = UNSET
    tags: list[str] | None | Unset = UNSET
    utm: CodeChangesUtmType0 | None | Unset = UNSET
    validity: None | Unset | Validity = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.code_changes_design_type_0 import CodeChangesDesignType0  # noqa: PLC0415
        from ..models.code_changes_payload_type_0 import CodeChangesPayloadType0  # noqa: PLC0415
        from ..models.code_changes_utm_type_0 import CodeChangesUtmType0  # noqa: PLC0415
        from ..models.validity import Validity  # noqa: PLC0415

        design: dict[str, Any] | None | Unset
        if isinstance(self.design, Unset):
            design = UNSET
        elif isinstance(self.design, CodeChangesDesignType0):
            design = self.design.to_dict()
        else:
            design = self.design

        destination: None | str | Unset
        if isinstance(self.destination, Unset):
            destination = UNSET
        else:
            destination = self.destination

        domain: None | str | Unset
        if isinstance(self.domain, Unset):
            domain = UNSET
        else:
            domain = self.domain

        folder_id: None | str | Unset
        if isinstance(self.folder_id, Unset):
            folder_id = UNSET
        elif isinstance(self.folder_id, UUID):
            folder_id = str(self.folder_id)
        else:
            folder_id = self.folder_id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        payload: dict[str, Any] | None | Unset
        if isinstance(self.payload, Unset):
            payload = UNSET
        elif isinstance(self.payload, CodeChangesPayloadType0):
            payload = self.payload.to_dict()
        else:
            payload = self.payload

        tags: list[str] | None | Unset
        if isinstance(self.tags, Unset):
            tags = UNSET
        elif isinstance(self.tags, list):
            tags = self.tags

        else:
            tags = self.tags

        utm: dict[str, Any] | None | Unset
        if isinstance(self.utm, Unset):
            utm = UNSET
        elif isinstance(self.utm, CodeChangesUtmType0):
            utm = self.utm.to_dict()
        else:
            utm = self.utm

        validity: dict[str, Any] | None | Unset
        if isinstance(self.validity, Unset):
            validity = UNSET
        elif isinstance(self.validity, Validity):
            validity = self.validity.to_dict()
        else:
            validity = self.validity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if design is not UNSET:
            field_dict["design"] = design
        if destination is not UNSET:
            field_dict["destination"] = destination
        if domain is not UNSET:
            field_dict["domain"] = domain
        if folder_id is not UNSET:
            field_dict["folder_id"] = folder_id
        if name is not UNSET:
            field_dict["name"] = name
        if payload is not UNSET:
            field_dict["payload"] = payload
        if tags is not UNSET:
            field_dict["tags"] = tags
        if utm is not UNSET:
            field_dict["utm"] = utm
        if validity is not UNSET:
            field_dict["validity"] = validity

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.code_changes_design_type_0 import CodeChangesDesignType0  # noqa: PLC0415
        from ..models.code_changes_payload_type_0 import CodeChangesPayloadType0  # noqa: PLC0415
        from ..models.code_changes_utm_type_0 import CodeChangesUtmType0  # noqa: PLC0415
        from ..models.validity import Validity  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_design(data: object) -> CodeChangesDesignType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                design_type_0 = CodeChangesDesignType0.from_dict(data)

                return design_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CodeChangesDesignType0 | None | Unset, data)

        design = _parse_design(d.pop("design", UNSET))

        def _parse_destination(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        destination = _parse_destination(d.pop("destination", UNSET))

        def _parse_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain = _parse_domain(d.pop("domain", UNSET))

        def _parse_folder_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                folder_id_type_0 = UUID(data)

                return folder_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        folder_id = _parse_folder_id(d.pop("folder_id", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_payload(data: object) -> CodeChangesPayloadType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = CodeChangesPayloadType0.from_dict(data)

                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CodeChangesPayloadType0 | None | Unset, data)

        payload = _parse_payload(d.pop("payload", UNSET))

        def _parse_tags(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                tags_type_0 = cast(list[str], data)

                return tags_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        tags = _parse_tags(d.pop("tags", UNSET))

        def _parse_utm(data: object) -> CodeChangesUtmType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                utm_type_0 = CodeChangesUtmType0.from_dict(data)

                return utm_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CodeChangesUtmType0 | None | Unset, data)

        utm = _parse_utm(d.pop("utm", UNSET))

        def _parse_validity(data: object) -> None | Unset | Validity:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                validity_type_0 = Validity.from_dict(data)

                return validity_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Validity, data)

        validity = _parse_validity(d.pop("validity", UNSET))

        code_changes = cls(
            design=design,
            destination=destination,
            domain=domain,
            folder_id=folder_id,
            name=name,
            payload=payload,
            tags=tags,
            utm=utm,
            validity=validity,
        )

        code_changes.additional_properties = d
        return code_changes

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
