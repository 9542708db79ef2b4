"""Content QR codes (a menu, a coupon, a PDF...): one call makes a dynamic code and a
published landing page from the kind's starter filled with the person's essentials, in
one transaction, the code's destination set to the page. The page is then an ordinary
page: "Edit the page in the builder" and publish again.

App download codes also get two redirect rules (iOS -> App Store, Android -> Google Play),
so a phone whose OS the edge recognises goes straight to its store; everyone else, and
every phone when a store link is missing, sees the page with all the buttons.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError

from qrapp.cachebus import announce_code_changed
from qrapp.core import rules as core_rules
from qrapp.core.page_slugs import slugify
from qrapp.core.pages.content_kinds import (
    ContentKind,
    EssentialsError,
    available_kinds,
    build_document,
)
from qrapp.core.permissions import Permission
from qrapp.core.plans import Resource
from qrapp.core.shortcodes import new_short_code
from qrapp.db import Transaction, transaction
from qrapp.models import LandingPage, QRCode, RedirectRule
from qrapp.services.audit import AuditAction
from qrapp.services.authz import Actor, require
from qrapp.services.billing import entitlements
from qrapp.services.codes.checks import (
    check_design,
    check_name,
    clean_tags,
    code_text,
    require_scannable,
)
from qrapp.services.codes.records import audit_code
from qrapp.services.content import content_media
from qrapp.services.errors import FieldErrors, PermissionDenied, ServiceError
from qrapp.services.hosts import own_hosts
from qrapp.services.pages.common import (
    audit_page,
    check_page_name,
    checked_document,
    normalised,
)

# editing._free_slug is the pages service's own slug picker; a content page takes its
# address by the same rule as a page made in the builder.
from qrapp.services.pages.editing import DEFAULT_DOMAIN, _free_slug
from qrapp.services.pages.publishing import store_version

_ATTEMPTS = 8  # a random short code or a slug taken at the same moment: try again


def kind_or_raise(key: str) -> ContentKind:
    kind = next((k for k in available_kinds() if k.key == key), None)
    if kind is None:
        raise FieldErrors({"kind": "Choose one of the content types."})
    return kind


def _answers(kind: ContentKind, essentials: Mapping[str, Any]) -> dict[str, str]:
    """Only the kind's own fields, as text, each cut to a sane length (the form's checks
    then say what is too long)."""
    if not isinstance(essentials, Mapping):
        raise FieldErrors({"kind": "The form could not be read; reload and try again."})
    return {
        f.name: str(essentials.get(f.name) or "")[: f.max_length + 1 if f.kind != "file" else 400]
        for f in kind.fields
    }


def page_document(
    *, workspace_id: uuid.UUID, kind: ContentKind, answers: Mapping[str, str]
) -> dict[str, Any]:
    """The validated page document; problems as FieldErrors keyed by the form's fields."""
    media = content_media.checked_media(workspace_id=workspace_id, kind=kind, answers=answers)
    try:
        raw = build_document(kind, answers, media)
    except EssentialsError as exc:
        raise FieldErrors(exc.errors) from None
    return raw


def _store_rules(tx: Transaction, kind: ContentKind, code: QRCode, answers: Mapping[str, str]):
    if kind.key != "app":
        return
    stores = (
        ("ios", "iPhone and iPad: App Store", answers.get("app_store_url", "")),
        ("android", "Android: Google Play", answers.get("google_play_url", "")),
    )
    position = 0
    for os_name, label, url in stores:
        if not url.strip():
            continue
        try:
            conditions, destination, variants = core_rules.normalise_rule(
                conditions=[{"field": "os", "op": "in", "value": [os_name]}],
                destination=url.strip(),
                variants=None,
                own_hosts=own_hosts(),
            )
        except core_rules.RuleError as exc:
            field = "app_store_url" if os_name == "ios" else "google_play_url"
            raise FieldErrors({field: next(iter(exc.errors.values()))}) from None
        tx.session.add(
            RedirectRule(
                qrcode_id=code.id,
                position=position,
                label=label,
                conditions=conditions,
                destination=destination,
                variants=variants,
            )
        )
        position += 1


def create_content_code(
    *,
    actor: Actor,
    workspace_id: uuid.UUID,
    kind: str,
    essentials: Mapping[str, Any],
    design: dict[str, Any] | None,
    name: str,
    tags: tuple[str, ...] = (),
    ip: str = "",
) -> QRCode:
    """A dynamic code answering with a new published page of `kind`, filled with
    `essentials` (the kind's form fields). Refused with FieldErrors naming the field
    (`name`, `design...`, `kind` or one of the kind's fields); nothing is stored then."""
    ws = require(actor, Permission.CODES_EDIT)
    if not actor.can(Permission.PAGES_EDIT):
        raise PermissionDenied()
    if ws != workspace_id:
        # The form belongs to a workspace the person has switched away from meanwhile.
        raise ServiceError("You switched workspace in another tab; reload the page.")
    content = kind_or_raise(kind)
    name = check_page_name(check_name(name))
    design = check_design(design)
    clean = clean_tags(tags)
    answers = _answers(content, essentials)
    doc = checked_document(page_document(workspace_id=ws, kind=content, answers=answers))

    for _attempt in range(_ATTEMPTS):
        try:
            with transaction() as tx:
                # A page and a code in one step: both must fit the plan.
                entitlements.reserve(tx.session, ws, Resource.LANDING_PAGES)
                entitlements.require_room(tx.session, ws, Resource.DYNAMIC_CODES)
                page = LandingPage(
                    workspace_id=ws,
                    name=name,
                    domain=DEFAULT_DOMAIN,
                    slug=_free_slug(tx.session, DEFAULT_DOMAIN, slugify(name)),
                    draft=normalised(doc),
                    created_by=actor.user_id,
                )
                tx.session.add(page)
                tx.session.flush()
                audit_page(tx, actor, page, AuditAction.PAGE_CREATED, ip, {"content": kind})
                version = store_version(tx, actor, page, doc)
                audit_page(
                    tx, actor, page, AuditAction.PAGE_PUBLISHED, ip, {"version": version.number}
                )
                code = QRCode(
                    workspace_id=ws,
                    name=name,
                    content_type="url",
                    payload={},
                    design=design,
                    is_dynamic=True,
                    short_code=new_short_code(),
                    destination="",
                    tags=clean,
                    created_by=actor.user_id,
                    landing_page_id=page.id,
                )
                tx.session.add(code)
                tx.session.flush()
                require_scannable(code_text(code), design)
                _store_rules(tx, content, code, answers)
                audit_code(
                    tx,
                    actor,
                    code,
                    AuditAction.QR_CREATED,
                    ip,
                    {"dynamic": True, "content": kind, "page": str(page.id)},
                )
                tx.after_commit(
                    functools.partial(announce_code_changed, code.domain, code.short_code)
                )
            return code
        except IntegrityError:
            continue
    raise ServiceError("Could not give the code a short link; please try again.")
