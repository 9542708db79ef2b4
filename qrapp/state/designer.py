"""The QR designer: content form, design panel, live preview with a scannability verdict,
and saving. Used to create a code (/codes/new) and to edit one (/codes/[id]/edit).

The design panel's fields and handlers live in state/designer_form.py and the workspace
templates in state/designer_templates.py, as mixins of the one DesignerState (one state,
so every handler sees the whole form and the browser's event names stay the same).

Rendering happens on the server in a thread; a sequence number drops previews that a
newer change has already overtaken.

Over 400 lines: choosing the type, the content form, its checks, the preview and saving
read and write the same form, so they stay on the one state; what could leave it has
(the design panel, templates and uploads as mixins, field specs in designer_cards.py).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import reflex as rx

from qrapp.core import routes
from qrapp.core.payloads import PayloadError, fields, parse
from qrapp.core.permissions import Permission
from qrapp.core.shortcodes import DEFAULT_LENGTH
from qrapp.services.billing.entitlements import PlanLimitReached
from qrapp.services.codes import qrcodes
from qrapp.services.content import content_codes
from qrapp.services.domains import live as live_domains
from qrapp.services.errors import FieldErrors, NotSignedIn, ServiceError
from qrapp.settings import get_settings
from qrapp.state import designer_content as content
from qrapp.state.base import client_ip, code_id_from_path, load_actor, query_param
from qrapp.state.designer_cards import (
    BOOL_KINDS,
    DYNAMIC,
    TYPE_KEYS,
    FieldView,
    field_views,
    initial_values,
    type_label,
)
from qrapp.state.designer_checks import (
    COLOUR_KEYS,
    content_key,
)
from qrapp.state.designer_content import CONTENT_KEYS, ContentUploadMixin
from qrapp.state.designer_focus import focus_when_shown
from qrapp.state.designer_form import DesignFormMixin
from qrapp.state.designer_templates import DesignTemplatesMixin
from qrapp.state.previews import preview

log = logging.getLogger(__name__)

PREVIEW_SIZE = 360
VIEWER_REASON = "Viewers can't change codes — ask an owner or admin."
# Fields whose errors wait until the person leaves them (or presses Save).
_SETTINGS_FIELDS = {"name", "destination", "alias", "tags"}


def _placeholder_short_url(domain: str = "") -> str:
    base = f"https://{domain}" if domain else get_settings().edge_url.rstrip("/")
    return f"{base}/{'x' * DEFAULT_LENGTH}"


class DesignerState(DesignFormMixin, DesignTemplatesMixin, ContentUploadMixin, rx.State):
    # what and how
    mode: str = "new"  # new | edit
    content_type: str = ""
    type_label: str = ""
    is_dynamic: bool = True
    is_content: bool = False  # a content type: a dynamic code plus its own page
    field_specs: list[FieldView] = []
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    name: str = ""
    destination: str = ""
    landing_page_id: str = ""  # a published page instead of `destination` (state.page_destination)
    alias: str = ""
    # The short link's domain (new dynamic codes): "" is ours; choices are the workspace's
    # verified custom domains (services.domains.live). Empty choices hide the select.
    domain: str = ""
    domain_choices: list[str] = []
    tags_text: str = ""
    can_edit: bool = False
    # preview
    preview_src: str = ""
    verdict_level: str = ""
    verdict_reasons: list[str] = []
    preview_error: str = ""
    plan_limit: str = ""  # a PlanLimitReached from Save, shown with a link to the plans
    saving: bool = False
    # the first thing that keeps Save from working, in words ("" = nothing)
    content_issue: str = ""

    _refused: dict[str, str] = {}  # what the last save was refused for
    _touched: list[str] = []  # fields the person has left: their problems show
    _submitted: bool = False  # Save was pressed: every problem shows
    _code_id: str = ""
    _fixed_text: str = ""  # an existing dynamic code's short URL
    _seq: int = 0
    _workspace_id: str = ""  # the workspace the form was opened in

    @rx.var(deps=["can_edit", "content_issue", "preview_error", "verdict_level"], auto_deps=False)
    def save_reason(self) -> str:
        """Why Save is disabled, shown beside it ("" when it works)."""
        return self._why_blocked()

    @rx.var(deps=["can_edit", "content_issue", "preview_error", "verdict_level"], auto_deps=False)
    def save_blocked(self) -> bool:
        return self._why_blocked() != ""

    def _why_blocked(self) -> str:
        if not self.can_edit:
            return VIEWER_REASON
        if self.content_issue:
            return self.content_issue
        if self.preview_error:
            return "The preview could not be drawn: fix the highlighted settings."
        if self.verdict_level == "fail":
            return "Fix the design so it scans before saving."
        if self.verdict_level == "":
            return "Checking that the code scans…"
        return ""

    # ---- loading -----------------------------------------------------------------

    def _start_fresh(self, mode: str) -> None:
        """Forget everything of the last code: its preview, verdict, values and errors.
        A render still running for it is dropped by the sequence number."""
        self._seq += 1
        self.mode, self._code_id, self._fixed_text = mode, "", ""
        self.content_type, self.type_label, self.is_dynamic = "", "", True
        self.is_content, self.uploaded_files, self.uploading = False, [], False
        self._set_file_kind(None)
        self.field_specs, self.values = [], {}
        self.name = self.destination = self.alias = self.tags_text = ""
        self.domain, self.domain_choices = "", []
        self.landing_page_id = ""
        self.preview_src, self.verdict_level, self.verdict_reasons = "", "", []
        self.preview_error, self.content_issue, self.saving = "", "", False
        self.plan_limit = ""
        self.template_name, self.template_default = "", False
        self.errors, self._refused = {}, {}
        self._touched, self._submitted = [], False
        self._reset_design()

    def _choose_type(self, key: str) -> None:
        self.content_type = key
        kind = content.kind_of(key)
        self._set_file_kind(kind)
        if kind is not None:
            self.is_dynamic = self.is_content = True
            self.type_label = kind.label
            self.field_specs = content.field_views(kind)
            self.values = content.initial_values(kind)
            return
        self.is_dynamic = key == DYNAMIC
        self.type_label = type_label(key)
        specs = [] if self.is_dynamic else fields(key)
        self.field_specs = field_views(specs)
        self.values = initial_values(specs)

    @rx.event
    async def load_new(self):
        self._start_fresh("new")
        try:
            actor = await load_actor(self)
        except ServiceError:
            return
        self.can_edit = actor.can(Permission.CODES_EDIT)
        self._workspace_id = str(actor.workspace_id or "")
        if actor.workspace_id is not None:
            self.domain_choices, self.domain = await asyncio.to_thread(
                live_domains.choices_for_workspace, actor.workspace_id
            )
        await self._load_templates(actor)
        if self._defaults:  # new codes start from the workspace's default template
            self._apply_design(self._template_designs[self._defaults[0]])
        wanted = query_param(self, "type")
        if wanted in CONTENT_KEYS:
            # A content code makes a page too: editing pages is part of the right.
            self.can_edit = self.can_edit and actor.can(Permission.PAGES_EDIT)
        if wanted in TYPE_KEYS or wanted in CONTENT_KEYS:
            self._choose_type(wanted)
            self._check()
            # The type was chosen on the grid, which is gone: the form's heading takes
            # the focus, so the next Tab goes on into the form.
            return [DesignerState.refresh_preview, focus_when_shown("#designer-title")]
        self.content_type = ""

    @rx.event
    def choose_type(self, key: str):
        if key not in TYPE_KEYS and key not in CONTENT_KEYS:
            return rx.toast.error("Unknown content type.")
        return rx.redirect(routes.code_new(key))

    @rx.event
    async def load_edit(self):
        self._start_fresh("edit")
        try:
            actor = await load_actor(self)
            code_id = code_id_from_path(self)
            code = await asyncio.to_thread(qrcodes.get_code_or_raise, actor=actor, code_id=code_id)
        except (ValueError, ServiceError):
            self.content_type = ""
            return rx.redirect(routes.CODES)
        self.can_edit = actor.can(Permission.CODES_EDIT)
        await self._load_templates(actor)
        self._code_id = str(code.id)
        self._choose_type(DYNAMIC if code.is_dynamic else code.content_type)
        self.name, self.destination = code.name, code.destination
        self.tags_text = ", ".join(code.tags)
        for key in self.values:
            if key in code.payload and code.payload[key] is not None:
                value = code.payload[key]
                self.values[key] = str(value).lower() if isinstance(value, bool) else str(value)
        self._apply_design(code.design)
        self._fixed_text = qrcodes.code_text(code) if code.is_dynamic else ""
        self._check()
        return DesignerState.refresh_preview

    def _payload(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.field_specs:
            raw = self.values.get(spec["name"], "")
            if spec["kind"] in BOOL_KINDS:
                out[spec["name"]] = raw == "true"
            elif raw.strip() != "" or spec["required"]:
                out[spec["name"]] = raw
        return out

    def _preview_text(self) -> str:
        if self.is_dynamic:
            return self._fixed_text or _placeholder_short_url(self.domain)
        return parse(self.content_type, self._payload()).encode()

    # ---- what is wrong, and when to say it ---------------------------------------------

    def _content_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        if (kind := content.kind_of(self.content_type)) is not None:
            problems = content.problems(kind, self.values)
        elif self.is_dynamic and self.mode == "new" and not self.landing_page_id:
            try:
                qrcodes.check_destination(self.destination)
            except FieldErrors as exc:
                problems["destination"] = exc.message
        elif not self.is_dynamic and self.content_type:
            try:
                parse(self.content_type, self._payload())
            except PayloadError as exc:
                names = {f["name"] for f in self.field_specs}
                for key, message in exc.errors.items():
                    field = key.split(".", 1)[0]
                    target = content_key(field) if field in names else "content"
                    problems.setdefault(target, message)
        return problems

    def _check(self) -> None:
        """Re-validate the whole form, decide what Save is waiting for, show what is due."""
        problems = {**self._content_problems(), **self._design_problems()}
        if not " ".join(self.name.split()):
            problems["name"] = "Give the code a name you will recognise."
        labels = {content_key(f["name"]): f["label"] for f in self.field_specs}
        labels |= {"destination": "Destination URL", "name": "Name", "alias": "Short link"}
        labels |= {"landing_page": "Landing page"}
        labels |= {"tags": "Tags", "design": "Design"}
        labels |= {"frame_text": "Caption", **{"c-" + k: "Colour" for k in COLOUR_KEYS}}
        first = next(iter({**problems, **self._refused}.items()), None)
        self.content_issue = f"{labels.get(first[0], 'Content')}: {first[1]}" if first else ""
        # Design problems show at once: the person just chose that value and sees the
        # preview ignore it. Form fields wait until they are left, or until Save.
        due = {
            k: v
            for k, v in problems.items()
            if self._submitted or k in self._touched or k in ("frame_text", "content")
        }
        self.errors = {**due, **self._refused}

    @rx.event
    def leave_field(self, key: str):
        """A field lost focus: from now on its problems show."""
        key = str(key)[:80]
        known = _SETTINGS_FIELDS | {content_key(f["name"]) for f in self.field_specs}
        known |= {"c-" + k for k in COLOUR_KEYS}
        if key in known and key not in self._touched:
            self._touched = [*self._touched, key]
            self._check()

    # ---- changes ---------------------------------------------------------------------

    @rx.event
    def set_value(self, name: str, value: str | bool):
        if name not in self.values:
            return
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)[:4000]
        self.values[name] = text
        self._refused.pop(content_key(name), None)
        self._check()
        return DesignerState.refresh_preview

    @rx.event
    def set_name(self, value: str):
        self.name = str(value)[:200]
        self._refused.pop("name", None)
        self._check()

    @rx.event
    def set_destination(self, value: str):
        self.destination = str(value)[:4096]
        self._refused.pop("destination", None)
        self._check()

    @rx.event
    def set_landing_page(self, value: str):
        self.landing_page_id = str(value)[:40]
        self._refused.pop("destination", None)
        self._refused.pop("landing_page", None)
        self._check()

    @rx.event
    def set_domain(self, value: str):
        # Only a listed choice (or ours): the service checks again on save.
        value = str(value)
        self.domain = value if value in self.domain_choices else ""
        return DesignerState.refresh_preview

    @rx.event
    def set_alias(self, value: str):
        self.alias = str(value)[:64]
        self._refused.pop("alias", None)
        self._check()

    @rx.event
    def set_tags_text(self, value: str):
        self.tags_text = str(value)[:400]
        self._refused.pop("tags", None)
        self._check()

    @rx.event(background=True)
    async def refresh_preview(self):
        async with self:
            self._seq += 1
            seq = self._seq
            self.verdict_level, self.verdict_reasons = "", []
            try:
                text = self._preview_text()
            except PayloadError:
                # Nothing to draw yet; the fields say what is missing when it is due.
                self.preview_src = ""
                self.preview_error = "Fill in the content to see your code."
                return
            design = self._design()
        # Every failure is reported and forgotten: the next change renders afresh.
        try:
            uri, level, reasons = await asyncio.to_thread(preview, text, design, PREVIEW_SIZE)
            error = ""
        except PayloadError as exc:
            uri, level, reasons = "", "", []
            error = "; ".join(exc.errors.values())
        except Exception:
            log.exception("designer preview failed")
            uri, level, reasons = "", "", []
            error = "This design could not be drawn. Try another setting."
        async with self:
            if seq != self._seq:
                return  # a newer change is already rendering
            self.preview_error = error
            if not error:
                self.preview_src, self.verdict_level, self.verdict_reasons = uri, level, reasons

    # ---- saving ----------------------------------------------------------------------

    @rx.event
    async def save(self):
        self._submitted = True
        self._check()
        if reason := self._why_blocked():
            yield rx.toast.error(reason)
            return
        self.saving = True
        yield
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            tags = tuple(t.strip() for t in self.tags_text.split(",") if t.strip())
            if self.is_content and self.mode == "new":
                code = await asyncio.to_thread(
                    content_codes.create_content_code,
                    actor=actor,
                    # The workspace the form was opened in: a switch in another tab
                    # meanwhile is refused instead of saving into the other workspace.
                    workspace_id=uuid.UUID(self._workspace_id)
                    if self._workspace_id
                    else actor.workspace_id,
                    kind=self.content_type.removeprefix("page-"),
                    essentials=dict(self.values),
                    design=self._design(),
                    name=self.name,
                    tags=tags,
                    ip=client_ip(self),
                )
                saved_id = code.id
            elif self.mode == "edit":
                code_id = uuid.UUID(self._code_id)
                await asyncio.to_thread(
                    qrcodes.update_code,
                    actor=actor,
                    code_id=code_id,
                    name=self.name,
                    design=self._design(),
                    payload=None if self.is_dynamic else self._payload(),
                    tags=tags,
                    ip=client_ip(self),
                )
                saved_id = code_id
            else:
                data = qrcodes.CodeInput(
                    name=self.name,
                    content_type="url" if self.is_dynamic else self.content_type,
                    payload=None if self.is_dynamic else self._payload(),
                    design=self._design(),
                    is_dynamic=self.is_dynamic,
                    destination="" if self.landing_page_id else self.destination,
                    alias=self.alias,
                    # a static code has no short link, so no domain (refused if sent)
                    domain=self.domain if self.domain_choices and self.is_dynamic else None,
                    tags=tags,
                    landing_page_id=uuid.UUID(self.landing_page_id)
                    if self.is_dynamic and self.landing_page_id
                    else None,
                )
                code = await asyncio.to_thread(
                    qrcodes.create, actor=actor, data=data, ip=client_ip(self)
                )
                saved_id = code.id
        except NotSignedIn:
            self.saving = False
            yield rx.redirect(routes.LOGIN)
            return
        except FieldErrors as exc:
            self.saving = False
            # The content was checked above with the same rules, so the service's own
            # keys ("name", "alias", "design.…") are the code's, not a content field's;
            # a content type's fields (its file, a link) come back under their own names.
            names = {f["name"] for f in self.field_specs} if self.is_content else set()
            self._refused = {content_key(k) if k in names else k: v for k, v in exc.errors.items()}
            self._check()
            yield rx.toast.error(exc.message)
            return
        except PlanLimitReached as exc:
            self.saving = False
            self.plan_limit = exc.message
            return
        except ServiceError as exc:
            self.saving = False
            yield rx.toast.error(exc.message)
            return
        self.saving, self.plan_limit = False, ""
        yield rx.redirect(routes.code_page(str(saved_id)))
        # The result of Save is the code's page: its heading (the code's name) gets focus.
        yield focus_when_shown("#code-name", routes.code_page(str(saved_id)))
