"""The Settings sub-pages' scaffold (components/settings_page.py): the ids the e2e tests
find, the permission gate and the pieces' accessibility attributes."""

from __future__ import annotations

import reflex as rx

from qrapp.components.settings_page import (
    checked_input,
    form_field,
    labelled_checkbox,
    settings_page,
)
from qrapp.state.domains import DomainsState as S


def test_the_gate_shows_the_sections_to_managers_and_the_named_refusal_to_others():
    out = str(
        settings_page(
            rx.text("the body", id="body"),
            id_prefix="things",
            allowed=S.can_manage,
            intro="What things are.",
            error=S.error,
            notice=S.notice,
            denied="Only owners manage things.",
        )
    )
    for id_ in ("things-error", "things-notice", "things-not-allowed", "body"):
        assert f'id:"{id_}"' in out
    assert "Only owners manage things." in out
    assert "What things are." in out
    assert 'to:"/settings"' in out  # the way back
    assert "can_manage_rx_state_" in out


def test_loaded_holds_the_refusal_back_and_dialogs_stay_outside_the_gate():
    out = str(
        settings_page(
            rx.text("the body"),
            id_prefix="keys",
            allowed=S.can_manage,
            denied=rx.text("refused", id="refused"),
            loaded=S.checking_id != "",
            back=False,
            dialogs=[rx.text("a dialog", id="dialog")],
        )
    )
    assert 'to:"/settings"' not in out
    assert "keys-not-allowed" not in out  # a component refusal keeps its own id
    assert 'id:"refused"' in out
    assert 'id:"dialog"' in out
    # The dialog is rendered after (outside) the gate's conditional.
    gate_end = out.index('"refused"')
    assert out.index('"dialog"') > gate_end
    assert out.count("checking_id_rx_state_") >= 1


def test_checked_input_points_at_its_error():
    out = str(checked_input("Domain", "d-host", S.hostname_error, name="hostname"))
    assert '"aria-describedby":"d-host-error"' in out
    assert 'id:"d-host-error"' in out
    assert "hostname_error_rx_state_" in out


def test_form_field_labels_its_control_shows_the_hint_and_points_at_its_error():
    out = str(
        form_field(
            "Issuer URL",
            "sso-issuer",
            S.hostname_error,
            S.hostname_error != "",
            control=rx.text_area,
            hint="Where your provider lives.",
            name="issuer",
        )
    )
    assert 'htmlFor:"sso-issuer"' in out
    assert 'id:"sso-issuer"' in out
    assert "TextArea" in out
    assert '"aria-describedby":"sso-issuer-error"' in out
    assert 'id:"sso-issuer-error"' in out
    assert "Where your provider lives." in out


def test_labelled_checkbox_ties_the_label_to_the_box():
    out = str(labelled_checkbox("enabled", "saml-enabled", "Enabled", True))
    assert 'id:"saml-enabled"' in out
    assert 'htmlFor:"saml-enabled"' in out
    assert 'name:"enabled"' in out
