"""TOTP codes: a window of one step either side, and never the same step twice."""

from qrapp.core import otp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = 1_800_000_000.0  # a step boundary is irrelevant: steps are counted from here
STEP = otp.step_at(NOW)


def test_codes_of_the_current_and_neighbouring_steps_are_accepted():
    for offset in (-1, 0, 1):
        code = otp.code_at_step(SECRET, STEP + offset)
        assert otp.matching_step(SECRET, code, now=NOW, last_used_step=0) == STEP + offset


def test_codes_two_steps_away_are_refused():
    for offset in (-2, 2):
        code = otp.code_at_step(SECRET, STEP + offset)
        assert otp.matching_step(SECRET, code, now=NOW, last_used_step=0) is None


def test_a_used_step_and_older_ones_are_refused():
    code = otp.code_at_step(SECRET, STEP)
    assert otp.matching_step(SECRET, code, now=NOW, last_used_step=STEP) is None
    earlier = otp.code_at_step(SECRET, STEP - 1)
    assert otp.matching_step(SECRET, earlier, now=NOW, last_used_step=STEP) is None
    later = otp.code_at_step(SECRET, STEP + 1)
    assert otp.matching_step(SECRET, later, now=NOW, last_used_step=STEP) == STEP + 1


def test_spaces_are_ignored_and_wrong_lengths_refused():
    code = otp.code_at_step(SECRET, STEP)
    assert otp.matching_step(SECRET, f"{code[:3]} {code[3:]}", now=NOW, last_used_step=0) == STEP
    assert otp.matching_step(SECRET, code[:5], now=NOW, last_used_step=0) is None
    assert otp.matching_step(SECRET, "", now=NOW, last_used_step=0) is None


def test_recovery_codes_are_ten_distinct_and_told_apart_from_totp_codes():
    codes = otp.new_recovery_codes()
    assert len(set(codes)) == 10
    assert all(otp.looks_like_recovery_code(c) for c in codes)
    assert not otp.looks_like_recovery_code("123456")
    assert otp.recovery_code_hash(codes[0].upper()) == otp.recovery_code_hash(codes[0])
    assert otp.recovery_code_hash(codes[0].replace("-", " ")) == otp.recovery_code_hash(codes[0])
