"""A dynamic code's redirect rules (ordered conditions -> destination or A/B variants),
its password, and the "simulate a scan" panel, which runs the edge's own decision
(qrapp.core.scan_decision: validity, password, limits, rules) and names the step that
decided.

Over 400 lines: the rules editor, the password and the simulator share the loaded code
and its rule list, and save them together.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import rule_fields, scan_decision, validity
from qrapp.core import rules as core_rules
from qrapp.core.permissions import Permission
from qrapp.services.codes import qrcodes, redirect_rules
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.services.workspaces import workspaces
from qrapp.state.base import client_ip, code_id_from_path, load_actor

# Typed as comma-separated text; the fields with a list (rule_fields.OPTIONS) are chosen
# from a menu instead.
TEXT_LIST_FIELDS = {"region", "city", "ip"}
MAX_MENU_ITEMS = 300


class RuleView(TypedDict):
    id: str
    label: str
    conditions: list[str]
    outcome: str


class ConditionRow(TypedDict):
    field: str
    op: str
    value: str  # typed fields
    values: list[str]  # fields with a list: the chosen values
    summary: str  # the chosen values' labels, for the menu's button


class OptionView(TypedDict):
    value: str
    label: str
    checked: bool


class VariantRow(TypedDict):
    label: str
    destination: str
    weight: str


class TraceView(TypedDict):
    label: str
    matched: bool
    why: str


def _new_row(field: str = "device") -> ConditionRow:
    op = rule_fields.FIELD_OPS[field][0]
    return ConditionRow(field=field, op=op, value="", values=[], summary="")


def _new_variants() -> list[VariantRow]:
    return [
        VariantRow(label="A", destination="", weight="50"),
        VariantRow(label="B", destination="", weight="50"),
    ]


def _summary(field: str, values: list[str]) -> str:
    return ", ".join(rule_fields.value_label(field, v) for v in values)


def _condition(row: ConditionRow, timezone: str) -> dict:
    """The form's row as the rules engine's condition (the engine validates it)."""
    field, op, raw = row["field"], row["op"], row["value"].strip()
    if field in rule_fields.OPTIONS:
        return {"field": field, "op": op, "value": list(row["values"])}
    if field in TEXT_LIST_FIELDS:
        return {"field": field, "op": op, "value": [v.strip() for v in raw.split(",") if v.strip()]}
    if field == "query":
        name, _, value = raw.partition("=")
        return {"field": field, "op": op, "value": {"name": name.strip(), "value": value.strip()}}
    if field == "time":
        span, _, days = raw.partition(" ")
        start, _, end = span.partition("-")
        parsed = [d.strip().lower()[:3] for d in days.split(",") if d.strip()]
        return {
            "field": field,
            "op": "between",
            "value": {
                "from": start.strip(),
                "to": end.strip(),
                "days": parsed or None,
                "timezone": timezone,  # the workspace's, like the code's weekly schedule
            },
        }
    start, _, end = raw.partition(" to ")
    return {
        "field": "date",
        "op": "between",
        "value": {"from": start.strip() or None, "to": end.strip() or None},
    }


def _outcome(rule) -> str:
    if rule.variants:
        return " / ".join(
            f"{v.get('label')} {v.get('weight')}%: {v.get('destination')}" for v in rule.variants
        )
    return f"→ {rule.destination}"


class RulesState(rx.State):
    rules: list[RuleView] = []
    can_edit: bool = False
    is_dynamic: bool = False
    has_password: bool = False
    timezone: str = "UTC"  # the workspace's: time rules and the simulator's clock use it
    # the new-rule builder
    label: str = ""
    rows: list[ConditionRow] = [_new_row()]
    destination: str = ""
    split: bool = False
    variants: list[VariantRow] = _new_variants()
    errors: dict[str, str] = {}
    password_error: str = ""
    # the value menu of one row (one is open at a time)
    menu_row: int = -1
    menu_search: str = ""
    # the simulator
    sim_device: str = "mobile"
    sim_os: str = "ios"
    sim_browser: str = ""
    sim_country: str = "se"
    sim_language: str = "sv-SE"
    sim_time: str = ""
    sim_query: str = ""
    sim_password: bool = False
    sim_scanned_before: bool = False
    sim_result: str = ""
    sim_why: str = ""
    sim_step: str = ""
    sim_trace: list[TraceView] = []

    def _code_id(self) -> uuid.UUID:
        return code_id_from_path(self)

    async def _reload(self, actor) -> None:
        stored = await asyncio.to_thread(
            redirect_rules.list_rules, actor=actor, code_id=self._code_id()
        )
        self.rules = [
            RuleView(
                id=str(r.id),
                label=r.label or f"Rule {i + 1}",
                conditions=[core_rules.describe(c) for c in r.conditions]
                or ["Every scan (A/B split)"],
                outcome=_outcome(r),
            )
            for i, r in enumerate(stored)
        ]

    def _reset_builder(self) -> None:
        self.label = self.destination = ""
        self.rows = [_new_row()]
        self.split = False
        self.variants = _new_variants()
        self.menu_row, self.menu_search = -1, ""

    @rx.event
    async def load(self):
        self.errors, self.password_error = {}, ""
        self.sim_result = self.sim_why = self.sim_step = ""
        self.sim_trace = []
        self._reset_builder()
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            code = await asyncio.to_thread(
                qrcodes.get_code_or_raise, actor=actor, code_id=self._code_id()
            )
            workspace = await asyncio.to_thread(workspaces.get_current, actor=actor)
        except (ValueError, ServiceError):
            self.rules, self.is_dynamic = [], False
            return
        self.can_edit = actor.can(Permission.CODES_EDIT)
        self.is_dynamic = code.is_dynamic
        self.has_password = bool(code.password_hash)
        self.timezone = workspace.timezone or "UTC"
        if code.is_dynamic:
            await self._reload(actor)

    # ---- builder -----------------------------------------------------------------------

    def _row_index(self, index) -> int | None:
        try:
            i = int(index)
        except (TypeError, ValueError):
            return None
        return i if 0 <= i < len(self.rows) else None

    @rx.event
    def set_row(self, index: int, key: str, value: str):
        i = self._row_index(index)
        if i is None or key not in ("field", "op", "value"):
            return
        value = str(value)
        row = dict(self.rows[i])
        if key == "field":
            if value not in rule_fields.FIELD_LABELS:
                return
            # A new field starts empty: a value of the old field could never match.
            row = dict(_new_row(value))
            if self.menu_row == i:
                self.menu_row, self.menu_search = -1, ""
        elif key == "op":
            if value not in rule_fields.FIELD_OPS[row["field"]]:
                return
            row["op"] = value
        else:
            row["value"] = value[:1000]
        self.rows[i] = ConditionRow(**row)

    @rx.event
    def add_row(self):
        if len(self.rows) < core_rules.MAX_CONDITIONS:
            self.rows.append(_new_row("country"))

    @rx.event
    def remove_row(self, index: int):
        i = self._row_index(index)
        if i is not None:
            self.rows.pop(i)
            self.menu_row, self.menu_search = -1, ""

    @rx.event
    def open_menu(self, index: int, is_open: bool):
        i = self._row_index(index)
        if is_open and i is not None and self.rows[i]["field"] in rule_fields.OPTIONS:
            if self.menu_row != i:
                self.menu_search = ""
            self.menu_row = i
        elif not is_open and self.menu_row == i:
            self.menu_row, self.menu_search = -1, ""

    @rx.event
    def set_menu_search(self, value: str):
        self.menu_search = str(value)[:80]

    @rx.event
    def toggle_value(self, value: str):
        i = self._row_index(self.menu_row)
        if i is None:
            return
        row = dict(self.rows[i])
        field, value = row["field"], str(value)
        if value not in dict(rule_fields.OPTIONS.get(field, ())):
            return  # only values of this field's own list
        values = list(row["values"])
        if value in values:
            values.remove(value)
        elif len(values) < core_rules.MAX_VALUES:
            values.append(value)
        order = {v: n for n, (v, _label) in enumerate(rule_fields.OPTIONS[field])}
        values.sort(key=order.__getitem__)
        row["values"], row["summary"] = values, _summary(field, values)
        self.rows[i] = ConditionRow(**row)

    @rx.var
    def menu_items(self) -> list[OptionView]:
        """The open menu's choices, filtered by its search box (label or code)."""
        if not 0 <= self.menu_row < len(self.rows):
            return []
        row = self.rows[self.menu_row]
        chosen = set(row["values"])
        needle = self.menu_search.strip().lower()
        items = [
            OptionView(value=v, label=label, checked=v in chosen)
            for v, label in rule_fields.OPTIONS.get(row["field"], ())
            if not needle or needle in label.lower() or needle == v
        ]
        return items[:MAX_MENU_ITEMS]

    @rx.event
    def set_variant(self, index: int, key: str, value: str):
        if key not in ("label", "destination", "weight") or not 0 <= int(index) < len(
            self.variants
        ):
            return
        row = dict(self.variants[int(index)])
        row[key] = str(value)[:4096]
        self.variants[int(index)] = VariantRow(**row)

    @rx.event
    def add_variant(self):
        if len(self.variants) < core_rules.MAX_VARIANTS:
            label = chr(ord("A") + len(self.variants))
            self.variants.append(VariantRow(label=label, destination="", weight="0"))

    @rx.event
    def set_split(self, value: bool):
        self.split = bool(value)

    @rx.event
    def set_label(self, value: str):
        self.label = str(value)[:80]

    @rx.event
    def set_destination(self, value: str):
        self.destination = str(value)[:4096]

    @rx.event
    async def add_rule(self):
        self.errors = {}
        variants = None
        if self.split:
            try:
                variants = [
                    {
                        "label": v["label"],
                        "destination": v["destination"],
                        "weight": int(v["weight"] or 0),
                    }
                    for v in self.variants
                ]
            except ValueError:
                self.errors = {"variants": "Weights are whole numbers."}
                return
        data = redirect_rules.RuleInput(
            conditions=[_condition(r, self.timezone) for r in self.rows],
            destination="" if self.split else self.destination,
            variants=variants,
            label=self.label,
        )
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                redirect_rules.add_rule,
                actor=actor,
                code_id=self._code_id(),
                data=data,
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.errors = exc.errors
            return
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        self._reset_builder()
        await self._reload(actor)
        return rx.toast.success("Rule added. The next scan uses it.")

    @rx.event
    async def delete_rule(self, rule_id: str):
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                redirect_rules.delete_rule,
                actor=actor,
                rule_id=uuid.UUID(str(rule_id)),
                ip=client_ip(self),
            )
            await self._reload(actor)
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That rule does not exist."))

    @rx.event
    async def move_rule(self, rule_id: str, delta: int):
        ids = [r["id"] for r in self.rules]
        if rule_id not in ids:
            return
        i = ids.index(rule_id)
        j = max(0, min(len(ids) - 1, i + int(delta)))
        ids[i], ids[j] = ids[j], ids[i]
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            await asyncio.to_thread(
                redirect_rules.reorder_rules,
                actor=actor,
                code_id=self._code_id(),
                rule_ids=[uuid.UUID(x) for x in ids],
                ip=client_ip(self),
            )
            await self._reload(actor)
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "Could not reorder."))

    # ---- password ---------------------------------------------------------------------

    @rx.event
    async def set_password(self, form: dict):
        self.password_error = ""
        password = str(form.get("password", ""))[:200]
        try:
            actor = await load_actor(self, Permission.CODES_EDIT)
            code = await asyncio.to_thread(
                qrcodes.set_password,
                actor=actor,
                code_id=self._code_id(),
                password=password or None,
                ip=client_ip(self),
            )
        except FieldErrors as exc:
            self.password_error = exc.message
            return
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        self.has_password = bool(code.password_hash)
        return rx.toast.success(
            "Password set: scanners must enter it." if password else "Password removed."
        )

    # ---- simulator --------------------------------------------------------------------

    @rx.event
    def set_sim(self, key: str, value: str):
        if key in ("device", "os", "browser", "country", "language", "time", "query"):
            setattr(self, f"sim_{key}", str(value)[:200])

    @rx.event
    def set_sim_flag(self, key: str, value: bool):
        if key in ("password", "scanned_before"):
            setattr(self, f"sim_{key}", bool(value))

    @rx.event
    async def simulate(self):
        at = None
        if self.sim_time:
            try:
                # The person types the workspace's local time, as the schedule reads it.
                local = dt.datetime.fromisoformat(self.sim_time)
                at = local.replace(tzinfo=validity.zone(self.timezone)).astimezone(dt.UTC)
            except (ValueError, validity.ScheduleError):
                self.sim_why = "Give the time like 2026-12-24T18:00."
                self.sim_result, self.sim_step, self.sim_trace = "", "", []
                return
        query = dict(part.partition("=")[::2] for part in self.sim_query.split("&") if part.strip())
        visitor = redirect_rules.SimulatedVisitor(
            device=self.sim_device,
            os=self.sim_os,
            browser=self.sim_browser,
            accept_language=self.sim_language,
            country=self.sim_country,
            query=query,
            at=at,
            password_entered=self.sim_password,
            scanned_before=self.sim_scanned_before,
        )
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            outcome = await asyncio.to_thread(
                redirect_rules.simulate, actor=actor, code_id=self._code_id(), visitor=visitor
            )
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        labels = {r["id"]: r["label"] for r in self.rules}
        self.sim_result = outcome.location
        self.sim_step = outcome.step
        self.sim_why = scan_decision.explain(outcome)
        self.sim_trace = [
            TraceView(label=labels.get(t.rule_id, t.label or "rule"), matched=t.matched, why=t.why)
            for t in outcome.trace
        ]
