"""The uploaded files a content code's page shows: each must be the workspace's own and
of the kind the form asks for (a PDF for a PDF code...)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from qrapp.core.pages.content_kinds import ContentKind
from qrapp.services.errors import FieldErrors
from qrapp.services.media.refs import media_refs

_KIND_WORDS = {"pdf": "a PDF", "image": "an image", "video": "a video", "audio": "an audio file"}


def asset_ids(value: str) -> list[str]:
    return [p for p in re.split(r"[\s,]+", value or "") if p][:50]


def checked_media(
    *, workspace_id: uuid.UUID, kind: ContentKind, answers: Mapping[str, str]
) -> dict[str, Any]:
    """{asset id: MediaRef} for the kind's file field ({} for kinds without files)."""
    spec = kind.file_field
    if spec is None:
        return {}
    ids = asset_ids(answers.get(spec.name, ""))
    if not ids:
        raise FieldErrors({spec.name: "Upload a file."})
    refs = media_refs(workspace_id, ids)
    for asset_id in ids:
        ref = refs.get(asset_id)
        if ref is None:
            raise FieldErrors({spec.name: "That file is gone; upload it again."})
        if ref.kind != spec.accept:
            word = _KIND_WORDS.get(spec.accept, "another file")
            raise FieldErrors({spec.name: f"“{ref.filename}” is not {word}; upload {word}."})
    return refs
