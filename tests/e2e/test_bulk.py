"""Bulk generation in a real browser, as a person does it: the "Bulk" menu item, a CSV with
a bad row, the mapping, the dry run that names the row, the start with the valid rows, the
progress bar moving to the end, and the ZIP from its real link: three of its PNGs decode
to the short links that manifest.csv lists, and those links lead to the rows' pages."""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect
from sqlmodel import select

from qrapp import queue
from qrapp.core.bulk.rows import JobOptions, RowInput
from qrapp.core.permissions import Role
from qrapp.db import read_session, transaction
from qrapp.models import BulkJob, Membership, User
from qrapp.services.authz import actor_for_session, actor_for_token
from qrapp.services.bulk import jobs
from qrapp.services.workspaces import workspaces
from qrapp.state.bulk import BulkState
from tests.e2e.flows import session_cookie, sign_up, signed_up_sessions
from tests.support.environment import patched_env
from tests.support.plans import give_plan
from tests.support.raw_socket import call_handler
from tests.support.waiting import eventually

PASSWORD = "bulk passphrase 2026"
ROWS = 120
BAD_ROW = 3  # data rows count from 1 under the header
# A column header the guess does not know: the person picks it for the destination.
DESTINATION_HEADER = "Where it goes"

# The worker makes a few hundred codes a minute on a busy 2-core machine.
JOB_TIMEOUT_MS = 180_000

# Every aria-valuenow the bar takes, recorded in the page as it changes: the bar is
# updated from the job row by the server, so only the page sees each step.
RECORD_PROGRESS_JS = """() => {
  window.__progress = [];
  const note = () => {
    const bar = document.querySelector('.job-row [role=progressbar]');
    if (!bar) return;
    const now = Number(bar.getAttribute('aria-valuenow'));
    const seen = window.__progress;
    if (!seen.length || seen[seen.length - 1] !== now) seen.push(now);
  };
  note();
  new MutationObserver(note).observe(document.body,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow']});
}"""


def _destination(row: int) -> str:
    return f"https://example.com/shop/item-{row}"


def _csv(path: Path) -> Path:
    lines = [["Name", DESTINATION_HEADER]]
    for row in range(1, ROWS + 1):
        url = "javascript:alert(1)" if row == BAD_ROW else _destination(row)
        lines.append([f"Item {row}", url])
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(lines)
    return path


def _decode(data: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)).convert("L"))
    assert results, "a PNG of the ZIP does not decode"
    return results[0].text


def _manifest(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    text = archive.read("manifest.csv").decode("utf-8-sig")
    return [
        {k.strip().lower(): v for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))
    ]


def _sample(page: Page) -> str:
    with page.expect_download() as info:
        page.click("#download-sample")
    return Path(info.value.path()).read_text(encoding="utf-8-sig")


