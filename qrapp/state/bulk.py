"""The /bulk page: the new-job form (state/bulk_form.py), starting a job with the dry run's
valid rows, the job list, and a background task that follows running jobs (every second)
and the whole list (every few seconds: jobs started elsewhere) while the page is open.

The BulkJob row in the database is the source of truth (the worker updates it); the page
reads it through services.bulk.jobs.job_view about once a second while a job of the
workspace is active and the tab is open on this page. The task ends when no job is active
any more, the tab closes or leaves the page (on_unmount), or the session loses access.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid

import reflex as rx

from qrapp.core.bulk.reading import BulkFileError
from qrapp.core.permissions import Permission
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.bulk import jobs, spool
from qrapp.services.errors import NotSignedIn, ServiceError
from qrapp.state.base import load_actor
from qrapp.state.bulk_form import BulkFormMixin, message_of
from qrapp.state.bulk_views import JobRow, job_row
from qrapp.state.connection import connected

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# The whole list is read again this often, so a job started elsewhere (another tab, the
# CLI, a colleague) shows up on an open page without a reload.
LIST_SECONDS = 5.0
_WATCH_MAX_SECONDS = 6 * 3600
_AUTH_RECHECK_SECONDS = 60.0
_JOBS_WITH_PROBLEMS = 5
# client token -> run id of the task following this tab's jobs in this process
_WATCH: dict[str, str] = {}


def _links(actor, view) -> tuple[str, str]:
    if not view.has_zip:
        return "", ""
    try:
        return (
            jobs.download_link(actor=actor, job_id=view.id, kind="zip"),
            jobs.download_link(actor=actor, job_id=view.id, kind="links"),
        )
    except ServiceError:
        return "", ""


def _rows(actor, views) -> list[JobRow]:
    """The list's rows; the newest jobs with failed rows also show why (job_view)."""
    rows = []
    for index, view in enumerate(views):
        if view.failed and not view.problems and index < _JOBS_WITH_PROBLEMS:
            # deleted meanwhile: its list entry stays as it was
            with contextlib.suppress(ServiceError):
                view = jobs.job_view(actor=actor, job_id=view.id)
        zip_href, links_href = _links(actor, view)
        rows.append(job_row(view, zip_href=zip_href, links_href=links_href))
    return rows


def _job_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


