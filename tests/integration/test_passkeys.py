"""Passkeys: registration and assertions from a software authenticator (real ES256
attestation and assertion objects), as a second factor and as password-less login."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlmodel import select

from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import AuditLog, Passkey
from qrapp.services.accounts import accounts, passkeys, second_factor, two_factor_settings
from qrapp.services.accounts.second_factor import SecondStepRequired
from qrapp.services.audit import AuditAction
from qrapp.services.errors import NotFound, ServiceError
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import (
    BINDING,
    PASSWORD,
    actor,
    add_member,
    sign_up_and_session,
    team_workspace,
)
from tests.support.soft_authenticator import SoftAuthenticator, b64

IP = "203.0.113.30"


def _authenticator() -> SoftAuthenticator:
    rp_id, origin = passkeys.relying_party()
    return SoftAuthenticator(origin=origin, rp_id=rp_id)


def _registered(email: str) -> tuple:
    me = actor(sign_up_and_session(email))
    key = _authenticator()
    options = passkeys.registration_options(actor=me, binding=BINDING)
    passkeys.register(
        actor=me, name="Work laptop", credential_json=key.create(options), binding=BINDING, ip=IP
    )
    return me, key


def _session(handoff: str) -> str:
    token = accounts.start_session(handoff=handoff, binding=BINDING)
    assert token
    return token


def test_register_list_and_log_in_without_a_password(clean_db):
    me, key = _registered("pk@example.com")
    [view] = passkeys.list_passkeys(actor=me)
    assert view.name == "Work laptop"
    assert second_factor.needs_second_factor(me.user_id)
    options = passkeys.login_options(binding=BINDING)
    answer = key.get(options)
    done = passkeys.log_in_with_passkey(credential_json=answer, binding=BINDING, ip=IP)
    assert actor(_session(done.handoff)).user_id == me.user_id
    # The same answer again: its challenge is used up.
    with pytest.raises(ServiceError):
        passkeys.log_in_with_passkey(credential_json=answer, binding=BINDING, ip=IP)
    with read_session() as s:
        row = s.exec(select(Passkey).where(Passkey.user_id == me.user_id)).one()
        assert row.sign_count == 1
        assert row.last_used_at is not None
        actions = set(s.exec(select(AuditLog.action).where(AuditLog.actor_user_id == me.user_id)))
    assert AuditAction.PASSKEY_ADDED.value in actions


def test_answers_for_another_origin_or_browser_or_a_forged_signature_are_refused(clean_db):
    _me, key = _registered("careful@example.com")
    other_site = key.get(passkeys.login_options(binding=BINDING), origin="https://evil.example")
    with pytest.raises(ServiceError):
        passkeys.log_in_with_passkey(credential_json=other_site, binding=BINDING, ip=IP)
    other_browser = key.get(passkeys.login_options(binding=BINDING))
    with pytest.raises(ServiceError):
        passkeys.log_in_with_passkey(credential_json=other_browser, binding="elsewhere", ip=IP)
    impostor = _authenticator()
    impostor.credential_id = key.credential_id  # same id, another key: a bad signature
    forged = impostor.get(passkeys.login_options(binding=BINDING))
    with pytest.raises(ServiceError):
        passkeys.log_in_with_passkey(credential_json=forged, binding=BINDING, ip=IP)
    with pytest.raises(ServiceError):
        passkeys.log_in_with_passkey(credential_json="{not json", binding=BINDING, ip=IP)


def test_a_passkey_is_the_second_step_of_its_own_account_only(clean_db):
    me, key = _registered("second@example.com")
    _other, other_key = _registered("someone@example.com")
    with pytest.raises(SecondStepRequired) as step:
        accounts.log_in(email="second@example.com", password=PASSWORD, ip=IP, binding=BINDING)
    assert step.value.passkeys
    pending = step.value.token
    options = passkeys.login_options(binding=BINDING, pending=pending)
    allowed = [c["id"] for c in json.loads(options)["allowCredentials"]]
    assert allowed == [b64(key.credential_id)]  # only this account's passkeys are offered
    wrong = other_key.get(options)
    with pytest.raises(ServiceError):
        passkeys.log_in_with_passkey(credential_json=wrong, binding=BINDING, pending=pending, ip=IP)
    answer = key.get(passkeys.login_options(binding=BINDING, pending=pending))
    done = passkeys.log_in_with_passkey(
        credential_json=answer, binding=BINDING, pending=pending, ip=IP
    )
    assert actor(_session(done.handoff)).user_id == me.user_id
    with read_session() as s:
        failed = s.exec(
            select(AuditLog).where(
                AuditLog.actor_user_id == me.user_id,
                AuditLog.action == AuditAction.TWO_FACTOR_LOGIN_FAILED.value,
            )
        ).all()
    assert len(failed) == 1


def test_registration_checks_its_challenge_and_removal_its_owner(clean_db):
    me, _key = _registered("owner@example.com")
    other = actor(sign_up_and_session("stranger@example.com"))
    fresh = _authenticator()
    options = passkeys.registration_options(actor=me, binding=BINDING)
    # The stranger cannot register an answer to my challenge on their account.
    with pytest.raises(ServiceError):
        passkeys.register(
            actor=other, name="x", credential_json=fresh.create(options), binding=BINDING
        )
    with pytest.raises(ServiceError) as unnamed:
        passkeys.register(
            actor=me, name="  ", credential_json=fresh.create(options), binding=BINDING
        )
    assert unnamed.value.field == "name"
    [mine] = passkeys.list_passkeys(actor=me)
    with pytest.raises(NotFound):
        passkeys.remove(actor=other, passkey_id=mine.id)
    with pytest.raises(NotFound):
        passkeys.remove(actor=me, passkey_id=uuid.uuid4())
    passkeys.remove(actor=me, passkey_id=mine.id, ip=IP)
    assert passkeys.list_passkeys(actor=me) == []
    assert not second_factor.needs_second_factor(me.user_id)


def test_the_required_two_factor_walk_through_takes_a_passkey_instead_of_an_app(clean_db):
    owner_token = sign_up_and_session("boss@example.com")
    member = actor(sign_up_and_session("walk@example.com"))
    ws = team_workspace("Careful Co")
    add_member(ws.id, actor(owner_token).user_id, Role.OWNER)
    add_member(ws.id, member.user_id, Role.EDITOR)
    workspaces.switch(actor=actor(owner_token), workspace_id=ws.id)
    two_factor_settings.set_workspace_requirement(actor=actor(owner_token), required=True, ip=IP)
    with pytest.raises(SecondStepRequired) as step:
        accounts.log_in(email="walk@example.com", password=PASSWORD, ip=IP, binding=BINDING)
    assert step.value.enrol
    pending = step.value.token
    key = _authenticator()
    # Only the browser holding the pending login can ask, and only with a live token.
    with pytest.raises(ServiceError):
        passkeys.registration_options_at_login(pending=pending, binding="another-browser")
    with pytest.raises(ServiceError):
        passkeys.registration_options_at_login(pending="not-a-token", binding=BINDING)
    options = passkeys.registration_options_at_login(pending=pending, binding=BINDING)
    assert json.loads(options)["user"]["name"] == "walk@example.com"
    with pytest.raises(ServiceError) as unnamed:
        passkeys.register_at_login(
            pending=pending, binding=BINDING, name=" ", credential_json=key.create(options)
        )
    assert unnamed.value.field == "name"
    assert passkeys.list_passkeys(actor=member) == []
    options = passkeys.registration_options_at_login(pending=pending, binding=BINDING)
    done = passkeys.register_at_login(
        pending=pending,
        binding=BINDING,
        name="Phone",
        credential_json=key.create(options),
        ip=IP,
    )
    assert actor(_session(done.handoff)).user_id == member.user_id
    assert [p.name for p in passkeys.list_passkeys(actor=member)] == ["Phone"]
    with read_session() as s:
        added = s.exec(
            select(AuditLog).where(
                AuditLog.actor_user_id == member.user_id,
                AuditLog.action == AuditAction.PASSKEY_ADDED.value,
            )
        ).all()
    assert len(added) == 1
    # The pending token is used up; the next login asks for the passkey, not enrolment.
    with pytest.raises(ServiceError):
        passkeys.registration_options_at_login(pending=pending, binding=BINDING)
    with pytest.raises(SecondStepRequired) as again:
        accounts.log_in(email="walk@example.com", password=PASSWORD, ip=IP, binding=BINDING)
    assert not again.value.enrol
    assert again.value.passkeys
