"""The scan path, GET|HEAD /{code}: resolve -> decide -> respond -> track.

The decision is qrapp.core.scan_decision, the same steps the code page's "Simulate a
scan" runs: `admission` (validity, password), `limits` (codes with a scan limit, around
the storage calls that take the visitor's mark and a scan slot), `route` (the rules).
This module only gathers the facts those steps read, maps their Outcome onto the
responses (qrapp.edge.responses.for_outcome) and builds the scan event.

Every scan of a cached code without a scan limit is answered without awaiting anything
(prepare -> finish), so the server's fast lane can call it synchronously: no work here
that a cache fill could do once (see Link.always_admitted and the memo of fixed_route).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from qrapp.core import scan_decision
from qrapp.core.ids import uuid7_str
from qrapp.core.rules import Visitor
from qrapp.core.visitor import (
    MAX_USER_AGENT,
    anonymise_ip,
    looks_like_previewer,
    parse_user_agent,
    primary_language,
    referrer_host,
    visitor_hash,
)
from qrapp.edge import grants, landing, responses
from qrapp.edge.geo import Place
from qrapp.edge.links import Link
from qrapp.edge.page_answers import Page
from qrapp.edge.responses import Response
from qrapp.services.codes import code_access

if TYPE_CHECKING:
    from qrapp.edge.app import Edge

log = logging.getLogger(__name__)

# JSON of strings that repeat from scan to scan (user agents, languages, hosts, places).
js = functools.lru_cache(maxsize=8192)(json.dumps)


@dataclass(slots=True)
class Scan:
    """Who is scanning, worked out once per scan."""

    now: float
    now_dt: dt.datetime | None
    ip: str
    ua: str
    is_bot: bool
    place: Place
    place_json: str
    vhash: str


def prepare(edge: Edge, link: Link, headers, head: bool, peer: str) -> Response | Scan:
    """Validity, billing and the password gate (a page to answer), else who is scanning.
    A code paused by billing answers here too, and its scan is captured like any other:
    the owner's analytics keep counting the codes people still scan."""
    now = time.time()
    now_dt = None
    if not link.always_admitted:
        now_dt = dt.datetime.fromtimestamp(now, dt.UTC)
        refused = scan_decision.admission(
            link,
            now_dt,
            password_granted=not link.password_hash or grants.has_grant(headers, link),
            is_safe=link.is_safe,
        )
        if refused is not None:
            if refused.step == scan_decision.BILLING:
                who = _who(edge, headers, head, peer, now, now_dt)
                edge.capture.add(event(link, who, headers, who.is_bot, None, "", refused.location))
            return responses.for_outcome(link, refused)
    return _who(edge, headers, head, peer, now, now_dt)


def _who(
    edge: Edge, headers, head: bool, peer: str, now: float, now_dt: dt.datetime | None
) -> Scan:
    xff = headers.get(b"x-forwarded-for", b"").decode("latin-1")
    ip = edge.client_ip(peer, xff)
    ua = headers.get(b"user-agent", b"").decode("latin-1")[: MAX_USER_AGENT * 2]
    place, place_json = edge.place(ip)
    return Scan(
        now=now,
        now_dt=now_dt,
        ip=ip,
        ua=ua,
        is_bot=head or looks_like_previewer(ua),
        place=place,
        place_json=place_json,
        vhash=visitor_hash(edge.visitor_key(now), ip, ua),
    )


async def run(scope, send, edge: Edge, link: Link, headers, head: bool) -> None:
    """A scan on the ASGI path (cache misses and codes with a scan limit)."""
    peer = (scope.get("client") or ("", 0))[0]
    scan = prepare(edge, link, headers, head, peer)
    if not isinstance(scan, Scan):
        await responses.send_response(send, scan, head)
        return
    if link.limited:
        refusal = await take_limit(edge, link, scan, headers)
        if refusal is not None:
            await responses.send_response(send, refusal, head)
            return
    if link.page_id:
        try:
            page = await edge.pages.resolve_id(link.page_id)
        except Exception:
            log.exception("could not resolve the page of %s", link.short_code)
            await responses.send_response(send, responses.unavailable(b"Try again shortly."), head)
            return
        answer = finish_page(edge, link, scan, scope.get("query_string", b""), headers, page)
        await responses.send_response(send, answer, head)
        return
    answer, scan_event = finish(link, scan, scope.get("query_string", b""), headers)
    await responses.send_response(send, answer, head)
    if scan_event is not None:
        edge.capture.add(scan_event)


