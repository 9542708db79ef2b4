"""Two-factor login: enrolment, the second step, recovery codes, trusted devices, the
workspace rule, and the audit rows."""

from __future__ import annotations

import time

import pytest
from sqlmodel import select

from qrapp.core import otp
from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import AuditLog, TotpFactor
from qrapp.services.accounts import accounts, second_factor, totp_secrets, two_factor_settings
from qrapp.services.accounts.second_factor import SecondStepRequired
from qrapp.services.audit import AuditAction
from qrapp.services.errors import PermissionDenied, ServiceError, Throttled
from qrapp.services.workspaces import workspaces
from qrapp.settings import get_settings
from tests.integration.helpers import (
    BINDING,
    PASSWORD,
    actor,
    add_member,
    sign_up_and_session,
    team_workspace,
)

IP = "203.0.113.20"


def _secret(user_id) -> str:
    with read_session() as s:
        sealed = s.get_one(TotpFactor, user_id).secret_sealed
    assert sealed
    return totp_secrets.unseal(sealed, user_id)


def _code(secret: str, offset: int = 0) -> str:
    return otp.code_at_step(secret, otp.step_at(time.time()) + offset)


def _enrolled(email: str) -> tuple:
    """An account with TOTP on: (actor, secret, recovery codes). The enrolment used the
    current step's code, so the next code that works is the next step's."""
    me = actor(sign_up_and_session(email))
    enrolment = two_factor_settings.start_enrolment(actor=me)
    assert enrolment.qr_data_uri.startswith("data:image/svg+xml;base64,")
    assert enrolment.secret in enrolment.uri
    codes = two_factor_settings.confirm_enrolment(actor=me, code=_code(enrolment.secret), ip=IP)
    return me, enrolment.secret, codes


def _wrong(secret: str) -> str:
    """A six-digit code that is none of the window's codes."""
    window = {_code(secret, k) for k in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in window)


def _pending(email: str, device: str = "") -> SecondStepRequired:
    with pytest.raises(SecondStepRequired) as step:
        accounts.log_in(email=email, password=PASSWORD, ip=IP, binding=BINDING, device=device)
    return step.value


def _session(handoff: str) -> str:
    token = accounts.start_session(handoff=handoff, binding=BINDING)
    assert token
    return token


def _actions(user_id) -> list[str]:
    with read_session() as s:
        return list(s.exec(select(AuditLog.action).where(AuditLog.actor_user_id == user_id)))


def test_enrolment_needs_a_right_first_code_and_gives_ten_recovery_codes(clean_db):
    me = actor(sign_up_and_session("enrol@example.com"))
    enrolment = two_factor_settings.start_enrolment(actor=me)
    assert not second_factor.needs_second_factor(me.user_id)
    with pytest.raises(ServiceError) as wrong:
        two_factor_settings.confirm_enrolment(actor=me, code=_wrong(enrolment.secret))
    assert wrong.value.field == "code"
    assert not two_factor_settings.status(actor=me).totp_on
    codes = two_factor_settings.confirm_enrolment(actor=me, code=_code(enrolment.secret), ip=IP)
    assert len(codes) == 10
    status = two_factor_settings.status(actor=me)
    assert status.totp_on
    assert status.recovery_codes_left == 10
    assert second_factor.needs_second_factor(me.user_id)
    assert AuditAction.TWO_FACTOR_ENABLED.value in _actions(me.user_id)
    with pytest.raises(ServiceError):
        two_factor_settings.start_enrolment(actor=me)  # already on: no silent reset


def test_a_password_login_goes_through_the_code_and_a_code_never_works_twice(clean_db):
    me, secret, _codes = _enrolled("totp@example.com")
    step = _pending("totp@example.com")
    assert not step.enrol
    assert not step.passkeys
    used = _code(secret)  # the enrolment's code: its step is used up
    with pytest.raises(ServiceError) as again:
        second_factor.complete_with_code(pending=step.token, binding=BINDING, code=used, ip=IP)
    assert again.value.message == second_factor.CODE_WRONG
    # Another browser cannot use this browser's pending step.
    with pytest.raises(ServiceError):
        second_factor.complete_with_code(
            pending=step.token, binding="another-browser", code=_code(secret, 1), ip=IP
        )
    done = second_factor.complete_with_code(
        pending=step.token, binding=BINDING, code=_code(secret, 1), ip=IP
    )
    assert actor(_session(done.handoff)).user_id == me.user_id
    # The pending step is used up, and the next step's code was used too.
    with pytest.raises(ServiceError):
        second_factor.complete_with_code(
            pending=step.token, binding=BINDING, code=_code(secret, 1), ip=IP
        )
    assert AuditAction.TWO_FACTOR_LOGIN_FAILED.value in _actions(me.user_id)


