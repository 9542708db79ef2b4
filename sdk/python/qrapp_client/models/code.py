from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.code_design import CodeDesign
    from ..models.code_payload import CodePayload
    from ..models.code_utm import CodeUtm
    from ..models.validity import Validity


T = TypeVar("T", bound="Code")


@_attrs_define
class Code:
    """
    Attributes:
        content_type (str):
        created_at (datetime.datetime):
        design (CodeDesign):
        destination (None | str):
        domain (None | str): The custom domain the short link is on, "" for ours; null for static codes. short_url uses
            it while the domain is verified, else our domain.
        dynamic (bool):
        folder_id (None | UUID):
        id (UUID):
        landing_page_id (None | UUID):
        last_scan_at (datetime.datetime | None):
        name (str):
        payload (CodePayload):
        short_code (None | str):
        short_url (None | str):
        status (str):
        tags (list[str]):
        total_scans (int):
        updated_at (datetime.datetime):
        utm (CodeUtm):
        validity (Validity): When and how often a dynamic code answers; outside it, the fallback (or a notice).
    """

    content_type: str
    created_at: datetime.datetime
    design: CodeDesign
    destination: None | str
    domain: None | str
    dynamic: bool
    folder_id: None | UUID
    id: UUID
    landing_page_id: None | UUID
    last_scan_at: datetime.datetime | None
    name: str
    payload: CodePayload
    short_code: None | str
    short_url: None | str
    status: str
    tags: list[str]
    total_scans: int
    updated_at: datetime.datetime
    utm: CodeUtm
    validity: Validity
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_type = self.content_type

        created_at = self.created_at.isoformat()

        design = self.design.to_dict()

        destination: None | str
        destination = self.destination

        domain: None | str
        domain = self.domain

        dynamic = self.dynamic

        folder_id: None | str
        if isinstance(self.folder_id, UUID):
            folder_id = str(self.folder_id)
        else:
            folder_id = self.folder_id

        id = str(self.id)

        landing_page_id: None | str
        if isinstance(self.landing_page_id, UUID):
            landing_page_id = str(self.landing_page_id)
        else:
            landing_page_id = self.landing_page_id

        last_scan_at: None | str
        if isinstance(self.last_scan_at, datetime.datetime):
            last_scan_at = self.last_scan_at.isoformat()
        else:
            last_scan_at = self.last_scan_at

        name = self.name

        payload = self.payload.to_dict()

        short_code: None | str
        short_code = self.short_code

        short_url: None | str
        short_url = self.short_url

        status = self.status

        tags = self.tags

        total_scans = self.total_scans

        updated_at = self.updated_at.isoformat()

        utm = self.utm.to_dict()

        validity = self.validity.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_type": content_type,
                "created_at": created_at,
                "design": design,
                "destination": destination,
                "domain": domain,
                "dynamic": dynamic,
                "folder_id": folder_id,
                "id": id,
                "landing_page_id": landing_page_id,
                "last_scan_at": last_scan_at,
                "name": name,
                "payload": payload,
                "short_code": short_code,
                "short_url": short_url,
                "status": status,
                "tags": tags,
                "total_scans": total_scans,
                "updated_at": updated_at,
                "utm": utm,
                "validity": validity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.code_design import CodeDesign  # noqa: PLC0415
        from ..models.code_payload import CodePayload  # noqa: PLC0415
        from ..models.code_utm import CodeUtm  # noqa: PLC0415
        from ..models.validity import Validity  # noqa: PLC0415

        d = dict(src_dict)
        content_type = d.pop("content_type")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        design = CodeDesign.from_dict(d.pop("design"))

        def _parse_destination(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        destination = _parse_destination(d.pop("destination"))

        def _parse_domain(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        domain = _parse_domain(d.pop("domain"))

        dynamic = d.pop("dynamic")

        def _parse_folder_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                folder_id_type_0 = UUID(data)

                return folder_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        folder_id = _parse_folder_id(d.pop("folder_id"))

        id = UUID(d.pop("id"))

        def _parse_landing_page_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                landing_page_id_type_0 = UUID(data)

                return landing_page_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        landing_page_id = _parse_landing_page_id(d.pop("landing_page_id"))

        def _parse_last_scan_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_scan_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_scan_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_scan_at = _parse_last_scan_at(d.pop("last_scan_at"))

        name = d.pop("name")

        payload = CodePayload.from_dict(d.pop("payload"))

        def _parse_short_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        short_code = _parse_short_code(d.pop("short_code"))

        def _parse_short_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        short_url = _parse_short_url(d.pop("short_url"))

        status = d.pop("status")

        tags = cast(list[str], d.pop("tags"))

        total_scans = d.pop("total_scans")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        utm = CodeUtm.from_dict(d.pop("utm"))

        validity = Validity.from_dict(d.pop("validity"))

        code = cls(
            content_type=content_type,
            created_at=created_at,
            design=design,
            destination=destination,
            domain=domain,
            dynamic=dynamic,
            folder_id=folder_id,
            id=id,
            landing_page_id=landing_page_id,
            last_scan_at=last_scan_at,
            name=name,
            payload=payload,
            short_code=short_code,
            short_url=short_url,
            status=status,
            tags=tags,
            total_scans=total_scans,
            updated_at=updated_at,
            utm=utm,
            validity=validity,
        )

        code.additional_properties = d
        return code

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
