"""The live dashboard's loop asks Reflex whether its tab is still connected."""

from __future__ import annotations

from types import SimpleNamespace

from reflex_base.registry import RegistrationContext

from qrapp.state.connection import connected as _connected


def _with_app(app) -> bool:
    ctx = RegistrationContext()
    object.__setattr__(ctx, "_app", app)
    reset = RegistrationContext.set(ctx)
    try:
        return _connected("tab-1")
    finally:
        RegistrationContext.reset(reset)


def test_a_tab_is_connected_while_the_app_lists_its_token():
    namespace = SimpleNamespace(token_to_sid={"tab-1": "sid-1"})
    assert _with_app(SimpleNamespace(event_namespace=namespace)) is True


def test_a_closed_tab_is_not_connected():
    namespace = SimpleNamespace(token_to_sid={"tab-2": "sid-2"})
    assert _with_app(SimpleNamespace(event_namespace=namespace)) is False


def test_without_a_running_app_the_loop_keeps_its_time_limit_instead():
    assert _with_app(SimpleNamespace(event_namespace=None)) is True
    assert _with_app(None) is True