def test_wrong_codes_are_throttled_like_passwords(clean_db):
    _enrolled("guess@example.com")
    step = _pending("guess@example.com")
    limit = get_settings().login_max_failures_per_account
    for _ in range(limit):
        with pytest.raises(ServiceError) as exc:
            second_factor.complete_with_code(
                pending=step.token, binding=BINDING, code="12345x", ip=IP
            )
        assert not isinstance(exc.value, Throttled)
    with pytest.raises(Throttled):
        second_factor.complete_with_code(pending=step.token, binding=BINDING, code="123456", ip=IP)


def test_a_recovery_code_works_once_only(clean_db):
    me, secret, codes = _enrolled("recover@example.com")
    done = second_factor.complete_with_code(
        pending=_pending("recover@example.com").token,
        binding=BINDING,
        code=codes[3].upper(),
        ip=IP,
    )
    assert actor(_session(done.handoff)).user_id == me.user_id
    assert two_factor_settings.status(actor=me).recovery_codes_left == 9
    with pytest.raises(ServiceError):
        second_factor.complete_with_code(
            pending=_pending("recover@example.com").token, binding=BINDING, code=codes[3], ip=IP
        )
    assert AuditAction.RECOVERY_CODE_USED.value in _actions(me.user_id)
    # Regenerated codes replace the old ones.
    fresh = two_factor_settings.regenerate_recovery_codes(actor=me, code=_code(secret, 1), ip=IP)
    with pytest.raises(ServiceError):
        second_factor.complete_with_code(
            pending=_pending("recover@example.com").token, binding=BINDING, code=codes[4], ip=IP
        )
    done = second_factor.complete_with_code(
        pending=_pending("recover@example.com").token, binding=BINDING, code=fresh[0], ip=IP
    )
    assert done.handoff
    assert AuditAction.RECOVERY_CODES_REGENERATED.value in _actions(me.user_id)


def test_a_trusted_device_skips_the_second_step_for_its_account_only(clean_db):
    _me, secret, _codes = _enrolled("trust@example.com")
    _enrolled("other@example.com")
    done = second_factor.complete_with_code(
        pending=_pending("trust@example.com").token,
        binding=BINDING,
        code=_code(secret, 1),
        trust_device=True,
        ip=IP,
    )
    device = second_factor.device_cookie_for(done.handoff)
    assert device
    handoff = accounts.log_in(
        email="trust@example.com", password=PASSWORD, ip=IP, binding=BINDING, device=device
    )
    assert _session(handoff)
    # Not for another account, nor with a made-up cookie, nor without trusting.
    _pending("other@example.com", device=device)
    _pending("trust@example.com", device=device[:-2] + "xx")
    assert second_factor.device_cookie_for("some-other-handoff") is None


def test_turning_it_off_needs_a_code_or_the_password(clean_db):
    me, _secret, _codes = _enrolled("off@example.com")
    with pytest.raises(ServiceError) as wrong:
        two_factor_settings.disable(actor=me, proof="not my password", ip=IP)
    assert wrong.value.field == "proof"
    assert two_factor_settings.status(actor=me).totp_on
    two_factor_settings.disable(actor=me, proof=PASSWORD, ip=IP)
    status = two_factor_settings.status(actor=me)
    assert not status.totp_on
    assert status.recovery_codes_left == 0
    assert AuditAction.TWO_FACTOR_DISABLED.value in _actions(me.user_id)
    assert accounts.log_in(email="off@example.com", password=PASSWORD, ip=IP, binding=BINDING)
    # And with a current code.
    enrolment = two_factor_settings.start_enrolment(actor=me)
    two_factor_settings.confirm_enrolment(actor=me, code=_code(enrolment.secret), ip=IP)
    two_factor_settings.disable(actor=me, proof=_code(enrolment.secret, 1), ip=IP)
    assert not two_factor_settings.status(actor=me).totp_on