def test_bulk_job_from_a_csv_with_a_bad_row_to_a_zip_that_scans(page: Page, product, tmp_path):
    sign_up(page, f"bulk-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Bea")
    # More rows and codes than the Free plan takes (its limits: billing/test_limits).
    give_plan(actor_for_token(session_cookie(page)["value"]).workspace_id, "business")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bulk").click()
    page.wait_for_url(re.compile(r"/bulk$"))
    expect(page.locator("#bulk-empty")).to_contain_text("No bulk jobs yet")

    # Upload: the page reads the file and shows its first rows.
    page.set_input_files("#bulk-upload input[type=file]", str(_csv(tmp_path / "items.csv")))
    expect(page.locator("#bulk-row-count")).to_have_text(f"{ROWS} rows")
    expect(page.locator("#bulk-preview")).to_contain_text("Item 1")

    # A sample file for each kind of job: dynamic links, then static Wi-Fi codes.
    assert _sample(page).startswith("Code name,Destination URL,")
    page.get_by_label("Kind of codes").select_option("static")
    page.get_by_label("Content type").select_option(label="Wi-Fi network")
    assert "Network name (SSID)" in _sample(page).splitlines()[0]
    page.get_by_label("Kind of codes").select_option("dynamic")

    # The mapping: "Name" is guessed, the destination column is picked by hand.
    expect(page.get_by_label("Code name")).to_have_value("0")
    destination = page.get_by_label("Destination URL (required)")
    expect(destination).to_have_value("")
    destination.select_option(label=f"{DESTINATION_HEADER} (column 2)")
    page.get_by_label("PNG size").select_option("256")

    # The dry run names the bad row; the report downloads as CSV.
    page.click("#dry-run")
    problems = page.locator("#bulk-problems .problem-row")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text(str(BAD_ROW))
    expect(page.locator("#valid-count")).to_have_text(str(ROWS - 1))
    with page.expect_download() as report_info:
        page.click("#download-report")
    report = Path(report_info.value.path()).read_text(encoding="utf-8-sig")
    assert re.search(rf"^{BAD_ROW},", report, re.M), report

    # Start with the valid rows and watch the bar from the job row to the total.
    start = page.locator("#start-job")
    expect(start).to_have_text(f"Start with {ROWS - 1} valid rows")
    start.click()
    bar = page.locator(".job-row").first.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuemax", str(ROWS - 1))
    page.evaluate(RECORD_PROGRESS_JS)
    expect(bar).to_have_attribute("aria-valuenow", str(ROWS - 1), timeout=JOB_TIMEOUT_MS)
    seen = page.evaluate("window.__progress")
    assert seen[-1] == ROWS - 1, seen
    assert len(seen) >= 2, f"the bar never moved: {seen}"
    assert seen == sorted(seen), f"the bar went backwards: {seen}"
    expect(page.locator(".job-row .job-status").first).to_have_text("Done")

    # The ZIP through its real link.
    zip_link = page.locator(".job-row .zip-link").first
    expect(zip_link).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(page.locator(".job-row .links-link").first).to_be_visible()
    with page.expect_download() as zip_info:
        zip_link.click()
    target = tmp_path / "bulk.zip"
    zip_info.value.save_as(target)
    with zipfile.ZipFile(target) as archive:
        manifest = _manifest(archive)
        assert len(manifest) == ROWS - 1
        rows = {int(m["row"]): m for m in manifest}
        assert BAD_ROW not in rows
        assert set(rows) == set(range(1, ROWS + 1)) - {BAD_ROW}
        for row in (1, 2, ROWS):
            entry = rows[row]
            assert entry["name"] == f"Item {row}"
            assert entry["destination"] == _destination(row)
            assert entry["file"].endswith(".png")
            short_url = _decode(archive.read(entry["file"]))
            assert short_url == entry["short_url"]
            answer = httpx.get(short_url, follow_redirects=False, timeout=10)
            assert answer.status_code == 302
            assert answer.headers["location"] == _destination(row)


def _job_for(product, owner_token: str, rows: int, aliases: dict[int, str] | None = None):
    """A job started through the service, as the owner, on the product's own broker (the
    test process would otherwise enqueue on its default one, which no worker reads)."""
    owner = actor_for_token(owner_token)
    aliases = aliases or {}
    made = [
        RowInput(
            row=n,
            name=f"Poster {n}",
            payload={},
            destination=_destination(n),
            alias=aliases.get(n, ""),
            tags=(),
            folder="",
        )
        for n in range(1, rows + 1)
    ]
    options = JobOptions(content_type="url", dynamic=True, template_id=None, png_size=256)
    broker = {"CELERY_BROKER_URL": product["env"]["CELERY_BROKER_URL"]}
    with patched_env(broker, also_reset=queue.celery_app.cache_clear):
        return jobs.start_job(
            actor=owner,
            workspace_id=owner.workspace_id,
            options=options,
            rows=made,
            filename="posters.csv",
        )


