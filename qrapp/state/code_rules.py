"""A dynamic code's redirect rules (ordered conditions -> destination or A/B variants),
its password, and the "simulate a scan" panel, which asks the same pure rules code the
edge uses which destination wins and why."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import TypedDict

import reflex as rx

from qrapp.core import rules as core_rules
from qrapp.core.permissions import Permission
from qrapp.services import qrcodes, redirect_rules
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.state.base import client_ip, code_id_from_path, load_actor

LIST_FIELDS = {"device", "os", "browser", "language", "country", "region", "city", "ip"}


class RuleView(TypedDict):
    id: str
    label: str
    conditions: list[str]
    outcome: str


class ConditionRow(TypedDict):
    field: str
    op: str
    value: str


class VariantRow(TypedDict):
    label: str
    destination: str
    weight: str


class TraceView(TypedDict):
    label: str
    matched: bool
    why: str


def _condition(row: ConditionRow) -> dict:
    """The form's text row as the rules engine's condition (the engine validates it)."""
    field, op, raw = row["field"], row["op"], row["value"].strip()
    if field in LIST_FIELDS:
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
                "timezone": "UTC",
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
    # the new-rule builder
    label: str = ""
    rows: list[ConditionRow] = [ConditionRow(field="device", op="in", value="mobile")]
    destination: str = ""
    split: bool = False
    variants: list[VariantRow] = [
        VariantRow(label="A", destination="", weight="50"),
        VariantRow(label="B", destination="", weight="50"),
    ]
    errors: dict[str, str] = {}
    password_error: str = ""
    # the simulator
    sim_device: str = "mobile"
    sim_os: str = "iOS"
    sim_country: str = "SE"
    sim_language: str = "sv-SE"
    sim_time: str = ""
    sim_query: str = ""
    sim_result: str = ""
    sim_why: str = ""
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
                conditions=[core_rules.describe(c) for c in r.conditions] or ["always"],
                outcome=_outcome(r),
            )
            for i, r in enumerate(stored)
        ]

    @rx.event
    async def load(self):
        self.errors, self.password_error = {}, ""
        self.sim_result = self.sim_why = ""
        self.sim_trace = []
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            code = await asyncio.to_thread(
                qrcodes.get_code_or_raise, actor=actor, code_id=self._code_id()
            )
        except (ValueError, ServiceError):
            self.rules, self.is_dynamic = [], False
            return
        self.can_edit = actor.can(Permission.CODES_EDIT)
        self.is_dynamic = code.is_dynamic
        self.has_password = bool(code.password_hash)
        if code.is_dynamic:
            await self._reload(actor)

    # ---- builder -----------------------------------------------------------------------

    @rx.event
    def set_row(self, index: int, key: str, value: str):
        if key not in ("field", "op", "value") or not 0 <= int(index) < len(self.rows):
            return
        row = dict(self.rows[int(index)])
        row[key] = str(value)[:1000]
        if key == "field":
            row["op"] = {"query": "eq", "time": "between", "date": "between"}.get(value, "in")
        self.rows[int(index)] = ConditionRow(**row)

    @rx.event
    def add_row(self):
        if len(self.rows) < core_rules.MAX_CONDITIONS:
            self.rows.append(ConditionRow(field="country", op="in", value=""))

    @rx.event
    def remove_row(self, index: int):
        if 0 <= int(index) < len(self.rows):
            self.rows.pop(int(index))

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
            conditions=[_condition(r) for r in self.rows],
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
        self.label = self.destination = ""
        self.rows = [ConditionRow(field="device", op="in", value="mobile")]
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
        if key in ("device", "os", "country", "language", "time", "query"):
            setattr(self, f"sim_{key}", str(value)[:200])

    @rx.event
    async def simulate(self):
        at = None
        if self.sim_time:
            try:
                at = dt.datetime.fromisoformat(self.sim_time).replace(tzinfo=dt.UTC)
            except ValueError:
                self.sim_why = "Give the time like 2026-12-24T18:00."
                return
        query = dict(part.partition("=")[::2] for part in self.sim_query.split("&") if part.strip())
        visitor = redirect_rules.SimulatedVisitor(
            device=self.sim_device,
            os=self.sim_os,
            accept_language=self.sim_language,
            country=self.sim_country,
            query=query,
            at=at,
        )
        try:
            actor = await load_actor(self, Permission.WORKSPACE_VIEW)
            decision = await asyncio.to_thread(
                redirect_rules.simulate, actor=actor, code_id=self._code_id(), visitor=visitor
            )
        except (ValueError, ServiceError) as exc:
            return rx.toast.error(getattr(exc, "message", "That code does not exist."))
        labels = {r["id"]: r["label"] for r in self.rules}
        why = decision.why
        for rule_id, label in labels.items():
            why = why.replace(f"rule '{rule_id}'", label)  # people know rules by name
        self.sim_result = decision.destination
        self.sim_why = why + (f" (variant {decision.variant})" if decision.variant else "")
        self.sim_trace = [
            TraceView(label=labels.get(t.rule_id, t.label or "rule"), matched=t.matched, why=t.why)
            for t in decision.trace
        ]
