"""Redirect rules: which destination a scan gets, and why. Pure.

A rule is an ordered list of conditions (all must hold) and either one destination or
weighted A/B variants; a split may have no conditions (it then takes every scan). Rules
are tried in position order; the first match wins; no match means the code's own
destination. The edge calls `evaluate`; the designer UI calls
`simulate` to show, for a made-up visitor, which rule wins and why each other rule did not.

Condition shapes ({"field", "op", "value"}):
  device | os | browser | language | country | region | city   op in | not_in, value [str]
  ip        op in | not_in, value ["203.0.113.0/24", ...]
  query     op eq | present | absent, value {"name": str, "value": str}
  time      op between, value {"from": "09:00", "to": "17:00", "days": ["mon", ...],
                               "timezone": "Europe/Stockholm"}
  date      op between, value {"from": ISO datetime | null, "to": ISO datetime | null}
List fields take only values from their list (qrapp.core.rule_fields).
Variants: [{"label": "A", "destination": url, "weight": 50}, ...]; a visitor keeps the
variant they got (sticky on the visitor hash) as long as the weights stay the same.

Over 400 lines on purpose: `evaluate` and `simulate` must read every condition the same
way, so both live beside the condition matchers.

Over 400 lines on purpose: `evaluate` (the edge) and `simulate` (the designer) read the
same condition checks here, so what the simulator explains is what a scan gets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from qrapp.core import rule_fields, validity
from qrapp.core.destinations import DestinationError, OwnHosts, normalise_destination
from qrapp.core.visitor import AgentFacts, languages, parse_user_agent

LIST_FIELDS = ("device", "os", "browser", "language", "country", "region", "city")
FIELDS = (*LIST_FIELDS, "ip", "query", "time", "date")
DEVICES = tuple(v for v, _label in rule_fields.DEVICES)
MAX_RULES = 50
MAX_CONDITIONS = 20
MAX_VARIANTS = 10
MAX_VALUES = 200


class RuleError(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class Visitor:
    """What rules can look at. device/os/browser are parsed from the user agent only if a
    rule asks (the parse costs ~0.5 ms); `simulate` callers may set them directly."""

    now: dt.datetime
    user_agent: str = ""
    accept_language: str = ""
    country: str = ""
    region: str = ""
    city: str = ""
    ip: str = ""
    query: Mapping[str, str] = field(default_factory=dict)
    sticky_key: str = ""  # the visitor hash: keeps A/B assignment stable
    device: str | None = None
    os: str | None = None
    browser: str | None = None
    _agent: AgentFacts | None = field(default=None, repr=False)

    def agent(self) -> AgentFacts:
        if self._agent is None:
            self._agent = parse_user_agent(self.user_agent)
        return self._agent

    def value(self, name: str) -> list[str]:
        if name == "device":
            return [self.device if self.device is not None else self.agent().device_type]
        if name == "os":
            return [self.os if self.os is not None else self.agent().os]
        if name == "browser":
            return [self.browser if self.browser is not None else self.agent().browser]
        if name == "language":
            tags = languages(self.accept_language, limit=1)
            return [tags[0], tags[0].split("-", 1)[0]] if tags else [""]
        return [str(getattr(self, name) or "")]


@dataclass(frozen=True)
class Rule:
    id: str
    conditions: list[dict[str, Any]]
    destination: str = ""
    variants: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""


@dataclass(frozen=True)
class RuleTrace:
    rule_id: str
    label: str
    matched: bool
    why: str  # "all conditions hold" or the first condition that failed, in words


@dataclass(frozen=True)
class Decision:
    destination: str
    rule_id: str | None = None
    variant: str = ""
    why: str = "no rule matched: the code's destination"
    trace: tuple[RuleTrace, ...] = ()


# --- validation ------------------------------------------------------------------------


def _str_list(value: Any, where: str, errors: dict[str, str], lower: bool = True) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or len(value) > MAX_VALUES:
        errors[where] = f"Give between 1 and {MAX_VALUES} values."
        return []
    out = []
    for v in value:
        text = str(v).strip()
        if not text or len(text) > 80:
            errors[where] = "Values must be 1 to 80 characters."
            return []
        out.append(text.lower() if lower else text)
    return out


def _parse_when(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    when = dt.datetime.fromisoformat(str(value))
    if when.tzinfo is None:
        raise ValueError("naive")
    return when.astimezone(dt.UTC)


def normalise_condition(cond: Any, where: str, errors: dict[str, str]) -> dict[str, Any]:
    if not isinstance(cond, dict):
        errors[where] = "A condition needs a field, an operator and a value."
        return {}
    name, op, value = cond.get("field"), cond.get("op", "in"), cond.get("value")
    if name not in FIELDS:
        errors[f"{where}.field"] = f"Choose one of: {', '.join(FIELDS)}."
        return {}
    if name in LIST_FIELDS:
        if op not in ("in", "not_in"):
            errors[f"{where}.op"] = "Use 'in' or 'not_in'."
            return {}
        values = _str_list(value, f"{where}.value", errors)
        # A value outside the field's own list (an OS called "mobile": what is left when
        # the field is changed but not the value) could never match: refuse it.
        unknown = rule_fields.unknown_values(name, values)
        if unknown:
            label = rule_fields.field_label(name)
            shown = ", ".join(f"'{u}'" for u in unknown[:3])
            errors[f"{where}.value"] = (
                f"{shown} {'is' if len(unknown) == 1 else 'are'} not in the list for "
                f"{label}: choose {label.lower()} values from its list."
            )
        return {"field": name, "op": op, "value": values}
    if name == "ip":
        if op not in ("in", "not_in"):
            errors[f"{where}.op"] = "Use 'in' or 'not_in'."
            return {}
        values = _str_list(value, f"{where}.value", errors)
        try:
            nets = [str(ipaddress.ip_network(v, strict=False)) for v in values]
        except ValueError:
            errors[f"{where}.value"] = "Give IP addresses or ranges like 203.0.113.0/24."
            return {}
        return {"field": name, "op": op, "value": nets}
    if name == "query":
        if op not in ("eq", "present", "absent") or not isinstance(value, dict):
            errors[where] = "A query condition is {name, value} with eq, present or absent."
            return {}
        qname = str(value.get("name", "")).strip()
        if not qname or len(qname) > 64:
            errors[f"{where}.value"] = "Name the query parameter (up to 64 characters)."
        out = {"name": qname}
        if op == "eq":
            out["value"] = str(value.get("value", ""))[:256]
        return {"field": name, "op": op, "value": out}
    if name == "time":
        if op != "between" or not isinstance(value, dict):
            errors[where] = "A time condition is {from, to, days, timezone} with 'between'."
            return {}
        try:
            validity._minutes(value.get("from", ""))
            validity._minutes(value.get("to", ""))
            validity.zone(str(value.get("timezone") or "UTC"))
        except validity.ScheduleError as exc:
            errors[f"{where}.value"] = exc.message
            return {}
        days = value.get("days") or list(validity.DAYS)
        if not isinstance(days, list) or any(d not in validity.DAYS for d in days):
            errors[f"{where}.value"] = f"Days are {', '.join(validity.DAYS)}."
            return {}
        return {
            "field": name,
            "op": op,
            "value": {
                "from": value["from"],
                "to": value["to"],
                "days": [d for d in validity.DAYS if d in days],
                "timezone": str(value.get("timezone") or "UTC"),
            },
        }
    # date
    if op != "between" or not isinstance(value, dict):
        errors[where] = "A date condition is {from, to} with 'between'."
        return {}
    try:
        start, end = _parse_when(value.get("from")), _parse_when(value.get("to"))
    except ValueError:
        errors[f"{where}.value"] = "Use ISO dates with a time zone, e.g. 2027-01-01T00:00Z."
        return {}
    if start is None and end is None:
        errors[f"{where}.value"] = "Give a start, an end or both."
    elif start and end and end <= start:
        errors[f"{where}.value"] = "The end must come after the start."
    return {
        "field": name,
        "op": op,
        "value": {
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
        },
    }


def normalise_rule(
    *,
    conditions: Any,
    destination: str,
    variants: Any,
    own_hosts: OwnHosts = frozenset(),
) -> tuple[list[dict[str, Any]], str, list[dict[str, Any]]]:
    """Validate one rule; return (conditions, destination, variants) in canonical form or
    raise RuleError with a message per field."""
    errors: dict[str, str] = {}
    if conditions in (None, []) and variants:
        conditions = []  # a plain A/B split: every scan is shared out between the variants
    elif not isinstance(conditions, list) or not conditions:
        errors["conditions"] = "Add at least one condition (only an A/B split can go without)."
        conditions = []
    elif len(conditions) > MAX_CONDITIONS:
        errors["conditions"] = f"Use at most {MAX_CONDITIONS} conditions in one rule."
    clean_conditions = [
        normalise_condition(c, f"conditions.{i}", errors) for i, c in enumerate(conditions)
    ]
    variants = variants or []
    clean_dest = ""
    clean_variants: list[dict[str, Any]] = []
    if variants:
        if not isinstance(variants, list) or not 2 <= len(variants) <= MAX_VARIANTS:
            errors["variants"] = f"A split needs 2 to {MAX_VARIANTS} variants."
            variants = []
        labels: set[str] = set()
        for i, v in enumerate(variants):
            if not isinstance(v, dict):
                errors[f"variants.{i}"] = "A variant has a label, a destination and a weight."
                continue
            label = str(v.get("label") or chr(ord("A") + i)).strip()[:80]
            if label in labels:
                errors[f"variants.{i}.label"] = "Each variant needs its own label."
            labels.add(label)
            weight = v.get("weight", 1)
            if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 100:
                errors[f"variants.{i}.weight"] = "Weights are whole numbers from 0 to 100."
                weight = 0
            try:
                url = normalise_destination(str(v.get("destination", "")), own_hosts=own_hosts)
            except DestinationError as exc:
                errors[f"variants.{i}.destination"] = exc.message
                url = ""
            clean_variants.append({"label": label, "destination": url, "weight": weight})
        if clean_variants and sum(v["weight"] for v in clean_variants) <= 0:
            errors["variants"] = "At least one variant needs a weight above 0."
    else:
        try:
            clean_dest = normalise_destination(destination, own_hosts=own_hosts)
        except DestinationError as exc:
            errors["destination"] = exc.message
    if errors:
        raise RuleError(errors)
    return clean_conditions, clean_dest, clean_variants


# --- evaluation ------------------------------------------------------------------------


def _in_time(value: dict[str, Any], now: dt.datetime) -> bool:
    local = now.astimezone(validity.zone(value.get("timezone", "UTC")))
    schedule = {"days": {d: [[value["from"], value["to"]]] for d in value.get("days", [])}}
    return validity.in_schedule({"timezone": value.get("timezone", "UTC"), **schedule}, local)


def _ip_in(ip: str, nets: Sequence[str]) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for net in nets:
        network = ipaddress.ip_network(net, strict=False)
        if addr.version == network.version and addr in network:
            return True
    return False


def condition_holds(cond: dict[str, Any], visitor: Visitor) -> bool:
    """Unknown or malformed conditions never hold: a broken rule falls through."""
    name, op = cond.get("field"), cond.get("op")
    value: Any = cond.get("value")  # its shape depends on the field; a wrong one raises below
    try:
        if name in LIST_FIELDS:
            wanted = {str(v).lower() for v in value}
            have = {v.lower() for v in visitor.value(name) if v}
            hit = bool(wanted & have)
            return hit if op == "in" else (not hit if op == "not_in" else False)
        if name == "ip":
            hit = _ip_in(visitor.ip, value)
            return hit if op == "in" else (not hit if op == "not_in" else False)
        if name == "query":
            present = value["name"] in visitor.query
            if op == "present":
                return present
            if op == "absent":
                return not present
            return op == "eq" and present and visitor.query[value["name"]] == value["value"]
        if name == "time":
            return op == "between" and _in_time(value, visitor.now)
        if name == "date":
            start, end = _parse_when(value.get("from")), _parse_when(value.get("to"))
            return (
                op == "between"
                and (start is None or visitor.now >= start)
                and (end is None or visitor.now < end)
            )
    except (KeyError, TypeError, ValueError, AttributeError, validity.ScheduleError):
        return False
    return False


def _when_text(value: Any) -> str:
    try:
        when = _parse_when(value)
    except ValueError:
        return str(value)
    return when.strftime("%Y-%m-%d %H:%M UTC") if when else ""


def describe(cond: dict[str, Any]) -> str:
    """A condition in people's words: "Operating system is one of iOS, Android"."""
    name, op, value = cond.get("field"), cond.get("op"), cond.get("value")
    label = rule_fields.field_label(str(name))
    if name in LIST_FIELDS or name == "ip":
        values = ", ".join(rule_fields.value_label(str(name), str(v)) for v in value or [])
        return f"{label} {rule_fields.OP_LABELS.get(str(op), str(op))} {values}"
    if name == "query" and isinstance(value, dict):
        if op == "eq":
            return f"{label} {value.get('name')} equals '{value.get('value')}'"
        return f"{label} {value.get('name')} {rule_fields.OP_LABELS.get(str(op), str(op))}"
    if name == "time" and isinstance(value, dict):
        days = value.get("days") or []
        on = (
            ""
            if len(days) in (0, len(validity.DAYS))
            else " on " + ", ".join(d.title() for d in days)
        )
        return f"{label} {value.get('from')} to {value.get('to')}{on} ({value.get('timezone')})"
    if name == "date" and isinstance(value, dict):
        start, end = _when_text(value.get("from")), _when_text(value.get("to"))
        if start and end:
            return f"{label} from {start} until {end}"
        return f"{label} from {start}" if start else f"{label} until {end}"
    return label


