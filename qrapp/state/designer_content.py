"""Content QR types in the designer (a menu, a coupon, a PDF...): their cards, their short
forms as the designer's field views, checking the answers as the person types, and
uploading the file of a PDF, images, video or MP3 code.

Saving one makes a dynamic code and its published page in one call
(services.content.content_codes); the design and the preview are the designer's own.
"""

from __future__ import annotations

import asyncio
from typing import Any

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
from qrapp.services.media.refs import media_refs
from qrapp.state.base import load_actor
from qrapp.state.designer_cards import FieldView, TypeCard
from qrapp.state.designer_checks import content_key
from qrapp.state.media_upload import MAX_FILES, answers_of, upload_files

PREFIX = "page-"  # a content kind's key in the type grid and the ?type= parameter
FILE_INPUT_ID = "f-file"
ACCEPT_ATTR = {
    "pdf": "application/pdf,.pdf",
    "image": "image/jpeg,image/png,image/webp",
    "video": "video/mp4,.mp4",
    "audio": "audio/mpeg,.mp3",
}


def content_cards() -> list[TypeCard]:
    return [
        TypeCard(key=PREFIX + k.key, label=k.label, icon=k.icon, blurb=k.blurb)
        for k in available_kinds()
    ]


CONTENT_CARDS = content_cards()
CONTENT_KEYS = {c["key"] for c in CONTENT_CARDS}
ACCEPTED_FILES = {
    "pdf": "a PDF",
    "image": "a JPEG, PNG or WebP image",
    "video": "an MP4 video",
    "audio": "an MP3 file",
}


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
    """The file of a file kind: sent by the browser to the media route, then kept as the
    form's `file` value (asset ids; several for images) once the ids are found to be this
    workspace's files of the right kind."""

    uploaded_files: list[str] = []  # names of the files the form holds, for the person
    uploading: bool = False
    file_accept: str = ""  # the file input's accept="" for the chosen kind
    file_multiple: bool = False

    def _set_file_kind(self, kind: ContentKind | None) -> None:
        spec = kind.file_field if kind else None
        self.file_accept = ACCEPT_ATTR.get(spec.accept, "") if spec else ""
        self.file_multiple = kind is not None and kind.key == "images"

    @rx.event
    async def start_content_upload(self):
        kind = kind_of(self.content_type)
        if kind is None or kind.file_field is None:
            return None
        try:
            await load_actor(self, Permission.PAGES_EDIT)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        self.uploading = True
        limit = MAX_FILES if self.file_multiple else 1
        return upload_files(FILE_INPUT_ID, type(self).content_uploaded, limit)

    @rx.event
    async def content_uploaded(self, answers: Any):
        self.uploading = False
        kind = kind_of(self.content_type)
        spec = kind.file_field if kind else None
        if spec is None:
            return None
        try:
            actor = await load_actor(self, Permission.PAGES_EDIT)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        ids, problems = answers_of(answers)
        refs = await asyncio.to_thread(media_refs, actor.workspace_id, ids) if ids else {}
        new_ids, new_names = [], []
        for asset_id in ids:
            ref = refs.get(asset_id)
            if ref is None:
                problems.append("That file is not in this workspace's media.")
            elif ref.kind != spec.accept:
                word = ACCEPTED_FILES.get(spec.accept, "the right kind of file")
                problems.append(f"“{ref.filename}” is not {word}.")
            else:
                new_ids.append(asset_id)
                new_names.append(ref.filename)
        if new_ids:
            # Images add to the gallery; the other kinds hold one file, the latest.
            held = [i for i in self.values.get(spec.name, "").split(",") if i]
            before = (held, list(self.uploaded_files)) if self.file_multiple else ([], [])
            self.values[spec.name] = ",".join([*before[0], *new_ids][-MAX_FILES:])
            self.uploaded_files = [*before[1], *new_names][-MAX_FILES:]
        key = content_key(spec.name)
        self._refused.pop(key, None)
        if problems:
            self._refused = {**self._refused, key: " ".join(problems)}
        self._check()
        return rx.toast.error(problems[0]) if problems else None
