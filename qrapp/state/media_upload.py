"""Uploading files from a plain <input type=file> to the media route (POST /_upload/media,
qrapp.api.media_upload) from the browser, one request per file, so large videos and PDFs
are capped by the media settings instead of Reflex's 3 MB /_upload limit.

A handler returns `upload_files(input_id, callback)`; the browser posts the chosen files
and calls `callback` with a list of the route's answers ({id, kind, name, url} or
{error}). The callback must trust only ids it finds in the actor's workspace.
"""

from __future__ import annotations

import json
from typing import Any

import reflex as rx

from qrapp.core import routes
from qrapp.settings import get_settings

MAX_FILES = 24
_SCRIPT = """(async () => {
  const input = document.getElementById(%(input)s);
  const files = Array.from((input && input.files) || []).slice(0, %(max)d);
  const answers = [];
  for (const file of files) {
    const body = new FormData();
    body.append("file", file, file.name);
    try {
      const r = await fetch(%(url)s, {method: "POST", body, credentials: "include"});
      const failed = {error: file.name + " could not be uploaded (" + r.status + ")."};
      answers.push(await r.json().catch(() => failed));
    } catch (e) {
      answers.push({error: "The upload failed. Check the connection and try again."});
    }
  }
  if (input) input.value = "";
  return answers;
})()"""


def upload_files(input_id: str, callback: Any, max_files: int = MAX_FILES):
    url = get_settings().public_api_url.rstrip("/") + routes.MEDIA_UPLOAD
    script = _SCRIPT % {
        "input": json.dumps(input_id),
        "max": max_files,
        "url": json.dumps(url),
    }
    return rx.call_script(script, callback=callback)


def answers_of(raw: Any) -> tuple[list[str], list[str]]:
    """(asset ids, error messages) from the browser's list of answers, each cut short."""
    ids: list[str] = []
    errors: list[str] = []
    for answer in raw if isinstance(raw, list) else []:
        if not isinstance(answer, dict):
            continue
        if answer.get("error"):
            errors.append(str(answer["error"])[:300])
        elif answer.get("id"):
            ids.append(str(answer["id"])[:64])
    return ids[:MAX_FILES], errors[:MAX_FILES]


def plan_limit_of(raw: Any) -> str:
    """The first answer the plan refused (media storage full), '' when none."""
    for answer in raw if isinstance(raw, list) else []:
        if isinstance(answer, dict) and answer.get("plan_limit") and answer.get("error"):
            return str(answer["error"])[:300]
    return ""