def test_a_viewer_sees_the_jobs_but_its_handlers_refuse_and_other_workspaces_see_nothing(
    browser, product
):
    names = ("owner", "viewer", "stranger")
    tag, cookies = signed_up_sessions(browser, product["url"], names, PASSWORD)
    with transaction() as tx:
        viewer = tx.session.exec(
            select(User).where(User.email == f"viewer-{tag}@example.com")
        ).one()
        ws_id = actor_for_session(tx.session, cookies["owner"]).workspace_id
        tx.session.add(Membership(workspace_id=ws_id, user_id=viewer.id, role=Role.VIEWER.value))
    workspaces.switch(actor=actor_for_token(cookies["viewer"]), workspace_id=ws_id)
    give_plan(ws_id, "business")  # more rows than the Free plan takes
    # Still running when the owner cancels it: a quiet machine makes 3,000 codes in 5 s.
    job = _job_for(product, cookies["owner"], 30_000)

    # The viewer's page lists the job and offers no upload, start or cancel.
    ctx = browser.new_context(base_url=product["url"])
    ctx.add_cookies([{"name": "qrapp_session", "value": cookies["viewer"], "url": product["url"]}])
    pg = ctx.new_page()
    pg.goto("/bulk")
    expect(pg.locator(".job-row")).to_have_count(1)
    expect(pg.locator(".job-row")).to_contain_text("posters 20")
    expect(pg.get_by_text("can see bulk jobs but not start them")).to_be_visible()
    expect(pg.locator("#bulk-upload")).to_have_count(0)
    expect(pg.locator(".job-cancel")).to_have_count(0)
    ctx.close()

    # Called as a script would: the viewer is refused, a stranger finds no such job.
    state = BulkState.get_full_name()
    replies = call_handler(
        product["url"], cookies["viewer"], f"{state}.cancel", {"job_id": str(job.id)}, "/bulk"
    )
    replies += call_handler(product["url"], cookies["viewer"], f"{state}.start", {}, "/bulk")
    assert "does not allow that" in str(replies)
    foreign = call_handler(
        product["url"], cookies["stranger"], f"{state}.cancel", {"job_id": str(job.id)}, "/bulk"
    )
    assert "does not exist" in str(foreign)
    listed = call_handler(product["url"], cookies["stranger"], f"{state}.load", {}, "/bulk")
    assert "posters 20" not in str(listed)
    with read_session() as s:
        assert s.get(BulkJob, job.id).status != "cancelled"

    # The owner cancels it on the page; it stops short of its total.
    ctx = browser.new_context(base_url=product["url"])
    ctx.add_cookies([{"name": "qrapp_session", "value": cookies["owner"], "url": product["url"]}])
    pg = ctx.new_page()
    pg.goto("/bulk")
    pg.locator(".job-row .job-cancel").click()
    expect(pg.locator(".job-row .job-status")).to_have_text("Cancelled")
    expect(pg.locator(".job-row .job-cancel")).to_have_count(0)
    ctx.close()
    with read_session() as s:
        stopped = s.get(BulkJob, job.id)
    assert stopped.status == "cancelled"
    assert stopped.processed < stopped.total


@pytest.mark.embedded_only
def test_a_job_started_elsewhere_shows_up_and_runs_on_an_open_page(page: Page, product):
    """Started from another tab, the CLI or by a colleague: the open /bulk page lists it
    and follows it to the end without a reload."""
    sign_up(page, f"bulk-else-{uuid.uuid4().hex[:8]}@example.com", PASSWORD, "Eli")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bulk").click()
    page.wait_for_url(re.compile(r"/bulk$"))
    expect(page.locator("#bulk-empty")).to_contain_text("No bulk jobs yet")
    page.evaluate("window.__not_reloaded = true")

    job = _job_for(product, session_cookie(page)["value"], 3)
    row = page.locator(".job-row")
    expect(row).to_have_count(1, timeout=20_000)
    expect(row).to_contain_text("posters")
    expect(row.locator(".job-status")).to_have_text("Done", timeout=JOB_TIMEOUT_MS)
    assert page.evaluate("window.__not_reloaded === true")  # the same page all along
    assert _ended(job.id).status == "done"


def _ended(job_id) -> BulkJob:
    def check():
        with read_session() as s:
            job = s.get(BulkJob, job_id)
        return job if job is not None and job.status not in ("queued", "running") else None

    return eventually(check, timeout=JOB_TIMEOUT_MS / 1000, interval=0.5)


def test_failed_rows_show_why_and_are_retried_from_the_corrected_file(
    page: Page, product, tmp_path
):
    """A row fails in the worker (its alias was taken after the dry run): the job card says
    why; the person uploads the corrected file and retries, and the job ends complete."""
    tag = uuid.uuid4().hex[:8]
    sign_up(page, f"retry-{tag}@example.com", PASSWORD, "Rui")
    token = session_cookie(page)["value"]
    held, free = f"held-{tag}", f"free-{tag}"
    _ended(_job_for(product, token, 1, {1: held}).id)
    job = _job_for(product, token, 3, {2: held})
    assert _ended(job.id).failed == 1

    page.goto("/bulk")
    card = page.locator(".job-row").first
    expect(card).to_contain_text("2 of 3 codes made, 1 failed")
    card.get_by_text("Why rows failed").click()
    expect(card).to_contain_text("already taken")

    fixed = tmp_path / "fixed.csv"
    fixed.write_text(
        "Name,URL,Alias\n"
        + "".join(f"Poster {n},{_destination(n)},{free if n == 2 else ''}\n" for n in (1, 2, 3))
    )
    page.set_input_files("#bulk-upload input[type=file]", str(fixed))
    expect(page.locator("#bulk-row-count")).to_have_text("3 rows")
    expect(page.get_by_label("Short link alias")).to_have_value("2")
    card.locator(".job-retry").click()
    expect(card.locator(".job-status")).to_have_text("Done", timeout=JOB_TIMEOUT_MS)
    expect(card).to_contain_text("3 of 3 codes made")
    expect(card.locator(".job-retry")).to_have_count(0)
    assert _ended(job.id).failed == 0
