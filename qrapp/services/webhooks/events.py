"""The event types an endpoint can subscribe to, and the data each carries."""

from __future__ import annotations

from typing import Any

from qrapp.models import QRCode

EVENT_TYPES: dict[str, str] = {
    "code.created": "A QR code was made",
    "code.updated": "A QR code was changed",
    "code.deleted": "A QR code was deleted",
    "scan.created": "Codes were scanned (in batches)",
    "page.published": "A landing page was published",
    "lead.created": "A visitor sent a lead form",
    "bulk.completed": "A bulk job finished",
    "subscription.changed": "The plan or its status changed",
}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def code_data(code: QRCode) -> dict[str, Any]:
    return {
        "id": str(code.id),
        "name": code.name,
        "content_type": code.content_type,
        "dynamic": code.is_dynamic,
        "short_code": code.short_code,
        "destination": code.destination,
        "status": code.status,
        "tags": list(code.tags or []),
        "folder_id": str(code.folder_id) if code.folder_id else None,
        "created_at": _iso(code.created_at),
        "updated_at": _iso(code.updated_at),
    }


def scan_data(row: dict[str, Any]) -> dict[str, Any]:
    """A scan as the ingest stored it, without the visitor hash (never leaves us)."""
    return {
        "id": str(row["event_id"]),
        "code_id": str(row["qrcode_id"]),
        "scanned_at": _iso(row["occurred_at"]),
        "country": row.get("country", ""),
        "device_type": row.get("device_type", ""),
        "os": row.get("os", ""),
        "browser": row.get("browser", ""),
        "source": row.get("source", "qr"),
        "unique": bool(row.get("is_unique")),
    }
