from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Totals")


@_attrs_define
class Totals:
    """
    Attributes:
        bots (int):
        change (float | None): Scans against the previous period, e.g. 0.25.
        human_share (float):
        humans (int):
        previous_scans (int):
        previous_uniques (int):
        scans (int):
        scans_today (int):
        uniques (int):
        uniques_change (float | None):
    """

    bots: int
    change: float | None
    human_share: float
    humans: int
    previous_scans: int
    previous_uniques: int
    scans: int
    scans_today: int
    uniques: int
    uniques_change: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bots = self.bots

        change: float | None
        change = self.change

        human_share = self.human_share

        humans = self.humans

        previous_scans = self.previous_scans

        previous_uniques = self.previous_uniques

        scans = self.scans

        scans_today = self.scans_today

        uniques = self.uniques

        uniques_change: float | None
        uniques_change = self.uniques_change

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bots": bots,
                "change": change,
                "human_share": human_share,
                "humans": humans,
                "previous_scans": previous_scans,
                "previous_uniques": previous_uniques,
                "scans": scans,
                "scans_today": scans_today,
                "uniques": uniques,
                "uniques_change": uniques_change,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bots = d.pop("bots")

        def _parse_change(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        change = _parse_change(d.pop("change"))

        human_share = d.pop("human_share")

        humans = d.pop("humans")

        previous_scans = d.pop("previous_scans")

        previous_uniques = d.pop("previous_uniques")

        scans = d.pop("scans")

        scans_today = d.pop("scans_today")

        uniques = d.pop("uniques")

        def _parse_uniques_change(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        uniques_change = _parse_uniques_change(d.pop("uniques_change"))

        totals = cls(
            bots=bots,
            change=change,
            human_share=human_share,
            humans=humans,
            previous_scans=previous_scans,
            previous_uniques=previous_uniques,
            scans=scans,
            scans_today=scans_today,
            uniques=uniques,
            uniques_change=uniques_change,
        )

        totals.additional_properties = d
        return totals

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
