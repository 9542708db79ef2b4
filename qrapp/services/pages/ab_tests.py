"""A/B tests of landing pages: start one (the page as it is is "A"; "B" starts as a copy
with its own page to edit in the builder), change the weights, stop it, and make the
winner the page (its document published as the page's next version). Reading the results
is services.pages.ab_results.

The edge learns about a test through the page's snapshot (services.pages.page_access):
every change here announces the tested page after commit, as publishing does.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from qrapp.core import ab_tests
from qrapp.core.page_slugs import slugify
from qrapp.core.permissions import Permission
from qrapp.core.plans import Resource
from qrapp.db import read_session, transaction
from qrapp.models import LandingPage, LandingPageVersion, PageTest, PageVariant
from qrapp.models.types import utcnow
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.errors import FieldErrors, NotFound, ServiceError
from qrapp.services.pages.common import (
    announce_after_commit,
    audit_page,
    check_page_name,
    checked_document,
    normalised,
    page_in_workspace_or_raise,
    replace_draft,
)
from qrapp.services.pages.editing import _free_slug
from qrapp.services.pages.publishing import store_version
from qrapp.services.pages.variant_render import render_variant

DEFAULT_DOMAIN = ""


@dataclass(frozen=True)
class Goal:
    value: str  # "click:<target>" or "lead:<block id>" ("lead:" = any form of the page)
    label: str


def as_uuid(value: uuid.UUID | str, what: str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise NotFound(what) from None


def _live_version(session: Session, page: LandingPage) -> LandingPageVersion:
    if page.status != "published" or page.published_version is None:
        raise ServiceError("Publish the page first: a test splits the visitors of a live page.")
    version = session.exec(
        select(LandingPageVersion).where(
            col(LandingPageVersion.page_id) == page.id,
            col(LandingPageVersion.number) == page.published_version,
        )
    ).first()
    if version is None:
        raise ServiceError("Publish the page first: a test splits the visitors of a live page.")
    return version


def _labels(document: Mapping[str, Any]) -> dict[str, str]:
    """Click target id -> a name a person recognises (a button's label, a link's text)."""
    labels: dict[str, str] = {}

    def walk(node: Any, block_type: str) -> None:
        if isinstance(node, dict):
            ident = node.get("id")
            inner = node.get("props")
            props: dict[str, Any] = inner if isinstance(inner, dict) else node
            text = next(
                (
                    str(props.get(k))
                    for k in ("label", "text", "title", "button_label", "name")
                    if isinstance(props.get(k), str) and props.get(k)
                ),
                "",
            )
            kind = str(node.get("type") or block_type)
            if isinstance(ident, str) and ident:
                labels[ident] = f"{kind.replace('_', ' ').capitalize()}: {text}" if text else kind
            for value in node.values():
                walk(value, kind)
        elif isinstance(node, list):
            for item in node:
                walk(item, block_type)

    walk(document.get("blocks", []), "block")
    return labels


def goals_of(version: LandingPageVersion) -> list[Goal]:
    labels = _labels(version.document or {})
    goals = []
    for target in sorted(version.clicks or {}):
        base = labels.get(target) or labels.get(target.split("-", 1)[0]) or target
        goals.append(Goal(f"click:{target}", f"Click on {base}"))
    forms = sorted(version.forms or {})
    for block_id in forms:
        goals.append(Goal(f"lead:{block_id}", f"Lead sent with {labels.get(block_id, block_id)}"))
    if len(forms) > 1:
        goals.append(Goal("lead:", "Lead sent with any form"))
    return goals


def goal_choices(*, actor: Actor, page_id: uuid.UUID | str) -> list[Goal]:
    """What a test of the page can count as a conversion (its live version's click
    targets and lead forms). Empty when the page is not published."""
    workspace_id = require(actor, Permission.WORKSPACE_VIEW)
    with read_session() as s:
        page = page_in_workspace_or_raise(s, workspace_id, as_uuid(page_id, "page"))
        try:
            version = _live_version(s, page)
        except ServiceError:
            return []
        return goals_of(version)


def _parse_goal(goal: str, version: LandingPageVersion) -> tuple[str, str]:
    allowed = {g.value for g in goals_of(version)}
    if goal not in allowed:
        raise FieldErrors(
            {"goal": "Choose what counts as a conversion: a button or link, or a lead form."}
        )
    kind, _, target = goal.partition(":")
    return kind, target


def _check_weights(weights: Mapping[str, Any], keys: list[str]) -> dict[str, int]:
    values: dict[str, int] = {}
    for key in keys:
        raw = weights.get(key, 0)
        try:
            values[key] = int(str(raw).strip() or "0")
        except ValueError:
            raise FieldErrors(
                {"weights": f"The weight of {key} must be a whole number from 0 to 100."}
            ) from None
    problem = ab_tests.check_weights(list(values.values()))
    if problem:
        raise FieldErrors({"weights": problem})
    return values


def _running(session: Session, page_id: uuid.UUID) -> PageTest | None:
    return session.exec(
        select(PageTest).where(col(PageTest.page_id) == page_id, col(PageTest.status) == "running")
    ).first()


def _variant_pages(session: Session, workspace_id: uuid.UUID) -> set[uuid.UUID]:
    rows = session.exec(
        select(PageVariant.source_page_id)
        .join(PageTest, col(PageTest.id) == col(PageVariant.test_id))
        .where(col(PageTest.workspace_id) == workspace_id, col(PageTest.status) == "running")
    ).all()
    return {r for r in rows if r is not None}


def start_test(
    *,
    actor: Actor,
    page_id: uuid.UUID | str,
    goal: str,
    weights: Mapping[str, Any] | None = None,
    ip: str = "",
) -> PageTest:
    """Start a test of the published page: A is the page as it is, B a copy of its live
    document with its own draft page (edited and published in the builder like any page;
    each publish of it updates what B's visitors see)."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    key = as_uuid(page_id, "page")
    split = _check_weights(weights or {"A": 50, "B": 50}, ["A", "B"])
    for _attempt in range(3):
        try:
            with transaction() as tx:
                s = tx.session
                entitlements.reserve(s, workspace_id, Resource.LANDING_PAGES)  # variant B
                page = page_in_workspace_or_raise(s, workspace_id, key)
                version = _live_version(s, page)
                goal_kind, goal_target = _parse_goal(goal, version)
                if _running(s, page.id) is not None:
                    raise ServiceError("This page already has a test running. Stop it first.")
                if page.id in _variant_pages(s, workspace_id):
                    raise ServiceError(
                        "This page is a variant in another page's test; test that page instead."
                    )
                doc = checked_document(version.document)
                name = check_page_name(f"{page.name} (variant B)"[:120])
                copy = LandingPage(
                    workspace_id=workspace_id,
                    name=name,
                    domain=DEFAULT_DOMAIN,
                    slug=_free_slug(s, DEFAULT_DOMAIN, slugify(name)),
                    draft=normalised(doc),
                    created_by=actor.user_id,
                )
                s.add(copy)
                test = PageTest(
                    page_id=page.id,
                    workspace_id=workspace_id,
                    goal_kind=goal_kind,
                    goal_target=goal_target,
                    created_by=actor.user_id,
                )
                s.add(test)
                s.flush()
                s.add(PageVariant(test_id=test.id, key="A", name="Original", weight=split["A"]))
                variant_b = PageVariant(
                    test_id=test.id, key="B", name="Variant B", weight=split["B"]
                )
                variant_b.source_page_id = copy.id
                render_variant(variant_b, doc, workspace_id=workspace_id, slug=page.slug, version=0)
                s.add(variant_b)
                audit_page(
                    tx, actor, copy, AuditAction.PAGE_CREATED, ip, {"variant_of": str(page.id)}
                )
                audit_page(
                    tx,
                    actor,
                    page,
                    AuditAction.PAGE_TEST_STARTED,
                    ip,
                    {"test": str(test.id), "weights": split, "goal": goal},
                )
                announce_after_commit(tx, page)
            return test
        except IntegrityError:
            continue  # the copy's slug was taken at the same moment: pick another
    raise ServiceError("Could not start the test; please try again.")


def _test_or_raise(session: Session, page: LandingPage, *, running: bool) -> PageTest:
    q = select(PageTest).where(col(PageTest.page_id) == page.id)
    if running:
        q = q.where(col(PageTest.status) == "running")
    test = session.exec(q.order_by(col(PageTest.started_at).desc())).first()
    if test is None:
        raise ServiceError("This page has no test running." if running else "No test yet.")
    return test


def variants_of(session: Session, test: PageTest) -> list[PageVariant]:
    return list(
        session.exec(
            select(PageVariant)
            .where(col(PageVariant.test_id) == test.id)
            .order_by(col(PageVariant.key))
        ).all()
    )


def set_weights(
    *, actor: Actor, page_id: uuid.UUID | str, weights: Mapping[str, Any], ip: str = ""
) -> None:
    """New traffic shares for the running test (visitors keep the variant they saw)."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    with transaction() as tx:
        page = page_in_workspace_or_raise(tx.session, workspace_id, as_uuid(page_id, "page"))
        test = _test_or_raise(tx.session, page, running=True)
        variants = variants_of(tx.session, test)
        split = _check_weights(weights, [v.key for v in variants])
        for v in variants:
            v.weight = split[v.key]
            tx.session.add(v)
        audit_page(
            tx,
            actor,
            page,
            AuditAction.PAGE_TEST_WEIGHTS,
            ip,
            {"test": str(test.id), "weights": split},
        )
        announce_after_commit(tx, page)


def _stop(test: PageTest) -> None:
    test.status = "stopped"
    test.stopped_at = utcnow()


def stop_test(*, actor: Actor, page_id: uuid.UUID | str, ip: str = "") -> None:
    """Stop the running test: every visitor sees the page (A) again; results stay."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    with transaction() as tx:
        page = page_in_workspace_or_raise(tx.session, workspace_id, as_uuid(page_id, "page"))
        test = _test_or_raise(tx.session, page, running=True)
        _stop(test)
        tx.session.add(test)
        audit_page(tx, actor, page, AuditAction.PAGE_TEST_STOPPED, ip, {"test": str(test.id)})
        announce_after_commit(tx, page)


def make_winner(
    *, actor: Actor, page_id: uuid.UUID | str, key: str, ip: str = ""
) -> LandingPageVersion:
    """Publish variant `key`'s document as the page's next version (and make it the
    draft), and end the test. Audited as the test's winner and as a publish."""
    workspace_id = require(actor, Permission.PAGES_EDIT)
    try:
        with transaction() as tx:
            s = tx.session
            page = page_in_workspace_or_raise(s, workspace_id, as_uuid(page_id, "page"))
            test = _test_or_raise(s, page, running=False)
            if test.winner:
                raise ServiceError(f"{test.winner} was already made the page.")
            variant = next((v for v in variants_of(s, test) if v.key == key), None)
            if variant is None:
                raise FieldErrors({"winner": "Choose one of the test's variants."})
            raw = _live_version(s, page).document if variant.key == "A" else variant.document
            doc = checked_document(raw)
            replace_draft(tx, page, normalised(doc), base_revision=None)
            version = store_version(tx, actor, page, doc)
            if test.status == "running":
                _stop(test)
            test.winner = variant.key
            s.add(test)
            details = {"test": str(test.id), "winner": variant.key, "version": version.number}
            audit_page(tx, actor, page, AuditAction.PAGE_TEST_WINNER, ip, details)
            audit_page(tx, actor, page, AuditAction.PAGE_PUBLISHED, ip, {"version": version.number})
        return version
    except IntegrityError:
        raise ServiceError("The page was published at the same moment; try again.") from None
