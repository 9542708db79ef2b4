"""Scans after the edge: ingesting the stream into the database and the rollups."""
