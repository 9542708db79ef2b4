"""The whole answer a scan of a dynamic code gets, step by step, and which step decided.
Pure: the code's facts and the visitor in, an `Outcome` out.

The steps, in the edge's order:
  1. validity   status (paused, archived), start and end dates, weekly schedule
     billing    the workspace's paid plan expired and this code is beyond the Free
                allowance (qrapp.services.billing.suspension): the "temporarily
                unavailable" page or the fallback URL, and unlike the other refusals
                the scan is still counted (the owner sees the codes are being scanned)
  2. password   the visitor has not entered the code's password yet
  3. limits     (codes with a scan limit only) bots and link previews get a neutral page;
                one scan per visitor; maximum scans reached
  4. rules      the first matching rule (or its A/B variant), else the code's destination

The edge needs storage between steps 2 and 3 (the one-per-visitor mark and the scan slot
are taken atomically in the database), so it calls the steps one by one: `admission` where
it checks validity today, `limits` with the results of its storage calls, `route` where
it evaluates the rules. `decide` runs all four for facts known up front; the "Simulate a
scan" panel calls it, so the panel and the edge share every step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from qrapp.core import validity
from qrapp.core.rules import Rule, RuleTrace, Visitor, append_utm, evaluate

VALIDITY = "validity"
BILLING = "billing"
PASSWORD = "password"  # noqa: S105 (a step name)
PREVIEW = "preview"
LIMIT = "limit"
RULE = "rule"
DEFAULT = "default"

PASSWORD_PAGE = "password"  # noqa: S105 (a page name)
PREVIEW_PAGE = "preview"
BAD_DESTINATION = "bad_destination"
BILLING_PAGE = "billing_paused"


class CodeFacts(Protocol):
    """What the decision reads of a code: the edge's cached Link has these attributes."""

    # Read-only properties, not plain attributes: the decision never writes them, and a
    # Protocol's plain attributes are invariant (Link's `password_hash: str` or
    # `rules: list[Rule]` would not match `str | None` and `Sequence[Rule]`).
    @property
    def status(self) -> str: ...
    @property
    def starts_at(self) -> dt.datetime | None: ...
    @property
    def ends_at(self) -> dt.datetime | None: ...
    @property
    def schedule(self) -> dict[str, Any] | None: ...
    @property
    def destination(self) -> str: ...
    @property
    def fallback_url(self) -> str: ...
    @property
    def utm(self) -> Mapping[str, str]: ...
    @property
    def rules(self) -> Sequence[Rule]: ...
    @property
    def password_hash(self) -> str | None: ...
    @property
    def max_scans(self) -> int | None: ...
    @property
    def one_scan_per_visitor(self) -> bool: ...
    @property
    def billing_paused(self) -> bool: ...


@dataclass(frozen=True)
class Code:
    """CodeFacts as a plain value (for callers that have a database row, not a Link)."""

    status: str = "active"
    destination: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    schedule: dict[str, Any] | None = None
    fallback_url: str = ""
    utm: Mapping[str, str] = field(default_factory=dict)
    rules: Sequence[Rule] = ()
    password_hash: str | None = None
    max_scans: int | None = None
    one_scan_per_visitor: bool = False
    billing_paused: bool = False


class Outcome(NamedTuple):
    """`page` is the page the visitor sees ("" when redirected); `location` the URL they
    are sent to (302; UTM added), also for a refusal when the code has a fallback URL;
    `destination` the rule's or code's destination as the scan event records it.

    A NamedTuple, not a frozen dataclass: the edge makes one per scan of a code with
    rules, and a frozen dataclass of these fields takes 1.7 us to build, this 0.7 us."""

    step: str
    page: str = ""
    location: str = ""
    destination: str = ""
    rule_id: str | None = None
    rule_number: int = 0
    rule_label: str = ""
    variant: str = ""
    trace: tuple[RuleTrace, ...] = ()

    @property
    def why(self) -> str:
        return explain(self)


Safe = Callable[[str], bool]


def _refused(code: CodeFacts, step: str, reason: str, is_safe: Safe | None) -> Outcome:
    # As the edge's reason pages: the owner's fallback URL, when usable, replaces the page.
    fallback = code.fallback_url
    if fallback and (is_safe is None or is_safe(fallback)):
        return Outcome(step=step, page=reason, location=fallback)
    return Outcome(step=step, page=reason)


def admission(
    code: CodeFacts, now: dt.datetime, *, password_granted: bool, is_safe: Safe | None = None
) -> Outcome | None:
    """Steps 1 and 2: None when the scan may go on to the limits and the rules."""
    reason = validity.check(
        status=code.status,
        starts_at=code.starts_at,
        ends_at=code.ends_at,
        schedule=code.schedule,
        now=now,
    )
    if reason:
        return _refused(code, VALIDITY, reason, is_safe)
    # After validity (an owner's own pause or end date says more than the plan does) and
    # before the password and the limits: a paused code asks nothing of the visitor and
    # uses up none of its scans.
    if code.billing_paused:
        return _refused(code, BILLING, BILLING_PAGE, is_safe)
    if code.password_hash and not password_granted:
        return Outcome(step=PASSWORD, page=PASSWORD_PAGE)
    return None


def always_admitted(code: CodeFacts) -> bool:
    """True when `admission` lets every scan through at any time (active, no dates, no
    weekly schedule, no password): a caller that keeps the code (the edge's cache) may
    skip the step for it."""
    return (
        code.status == "active"
        and code.starts_at is None
        and code.ends_at is None
        and not code.schedule
        and not code.password_hash
        and not code.billing_paused
    )


