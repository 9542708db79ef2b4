"""Concurrent guesses, with real threads on SQLite and PostgreSQL: every throttle counts
the attempt before it checks the secret, so at most the limit's number of checks run.
(Counted afterwards, 25 concurrent logins ran 10 checks against a limit of 5, and 40
concurrent code passwords ran 10.)"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from qrapp.services.accounts import accounts, passwords
from qrapp.services.codes import code_access, qrcodes
from qrapp.services.errors import ServiceError, Throttled
from qrapp.settings import get_settings
from tests.integration.helpers import BINDING, actor, sign_up_and_session


def _race(n: int, attempt: Callable[[int], Any]) -> list[Any]:
    """n threads released at the same moment."""
    start = threading.Barrier(n)

    def run(i: int) -> Any:
        start.wait()
        return attempt(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def _counting(monkeypatch, module) -> list[int]:
    calls: list[int] = []
    real = module.verify_password
    lock = threading.Lock()

    def counting(password_hash, password):
        with lock:
            calls.append(1)
        return real(password_hash, password)

    monkeypatch.setattr(module, "verify_password", counting)
    return calls


def _login(i: int) -> str:
    try:
        accounts.log_in(
            email="race@example.com", password=f"wrong {i}", ip=f"198.51.100.{i}", binding=BINDING
        )
    except Throttled:
        return "throttled"
    except ServiceError as exc:
        return exc.message
    return "ok"


def test_25_concurrent_logins_run_at_most_the_limit_of_password_checks(clean_db, monkeypatch):
    sign_up_and_session("race@example.com")
    checks = _counting(monkeypatch, passwords)
    answers = _race(25, _login)
    limit = get_settings().login_max_failures_per_account
    assert len(checks) == limit, answers
    assert answers.count(accounts.LOGIN_FAILED) == limit
    assert answers.count("throttled") == 25 - limit


def test_40_concurrent_code_passwords_run_at_most_the_limit_of_checks(clean_db, monkeypatch):
    owner = actor(sign_up_and_session("door@example.com"))
    code = qrcodes.create(
        actor=owner,
        data=qrcodes.CodeInput(name="Door", destination="https://example.com/behind-the-door"),
    )
    qrcodes.set_password(actor=owner, code_id=code.id, password="open sesame 42")
    checks = _counting(monkeypatch, code_access)
    verdicts = _race(
        40, lambda i: code_access.check_code_password(code.id, "192.0.2.9", f"wrong {i}")
    )
    limit = get_settings().code_password_max_failures
    assert len(checks) == limit, verdicts
    assert verdicts.count(False) == limit
    waits = [v for v in verdicts if v is not False]
    assert len(waits) == 40 - limit
    assert all(isinstance(v, int) and v > 0 for v in waits)
    # The right password from elsewhere still opens it, and a success gives its attempt back.
    assert code_access.check_code_password(code.id, "192.0.2.10", "open sesame 42") is True
    assert code_access.check_code_password(code.id, "192.0.2.10", "open sesame 42") is True