async def take_limit(edge: Edge, link: Link, scan: Scan, headers) -> Response | None:
    """Use up one of a limited code's scans; the page to answer when none is left."""
    ua = scan.ua
    is_bot = scan.is_bot or parse_user_agent(ua[:MAX_USER_AGENT]).is_bot
    first_scan = slot_left = True
    # Storage in scan_decision.limits' order and only as far as needed: a bot takes
    # nothing, and a visitor refused as already scanned does not use up a slot.
    if not is_bot:
        try:
            if link.one_scan_per_visitor:
                key = code_access.once_key(link.id, anonymise_ip(scan.ip), ua)
                first_scan = await asyncio.to_thread(code_access.grant_visitor_once, link.id, key)
            if first_scan and link.max_scans:
                slot_left = await asyncio.to_thread(code_access.take_scan_slot, link.id)
        except Exception:
            log.exception("scan-limit check failed for %s", link.short_code)
            return responses.unavailable(b"Try again.")
    refused = scan_decision.limits(
        link,
        is_bot=is_bot,
        already_scanned=not first_scan,
        slot_left=slot_left,
        is_safe=link.is_safe,
    )
    if refused is None:
        return None
    if refused.step == scan_decision.PREVIEW:
        edge.capture.add(event(link, scan, headers, True, None, "", ""))
    return responses.for_outcome(link, refused)


def finish(link: Link, scan: Scan, query_string: bytes, headers) -> tuple[Response, str | None]:
    """The redirect (rules evaluated) and the scan event to capture once it is sent."""
    query = dict(parse_qsl(query_string.decode("latin-1"))) if query_string else {}
    if link.rules:
        outcome = scan_decision.route(link, _visitor(scan, headers, query), is_safe=link.is_safe)
        answer = responses.for_outcome(link, outcome)
    else:
        # No rules: the same outcome and answer for every scan of this cache fill.
        memo = link.memo.get("route")
        if memo is None:
            outcome = scan_decision.fixed_route(link, is_safe=link.is_safe)
            memo = link.memo["route"] = (outcome, responses.for_outcome(link, outcome))
        outcome, answer = memo
    if outcome.page:  # no usable destination: nothing was scanned through
        return answer, None
    src = query.get("src") if query else None
    scan_event = event(
        link, scan, headers, scan.is_bot, outcome.rule_id, outcome.variant, outcome.destination, src
    )
    return answer, scan_event


def _visitor(scan: Scan, headers, query: dict[str, str]) -> Visitor:
    return Visitor(
        now=scan.now_dt or dt.datetime.fromtimestamp(scan.now, dt.UTC),
        user_agent=scan.ua[:MAX_USER_AGENT],
        accept_language=headers.get(b"accept-language", b"").decode("latin-1"),
        country=scan.place.country,
        region=scan.place.region,
        city=scan.place.city,
        ip=scan.ip,
        query=query,
        sticky_key=scan.vhash,
    )


def finish_page(
    edge: Edge, link: Link, scan: Scan, query_string: bytes, headers, page: Page | None
) -> Response:
    """A code whose destination is a landing page (admitted, limits taken): a matching
    redirect rule still sends the visitor to its URL; otherwise the page itself answers
    (200, no extra hop), counted as a scan of the code and a view of the page. A page
    that is not published (any more) answers the friendly "not available" page and
    counts nothing."""
    query = dict(parse_qsl(query_string.decode("latin-1"))) if query_string else {}
    src = query.get("src") if query else None
    if link.rules:
        outcome = scan_decision.route(link, _visitor(scan, headers, query), is_safe=link.is_safe)
        if outcome.rule_id is not None and outcome.location:
            edge.capture.add(
                event(
                    link,
                    scan,
                    headers,
                    scan.is_bot,
                    outcome.rule_id,
                    outcome.variant,
                    outcome.destination,
                    src,
                )
            )
            return responses.for_outcome(link, outcome)
    if page is None:
        return landing.page_unknown()
    page = page.for_visitor(headers, scan.vhash)  # a page under an A/B test: its variant
    edge.capture.add(event(link, scan, headers, scan.is_bot, None, "", f"/p/{page.slug}", src))
    edge.capture.add(landing.event(page, scan, headers, "pv", code_id=link.id_str))
    secret = edge.settings.secret_key if page.forms else ""
    return landing.view(page, headers, secret, scan.now)


def event(link, scan, headers, is_bot, rule_id, variant, destination, src=None) -> str:
    """The scan event as the JSON text json.dumps would make of the event dict (compact
    separators, this key order), built from cached pieces."""
    ref = referrer_host(headers.get(b"referer", b"").decode("latin-1"))
    lang = primary_language(headers.get(b"accept-language", b"").decode("latin-1"))
    memo = link.memo
    head_json = memo.get("event")
    if head_json is None:
        head_json = memo["event"] = f'"code":{js(link.id_str)},"ws":{js(link.workspace_id)}'
    src = src if src in ("qr", "link") else ("link" if ref else "qr")
    return (
        f'{{"id":"{uuid7_str()}",{head_json},"t":{float.__repr__(scan.now)},'
        f'"ua":{js(scan.ua[:MAX_USER_AGENT])},"lang":{js(lang)},"ref":{js(ref)},'
        f'"src":"{src}",{scan.place_json},"vh":"{scan.vhash}",'
        f'"bot":{"true" if is_bot else "false"},'
        f'"rule":{"null" if rule_id is None else js(rule_id)},"variant":{js(variant)},'
        f'"dest":{js(destination)}}}'
    )
