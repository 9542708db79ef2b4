"""How one scan event is counted in the per-day dimension rollups.

The ingest writes `ScanDimensionDaily` rows with these values and the analytics queries
read them back (and compute the same values from raw events for partial days), so both
sides share this one definition.
"""

from __future__ import annotations

DIMENSIONS: tuple[str, ...] = (
    "country",
    "city",
    "device",
    "os",
    "browser",
    "language",
    "referrer",
    "source",
)

# A city name alone is ambiguous (Paris, FR and Paris, US): the rollup value carries the
# country too, as "FR:Paris".
CITY_SEPARATOR = ":"


def city_value(country: str, city: str) -> str:
    return f"{country}{CITY_SEPARATOR}{city}" if city else ""


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
    """The value of every dimension for one event ("" means unknown)."""
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
