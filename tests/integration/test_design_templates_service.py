"""Design templates: save, replace by name, one default, delete; scoped to the workspace."""

from __future__ import annotations

import pytest
from sqlmodel import select

from qrapp.db import read_session
from qrapp.models import AuditLog, DesignTemplate
from qrapp.services.codes import design_templates
from qrapp.services.errors import FieldErrors, NotFound
from tests.integration.helpers import actor, sign_up_and_session


@pytest.fixture
def people(clean_db):
    return {
        "me": actor(sign_up_and_session("me@templates.example")),
        "stranger": actor(sign_up_and_session("stranger@templates.example")),
    }


def _listed(who) -> list[tuple[str, str, bool]]:
    return [
        (t.name, t.design["foreground"], t.is_default)
        for t in design_templates.list_templates(actor=who)
    ]


def test_save_replaces_by_name_and_keeps_one_default(people):
    me = people["me"]
    first = design_templates.save_template(
        actor=me, name="  Brand   blue ", design={"foreground": "#123456"}
    )
    assert first.name == "Brand blue"
    # The stored design is complete: the defaults are filled in from the model.
    assert first.design["background"] == "#ffffff"
    assert first.design["quiet_zone"] == 4
    again = design_templates.save_template(
        actor=me, name="Brand blue", design={"foreground": "#654321"}
    )
    assert again.id == first.id
    assert _listed(me) == [("Brand blue", "#654321", False)]

    design_templates.save_template(
        actor=me, name="Autumn", design={"foreground": "#aa5500"}, make_default=True
    )
    assert _listed(me) == [("Autumn", "#aa5500", True), ("Brand blue", "#654321", False)]
    design_templates.save_template(
        actor=me, name="Brand blue", design={"foreground": "#654321"}, make_default=True
    )
    # The default comes first, and there is only one.
    assert _listed(me) == [("Brand blue", "#654321", True), ("Autumn", "#aa5500", False)]
    with read_session() as s:
        actions = s.exec(select(AuditLog.action)).all()
    assert actions.count("design_template.saved") == 4


def test_bad_names_and_designs_are_refused_and_change_nothing(people):
    me = people["me"]
    with pytest.raises(FieldErrors) as err:
        design_templates.save_template(actor=me, name="   ", design={})
    assert "template" in err.value.errors
    with pytest.raises(FieldErrors) as err:
        design_templates.save_template(actor=me, name="Odd", design={"foreground": "red-ish"})
    assert "design.foreground" in err.value.errors
    assert _listed(me) == []


def test_a_workspace_keeps_a_bounded_number_of_templates(people, monkeypatch):
    me = people["me"]
    monkeypatch.setattr(design_templates, "MAX_TEMPLATES", 2)
    for name in ("One", "Two"):
        design_templates.save_template(actor=me, name=name, design={})
    with pytest.raises(FieldErrors) as err:
        design_templates.save_template(actor=me, name="Three", design={})
    assert "up to 2 templates" in err.value.errors["template"]
    # Replacing one that exists is still allowed at the limit.
    design_templates.save_template(actor=me, name="Two", design={"foreground": "#111111"})
    assert [name for name, _fg, _d in _listed(me)] == ["One", "Two"]


def test_delete_removes_the_template(people):
    me = people["me"]
    template = design_templates.save_template(actor=me, name="Gone", design={})
    design_templates.delete_template(actor=me, template_id=template.id)
    assert _listed(me) == []
    with pytest.raises(NotFound):
        design_templates.delete_template(actor=me, template_id=template.id)


def test_another_workspace_does_not_see_or_delete_my_templates(people):
    me, stranger = people["me"], people["stranger"]
    mine = design_templates.save_template(
        actor=me, name="Brand", design={"foreground": "#123456"}, make_default=True
    )
    assert design_templates.list_templates(actor=stranger) == []
    with pytest.raises(NotFound) as err:
        design_templates.delete_template(actor=stranger, template_id=mine.id)
    assert err.value.message == NotFound("template").message
    # The same name in the stranger's workspace is a template of their own.
    theirs = design_templates.save_template(
        actor=stranger, name="Brand", design={"foreground": "#000000"}, make_default=True
    )
    assert theirs.id != mine.id
    assert _listed(me) == [("Brand", "#123456", True)]
    with read_session() as s:
        assert s.get(DesignTemplate, mine.id).workspace_id == me.workspace_id
