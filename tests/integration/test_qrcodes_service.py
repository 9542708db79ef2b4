"""The codes service: validation, short codes, roles and tenant isolation."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.core.shortcodes import ALPHABET
from qrapp.db import read_session
from qrapp.models import AuditLog, QRCode
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace


@pytest.fixture
def people(clean_db):
    ws = team_workspace("Team A")
    out = {}
    for role in (Role.OWNER, Role.EDITOR, Role.VIEWER):
        token = sign_up_and_session(f"{role.value}@codes.example")
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        out[role.value] = actor(token)
    out["stranger"] = actor(sign_up_and_session("b@other.example"))
    return out


def test_dynamic_code_gets_an_unguessable_short_code(people):
    code = qrcodes.create(
        actor=people["editor"],
        data=CodeInput(name="Menu", destination="example.com/menu", tags=("food", "Food")),
    )
    assert len(code.short_code) == 7
    assert set(code.short_code) <= set(ALPHABET)
    assert code.destination == "https://example.com/menu"
    assert code.tags == ["food"]
    assert qrcodes.short_url(code).endswith("/" + code.short_code)
    with read_session() as s:
        assert s.exec(select(AuditLog).where(AuditLog.action == "qr.created")).one()


@pytest.mark.parametrize(
    "evil",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "\x00javascript:alert(1)",
        "data:text/html,<script>x</script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "intent://scan#Intent;end",
        "http://localhost:8080/abc",
    ],
)
def test_dangerous_or_looping_destinations_are_refused(people, evil):
    with pytest.raises(FieldErrors) as err:
        qrcodes.create(actor=people["editor"], data=CodeInput(name="X", destination=evil))
    assert "destination" in err.value.errors
    with read_session() as s:
        assert s.exec(select(QRCode)).all() == []


def test_static_code_validates_its_payload_per_field(people):
    with pytest.raises(FieldErrors) as err:
        qrcodes.create(
            actor=people["editor"],
            data=CodeInput(name="Pay", is_dynamic=False, content_type="swish", payload={}),
        )
    assert err.value.errors
    code = qrcodes.create(
        actor=people["editor"],
        data=CodeInput(
            name="Wifi",
            is_dynamic=False,
            content_type="wifi",
            payload={"ssid": "Home", "password": "secret123"},
        ),
    )
    assert code.short_code is None
    assert code.payload["ssid"] == "Home"


@pytest.mark.parametrize("alias", ["login", "healthz", "ab", "has space", "-dash"])
def test_reserved_or_bad_aliases_are_refused(people, alias):
    with pytest.raises(FieldErrors) as err:
        qrcodes.create(
            actor=people["editor"],
            data=CodeInput(name="A", destination="https://example.com", alias=alias),
        )
    assert "alias" in err.value.errors


def test_an_alias_is_unique(people):
    data = CodeInput(name="A", destination="https://example.com", alias="spring-sale")
    qrcodes.create(actor=people["editor"], data=data)
    with pytest.raises(FieldErrors, match="taken"):
        qrcodes.create(actor=people["owner"], data=data)


def test_viewer_cannot_create_or_change(people):
    code = qrcodes.create(
        actor=people["editor"], data=CodeInput(name="A", destination="https://a.example")
    )
    with pytest.raises(PermissionDenied):
        qrcodes.create(actor=people["viewer"], data=CodeInput(name="B", destination="b.example"))
    for call in (
        lambda: qrcodes.change_destination(
            actor=people["viewer"], code_id=code.id, destination="https://evil.example"
        ),
        lambda: qrcodes.set_status(actor=people["viewer"], code_id=code.id, status="paused"),
        lambda: qrcodes.delete(actor=people["viewer"], code_id=code.id),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert qrcodes.get_code_or_raise(actor=people["viewer"], code_id=code.id).destination == (
        "https://a.example"
    )


def test_another_workspace_sees_not_found_and_changes_nothing(people):
    code = qrcodes.create(
        actor=people["editor"], data=CodeInput(name="A", destination="https://a.example")
    )
    stranger = people["stranger"]
    calls = [
        lambda: qrcodes.get_code_or_raise(actor=stranger, code_id=code.id),
        lambda: qrcodes.change_destination(
            actor=stranger, code_id=code.id, destination="https://evil.example"
        ),
        lambda: qrcodes.set_status(actor=stranger, code_id=code.id, status="archived"),
        lambda: qrcodes.rename(actor=stranger, code_id=code.id, name="Mine"),
        lambda: qrcodes.delete(actor=stranger, code_id=code.id),
    ]
    for call in calls:
        with pytest.raises(NotFound) as err:
            call()
        assert err.value.message == NotFound("QR code").message
    assert qrcodes.list_codes(actor=stranger) == []
    again = qrcodes.get_code_or_raise(actor=people["owner"], code_id=code.id)
    assert (again.name, again.destination, again.status) == ("A", "https://a.example", "active")


def test_change_destination_and_status_are_audited(people):
    code = qrcodes.create(
        actor=people["editor"], data=CodeInput(name="A", destination="https://a.example")
    )
    qrcodes.change_destination(actor=people["editor"], code_id=code.id, destination="b.example")
    qrcodes.set_status(actor=people["owner"], code_id=code.id, status="paused")
    with read_session() as s:
        actions = s.exec(select(AuditLog.action).where(AuditLog.target_id == str(code.id))).all()
    assert {"qr.created", "qr.destination_changed", "qr.paused"} <= set(actions)
    assert qrcodes.get_code_or_raise(actor=people["viewer"], code_id=code.id).status == "paused"


def test_a_design_that_does_not_scan_is_refused_on_create_and_update(people):
    ghost = {"foreground": "#f4f4f4", "background": "#ffffff"}
    with pytest.raises(FieldErrors) as err:
        qrcodes.create(
            actor=people["editor"],
            data=CodeInput(name="Ghost", destination="https://example.com", design=ghost),
        )
    assert "design" in err.value.errors
    assert "contrast" in err.value.errors["design"].lower()
    code = qrcodes.create(
        actor=people["editor"], data=CodeInput(name="Fine", destination="https://example.com")
    )
    with pytest.raises(FieldErrors):
        qrcodes.update_code(actor=people["editor"], code_id=code.id, name="Fine", design=ghost)
    with read_session() as s:
        assert s.get(QRCode, code.id).design.get("foreground") == "#000000"
        assert [c.name for c in s.exec(select(QRCode)).all()] == ["Fine"]


def test_a_create_does_not_wait_for_another_creates_scannability_check(people, monkeypatch):
    """The decoder's verdict (tens of ms, a render and a decode) runs before the
    workspace's write lock: a second create in the same workspace goes through while the
    first is still being checked (it used to queue behind it)."""
    from qrapp.services.codes import checks

    real = checks.check_scannable
    inside, release = threading.Event(), threading.Event()

    def held(text, design):
        if design.get("foreground") == "#111111":  # the first create only
            inside.set()
            assert release.wait(60)
        return real(text, design)

    monkeypatch.setattr(checks, "check_scannable", held)
    slow_design = {"foreground": "#111111", "background": "#ffffff"}
    made: dict[str, object] = {}

    def create(key, who, design=None):
        made[key] = qrcodes.create(
            actor=people[who],
            data=CodeInput(name=key, destination=f"https://example.com/{key}", design=design),
        )

    first = threading.Thread(target=create, args=("first", "editor", slow_design))
    second = threading.Thread(target=create, args=("second", "owner"))
    first.start()
    try:
        assert inside.wait(30)
        second.start()
        second.join(20)  # it waited on the first's lock before: then it would still run
        assert not second.is_alive()
        assert isinstance(made.get("second"), QRCode)
        assert first.is_alive()  # still held in its check
        assert "first" not in made
    finally:
        release.set()
        first.join(30)
        second.join(30)
    assert isinstance(made.get("first"), QRCode)
    with read_session() as s:
        names = sorted(c.name for c in s.exec(select(QRCode)).all())
    assert names == ["first", "second"]