def pick_variant(
    variants: Sequence[Mapping[str, Any]], rule_id: str, sticky_key: str
) -> Mapping[str, Any] | None:
    """Weighted, deterministic for a given visitor and rule (sticky A/B)."""
    total = sum(max(0, int(v.get("weight", 0))) for v in variants)
    if total <= 0:
        return None
    digest = hashlib.sha256(f"{rule_id}\n{sticky_key}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % total
    for v in variants:
        point -= max(0, int(v.get("weight", 0)))
        if point < 0:
            return v
    return variants[-1]


def evaluate(
    rules: Sequence[Rule],
    visitor: Visitor,
    default: str,
    *,
    trace: bool = False,
    is_safe: Callable[[str], bool] | None = None,
) -> Decision:
    """The first rule whose conditions all hold decides; `trace` records every rule.
    `is_safe` re-checks a destination read from storage (a bad row falls through)."""
    traces: list[RuleTrace] = []
    chosen: Decision | None = None
    for rule in rules:
        failed = next((c for c in rule.conditions if not condition_holds(c, visitor)), None)
        # No conditions: only a plain A/B split is stored that way, and it takes every scan.
        matched = failed is None and bool(rule.conditions or rule.variants)
        unusable = False
        if matched and chosen is None:
            destination, variant = rule.destination, ""
            if rule.variants:
                picked = pick_variant(rule.variants, rule.id, visitor.sticky_key)
                destination = str(picked.get("destination", "")) if picked else ""
                variant = str(picked.get("label", "")) if picked else ""
            if destination and (is_safe is None or is_safe(destination)):
                chosen = Decision(
                    destination=destination,
                    rule_id=rule.id,
                    variant=variant,
                    why=f"rule '{rule.label or rule.id}': "
                    + ("all conditions hold" if rule.conditions else "no conditions")
                    + (f", variant {variant}" if variant else ""),
                )
            else:
                matched, unusable = False, True
        if trace:
            # The words are built only for a trace: the edge's scans never pay for them.
            if unusable:
                why = "matched, but its destination is not usable"
            elif matched:
                why = "all conditions hold" if rule.conditions else "no conditions: every scan"
            else:
                why = f"not: {describe(failed or {})}"
            traces.append(RuleTrace(rule.id, rule.label, matched, why))
        elif chosen is not None:
            break
    decision = chosen or Decision(destination=default)
    if trace:
        return Decision(
            decision.destination, decision.rule_id, decision.variant, decision.why, tuple(traces)
        )
    return decision


def simulate(
    rules: Sequence[Rule], visitor: Visitor, default: str, utm: Mapping[str, str] | None = None
) -> Decision:
    """For the designer: which destination wins for this visitor and why (with a trace
    of every rule), and the final URL with UTM parameters as the edge would send it."""
    decision = evaluate(rules, visitor, default, trace=True)
    return Decision(
        append_utm(decision.destination, utm or {}),
        decision.rule_id,
        decision.variant,
        decision.why,
        decision.trace,
    )


def append_utm(url: str, utm: Mapping[str, str]) -> str:
    """Add UTM parameters the destination does not set itself (the owner's URL wins)."""
    if not utm or not url:
        return url
    parts = urlsplit(url)
    existing = parse_qsl(parts.query, keep_blank_values=True)
    have = {k for k, _ in existing}
    extra = [(k, str(v)) for k, v in utm.items() if v and k not in have]
    if not extra:
        return url
    query = parts.query + ("&" if parts.query else "") + urlencode(extra)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
