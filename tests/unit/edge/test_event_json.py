"""The edge builds each scan event's JSON from cached pieces: it must be exactly what
json.dumps makes of the event dict (the ingest and the dead-letter records read it)."""

from __future__ import annotations

import json
import uuid
from types import SimpleNamespace

import pytest

from qrapp.edge.scan import Scan, js
from qrapp.edge.scan import event as scan_event


@pytest.mark.parametrize(
    ("ua", "referer", "lang", "rule", "variant", "dest", "src", "bot"),
    [
        ("", "", "", None, "", "https://example.com/", None, True),
        (
            'Mozilla/5.0 (iPhone; "quoted" \\ back\tslash) Ünïcødé ☃',
            "https://l.facebook.com/x?y=1",
            "sv-SE,en;q=0.8",
            str(uuid.uuid4()),
            'B "two"',
            'https://example.com/ä?q="1"&x=\u2028',
            "link",
            False,
        ),
        ("Slackbot 1.0", "", "en", None, "", "https://example.com/", "qr", True),
    ],
)
def test_event_json_is_what_json_dumps_makes(ua, referer, lang, rule, variant, dest, src, bot):
    link = SimpleNamespace(id_str=str(uuid.uuid4()), workspace_id=str(uuid.uuid4()), memo={})
    headers = {b"referer": referer.encode(), b"accept-language": lang.encode()}
    place = {"country": "SE", "region": 'Stockholm "län"', "city": "Åre"}
    place_json = ",".join(f"{json.dumps(k)}:{js(v)}" for k, v in place.items())
    now = 1_780_000_000.123456
    scan = Scan(
        now=now,
        now_dt=None,
        ip="",
        ua=ua,
        is_bot=bot,
        place=None,
        place_json=place_json,
        vhash="ab" * 16,
    )
    # The second time from the link's memo.
    first, second = (
        scan_event(link, scan, headers, bot, rule, variant, dest, src) for _ in range(2)
    )
    event = json.loads(first)
    referer_host = referer.split("/")[2] if referer else ""
    expected = {
        "id": event["id"],
        "code": link.id_str,
        "ws": link.workspace_id,
        "t": now,
        "ua": ua,
        "lang": lang[:2].lower(),
        "ref": referer_host,
        "src": src if src in ("qr", "link") else ("link" if referer_host else "qr"),
        **place,
        "vh": "ab" * 16,
        "bot": bot,
        "rule": rule,
        "variant": variant,
        "dest": dest,
    }
    assert first == json.dumps(expected, separators=(",", ":"))
    assert uuid.UUID(event["id"]).version == 7
    assert json.loads(second)["id"] != event["id"]
    assert json.loads(second) | {"id": event["id"]} == expected
