"""One code's page: preview, downloads, short link, quick stats, destination, validity,
pause/archive, duplicate and delete."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import routes
from qrapp.core.payloads import type_list
from qrapp.core.permissions import Permission
from qrapp.services.billing import entitlements, pause_notice, read_only
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.codes import code_stats, qrcodes
from qrapp.services.errors import FieldErrors, NotSignedIn, ServiceError
from qrapp.settings import get_settings
from qrapp.state.base import client_ip, code_id_from_path, load_actor
from qrapp.state.designer_focus import focus_when_shown
from qrapp.state.previews import preview

_TYPE_LABELS = {"url": "Website", **dict(type_list())}


def _local_input(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%dT%H:%M") if value else ""


def _parse_local(value: str, field: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FieldErrors({field: "Use a date and time like 2026-12-24 18:00."}) from None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed


PREVIEW_SIZE = 480

DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


class ContentRow(TypedDict):
    label: str
    value: str


class DayRow(TypedDict):
    day: str
    name: str
    open: bool
    start: str
    end: str


def _day_rows(schedule: dict | None) -> list[DayRow]:
    days = (schedule or {}).get("days", {})
    rows = []
    for day, name in DAY_NAMES.items():
        windows = days.get(day) or []
        start, end = windows[0] if windows else ["09:00", "17:00"]
        rows.append(
            DayRow(day=day, name=name, open=bool(windows) or not schedule, start=start, end=end)
        )
    return rows


class CodeDetailState(rx.State):
    found: bool = False
    # True from the first load until a code arrives, and while another code loads.
    loading: bool = True
    code_id: str = ""
    name: str = ""
    type_label: str = ""
    is_dynamic: bool = False
    short_url: str = ""
    destination: str = ""
    status: str = ""
    # Paused by billing (the paid plan expired): the callout with the date it ended.
    billing_paused: bool = False
    plan_ended_on: str = ""
    can_pay: bool = False
    read_only: str = ""  # why the plan makes this code read-only, or ""
    plan_limit: str = ""  # a duplicate or un-archive the plan refused: with a plans link
    created: str = ""
    tags: list[str] = []
    preview_src: str = ""
    verdict_level: str = ""
    verdict_reasons: list[str] = []
    today: int = 0
    week: int = 0
    total: int = 0
    can_edit: bool = False
    new_destination: str = ""
    destination_error: str = ""
    destination_notice: str = ""  # the confirmation of the last change, focused when shown
    confirm_delete: bool = False
    download_format: str = "png"
    download_size: str = "1024"
    # validity
    starts_at: str = ""
    ends_at: str = ""
    max_scans: str = ""
    one_scan_per_visitor: bool = False
    fallback_url: str = ""
    validity_errors: dict[str, str] = {}
    schedule_on: bool = False
    schedule_tz: str = "UTC"
    schedule_days: list[DayRow] = []
    # --- content and UTM (issue 16 item 14) ---
    content_rows: list[ContentRow] = []
    encoded_text: str = ""
    utm: dict[str, str] = {}
    utm_errors: dict[str, str] = {}

    @rx.var
    def download_href(self) -> str:
        base = get_settings().public_api_url
        fmt = (
            self.download_format if self.download_format in ("png", "svg", "pdf", "eps") else "png"
        )
        size = self.download_size if self.download_size.isdigit() else "1024"
        return f"{base}{routes.code_download(self.code_id)}?format={fmt}&size={size}&dpi=300"

    def _id(self) -> uuid.UUID:
        return code_id_from_path(self)

    @rx.event
    async def load(self):
        self.confirm_delete = False
        self.destination_error = self.destination_notice = ""
        self.validity_errors = {}
        self.plan_limit = ""
        try:
            requested = str(self._id())
        except ValueError:
            requested = ""
        if requested != self.code_id:
            # Another code than the one on screen: grey blocks until it arrives, never the
            # previous code's name and numbers under the new address.
            self.loading = True
            yield
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            code = await asyncio.to_thread(
                qrcodes.get_code_or_raise, actor=actor, code_id=self._id()
            )
            stats = await asyncio.to_thread(code_stats.quick_stats, actor=actor, code_id=code.id)
        except NotSignedIn:
            # The page's guard already sent the browser to the login page with next=.
            return
        except (ValueError, ServiceError):
            self.found, self.loading, self.code_id = False, False, ""
            return
        self.found, self.loading = True, False
        self.can_edit = actor.can(Permission.CODES_EDIT)
        self.code_id, self.name = str(code.id), code.name
        self.type_label = (
            "Dynamic URL" if code.is_dynamic else _TYPE_LABELS.get(code.content_type, "")
        )
        self.is_dynamic = code.is_dynamic
        self.short_url = qrcodes.short_url(code) if code.is_dynamic else ""
        self.destination = self.new_destination = code.destination
        self.status = code.status
        self.billing_paused = code.billing_paused_at is not None
        self.can_pay = actor.can(Permission.BILLING_VIEW)
        if self.billing_paused:
            notice = await asyncio.to_thread(pause_notice.workspace_notice, actor=actor)
            self.plan_ended_on = notice.plan_ended_on
        self.read_only = await asyncio.to_thread(
            read_only.reason_for,
            actor=actor,
            resource=entitlements.code_resource(code.is_dynamic),
            item_id=code.id,
        )
        self.created = code.created_at.strftime("%Y-%m-%d")
        self.tags = list(code.tags)
        self.today, self.week, self.total = stats.today, stats.last_7_days, stats.total
        self.starts_at, self.ends_at = _local_input(code.starts_at), _local_input(code.ends_at)
        self.max_scans = str(code.max_scans or "")
        self.one_scan_per_visitor = code.one_scan_per_visitor
        self.fallback_url = code.fallback_url
        self.schedule_on = bool(code.schedule)
        self.schedule_tz = (code.schedule or {}).get("timezone", "UTC")
        self.schedule_days = _day_rows(code.schedule)
        self._load_content(code)
        uri, level, reasons = await asyncio.to_thread(
            preview, qrcodes.code_text(code), code.design, PREVIEW_SIZE
        )
        self.preview_src, self.verdict_level, self.verdict_reasons = uri, level, reasons

    @rx.event
    def set_new_destination(self, value: str):
        self.new_destination = str(value)[:4096]
        self.destination_error = self.destination_notice = ""

    @rx.event
    def set_download_format(self, value: str):
        self.download_format = str(value)[:4]

    @rx.event
    def set_download_size(self, value: str):
        self.download_size = str(value)[:5]

    @rx.event
    async def save_destination(self):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            code = await asyncio.to_thread(
                qrcodes.change_destination,
                actor=actor,
                code_id=self._id(),
                destination=self.new_destination,
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.destination_notice = ""
            self.destination_error = exc.errors.get("destination", exc.message)
            return
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        self.destination = self.new_destination = code.destination
        # Shown under the field and focused (not a toast): a keyboard or screen reader
        # user hears the result where they are.
        self.destination_notice = "Destination changed. The next scan goes there."
        return focus_when_shown("#destination-saved")

    @rx.event
    async def set_status(self, status: str):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            code = await asyncio.to_thread(
                qrcodes.set_status,
                actor=actor,
                code_id=self._id(),
                status=str(status),
                ip=client_ip(self),
            )
        except PlanLimitReached as exc:
            self.plan_limit = exc.message
            return None
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        self.status = code.status
        return rx.toast.success(f"The code is now {code.status}.")

    @rx.event
    async def duplicate(self):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            copy = await asyncio.to_thread(
                qrcodes.duplicate, actor=actor, code_id=self._id(), ip=client_ip(self)
            )
        except PlanLimitReached as exc:
            self.plan_limit = exc.message
            return None
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        return rx.redirect(routes.code_page(copy.id))

    @rx.event
    def ask_delete(self, value: bool = True):
        self.confirm_delete = bool(value)

    @rx.event
    async def delete(self):
        self.confirm_delete = False
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                qrcodes.delete, actor=actor, code_id=self._id(), ip=client_ip(self)
            )
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        return [rx.toast.success("Code deleted."), rx.redirect(routes.CODES)]

    def _schedule(self) -> dict | None:
        if not self.schedule_on:
            return None
        return {
            "timezone": self.schedule_tz or "UTC",
            "days": {r["day"]: [[r["start"], r["end"]]] for r in self.schedule_days if r["open"]},
        }

    @rx.event
    def set_schedule_on(self, value: bool):
        self.schedule_on = bool(value)

    @rx.event
    def set_schedule_tz(self, value: str):
        self.schedule_tz = str(value)[:64]

    @rx.event
    def set_day(self, index: int, key: str, value: str | bool):
        if key not in ("open", "start", "end") or not 0 <= int(index) < len(self.schedule_days):
            return
        row = dict(self.schedule_days[int(index)])
        row[key] = bool(value) if key == "open" else str(value)[:5]
        self.schedule_days[int(index)] = DayRow(**row)

    @rx.event
    async def save_validity(self, form: dict):
        self.validity_errors = {}
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            raw_max = str(form.get("max_scans", "")).strip()
            if raw_max and not raw_max.isdigit():
                raise FieldErrors({"max_scans": "Use a whole number, or leave it empty."})
            code = await asyncio.to_thread(
                qrcodes.set_validity,
                actor=actor,
                code_id=self._id(),
                starts_at=_parse_local(str(form.get("starts_at", ""))[:40], "starts_at"),
                ends_at=_parse_local(str(form.get("ends_at", ""))[:40], "ends_at"),
                max_scans=int(raw_max) if raw_max else None,
                one_scan_per_visitor=form.get("one_scan_per_visitor") in ("on", True, "true"),
                fallback_url=str(form.get("fallback_url", ""))[:4096],
                schedule=self._schedule(),
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.validity_errors = exc.errors
            return
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        self.starts_at, self.ends_at = _local_input(code.starts_at), _local_input(code.ends_at)
        self.max_scans = str(code.max_scans or "")
        self.one_scan_per_visitor = code.one_scan_per_visitor
        self.fallback_url = code.fallback_url
        return rx.toast.success("Scan limits saved.")

    # --- content and UTM (issue 16 item 14) ------------------------------------------

    def _load_content(self, code) -> None:
        self.content_rows = [
            ContentRow(label=label, value=value) for label, value in qrcodes.content_fields(code)
        ]
        self.encoded_text = qrcodes.encoded_for_display(code)
        self.utm = {key: (code.utm or {}).get(key, "") for key in qrcodes.UTM_KEYS}
        self.utm_errors = {}

    @rx.var
    def utm_preview(self) -> str:
        """The final URL a scan goes to with the UTM fields as typed (before saving)."""
        typed = {k: " ".join(v.split()) for k, v in self.utm.items() if k in qrcodes.UTM_KEYS}
        return qrcodes.utm_preview(self.destination, typed)

    @rx.event
    def set_utm_field(self, key: str, value: str):
        key = str(key)
        if key not in qrcodes.UTM_KEYS:
            return
        self.utm = {**self.utm, key: str(value)[: qrcodes.UTM_MAX + 50]}
        self.utm_errors = {k: v for k, v in self.utm_errors.items() if k != key}

    @rx.event
    async def save_utm(self):
        self.utm_errors = {}
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            code = await asyncio.to_thread(
                qrcodes.set_utm,
                actor=actor,
                code_id=self._id(),
                utm={k: v for k, v in self.utm.items() if k in qrcodes.UTM_KEYS},
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.utm_errors = exc.errors
            return
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        self.utm = {key: code.utm.get(key, "") for key in qrcodes.UTM_KEYS}
        return rx.toast.success("UTM parameters saved. The next scan carries them.")