def is_limited(code: CodeFacts) -> bool:
    return bool(code.max_scans) or code.one_scan_per_visitor


def limits(
    code: CodeFacts,
    *,
    is_bot: bool,
    already_scanned: bool,
    slot_left: bool,
    is_safe: Safe | None = None,
) -> Outcome | None:
    """Step 3, for a limited code. `already_scanned`: this visitor's once-mark was taken
    before; `slot_left`: a scan under max_scans was granted. The edge asks storage in this
    order and only as far as needed (a refused visitor does not use up a slot)."""
    if not is_limited(code):
        return None
    # Limits are for people: a chat app's link preview must not use up a one-time code.
    if is_bot:
        return Outcome(step=PREVIEW, page=PREVIEW_PAGE)
    if code.one_scan_per_visitor and already_scanned:
        return _refused(code, LIMIT, validity.ALREADY_SCANNED, is_safe)
    if code.max_scans and not slot_left:
        return _refused(code, LIMIT, validity.LIMIT_REACHED, is_safe)
    return None


def route(
    code: CodeFacts, visitor: Visitor, *, is_safe: Safe | None = None, trace: bool = False
) -> Outcome:
    """Step 4: the first matching rule (A/B variant picked), else the code's destination."""
    decision = evaluate(code.rules, visitor, code.destination, trace=trace, is_safe=is_safe)
    destination = decision.destination
    if not destination or (is_safe is not None and not is_safe(destination)):
        return Outcome(step=DEFAULT, page=BAD_DESTINATION, trace=decision.trace)
    number, label = 0, ""
    if decision.rule_id is not None:
        for i, rule in enumerate(code.rules):
            if rule.id == decision.rule_id:
                number, label = i + 1, rule.label
                break
    return Outcome(
        step=RULE if decision.rule_id is not None else DEFAULT,
        location=append_utm(destination, code.utm or {}),
        destination=destination,
        rule_id=decision.rule_id,
        rule_number=number,
        rule_label=label,
        variant=decision.variant,
        trace=decision.trace,
    )


# Any visitor: with no rules, route() looks at none of it.
_ANYONE = Visitor(now=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))


def fixed_route(code: CodeFacts, *, is_safe: Safe | None = None) -> Outcome:
    """`route` for a code without rules: the same for every visitor, so a caller that
    keeps the code (the edge's cache) may keep this too."""
    if code.rules:
        raise ValueError("a code with rules routes each visitor on their own")
    return route(code, _ANYONE, is_safe=is_safe)


def decide(
    code: CodeFacts,
    visitor: Visitor,
    *,
    password_granted: bool = False,
    is_bot: bool = False,
    already_scanned: bool = False,
    slot_left: bool = True,
    is_safe: Safe | None = None,
    trace: bool = False,
) -> Outcome:
    """All the steps, for a scan whose storage facts are known (the simulator)."""
    return (
        admission(code, visitor.now, password_granted=password_granted, is_safe=is_safe)
        or limits(
            code,
            is_bot=is_bot,
            already_scanned=already_scanned,
            slot_left=slot_left,
            is_safe=is_safe,
        )
        or route(code, visitor, is_safe=is_safe, trace=trace)
    )


# --- in people's words ------------------------------------------------------------------

_VALIDITY_WORDS = {
    validity.PAUSED: "Paused",
    validity.ARCHIVED: "Archived",
    validity.NOT_STARTED: "Not started yet (before the start date)",
    validity.EXPIRED: "Expired (after the end date)",
    validity.OUTSIDE_SCHEDULE: "Outside the weekly schedule",
    validity.LIMIT_REACHED: "Maximum scans reached",
    validity.ALREADY_SCANNED: "Already scanned by this visitor (one scan per visitor)",
}
_PAGE_NAMES = {
    validity.PAUSED: "the paused page",
    validity.ARCHIVED: "the 'code has ended' page",
    validity.NOT_STARTED: "the 'not yet' page",
    validity.EXPIRED: "the expired page",
    validity.OUTSIDE_SCHEDULE: "the 'closed right now' page",
    validity.LIMIT_REACHED: "the 'used up' page",
    validity.ALREADY_SCANNED: "the 'already scanned' page",
}


def explain(outcome: Outcome) -> str:
    """The deciding step as a sentence, e.g. "Paused: the visitor sees the paused page"."""
    if outcome.step == BILLING:
        head = "Paused because the paid plan ended (the scan is still counted)"
        if outcome.location:
            return f"{head}: the visitor is sent to the fallback URL → {outcome.location}"
        return f"{head}: the visitor sees your 'temporarily unavailable' page"
    if outcome.step in (VALIDITY, LIMIT):
        head = _VALIDITY_WORDS.get(outcome.page, outcome.page)
        if outcome.location:
            return f"{head}: the visitor is sent to the fallback URL → {outcome.location}"
        return f"{head}: the visitor sees {_PAGE_NAMES.get(outcome.page, 'a notice page')}"
    if outcome.step == PASSWORD:
        return "Password required: the visitor sees the password form"
    if outcome.step == PREVIEW:
        return (
            "Bot or link preview: a code with a scan limit shows it a neutral page and keeps "
            "its scans for people"
        )
    if outcome.page == BAD_DESTINATION:
        return "No usable destination: the visitor sees the 'cannot be opened' page"
    if outcome.step == RULE:
        name = f"Rule {outcome.rule_number}" + (
            f" '{outcome.rule_label}'" if outcome.rule_label else ""
        )
        if outcome.variant:
            return f"{name} matched, A/B variant {outcome.variant} → {outcome.location}"
        return f"{name} matched → {outcome.location}"
    return f"No rule matched: the code's destination → {outcome.location}"
