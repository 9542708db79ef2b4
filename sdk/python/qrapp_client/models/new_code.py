from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.new_code_design_type_0 import NewCodeDesignType0
    from ..models.new_code_payload_type_0 import NewCodePayloadType0


T = TypeVar("T", bound="NewCode")


@_attrs_define
class NewCode:
    """A dynamic code (the default) redirects its short link to `destination`; a static
    code encodes `payload` (of `content_type`) in the symbol itself.

        Attributes:
            name (str):
            alias (str | Unset): A chosen short link for a dynamic code. Default: ''.
            content_type (str | Unset): For static codes: url, text, email, phone, sms, wifi, vcard, ... Default: 'url'.
            design (NewCodeDesignType0 | None | Unset):
            destination (str | Unset):  Default: ''.
            domain (None | str | Unset): The short link's domain (dynamic codes): one of the workspace's verified custom
                domains, or "" for ours. Without it: the workspace's default.
            dynamic (bool | Unset):  Default: True.
            folder_id (None | Unset | UUID):
            landing_page_id (None | Unset | UUID): A published landing page the dynamic code answers with.
            payload (NewCodePayloadType0 | None | Unset):
            tags (list[str] | Unset):
    """

    name: str
    alias: str | Unset = ""
    content_type: str | Unset = "url"
    design: NewCodeDesignType0 | None | Unset = UNSET
    destination: str | Unset = ""
    domain: None | str | Unset = UNSET
    dynamic: bool | Unset = True
    folder_id: None | Unset | UUID = UNSET
    landing_page_id: None | Unset | UUID = UNSET
    payload: NewCodePayloadType0 | None | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.new_code_design_type_0 import NewCodeDesignType0  # noqa: PLC0415
        from ..models.new_code_payload_type_0 import NewCodePayloadType0  # noqa: PLC0415

        name = self.name

        alias = self.alias

        content_type = self.content_type

        design: dict[str, Any] | None | Unset
        if isinstance(self.design, Unset):
            design = UNSET
        elif isinstance(self.design, NewCodeDesignType0):
            design = self.design.to_dict()
        else:
            design = self.design

        destination = self.destination

        domain: None | str | Unset
        if isinstance(self.domain, Unset):
            domain = UNSET
        else:
            domain = self.domain

        dynamic = self.dynamic

        folder_id: None | str | Unset
        if isinstance(self.folder_id, Unset):
            folder_id = UNSET
        elif isinstance(self.folder_id, UUID):
            folder_id = str(self.folder_id)
        else:
            folder_id = self.folder_id

        landing_page_id: None | str | Unset
        if isinstance(self.landing_page_id, Unset):
            landing_page_id = UNSET
        elif isinstance(self.landing_page_id, UUID):
            landing_page_id = str(self.landing_page_id)
        else:
            landing_page_id = self.landing_page_id

        payload: dict[str, Any] | None | Unset
        if isinstance(self.payload, Unset):
            payload = UNSET
        elif isinstance(self.payload, NewCodePayloadType0):
            payload = self.payload.to_dict()
        else:
            payload = self.payload

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if alias is not UNSET:
            field_dict["alias"] = alias
        if content_type is not UNSET:
            field_dict["content_type"] = content_type
        if design is not UNSET:
            field_dict["design"] = design
        if destination is not UNSET:
            field_dict["destination"] = destination
        if domain is not UNSET:
            field_dict["domain"] = domain
        if dynamic is not UNSET:
            field_dict["dynamic"] = dynamic
        if folder_id is not UNSET:
            field_dict["folder_id"] = folder_id
        if landing_page_id is not UNSET:
            field_dict["landing_page_id"] = landing_page_id
        if payload is not UNSET:
            field_dict["payload"] = payload
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.new_code_design_type_0 import NewCodeDesignType0  # noqa: PLC0415
        from ..models.new_code_payload_type_0 import NewCodePayloadType0  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        alias = d.pop("alias", UNSET)

        content_type = d.pop("content_type", UNSET)

        def _parse_design(data: object) -> NewCodeDesignType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                design_type_0 = NewCodeDesignType0.from_dict(data)

                return design_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NewCodeDesignType0 | None | Unset, data)

        design = _parse_design(d.pop("design", UNSET))

        destination = d.pop("destination", UNSET)

        def _parse_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain = _parse_domain(d.pop("domain", UNSET))

        dynamic = d.pop("dynamic", UNSET)

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

        def _parse_landing_page_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                landing_page_id_type_0 = UUID(data)

                return landing_page_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        landing_page_id = _parse_landing_page_id(d.pop("landing_page_id", UNSET))

        def _parse_payload(data: object) -> NewCodePayloadType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = NewCodePayloadType0.from_dict(data)

                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NewCodePayloadType0 | None | Unset, data)

        payload = _parse_payload(d.pop("payload", UNSET))

        tags = cast(list[str], d.pop("tags", UNSET))

        new_code = cls(
            name=name,
            alias=alias,
            content_type=content_type,
            design=design,
            destination=destination,
            domain=domain,
            dynamic=dynamic,
            folder_id=folder_id,
            landing_page_id=landing_page_id,
            payload=payload,
            tags=tags,
        )

        new_code.additional_properties = d
        return new_code

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
