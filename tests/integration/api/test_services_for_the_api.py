"""What the services gained for the API, tested at the service: keyset pages of the
library, creating several codes at once, replacing a code's rules in one go."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import func, select

from qrapp.db import read_session
from qrapp.models import AuditLog, QRCode
from qrapp.services.codes import creation, library, qrcodes, redirect_rules
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.errors import FieldErrors, ServiceError
from tests.support.plans import give_plan

pytestmark = pytest.mark.integration


def _n(workspace_id) -> int:
    with read_session() as s:
        return s.exec(
            select(func.count()).select_from(QRCode).where(QRCode.workspace_id == workspace_id)
        ).one()


def _make(owner, name: str, **kw):
    return qrcodes.create(
        actor=owner, data=CodeInput(name=name, destination="https://example.com/", **kw)
    )


def test_keyset_pages_neither_repeat_nor_skip_when_codes_come_and_go(world):
    owner = world["a_owner"]
    give_plan(owner.workspace_id, "business")
    for i in range(5):
        _make(owner, f"C{i}")
    q = library.LibraryQuery()
    first = library.search_after(actor=owner, query=q, limit=3)
    assert [c.name for c in first.codes] == ["C4", "C3", "C2"]
    assert first.next_after is not None
    # A code added and one deleted between the two pages.
    _make(owner, "Newer")
    qrcodes.delete(actor=owner, code_id=first.codes[0].id)
    rest = library.search_after(actor=owner, query=q, after=first.next_after, limit=3)
    assert [c.name for c in rest.codes] == ["C1", "C0", "Poster a"]
    assert rest.next_after is None


def test_keyset_pages_keep_the_librarys_filters(world):
    owner = world["a_owner"]
    give_plan(owner.workspace_id, "business")
    for i in range(4):
        _make(owner, f"T{i}", tags=("spring",) if i % 2 else ())
    tagged = library.search_after(actor=owner, query=library.LibraryQuery(tag="Spring"), limit=1)
    assert [c.name for c in tagged.codes] == ["T3"]
    more = library.search_after(
        actor=owner, query=library.LibraryQuery(tag="spring"), after=tagged.next_after, limit=5
    )
    assert [c.name for c in more.codes] == ["T1"]
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert (
        library.search_after(actor=owner, query=library.LibraryQuery(created_from=future)).codes
        == []
    )
    assert (
        len(library.search_after(actor=owner, query=library.LibraryQuery(created_to=future)).codes)
        == 5
    )
    # Another workspace's codes never show.
    theirs = library.search_after(actor=world["b_owner"], query=library.LibraryQuery())
    assert [c.id for c in theirs.codes] == [world["b_code"].id]


def test_create_many_refuses_an_alias_already_taken_and_makes_none(world):
    owner = world["a_owner"]
    _make(owner, "Has alias", alias="summer")
    items = [
        CodeInput(name="One", destination="https://example.com/1"),
        CodeInput(name="Two", destination="https://example.com/2", alias="summer"),
    ]
    with pytest.raises(FieldErrors) as exc:
        creation.create_many(actor=owner, items=items)
    assert exc.value.errors == {"items.1.alias": "'summer' is already taken."}
    assert _n(owner.workspace_id) == 2


def test_create_many_makes_static_and_dynamic_codes_each_audited(world):
    owner = world["a_owner"]
    made = creation.create_many(
        actor=owner,
        items=[
            CodeInput(name="Link", destination="https://example.com/"),
            CodeInput(name="Note", is_dynamic=False, content_type="text", payload={"text": "hi"}),
        ],
    )
    assert [(c.name, c.is_dynamic) for c in made] == [("Link", True), ("Note", False)]
    with read_session() as s:
        created = s.exec(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.workspace_id == owner.workspace_id, AuditLog.action == "qr.created")
        ).one()
    assert created == 3  # the world's code and these two


def test_create_keeps_reporting_every_field_at_once(world):
    with pytest.raises(FieldErrors) as exc:
        qrcodes.create(actor=world["a_owner"], data=CodeInput(name="", destination="nope"))
    assert set(exc.value.errors) == {"name", "destination"}
    assert exc.value.field == "name"


def test_replace_rules_checks_all_then_swaps_the_set(world):
    owner, code = world["a_owner"], world["a_code"]
    rule = redirect_rules.RuleInput(
        conditions=[{"field": "country", "op": "in", "value": ["SE"]}],
        destination="https://example.se/",
    )
    redirect_rules.add_rule(actor=owner, code_id=code.id, data=rule)
    bad = redirect_rules.RuleInput(conditions=[], destination="https://x.example/")
    with pytest.raises(FieldErrors) as exc:
        redirect_rules.replace_rules(actor=owner, code_id=code.id, rules=[rule, bad])
    assert list(exc.value.errors) == ["rules.1.conditions"]
    assert len(redirect_rules.list_rules(actor=owner, code_id=code.id)) == 1
    done = redirect_rules.replace_rules(actor=owner, code_id=code.id, rules=[rule, rule])
    assert [r.position for r in done] == [0, 1]
    assert len(redirect_rules.list_rules(actor=owner, code_id=code.id)) == 2
    static = qrcodes.create(
        actor=owner,
        data=CodeInput(name="S", is_dynamic=False, content_type="text", payload={"text": "x"}),
    )
    with pytest.raises(ServiceError, match=r"Only dynamic codes have redirect rules\."):
        redirect_rules.replace_rules(actor=owner, code_id=static.id, rules=[])
