"""How one scan event is counted in the per-day dimension rollups.

The ingest (qrapp.services.scans.ingest) writes `ScanDimensionDaily` rows with these values and
the analytics queries read them back (and compute the same values from raw events for
partial days). The city value is the city name as the ingest stores it; `split_city` also
reads a "CC:City" value, should the ingest ever qualify cities by country.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

# Each dimension and the scan_event column it counts: the one mapping the ingest's rollups
# (Python on SQLite, SQL on PostgreSQL), the raw-event queries and the code delete use.
DIMENSION_COLUMNS: dict[str, str] = {
    "country": "country",
    "city": "city",
    "device": "device_type",
    "os": "os",
    "browser": "browser",
    "language": "language",
    "referrer": "referrer_host",
    "source": "source",
}
DIMENSIONS: tuple[str, ...] = tuple(DIMENSION_COLUMNS)
# What people read for each dimension: sheet names of the XLSX export, PDF report headings.
DIMENSION_TITLES: dict[str, str] = {
    "country": "Countries",
    "city": "Cities",
    "device": "Devices",
    "os": "Operating systems",
    "browser": "Browsers",
    "language": "Languages",
    "referrer": "Referrers",
    "source": "QR scan vs link click",
}
ROLLUP_VALUE_LENGTH = 253  # the rollups' value column; longer values are cut

CITY_SEPARATOR = ":"


def city_value(country: str, city: str) -> str:  # noqa: ARG001 - see the docstring
    """As the ingest stores it: the bare city name (country is its own dimension).

    Callers pass the country too, so keying cities by country needs no call change."""
    return city


def split_city(value: str) -> tuple[str, str]:
    """("FR", "Paris") from "FR:Paris"; a bare name (older rows) has no country."""
    head, sep, tail = value.partition(CITY_SEPARATOR)
    if sep and len(head) <= 2:
        return head, tail
    return "", value


def dimension_values(
    *,
    country: str,
    city: str,
    device_type: str,
    os: str,
    browser: str,
    language: str,
    referrer_host: str,
    source: str,
) -> dict[str, str]:
    """The value of every dimension for one event ("" means unknown), from its columns."""
    return {
        "country": country,
        "city": city_value(country, city),
        "device": device_type,
        "os": os,
        "browser": browser,
        "language": language,
        "referrer": referrer_host,
        "source": source,
    }


def rollup_values(row: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(dimension, value) of a scan_event row (a dict), as the rollups store them."""
    values = dimension_values(**{column: row[column] for column in DIMENSION_COLUMNS.values()})
    for dimension, value in values.items():
        yield dimension, value[:ROLLUP_VALUE_LENGTH]
