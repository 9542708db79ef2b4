"""The edge's place look-up lives in services.geo (the Security page's session list uses it
too); re-exported here for the edge's modules."""

from qrapp.services.geo import NOWHERE, GeoLocator, Place

__all__ = ["NOWHERE", "GeoLocator", "Place"]