def test_a_workspace_that_requires_it_walks_members_through_enrolment(clean_db):
    owner_token = sign_up_and_session("boss@example.com")
    member_token = sign_up_and_session("member@example.com")
    ws = team_workspace("Careful Co")
    add_member(ws.id, actor(owner_token).user_id, Role.OWNER)
    add_member(ws.id, actor(member_token).user_id, Role.EDITOR)
    workspaces.switch(actor=actor(owner_token), workspace_id=ws.id)
    workspaces.switch(actor=actor(member_token), workspace_id=ws.id)
    member = actor(member_token)
    with pytest.raises(PermissionDenied):  # editors may not set the rule
        two_factor_settings.set_workspace_requirement(actor=member, required=True)
    two_factor_settings.set_workspace_requirement(actor=actor(owner_token), required=True, ip=IP)
    assert two_factor_settings.status(actor=member).workspace_requires
    step = _pending("member@example.com")
    assert step.enrol
    with pytest.raises(ServiceError):  # no way round the enrolment
        second_factor.finish_enrolment_at_login(pending=step.token, binding=BINDING)
    enrolment = second_factor.start_enrolment_at_login(pending=step.token, binding=BINDING)
    codes = second_factor.confirm_enrolment_at_login(
        pending=step.token, binding=BINDING, code=_code(enrolment.secret), ip=IP
    )
    assert len(codes) == 10
    done = second_factor.finish_enrolment_at_login(pending=step.token, binding=BINDING)
    assert actor(_session(done.handoff)).user_id == member.user_id
    # From now on the member's login asks for a code, not for enrolment.
    assert not _pending("member@example.com").enrol


def test_auth_session_sets_the_trusted_device_cookie_only_when_asked(clean_db):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from qrapp.api.app import transform

    _me, secret, codes = _enrolled("cookie@example.com")
    binding_cookie = get_settings().login_binding_cookie_name
    for trust, code in ((False, codes[0]), (True, _code(secret, 1))):
        done = second_factor.complete_with_code(
            pending=_pending("cookie@example.com").token,
            binding=BINDING,
            code=code,
            trust_device=trust,
            ip=IP,
        )
        client = TestClient(transform(Starlette()), follow_redirects=False)
        client.cookies.set(binding_cookie, BINDING)
        answer = client.get(f"/auth/session?h={done.handoff}&next=/codes")
        assert answer.status_code == 303
        assert get_settings().session_cookie_name in answer.cookies
        set_cookies = answer.headers.get_list("set-cookie")
        device = [c for c in set_cookies if c.startswith(second_factor.TRUSTED_DEVICE_COOKIE)]
        if not trust:
            assert device == []
            continue
        assert len(device) == 1
        assert "HttpOnly" in device[0]
        assert "Max-Age=2592000" in device[0]


def test_new_recovery_codes_need_a_current_code_and_a_wrong_one_changes_nothing(clean_db):
    me, secret, codes = _enrolled("regen@example.com")
    for code in ("", "  ", _wrong(secret), codes[0]):  # a recovery code is not a current code
        with pytest.raises(ServiceError) as refused:
            two_factor_settings.regenerate_recovery_codes(actor=me, code=code, ip=IP)
        assert refused.value.field == "code"
        assert "current code" in refused.value.message or "No new codes" in refused.value.message
    assert AuditAction.RECOVERY_CODES_REGENERATED.value not in _actions(me.user_id)
    assert two_factor_settings.status(actor=me).recovery_codes_left == 10
    # The old codes still work after the refusals.
    done = second_factor.complete_with_code(
        pending=_pending("regen@example.com").token, binding=BINDING, code=codes[1], ip=IP
    )
    assert done.handoff
    current = _code(secret, 1)  # computed once: a slow run may cross a 30 s step
    fresh = two_factor_settings.regenerate_recovery_codes(actor=me, code=current, ip=IP)
    assert len(fresh) == 10
    assert not set(fresh) & set(codes)
    assert AuditAction.RECOVERY_CODES_REGENERATED.value in _actions(me.user_id)
    # The same code twice: refused (never accepted twice), the fresh codes stay.
    with pytest.raises(ServiceError):
        two_factor_settings.regenerate_recovery_codes(actor=me, code=current, ip=IP)
    assert two_factor_settings.status(actor=me).recovery_codes_left == 10
    with pytest.raises(ServiceError):
        second_factor.complete_with_code(
            pending=_pending("regen@example.com").token, binding=BINDING, code=codes[2], ip=IP
        )


