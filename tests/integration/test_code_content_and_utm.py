"""A code's UTM parameters (validated, dynamic only, workspace-scoped, audited), a static
code's readable content, and the analytics code filter leaving static codes out."""

from __future__ import annotations

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import AuditLog, QRCode
from qrapp.services.analytics import dashboard
from qrapp.services.codes import qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied, ServiceError
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace


@pytest.fixture
def people(clean_db):
    ws = team_workspace("UTM team")
    out = {}
    for role in (Role.EDITOR, Role.VIEWER):
        token = sign_up_and_session(f"{role.value}@utm.example")
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        out[role.value] = actor(token)
    out["stranger"] = actor(sign_up_and_session("someone@else.example"))
    return out


def _dynamic(who, url="https://example.com/landing?x=1"):
    return qrcodes.create(actor=who, data=CodeInput(name="Poster", destination=url))


def _wifi(who):
    return qrcodes.create(
        actor=who,
        data=CodeInput(
            name="Guest Wi-Fi",
            content_type="wifi",
            is_dynamic=False,
            payload={"ssid": "Cafe Guest", "security": "WPA", "password": "coffee-beans-42"},
        ),
    )


def test_utm_is_cleaned_saved_audited_and_previewed(people):
    code = _dynamic(people["editor"])
    saved = qrcodes.set_utm(
        actor=people["editor"],
        code_id=code.id,
        utm={"utm_source": "  poster ", "utm_medium": "qr", "utm_campaign": "summer  sale"},
    )
    assert saved.utm == {"utm_source": "poster", "utm_medium": "qr", "utm_campaign": "summer sale"}
    with read_session() as s:
        assert s.get(QRCode, code.id).utm == saved.utm
        entry = s.exec(select(AuditLog).where(AuditLog.action == "qr.utm_changed")).one()
        assert entry.details["to"] == saved.utm
    assert (
        qrcodes.utm_preview(saved.destination, saved.utm)
        == "https://example.com/landing?x=1&utm_source=poster&utm_medium=qr"
        "&utm_campaign=summer+sale"
    )
    # Emptying every field removes them.
    cleared = qrcodes.set_utm(actor=people["editor"], code_id=code.id, utm={"utm_source": " "})
    assert cleared.utm == {}


@pytest.mark.parametrize(
    ("utm", "field"),
    [
        ({"utm_evil": "x"}, "utm_evil"),
        ({"utm_source": "x" * 201}, "utm_source"),
        ({"utm_medium": "qr\x00"}, "utm_medium"),
        ({"utm_term": "a\nb"}, "utm_term"),
        ({"utm_content": 42}, "utm_content"),
    ],
)
def test_bad_utm_is_refused_and_changes_nothing(people, utm, field):
    code = _dynamic(people["editor"])
    qrcodes.set_utm(actor=people["editor"], code_id=code.id, utm={"utm_source": "kept"})
    with pytest.raises(FieldErrors) as caught:
        qrcodes.set_utm(actor=people["editor"], code_id=code.id, utm=utm)
    assert field in caught.value.errors
    with read_session() as s:
        assert s.get(QRCode, code.id).utm == {"utm_source": "kept"}


def test_utm_is_scoped_to_the_workspace_and_role(people):
    code = _dynamic(people["editor"])
    with pytest.raises(PermissionDenied):
        qrcodes.set_utm(actor=people["viewer"], code_id=code.id, utm={"utm_source": "x"})
    with pytest.raises(NotFound):
        qrcodes.set_utm(actor=people["stranger"], code_id=code.id, utm={"utm_source": "x"})
    with read_session() as s:
        assert s.get(QRCode, code.id).utm == {}


def test_static_codes_have_no_utm(people):
    code = _wifi(people["editor"])
    with pytest.raises(ServiceError, match="static code is not tracked"):
        qrcodes.set_utm(actor=people["editor"], code_id=code.id, utm={"utm_source": "x"})


def test_static_content_reads_like_the_form_and_hides_the_password(people):
    code = _wifi(people["editor"])
    rows = dict(qrcodes.content_fields(code))
    assert rows["Network name (SSID)"] == "Cafe Guest"
    assert rows["Security"] == "WPA"
    assert rows["Password"] == "•" * 12
    assert "coffee" not in str(rows)
    assert "Hidden network" not in rows
    assert "EAP method" not in rows
    assert qrcodes.encoded_for_display(code) == ""  # the raw text would show the password
    open_net = qrcodes.create(
        actor=people["editor"],
        data=CodeInput(
            name="Open",
            content_type="wifi",
            is_dynamic=False,
            payload={"ssid": "Lobby", "security": "nopass"},
        ),
    )
    assert qrcodes.encoded_for_display(open_net) == "WIFI:T:nopass;S:Lobby;;"
    assert dict(qrcodes.content_fields(open_net)) == {
        "Network name (SSID)": "Lobby",
        "Security": "nopass",
    }


def test_analytics_code_filter_lists_only_dynamic_codes(people):
    dynamic = _dynamic(people["editor"])
    _wifi(people["editor"])
    options = dashboard.filter_options(actor=people["viewer"])
    assert [name for _, name in options.codes] == ["Poster"]
    assert options.codes[0][0] == dynamic.id
    assert dashboard.filter_options(actor=people["stranger"]).codes == []