class BulkState(BulkFormMixin, rx.State):
    loaded: bool = False
    can_run: bool = False
    jobs: list[JobRow] = []
    start_error: str = ""
    plan_limit: str = ""  # the plan refused the job: shown with a link to the plans
    starting: bool = False
    watching: bool = False

    @rx.var
    def has_jobs(self) -> bool:
        return len(self.jobs) > 0

    @rx.event
    async def load(self):
        """on_load: the form's choices and the job list; follows active jobs."""
        self.start_error = ""
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            await self._load_form(actor)
            rows = await asyncio.to_thread(_all_rows, actor)
        except NotSignedIn:
            return
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.can_run = actor.can(Permission.BULK_RUN)
        self.jobs = rows
        self.loaded = True
        return BulkState.watch_jobs

    # --- starting ---------------------------------------------------------------------

    @rx.event
    async def start(self):
        try:
            actor = await load_actor(self, Permission.BULK_RUN)
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        if self.starting:
            return
        self.starting, self.start_error, self.plan_limit = True, "", ""
        yield
        try:
            # The rows are validated again from the file: what starts is exactly what
            # the rules accept now, whatever the browser sent or the report showed.
            report = await self._dry_run(actor)
            if not report.valid:
                raise ServiceError("No row is valid: fix the file and upload it again.")
            upload = await asyncio.to_thread(spool.load_upload, actor=actor, key=self._spool_key)
            await asyncio.to_thread(
                jobs.start_job,
                actor=actor,
                workspace_id=actor.workspace_id,
                options=self._options(),
                rows=list(report.valid),
                filename=upload.filename,
            )
            rows = await asyncio.to_thread(_all_rows, actor)
        except PlanLimitReached as exc:
            self.plan_limit = exc.message
            return
        except (ServiceError, BulkFileError) as exc:
            self.start_error = message_of(exc)
            return
        finally:
            self.starting = False
        self.jobs = rows
        # The file has done its work: a retry takes the corrected file, uploaded anew.
        with contextlib.suppress(ServiceError):
            await asyncio.to_thread(spool.discard, actor=actor, key=self._spool_key)
        self._clear_file()
        yield rx.toast.success("The job has started. Its progress shows below.")
        yield BulkState.watch_jobs

    # --- the job list -----------------------------------------------------------------

    @rx.event
    async def cancel(self, job_id: str):
        ident = _job_id(job_id)
        try:
            actor = await load_actor(self, Permission.BULK_RUN)
            if ident is None:
                raise ServiceError("That job does not exist.")
            await asyncio.to_thread(jobs.cancel_job, actor=actor, job_id=ident)
            await self._refresh(actor)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        return BulkState.watch_jobs

    @rx.event
    async def retry(self, job_id: str):
        """Retry a job's failed rows with the rows of the file now uploaded and mapped (the
        corrected file), or as they were when no file is uploaded."""
        ident = _job_id(job_id)
        try:
            actor = await load_actor(self, Permission.BULK_RUN)
            if ident is None:
                raise ServiceError("That job does not exist.")
            rows = list((await self._dry_run(actor)).valid) if self._spool_key else []
            await asyncio.to_thread(jobs.retry_failed, actor=actor, job_id=ident, rows=rows)
            await self._refresh(actor)
        except (ServiceError, BulkFileError) as exc:
            yield rx.toast.error(message_of(exc))
            return
        yield rx.toast.success("The failed rows are being made again.")
        yield BulkState.watch_jobs

    async def _refresh(self, actor) -> None:
        self.jobs = await asyncio.to_thread(_all_rows, actor)

    # --- following active jobs --------------------------------------------------------

    @rx.event(background=True)
    async def watch_jobs(self):
        token = self.router.session.client_token
        run_id = uuid.uuid4().hex
        # The newest start wins: an earlier task of this tab sees it is no longer the
        # tab's and ends without touching the state, so two never update one list.
        _WATCH[token] = run_id
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
        except ServiceError:
            if _WATCH.get(token) == run_id:
                _WATCH.pop(token, None)
            return
        started = last_auth = last_list = time.monotonic()
        try:
            async with self:
                self.watching = True
            while _WATCH.get(token) == run_id and connected(token):
                now = time.monotonic()
                if now - started > _WATCH_MAX_SECONDS:
                    break
                if now - last_auth > _AUTH_RECHECK_SECONDS:
                    actor = await load_actor(self, Permission.WORKSPACE_VIEW)
                    last_auth = now
                async with self:
                    active = [r["id"] for r in self.jobs if r["active"]]
                if now - last_list >= LIST_SECONDS:
                    # Every job of the workspace, new ones included.
                    rows = await asyncio.to_thread(_all_rows, actor)
                    last_list = now
                elif active:  # between list reads, only the running jobs' rows
                    fresh = await asyncio.to_thread(_fresh_rows, actor, active)
                    async with self:
                        rows = [fresh.get(r["id"], r) for r in self.jobs]
                else:
                    rows = None
                if rows is not None:
                    async with self:
                        if _WATCH.get(token) != run_id:
                            break
                        self.jobs = rows
                await asyncio.sleep(POLL_SECONDS)
        except ServiceError:
            pass  # signed out or access removed: stop quietly
        except Exception:
            log.exception("bulk progress task failed")
        finally:
            if _WATCH.get(token) == run_id:
                _WATCH.pop(token, None)
                if connected(token):
                    async with self:
                        self.watching = False

    @rx.event
    def stop_watching(self):
        """on_unmount: the tab left the page."""
        _WATCH.pop(self.router.session.client_token, None)
        self.watching = False


def _all_rows(actor) -> list[JobRow]:
    """Every job of the actor's workspace as the list shows it (one thread hop)."""
    return _rows(actor, jobs.list_jobs(actor=actor, workspace_id=actor.workspace_id))


def _fresh_rows(actor, job_ids: list[str]) -> dict[str, JobRow]:
    """The current rows of these jobs; a job deleted meanwhile keeps its last row."""
    fresh = {}
    for job_id in job_ids:
        ident = _job_id(job_id)
        if ident is None:
            continue
        try:
            view = jobs.job_view(actor=actor, job_id=ident)
        except ServiceError as exc:
            if isinstance(exc, NotSignedIn):
                raise
            continue
        zip_href, links_href = _links(actor, view)
        fresh[job_id] = job_row(view, zip_href=zip_href, links_href=links_href)
    return fresh
