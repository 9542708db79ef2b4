"""The bulk dry run: every row checked with the designer's rules, aliases unique in the
file and against the database, a scannability verdict, the actor's rights and workspace."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import func, select

from qrapp.core.bulk.rows import JobOptions
from qrapp.core.permissions import Role
from qrapp.db import read_session
from qrapp.models import QRCode
from qrapp.services.bulk.dry_run import dry_run, report_csv
from qrapp.services.codes import design_templates, qrcodes
from qrapp.services.codes.qrcodes import CodeInput
from qrapp.services.errors import FieldErrors, NotFound, PermissionDenied
from qrapp.services.workspaces import workspaces
from tests.integration.helpers import actor, add_member, sign_up_and_session, team_workspace

DYNAMIC = JobOptions(content_type="url", dynamic=True, template_id=None)
URL_MAPPING = {"name": 0, "url": 1, "alias": 2}


@pytest.fixture
def people(clean_db):
    ws = team_workspace("Printers")
    out = {"workspace_id": ws.id}
    for role in (Role.EDITOR, Role.VIEWER):
        token = sign_up_and_session(f"{role.value}@bulk.example")
        add_member(ws.id, actor(token).user_id, role)
        workspaces.switch(actor=actor(token), workspace_id=ws.id)
        out[role.value] = actor(token)
    out["stranger"] = actor(sign_up_and_session("someone@elsewhere.example"))
    return out


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _run(people, data: bytes, mapping=None, options=DYNAMIC, who="editor", filename="a.csv"):
    return dry_run(
        actor=people[who],
        workspace_id=people["workspace_id"],
        data=data,
        filename=filename,
        mapping=URL_MAPPING if mapping is None else mapping,
        options=options,
    )


def _codes() -> int:
    with read_session() as s:
        return s.exec(select(func.count()).select_from(QRCode)).one()


def test_javascript_urls_get_a_row_message_and_the_rest_stay_valid(people):
    data = _csv(
        [
            ["Name", "URL", "Alias"],
            ["Good", "https://example.com/a", ""],
            ["Evil", "javascript:alert(document.cookie)", ""],
            ["Sneaky", "java\tscript:alert(1)", ""],
            ["Bare", "example.com/b", ""],
        ]
    )
    report = _run(people, data)
    assert report.total == 4
    assert [(r.row, r.destination) for r in report.valid] == [
        (1, "https://example.com/a"),
        (4, "https://example.com/b"),
    ]
    assert [(p.row, p.field) for p in report.problems] == [(2, "url"), (3, "url")]
    assert all("http" in p.message for p in report.problems)
    assert report.template_verdict.startswith("ok")
    assert _codes() == 0  # a dry run makes nothing


def test_static_url_content_refuses_javascript_too(people):
    data = _csv([["Name", "Link"], ["A", "javascript:alert(1)"], ["B", "https://example.com"]])
    options = JobOptions(content_type="url", dynamic=False, template_id=None)
    report = _run(people, data, mapping={"name": 0, "payload.url": 1}, options=options)
    assert [p.row for p in report.problems] == [1]
    assert report.problems[0].field == "payload.url"
    assert report.valid[0].payload == {"url": "https://example.com"}


def test_duplicate_aliases_in_the_file_and_in_the_database(people):
    qrcodes.create(
        actor=people["editor"],
        data=CodeInput(name="Existing", destination="https://example.com", alias="taken-one"),
    )
    data = _csv(
        [
            ["Name", "URL", "Alias"],
            ["One", "https://example.com/1", "spring-1"],
            ["Two", "https://example.com/2", "spring-1"],
            ["Three", "https://example.com/3", "taken-one"],
            ["Four", "https://example.com/4", "ok-alias"],
            ["Five", "https://example.com/5", "admin"],
        ]
    )
    report = _run(people, data)
    messages = {p.row: (p.field, p.message) for p in report.problems}
    assert messages[2] == ("alias", "'spring-1' is also on row 1; aliases must be unique.")
    assert messages[3] == ("alias", "'taken-one' is already taken.")
    assert messages[5][0] == "alias"
    assert "reserved" in messages[5][1]
    assert [r.alias for r in report.valid] == ["spring-1", "ok-alias"]
    assert _codes() == 1


def test_emoji_and_right_to_left_names_are_kept(people):
    data = _csv(
        [
            ["Name", "URL", "Alias"],
            ["Café ☕ menu 🍰", "https://example.com/cafe", ""],
            ["مقهى الصباح", "https://example.com/ar", ""],
            ["שלום", "https://example.com/he", ""],
        ]
    )
    report = _run(people, data)
    assert report.problems == []
    assert [r.name for r in report.valid] == ["Café ☕ menu 🍰", "مقهى الصباح", "שלום"]
    text = report_csv(report).decode("utf-8-sig")
    assert text.splitlines()[0] == "row,field,message"


def test_static_wifi_rows_and_design_overrides(people):
    data = _csv(
        [
            ["Name", "SSID", "Password", "FG", "Caption"],
            ["Guest", "Cafe Guest", "coffee-and-cake", "#1a237e", "WIFI"],
            ["Short", "Cafe", "short", "", ""],
            ["Pale", "Cafe Pale", "long-enough-pass", "#eeeeee", ""],
            ["Bad colour", "Cafe 2", "long-enough-pass", "navy", ""],
        ]
    )
    options = JobOptions(content_type="wifi", dynamic=False, template_id=None)
    mapping = {"name": 0, "payload.ssid": 1, "payload.password": 2, "fg": 3, "caption": 4}
    report = _run(people, data, mapping=mapping, options=options)
    problems = {(p.row, p.field) for p in report.problems}
    assert (2, "payload.password") in problems
    assert (4, "fg") in problems
    # A foreground too pale to scan fails the contrast check of the row's own design.
    assert (3, "fg") in problems
    guest = report.valid[0]
    assert guest.row == 1
    assert guest.payload["ssid"] == "Cafe Guest"
    assert guest.design == {"foreground": "#1a237e", "frame": {"text": "WIFI"}}
    assert any(v.row == 1 for v in report.dense_verdicts)


def test_the_report_csv_neutralises_formulas(people):
    data = _csv([["Name", "URL", "Alias"], ['=HYPERLINK("x")', "javascript:x", "@bad"]])
    report = _run(people, data)
    rows = list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))
    assert rows[0] == ["row", "field", "message"]
    assert rows[1][1] == "Template"
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert any(row[0] == "1" and row[1] == "Short link alias" for row in rows)


def test_a_viewer_is_refused(people):
    data = _csv([["Name", "URL", "Alias"], ["A", "https://example.com", ""]])
    with pytest.raises(PermissionDenied):
        _run(people, data, who="viewer")


def test_another_workspace_and_its_template_are_refused(people):
    data = _csv([["Name", "URL", "Alias"], ["A", "https://example.com", ""]])
    theirs = design_templates.save_template(
        actor=people["stranger"], name="Theirs", design={"foreground": "#112233"}
    )
    options = JobOptions(content_type="url", dynamic=True, template_id=str(theirs.id))
    with pytest.raises(NotFound):
        _run(people, data, options=options)
    # Acting in their own workspace while naming ours is refused as well.
    with pytest.raises(NotFound):
        _run(people, data, who="stranger")
    mine = design_templates.save_template(
        actor=people["editor"], name="Mine", design={"foreground": "#112233"}
    )
    options = JobOptions(content_type="url", dynamic=True, template_id=str(mine.id))
    assert _run(people, data, options=options).template_verdict.startswith("ok")


def test_unusable_files_and_mappings_are_refused_with_a_message(people):
    with pytest.raises(FieldErrors) as empty:
        _run(people, b"Name,URL,Alias\n")
    assert "no rows" in empty.value.errors["file"]
    data = _csv([["Name", "URL"], ["A", "https://example.com"]])
    with pytest.raises(FieldErrors) as unmapped:
        _run(people, data, mapping={"name": 0})
    assert unmapped.value.errors == {"url": "Choose the column that holds Destination URL."}
    with pytest.raises(FieldErrors) as outside:
        _run(people, data, mapping={"name": 0, "url": 5})
    assert "url" in outside.value.errors


def test_taken_aliases_are_found_past_the_first_query_chunk(people):
    qrcodes.create(
        actor=people["editor"],
        data=CodeInput(name="Existing", destination="https://example.com", alias="code-1100"),
    )
    rows = [["Name", "URL", "Alias"]]
    rows += [[f"Code {i}", f"https://example.com/{i}", f"code-{i}"] for i in range(1, 1201)]
    report = _run(people, _csv(rows))
    assert [(p.row, p.message) for p in report.problems] == [
        (1100, "'code-1100' is already taken.")
    ]
    assert len(report.valid) == 1199


def test_a_static_job_has_no_aliases(people):
    data = _csv([["Name", "Text", "Alias"], ["A", "Hello", "hello-1"]])
    options = JobOptions(content_type="text", dynamic=False, template_id=None)
    with pytest.raises(FieldErrors) as error:
        _run(people, data, mapping={"name": 0, "payload.text": 1, "alias": 2}, options=options)
    assert error.value.errors == {"alias": "This field is not part of this kind of code."}
