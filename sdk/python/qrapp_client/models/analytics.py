from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.analytics_breakdowns import AnalyticsBreakdowns
    from ..models.point import Point
    from ..models.top_code import TopCode
    from ..models.totals import Totals
    from ..models.window import Window


T = TypeVar("T", bound="Analytics")


@_attrs_define
class Analytics:
    """
    Attributes:
        breakdowns (AnalyticsBreakdowns): Per dimension (country, device, os, browser, language, referrer, ...).
        heatmap (list[list[int]]): [weekday, 0 = Monday][local hour]
        previous_series (list[Point]):
        series (list[Point]):
        top_codes (list[TopCode]):
        totals (Totals):
        window (Window):
    """

    breakdowns: AnalyticsBreakdowns
    heatmap: list[list[int]]
    previous_series: list[Point]
    series: list[Point]
    top_codes: list[TopCode]
    totals: Totals
    window: Window
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        breakdowns = self.breakdowns.to_dict()

        heatmap = []
        for heatmap_item_data in self.heatmap:
            heatmap_item = heatmap_item_data

            heatmap.append(heatmap_item)

        previous_series = []
        for previous_series_item_data in self.previous_series:
            previous_series_item = previous_series_item_data.to_dict()
            previous_series.append(previous_series_item)

        series = []
        for series_item_data in self.series:
            series_item = series_item_data.to_dict()
            series.append(series_item)

        top_codes = []
        for top_codes_item_data in self.top_codes:
            top_codes_item = top_codes_item_data.to_dict()
            top_codes.append(top_codes_item)

        totals = self.totals.to_dict()

        window = self.window.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "breakdowns": breakdowns,
                "heatmap": heatmap,
                "previous_series": previous_series,
                "series": series,
                "top_codes": top_codes,
                "totals": totals,
                "window": window,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.analytics_breakdowns import AnalyticsBreakdowns  # noqa: PLC0415
        from ..models.point import Point  # noqa: PLC0415
        from ..models.top_code import TopCode  # noqa: PLC0415
        from ..models.totals import Totals  # noqa: PLC0415
        from ..models.window import Window  # noqa: PLC0415

        d = dict(src_dict)
        breakdowns = AnalyticsBreakdowns.from_dict(d.pop("breakdowns"))

        heatmap = []
        _heatmap = d.pop("heatmap")
        for heatmap_item_data in _heatmap:
            heatmap_item = cast(list[int], heatmap_item_data)

            heatmap.append(heatmap_item)

        previous_series = []
        _previous_series = d.pop("previous_series")
        for previous_series_item_data in _previous_series:
            previous_series_item = Point.from_dict(previous_series_item_data)

            previous_series.append(previous_series_item)

        series = []
        _series = d.pop("series")
        for series_item_data in _series:
            series_item = Point.from_dict(series_item_data)

            series.append(series_item)

        top_codes = []
        _top_codes = d.pop("top_codes")
        for top_codes_item_data in _top_codes:
            top_codes_item = TopCode.from_dict(top_codes_item_data)

            top_codes.append(top_codes_item)

        totals = Totals.from_dict(d.pop("totals"))

        window = Window.from_dict(d.pop("window"))

        analytics = cls(
            breakdowns=breakdowns,
            heatmap=heatmap,
            previous_series=previous_series,
            series=series,
            top_codes=top_codes,
            totals=totals,
            window=window,
        )

        analytics.additional_properties = d
        return analytics

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
