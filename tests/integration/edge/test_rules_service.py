"""The redirect-rules service: validation messages, ordering, tenancy and roles."""

from __future__ import annotations

import uuid

import pytest

from qrapp.core.permissions import Role
from qrapp.services.codes import redirect_rules
from qrapp.services.codes.redirect_rules import RuleInput, SimulatedVisitor
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied
from tests.integration.helpers import actor, add_member, sign_up_and_session

pytestmark = pytest.mark.integration

SE = RuleInput(
    conditions=[{"field": "country", "op": "in", "value": ["SE"]}],
    destination="https://example.se/",
    label="Sweden",
)
MOBILE = RuleInput(
    conditions=[{"field": "device", "op": "in", "value": ["mobile"]}],
    destination="https://m.example.com/",
    label="Phones",
)


def test_add_reorder_update_delete_and_simulate(make_code, owner):
    code = make_code("https://example.com/")
    se = redirect_rules.add_rule(actor=owner, code_id=code.id, data=SE)
    mobile = redirect_rules.add_rule(actor=owner, code_id=code.id, data=MOBILE, position=0)
    assert [r.label for r in redirect_rules.list_rules(actor=owner, code_id=code.id)] == [
        "Phones",
        "Sweden",
    ]
    assert se.conditions == [{"field": "country", "op": "in", "value": ["se"]}]

    both = SimulatedVisitor(device="mobile", country="se")
    assert redirect_rules.simulate(actor=owner, code_id=code.id, visitor=both).rule_id == str(
        mobile.id
    )
    redirect_rules.reorder_rules(actor=owner, code_id=code.id, rule_ids=[se.id, mobile.id])
    d = redirect_rules.simulate(actor=owner, code_id=code.id, visitor=both)
    assert (d.rule_id, d.destination) == (str(se.id), "https://example.se/")

    redirect_rules.update_rule(
        actor=owner,
        rule_id=se.id,
        data=RuleInput(
            conditions=SE.conditions, destination="https://example.se/ny", label="Sverige"
        ),
    )
    redirect_rules.delete_rule(actor=owner, rule_id=mobile.id)
    rules = redirect_rules.list_rules(actor=owner, code_id=code.id)
    assert [(r.label, r.position, r.destination) for r in rules] == [
        ("Sverige", 0, "https://example.se/ny")
    ]
    with pytest.raises(FieldErrors):
        redirect_rules.reorder_rules(actor=owner, code_id=code.id, rule_ids=[])


def test_bad_rules_refused_and_nothing_stored(make_code, owner):
    code = make_code()
    for data in (
        RuleInput(conditions=[], destination="https://x.example"),
        RuleInput(conditions=SE.conditions, destination="javascript:alert(1)"),
        RuleInput(conditions=SE.conditions, destination="https://edge.qrapp.test/loop"),
        RuleInput(
            conditions=[{"field": "os", "op": "regex", "value": [".*"]}],
            destination="https://x.example",
        ),
    ):
        with pytest.raises(FieldErrors):
            redirect_rules.add_rule(actor=owner, code_id=code.id, data=data)
    assert redirect_rules.list_rules(actor=owner, code_id=code.id) == []


def test_other_workspaces_see_not_found_and_viewers_cannot_edit(make_code, owner):
    code = make_code()
    rule = redirect_rules.add_rule(actor=owner, code_id=code.id, data=SE)
    stranger = actor(sign_up_and_session(f"b-{uuid.uuid4().hex[:6]}@example.com"))
    for call in (
        lambda: redirect_rules.list_rules(actor=stranger, code_id=code.id),
        lambda: redirect_rules.add_rule(actor=stranger, code_id=code.id, data=MOBILE),
        lambda: redirect_rules.update_rule(actor=stranger, rule_id=rule.id, data=MOBILE),
        lambda: redirect_rules.delete_rule(actor=stranger, rule_id=rule.id),
        lambda: redirect_rules.simulate(
            actor=stranger, code_id=code.id, visitor=SimulatedVisitor()
        ),
    ):
        with pytest.raises(NotFound):
            call()
    viewer_token = sign_up_and_session(f"v-{uuid.uuid4().hex[:6]}@example.com")
    viewer = actor(viewer_token)
    add_member(owner.workspace_id, viewer.user_id, Role.VIEWER)
    from qrapp.services.workspaces import workspaces

    workspaces.switch(actor=viewer, workspace_id=owner.workspace_id)
    viewer = actor(viewer_token)
    assert viewer.role == Role.VIEWER
    assert len(redirect_rules.list_rules(actor=viewer, code_id=code.id)) == 1
    with pytest.raises(PermissionDenied):
        redirect_rules.delete_rule(actor=viewer, rule_id=rule.id)
    assert len(redirect_rules.list_rules(actor=owner, code_id=code.id)) == 1


def test_a_value_from_another_fields_list_is_refused_with_the_fields_name(make_code, owner):
    code = make_code()
    stale = RuleInput(
        conditions=[{"field": "os", "op": "in", "value": ["mobile"]}],
        destination="https://m.example.com/",
    )
    with pytest.raises(FieldErrors) as err:
        redirect_rules.add_rule(actor=owner, code_id=code.id, data=stale)
    assert "Operating system" in err.value.errors["conditions.0.value"]
    assert redirect_rules.list_rules(actor=owner, code_id=code.id) == []


def test_simulate_runs_the_edges_steps_on_the_stored_code(make_code, owner):
    from qrapp.db import transaction
    from qrapp.models import QRCode
    from qrapp.services.codes import qrcodes

    code = make_code("https://example.com/", max_scans=3)
    redirect_rules.add_rule(actor=owner, code_id=code.id, data=MOBILE)
    phone = SimulatedVisitor(device="mobile")
    d = redirect_rules.simulate(actor=owner, code_id=code.id, visitor=phone)
    assert (d.step, d.rule_number, d.location) == ("rule", 1, "https://m.example.com/")
    assert d.why.startswith("Rule 1 'Phones' matched")

    with transaction() as tx:  # the edge has granted all three scans
        tx.session.get(QRCode, code.id).scans_granted = 3
    d = redirect_rules.simulate(actor=owner, code_id=code.id, visitor=phone)
    assert (d.step, d.page) == ("limit", "limit_reached")

    qrcodes.set_password(actor=owner, code_id=code.id, password="open sesame 1")
    assert redirect_rules.simulate(actor=owner, code_id=code.id, visitor=phone).step == "password"

    qrcodes.set_status(actor=owner, code_id=code.id, status="paused")
    d = redirect_rules.simulate(actor=owner, code_id=code.id, visitor=phone)
    assert (d.step, d.page, d.location) == ("validity", "paused", "")
    assert d.why == "Paused: the visitor sees the paused page"
