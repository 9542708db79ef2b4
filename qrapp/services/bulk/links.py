"""Expiring signed download links of a bulk job's files.

The link carries its expiry and an HMAC over (job, workspace, kind, expiry) made with the
secret key, so it cannot be stretched or pointed at another job; the route also wants the
session of a member of the job's workspace, so a forwarded link is no use to anyone else.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from urllib.parse import urlencode

from qrapp.core import routes as paths
from qrapp.settings import get_settings

KINDS = ("zip", "links")
LINK_SECONDS = 3600


def _signature(job_id: uuid.UUID, workspace_id: uuid.UUID, kind: str, expires: int) -> str:
    key = hashlib.sha256(b"bulk-download:" + get_settings().secret_key.encode()).digest()
    message = f"{job_id}:{workspace_id}:{kind}:{expires}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def signed_url(
    job_id: uuid.UUID, workspace_id: uuid.UUID, kind: str, *, not_after: float | None = None
) -> str:
    expires = int(time.time()) + LINK_SECONDS
    if not_after is not None:
        expires = min(expires, int(not_after))
    query = urlencode({"e": expires, "s": _signature(job_id, workspace_id, kind, expires)})
    path = paths.bulk_download(job_id, kind)
    return f"{get_settings().public_api_url}{path}?{query}"


def check(
    job_id: uuid.UUID, workspace_id: uuid.UUID, kind: str, expires: str, signature: str
) -> str | None:
    """None when the link is good, else why not (a message for the person)."""
    try:
        at = int(expires)
    except ValueError:
        return "This download link is not valid."
    if kind not in KINDS or not hmac.compare_digest(
        _signature(job_id, workspace_id, kind, at), signature
    ):
        return "This download link is not valid."
    if at < time.time():
        return "This download link has expired. Open the Bulk page for a new one."
    return None
