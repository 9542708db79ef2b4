import pytest

from qrapp.services.accounts import passwords
from qrapp.services.errors import ServiceError


@pytest.mark.parametrize("weak", ["", "short", "aaaaaaaaaaaaaa", "          ", "abababababab"])
def test_weak_passwords_are_refused_with_a_message(weak):
    with pytest.raises(ServiceError) as err:
        passwords.check_policy(weak)
    assert err.value.field == "password"
    assert err.value.message


def test_verify_roundtrip_and_unknown_hash():
    h = passwords.hash_password("correct horse battery staple")
    assert passwords.verify_password(h, "correct horse battery staple")
    assert not passwords.verify_password(h, "correct horse battery stapl")
    assert not passwords.verify_password(None, "anything at all")
    assert not passwords.verify_password("not a hash", "anything at all")
