"""The time series figure: whole-number ticks however few the scans."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qrapp.services.analytics.views import Point
from qrapp.state.analytics_figures import timeseries


def _data(counts: list[int]) -> SimpleNamespace:
    series = [Point(f"2026-11-{i + 1:02d}", n, n) for i, n in enumerate(counts)]
    return SimpleNamespace(
        series=series,
        previous_series=[Point(p.label, 0, 0) for p in series],
        window=SimpleNamespace(granularity="day"),
    )


@pytest.mark.parametrize(("counts", "dtick"), [([0, 0, 3], 1), ([0, 5, 1], 1), ([2, 40, 7], None)])
def test_small_counts_get_one_tick_per_scan(counts, dtick):
    fig = timeseries(_data(counts))
    assert fig.layout.yaxis.dtick == dtick
    assert fig.layout.yaxis.tickformat == ",d"
