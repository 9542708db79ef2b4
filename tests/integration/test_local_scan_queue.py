"""The embedded scan queue (an SQLite file shared by the edge and the ingest): exclusive
claims, acks, reclaiming an idle consumer's messages, and the dead letters."""

from __future__ import annotations

import time

from qrapp.scanstream.local import LocalQueue


def test_local_queue_claims_are_exclusive_and_acked_messages_go(tmp_path):
    q = LocalQueue(tmp_path / "q.sqlite")
    q.append([f"m{i}" for i in range(10)])
    a = q.read("a", 6)
    b = LocalQueue(tmp_path / "q.sqlite").read("b", 6)
    assert len(a) == 6
    assert len(b) == 4
    assert not {d.id for d in a} & {d.id for d in b}
    q.ack([d.id for d in a])
    assert q.pending() == 4


def test_local_queue_reclaims_after_idle_and_counts_deliveries(tmp_path):
    q = LocalQueue(tmp_path / "q.sqlite")
    q.append(["x"])
    first = q.read("dead-consumer", 10)
    assert q.reclaim("other", min_idle_ms=60_000, count=10) == []
    time.sleep(0.05)  # lets the delivery age past min_idle_ms=10: time must pass
    again = q.reclaim("other", min_idle_ms=10, count=10)
    assert [d.raw for d in again] == ["x"]
    assert again[0].deliveries == first[0].deliveries + 1
    q.dead_letter([d.raw for d in again], "poison")
    q.ack([d.id for d in again])
    assert q.pending() == 0
    assert q.dead() == [("x", "poison")]


def test_local_queue_append_keeps_every_payload_in_order_in_one_go_or_many(tmp_path):
    # One INSERT for a flush's rows, several (in one transaction) past the per-statement
    # bound: the ingest reads them back in the order the edge appended them.
    q = LocalQueue(tmp_path / "q.sqlite")
    q.append(["first"])
    many = [f"p{i}" for i in range(700)]
    q.append(many)
    q.append([])
    got = q.take_oldest(10_000)
    assert [payload for _id, payload in got] == ["first", *many]
    assert [row_id for row_id, _p in got] == sorted(row_id for row_id, _p in got)