def test_new_recovery_codes_with_a_passkey_instead_of_a_code(clean_db):
    from qrapp.services.accounts import passkeys
    from tests.support.soft_authenticator import SoftAuthenticator

    me, _secret, codes = _enrolled("regen-pk@example.com")
    rp_id, origin = passkeys.relying_party()
    key = SoftAuthenticator(origin=origin, rp_id=rp_id)
    options = passkeys.registration_options(actor=me, binding=BINDING)
    passkeys.register(actor=me, name="Laptop", credential_json=key.create(options), binding=BINDING)
    stranger = SoftAuthenticator(origin=origin, rp_id=rp_id)
    stranger.credential_id = key.credential_id  # same id, another key: a bad signature
    forged = stranger.get(passkeys.reauth_options(actor=me, binding=BINDING))
    other_browser = key.get(passkeys.reauth_options(actor=me, binding=BINDING))
    for answer, binding in ((forged, BINDING), (other_browser, "elsewhere"), ("{", BINDING)):
        with pytest.raises(ServiceError) as refused:
            two_factor_settings.regenerate_recovery_codes(
                actor=me, passkey_credential=answer, binding=binding, ip=IP
            )
        assert "No new codes" in refused.value.message
    assert AuditAction.RECOVERY_CODES_REGENERATED.value not in _actions(me.user_id)
    answer = key.get(passkeys.reauth_options(actor=me, binding=BINDING))
    fresh = two_factor_settings.regenerate_recovery_codes(
        actor=me, passkey_credential=answer, binding=BINDING, ip=IP
    )
    assert len(fresh) == 10
    assert not set(fresh) & set(codes)
    with pytest.raises(ServiceError):  # the same answer again: its challenge is used up
        two_factor_settings.regenerate_recovery_codes(
            actor=me, passkey_credential=answer, binding=BINDING, ip=IP
        )


def test_the_secret_is_sealed_at_rest_and_a_clear_row_is_sealed_at_its_next_use(clean_db):
    me, secret, _codes = _enrolled("sealed@example.com")
    with read_session() as s:
        row = s.get_one(TotpFactor, me.user_id)
    assert row.secret == ""
    assert secret not in (row.secret_sealed or "")
    assert _secret(me.user_id) == secret
    # A row from before sealing (the secret in clear) keeps working and is sealed on use.
    with transaction() as tx:
        old = tx.session.get_one(TotpFactor, me.user_id)
        old.secret, old.secret_sealed = secret, None
        tx.session.add(old)
    done = second_factor.complete_with_code(
        pending=_pending("sealed@example.com").token,
        binding=BINDING,
        code=_code(secret, 1),
        ip=IP,
    )
    assert actor(_session(done.handoff)).user_id == me.user_id
    with read_session() as s:
        row = s.get_one(TotpFactor, me.user_id)
    assert row.secret == ""
    assert row.secret_sealed
    assert _secret(me.user_id) == secret


def test_a_secret_sealed_under_another_key_accepts_no_code(clean_db):
    me, secret, codes = _enrolled("rekeyed@example.com")
    other = totp_secrets.key_from("a-different-secret-key-0123456789-abcdefgh")
    with transaction() as tx:
        row = tx.session.get_one(TotpFactor, me.user_id)
        row.secret_sealed = totp_secrets.seal(secret, me.user_id, key=other)
        tx.session.add(row)
    with pytest.raises(ServiceError):
        second_factor.complete_with_code(
            pending=_pending("rekeyed@example.com").token,
            binding=BINDING,
            code=_code(secret, 1),
            ip=IP,
        )
    # A recovery code still gets the person in (then they set the app up again).
    done = second_factor.complete_with_code(
        pending=_pending("rekeyed@example.com").token, binding=BINDING, code=codes[0], ip=IP
    )
    assert done.handoff
