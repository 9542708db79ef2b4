from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.meter import Meter
    from ..models.plan_info import PlanInfo


T = TypeVar("T", bound="Usage")


@_attrs_define
class Usage:
    """
    Attributes:
        meters (list[Meter]):
        plan (PlanInfo):
        scans_this_month (int):
    """

    meters: list[Meter]
    plan: PlanInfo
    scans_this_month: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        meters = []
        for meters_item_data in self.meters:
            meters_item = meters_item_data.to_dict()
            meters.append(meters_item)

        plan = self.plan.to_dict()

        scans_this_month = self.scans_this_month

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "meters": meters,
                "plan": plan,
                "scans_this_month": scans_this_month,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.meter import Meter  # noqa: PLC0415
        from ..models.plan_info import PlanInfo  # noqa: PLC0415

        d = dict(src_dict)
        meters = []
        _meters = d.pop("meters")
        for meters_item_data in _meters:
            meters_item = Meter.from_dict(meters_item_data)

            meters.append(meters_item)

        plan = PlanInfo.from_dict(d.pop("plan"))

        scans_this_month = d.pop("scans_this_month")

        usage = cls(
            meters=meters,
            plan=plan,
            scans_this_month=scans_this_month,
        )

        usage.additional_properties = d
        return usage

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
