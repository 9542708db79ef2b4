"""TOTP secrets at rest: what the database holds is not the secret, and only the key
derived from this deployment's SECRET_KEY, for this account, opens it."""

from __future__ import annotations

import uuid

import pytest

from qrapp.core import otp
from qrapp.services.accounts import totp_secrets

KEY = totp_secrets.key_from("a-long-secret-key-of-the-deployment-0123456789")
OTHER_KEY = totp_secrets.key_from("another-deployments-secret-key-0123456789abcd")


def test_the_stored_value_is_not_the_secret_and_opens_with_the_key():
    secret, user = otp.new_secret(), uuid.uuid4()
    sealed = totp_secrets.seal(secret, user, key=KEY)
    assert secret not in sealed
    assert sealed.startswith(totp_secrets.PREFIX)
    assert len(sealed) <= 200  # the column's size
    assert totp_secrets.unseal(sealed, user, key=KEY) == secret
    # A fresh nonce each time: the same secret never seals to the same text.
    assert totp_secrets.seal(secret, user, key=KEY) != sealed


def test_a_wrong_key_another_account_or_an_altered_value_cannot_read_it():
    secret, user = otp.new_secret(), uuid.uuid4()
    sealed = totp_secrets.seal(secret, user, key=KEY)
    with pytest.raises(totp_secrets.Unreadable):
        totp_secrets.unseal(sealed, user, key=OTHER_KEY)
    with pytest.raises(totp_secrets.Unreadable):  # copied onto another account's row
        totp_secrets.unseal(sealed, uuid.uuid4(), key=KEY)
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    for bad in (flipped, secret, "", "v1.", "v1.!!!"):
        with pytest.raises(totp_secrets.Unreadable):
            totp_secrets.unseal(bad, user, key=KEY)


def test_the_key_is_derived_with_its_own_purpose_label():
    secret_key = "a-long-secret-key-of-the-deployment-0123456789"
    assert len(KEY) == 32
    assert secret_key.encode()[:32] != KEY
    assert totp_secrets.key_from(secret_key) == KEY
