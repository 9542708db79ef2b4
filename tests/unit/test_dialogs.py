"""The shared parts of the form dialogs (components/dialogs.py)."""

from __future__ import annotations

from qrapp.components.dialogs import dialog_actions, form_error
from qrapp.state.page_list import PageListState


def test_dialog_actions_cancel_never_submits_and_the_submit_is_named():
    out = str(dialog_actions("Create page", submit_id="create-page"))
    # Cancel closes the dialog and is type=button (a button's default type submits).
    assert 'RadixThemesDialog.Close,{},jsx(RadixThemesButton,{color:"gray",type:"button"' in out
    assert '{id:"create-page",ref:ref_create_page,type:"submit"},"Create page")' in out


def test_form_error_is_an_alert_shown_only_with_a_message():
    out = str(form_error(PageListState.new_error, id="x-error"))
    assert 'id:"x-error"' in out
    assert 'role:"alert"' in out
    assert 'new_error_rx_state_?.valueOf?.() === ""' in out  # hidden while it is empty
