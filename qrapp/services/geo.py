"""Country (geoip2fast's bundled data) and, with GEOIP_MMDB_PATH, region and city from a
MaxMind City database. Looked up on the full IP at the edge, before it is anonymised, and
for the places of an account's sessions (Settings -> Security: `place_of`)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Place:
    country: str = ""
    region: str = ""
    city: str = ""


NOWHERE = Place()


class GeoLocator:
    def __init__(self, mmdb_path: str = "") -> None:
        from geoip2fast import GeoIP2Fast

        # The IPv6 file holds IPv4 too: one table for both families.
        self._fast = GeoIP2Fast(geoip2fast_data_file="geoip2fast-ipv6.dat.gz", verbose=False)
        self._mmdb = None
        if mmdb_path:
            try:
                import maxminddb

                self._mmdb = maxminddb.open_database(mmdb_path)
            except (OSError, ValueError):
                log.exception("could not open GEOIP_MMDB_PATH=%s; countries only", mmdb_path)
        self.lookup = functools.lru_cache(maxsize=65536)(self._lookup)

    def _lookup(self, ip: str) -> Place:
        if not ip:
            return NOWHERE
        if self._mmdb is not None:
            try:
                rec: Any = self._mmdb.get(ip) or {}
            except ValueError:
                rec = {}
            if rec:
                subs = rec.get("subdivisions") or [{}]
                return Place(
                    country=(rec.get("country") or {}).get("iso_code", "") or "",
                    region=((subs[0].get("names") or {}).get("en", "") or "")[:80],
                    city=(((rec.get("city") or {}).get("names") or {}).get("en", "") or "")[:80],
                )
        try:
            result = self._fast.lookup(ip)
        except Exception:
            return NOWHERE
        country = getattr(result, "country_code", "") or ""
        if len(country) != 2 or not country.isalpha():
            country = ""  # "--", private ranges, errors
        city = getattr(result, "city", None)
        return Place(
            country=country.upper(),
            region=str(getattr(city, "subdivision_name", "") or "")[:80],
            city=str(getattr(city, "name", "") or "")[:80],
        )


@functools.cache
def _shared_locator() -> GeoLocator:
    from qrapp.settings import get_settings

    return GeoLocator(get_settings().geoip_mmdb_path)


def place_of(ip: str) -> Place:
    """The place of an address, with one locator per process (loaded on first use)."""
    return _shared_locator().lookup(ip)
