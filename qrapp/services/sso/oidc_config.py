"""An OpenID Connect connection's settings: checked and normalised before they are kept.

Pure apart from the environment check: the issuer must be https (an identity provider on
this machine's loopback address may be plain http outside production, as the tests'
provider is)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from qrapp.services.errors import FieldErrors
from qrapp.settings import get_settings

SECRET_KEYS = frozenset({"client_secret"})
_NO_SECRET = "Enter the client secret your identity provider gave this app."  # noqa: S105
_LONG_SECRET = "That client secret is too long."  # noqa: S105
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_issuer(raw: str) -> str:
    issuer = (raw or "").strip().rstrip("/")
    if not issuer:
        raise ValueError("Enter the issuer URL of your identity provider.")
    if len(issuer) > 500:
        raise ValueError("That issuer URL is too long.")
    parts = urlsplit(issuer)
    if not parts.hostname or parts.query or parts.fragment or parts.username:
        raise ValueError("Enter the issuer as a plain URL, e.g. https://login.example.com.")
    local = parts.hostname in _LOOPBACK and not get_settings().is_production
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ValueError("The issuer URL must start with https://.")
    return issuer


def check_config(config: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    try:
        issuer = check_issuer(str(config.get("issuer") or ""))
    except ValueError as exc:
        errors["issuer"] = str(exc)
        issuer = ""
    client_id = str(config.get("client_id") or "").strip()
    secret = str(config.get("client_secret") or "").strip()
    if not client_id:
        errors["client_id"] = "Enter the client ID your identity provider gave this app."
    elif len(client_id) > 255:
        errors["client_id"] = "That client ID is too long."
    if not secret:
        errors["client_secret"] = _NO_SECRET
    elif len(secret) > 500:
        errors["client_secret"] = _LONG_SECRET
    if errors:
        raise FieldErrors(errors)
    return {"issuer": issuer, "client_id": client_id, "client_secret": secret}
