"""A scan's stream message -> a scan_event row (as a dict), or PoisonEvent when it can
never become one (the ingest dead-letters it at once)."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from typing import Any

import orjson

from qrapp.core.visitor import MAX_USER_AGENT, clean_text, parse_user_agent


class PoisonEvent(ValueError):
    """The message can never become a scan_event row."""


def _uuid(value: Any, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise PoisonEvent(f"{name} is not a UUID") from None


@functools.lru_cache(maxsize=65536)
def _repeated_uuid(value: str, name: str) -> uuid.UUID:
    """Code, workspace and rule ids repeat across a batch: parse each once."""
    return _uuid(value, name)


def parse_event(raw: str) -> dict[str, Any]:
    """A stream message -> a scan_event row (as a dict), or PoisonEvent."""
    try:
        data = orjson.loads(raw)  # parsing is the ingest's largest cost in Python
    except (ValueError, TypeError):
        raise PoisonEvent("not JSON") from None
    if not isinstance(data, dict):
        raise PoisonEvent("not an object")
    try:
        occurred = dt.datetime.fromtimestamp(float(data["t"]), dt.UTC)
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise PoisonEvent("no valid time") from None
    ua = clean_text(str(data.get("ua") or ""), MAX_USER_AGENT)
    agent = parse_user_agent(ua)
    is_bot = bool(data.get("bot")) or agent.is_bot
    source = "link" if data.get("src") == "link" else "qr"
    return {
        "event_id": _uuid(data.get("id"), "id"),
        "qrcode_id": _repeated_uuid(str(data.get("code")), "code"),
        "workspace_id": _repeated_uuid(str(data.get("ws")), "ws"),
        "occurred_at": occurred,
        "country": clean_text(str(data.get("country") or ""), 2).upper(),
        "region": clean_text(str(data.get("region") or ""), 80),
        "city": clean_text(str(data.get("city") or ""), 80),
        "device_type": "bot" if is_bot else agent.device_type,
        "os": agent.os,
        "browser": agent.browser,
        "language": clean_text(str(data.get("lang") or ""), 16).lower(),
        "referrer_host": clean_text(str(data.get("ref") or ""), 253).lower(),
        "source": source,
        "is_bot": is_bot,
        "is_unique": False,
        "visitor_hash": clean_text(str(data.get("vh") or ""), 64),
        "rule_id": _repeated_uuid(str(data["rule"]), "rule") if data.get("rule") else None,
        "variant": clean_text(str(data.get("variant") or ""), 80),
        "destination": clean_text(str(data.get("dest") or ""), 4096),
    }
