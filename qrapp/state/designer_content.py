"""Content QR types in the designer (a menu, a coupon, a PDF...): their cards, their short
forms as the designer's field views, checking the answers as the person types, and
uploading the file of a PDF, images, video or MP3 code.

Saving one makes a dynamic code and its published page in one call
(services.content.content_codes); the design and the preview are the designer's own.
"""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from qrapp.core.pages.content_kinds import (
    ContentKind,
    EssentialsError,
    available_kinds,
    build_document,
    get_kind,
)
from qrapp.core.permissions import Permission
from qrapp.services.errors import ServiceError
from qrapp.services.media import uploads
from qrapp.state.base import load_actor
from qrapp.state.designer_cards import FieldView, TypeCard
from qrapp.state.designer_checks import content_key

log = logging.getLogger(__name__)

PREFIX = "page-"  # a content kind's key in the type grid and the ?type= parameter
# Reflex's /_upload takes bodies up to api.upload_limit.MAX_UPLOAD_BYTES.
MAX_FILE_BYTES = 3 * 1024 * 1024 - 64 * 1024


def content_cards() -> list[TypeCard]:
    return [
        TypeCard(key=PREFIX + k.key, label=k.label, icon=k.icon, blurb=k.blurb)
        for k in available_kinds()
    ]


CONTENT_CARDS = content_cards()
CONTENT_KEYS = {c["key"] for c in CONTENT_CARDS}
ACCEPTED_FILES = {"pdf": ".pdf", "image": "JPEG, PNG or WebP", "video": ".mp4", "audio": ".mp3"}


def kind_of(type_key: str) -> ContentKind | None:
    if type_key not in CONTENT_KEYS:
        return None
    return get_kind(type_key.removeprefix(PREFIX))


def field_views(kind: ContentKind) -> list[FieldView]:
    return [
        FieldView(
            name=f.name,
            label=f.label,
            kind=f.kind,
            required=f.required,
            help=f.help,
            choices=list(f.choices),
        )
        for f in kind.fields
    ]


def initial_values(kind: ContentKind) -> dict[str, str]:
    return {f.name: f.default for f in kind.fields}


def problems(kind: ContentKind, values: dict[str, str]) -> dict[str, str]:
    """What keeps the answers from making a page, keyed like the designer's fields."""
    try:
        build_document(kind, values)
    except EssentialsError as exc:
        return {content_key(k): v for k, v in exc.errors.items()}
    return {}


class ContentUploadMixin(rx.State, mixin=True):
    """The file of a file kind: uploaded to the workspace's media library at once, its
    asset id kept as the form's `file` value (several for images)."""

    uploaded_files: list[str] = []  # names of the files the form holds, for the person
    uploading: bool = False

    @rx.event
    async def upload_content_file(self, files: list[rx.UploadFile]):
        kind = kind_of(self.content_type)
        spec = kind.file_field if kind else None
        if spec is None or not files:
            return
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
        except ServiceError as exc:
            yield rx.toast.error(exc.message)
            return
        many = kind is not None and kind.key == "images"
        self.uploading = True
        yield
        ids = [i for i in self.values.get(spec.name, "").split(",") if i] if many else []
        names = list(self.uploaded_files) if many else []
        problem = ""
        for upload in files[: 24 if many else 1]:
            data = await upload.read(MAX_FILE_BYTES + 1)
            name = (upload.name or upload.filename or "file")[-200:]
            if len(data) > MAX_FILE_BYTES:
                problem = f"“{name}” is larger than 3 MB."
                continue
            try:
                asset = await asyncio.to_thread(
                    uploads.upload,
                    actor=actor,
                    workspace_id=actor.workspace_id,
                    filename=name,
                    data=data,
                )
            except ServiceError as exc:
                problem = exc.message
                continue
            except Exception:
                log.exception("content upload failed")
                problem = f"“{name}” could not be stored; try again."
                continue
            if asset.kind != spec.accept:
                problem = f"“{name}” is not {ACCEPTED_FILES.get(spec.accept, 'the right kind')}."
                continue
            ids.append(str(asset.id))
            names.append(name)
        self.uploading = False
        if ids:
            self.values[spec.name] = ",".join(ids)
            self.uploaded_files = names
            self._refused.pop(content_key(spec.name), None)
            self._check()
        if problem:
            self._refused = {**self._refused, content_key(spec.name): problem}
            self._check()
            yield rx.toast.error(problem)
