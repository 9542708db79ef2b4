"""POST /p/<slug>/f/<block-id>: a visitor sends a page's lead form (plain HTML, no script),
and GET of the same path: the thank-you page the POST's 303 leads to.

The edge checks the post against the form's field list stored with the published version
(core.leads; no renderer loaded) and never waits on the database for it: a good lead goes
onto the scan stream as a `{"k":"pl"}` event, and the ingest stores it, counts it as the
page's conversion and queues the owner's mail (services.scans.lead_ingest).

Spam, without third parties, cheapest check first: a body cap; per-IP and per-page rate
limits (counted before anything else, in Redis when there is one so every edge shares
them, else in this process); the honeypot input (a bot that fills it is thanked and
nothing is kept); the signed render-time token (a form sent sooner than
`lead_min_fill_seconds` after the page was served, or with a forged token, is shown again).
"""

from __future__ import annotations

import ipaddress
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from qrapp.core import leads
from qrapp.edge import lead_pages, responses
from qrapp.edge.password import read_body
from qrapp.edge.responses import Response

if TYPE_CHECKING:
    from qrapp.edge.app import Edge
    from qrapp.edge.page_answers import Page

log = logging.getLogger(__name__)

MAX_FIELDS = 100  # inputs parsed from one body; a form has at most 16


def ip_unit(ip: str) -> str:
    """What an IP is limited as: the address (IPv4), its /64 (IPv6: one subscriber's)."""
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip[:64]
    if addr.version == 6:
        mapped = addr.ipv4_mapped  # type: ignore[union-attr]
        if mapped is not None:
            return str(mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False).network_address) + "/64"
    return str(addr)


class RateLimits:
    """Fixed-window counters per IP and per page. In Redis (INCR + EXPIRE, shared by the
    edges) when configured and answering; else, and while Redis is down, in this process
    (bounded: a new window starts empty)."""

    def __init__(self, redis_client: Any, window: int, per_ip: int, per_page: int) -> None:
        self.redis = redis_client
        self.window = max(1, window)
        self.per_ip = per_ip
        self.per_page = per_page
        self._slot = -1
        self._counts: dict[str, int] = {}

    def _local(self, keys: list[str], slot: int) -> list[int]:
        if slot != self._slot:
            self._slot, self._counts = slot, {}
        for key in keys:
            self._counts[key] = self._counts.get(key, 0) + 1
        return [self._counts[k] for k in keys]

    async def hit(self, ip: str, page_id: str, now: float) -> int:
        """Count one post; 0 when it is within the limits, else the seconds to wait."""
        slot = int(now // self.window)
        keys = [
            f"qrapp:lead-rate:{slot}:ip:{ip_unit(ip)}",
            f"qrapp:lead-rate:{slot}:page:{page_id}",
        ]
        counts: list[int] | None = None
        if self.redis is not None:
            try:
                pipe = self.redis.pipeline(transaction=False)
                for key in keys:
                    pipe.incr(key)
                    pipe.expire(key, self.window + 5)
                replies = await pipe.execute()
                counts = [int(replies[0]), int(replies[2])]
            except Exception as exc:
                log.warning("redis unavailable for lead-form limits (%s); counting locally", exc)
        if counts is None:
            counts = self._local(keys, slot)
        if counts[0] > self.per_ip or counts[1] > self.per_page:
            return int(self.window - now % self.window) + 1
        return 0


def _form(body: bytes) -> dict[str, list[str]]:
    text = body.decode("utf-8", "replace")
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:  # more inputs than any of our forms has
        return {}


def _first(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0]


def _paths(page: Page, block_id: str) -> tuple[str, str]:
    back = f"/p/{page.slug}"
    return back, f"{back}/f/{block_id}"


def thank_you(page: Page, block_id: str) -> Response:
    spec = page.forms.get(block_id)
    if not isinstance(spec, dict):
        return responses.message("page_unknown")
    back, _ = _paths(page, block_id)
    return responses.html(200, lead_pages.thank_you_page(spec, back=back, look=page.look))


def _again(edge: Edge, page: Page, block_id: str, spec: dict, form, *, errors=None,
           notice: str = "", status: int = 400) -> Response:  # fmt: skip
    """The form again with what was typed, its messages and a fresh token."""
    _, values = leads.check_submission(spec, form)  # type: ignore[arg-type]
    back, action = _paths(page, block_id)
    body = lead_pages.form_page(
        spec,
        action=action,
        back=back,
        token=leads.sign_token(edge.settings.secret_key, page.page_id, time.time()),
        errors=errors or {},
        values=values,
        notice=notice,
        look=page.look,
    )
    return responses.html(status, body)


async def post(receive, edge: Edge, page: Page, block_id: str, headers, peer: str) -> Response:
    """The answer to one lead-form POST; a good lead's event captured for the stream."""
    from qrapp.edge import landing  # the page module imports this one

    spec = page.forms.get(block_id)
    if not isinstance(spec, dict):
        return responses.message("page_unknown")
    settings = edge.settings
    back, _ = _paths(page, block_id)
    body = await read_body(receive, settings.lead_max_body_bytes)
    if body is None:
        text = "The form was too long to send. Shorten your message and try again."
        page_body = lead_pages.refusal_page(
            spec, back=back, heading="Too long", text=text, look=page.look
        )
        return responses.html(413, page_body)
    now = time.time()
    xff = headers.get(b"x-forwarded-for", b"").decode("latin-1")
    ip = edge.client_ip(peer, xff)
    wait = await edge.lead_limits.hit(ip, page.page_id, now)
    if wait:
        text = "Too many forms were sent from here. Please try again in a few minutes."
        page_body = lead_pages.refusal_page(
            spec, back=back, heading="Please wait", text=text, look=page.look
        )
        return responses.html(429, page_body, [(b"retry-after", str(wait).encode())])
    form = _form(body)
    if _first(form, leads.HONEYPOT_FIELD):
        # A bot filled the field people never see: thank it and keep nothing.
        return _see_thanks(page, block_id)
    age = leads.token_age(settings.secret_key, page.page_id, _first(form, leads.TOKEN_FIELD), now)
    if age is None or age > settings.lead_token_max_age_hours * 3600:
        notice = "This form had expired. Please check it and send it again."
        return _again(edge, page, block_id, spec, form, notice=notice)
    if age < settings.lead_min_fill_seconds:
        notice = "That was quicker than a person types. Please check the form and send it again."
        return _again(edge, page, block_id, spec, form, notice=notice)
    errors, values = leads.check_submission(spec, form)  # type: ignore[arg-type]
    if errors:
        return _again(edge, page, block_id, spec, form, errors=errors, status=422)
    who = landing.visit(edge, headers, False, peer)
    event = landing.event(page, who, headers, "pl", block_id)
    fields = leads.lead_fields(spec, values)  # type: ignore[arg-type]
    consent = str(spec.get("consent") or "")
    edge.capture.add(
        f'{event[:-1]},"fields":{landing.js(fields)},"consent":{landing.js(consent)}}}'
    )
    return _see_thanks(page, block_id)


def _see_thanks(page: Page, block_id: str) -> Response:
    # 303: the browser GETs the thank-you page, and a reload does not send the form again.
    _, action = _paths(page, block_id)
    headers = [(b"location", responses.location(action)), responses.NO_STORE]
    return responses.response(303, headers)
