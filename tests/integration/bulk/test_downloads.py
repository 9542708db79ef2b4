"""The ZIP and the CSV of links through their signed, expiring links: served to a member of
the job's workspace while the link is fresh; refused when expired, altered, for another
workspace's session or without one."""

from __future__ import annotations

import io
import time
import zipfile
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.testclient import TestClient

from qrapp.api.app import transform
from qrapp.services.bulk import jobs, links, work
from qrapp.settings import get_settings
from tests.integration.bulk.conftest import DYNAMIC, url_rows


def _get(url: str, token: str | None):
    client = TestClient(transform(Starlette()), follow_redirects=False)
    if token:
        client.cookies.set(get_settings().session_cookie_name, token)
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def _done_job(owner):
    job = jobs.start_job(
        actor=owner,
        workspace_id=owner.workspace_id,
        options=DYNAMIC,
        rows=url_rows(3),
        filename="Menü cards.csv",
    )
    work.run(job.id)
    return job


def test_the_zip_and_links_are_served_to_the_workspace_through_a_fresh_link(owner, owner_token):
    job = _done_job(owner)
    url = jobs.download_link(actor=owner, job_id=job.id, kind="zip")
    assert url.startswith(get_settings().public_api_url + "/files/bulk/")
    response = _get(url, owner_token)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert "Men%C3%BC%20cards-codes.zip" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "private, no-store"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == ["1-Poster 1.png", "2-Poster 2.png", "3-Poster 3.png", "manifest.csv"]

    csv_response = _get(jobs.download_link(actor=owner, job_id=job.id, kind="links"), owner_token)
    assert csv_response.status_code == 200
    assert csv_response.text.lstrip("\ufeff").splitlines()[0] == "row,name,short_url"


def test_links_are_refused_expired_altered_elsewhere_or_signed_out(
    owner, owner_token, stranger_token
):
    job = _done_job(owner)
    url = jobs.download_link(actor=owner, job_id=job.id, kind="zip")

    expired = links.signed_url(job.id, owner.workspace_id, "zip", not_after=time.time() - 1)
    response = _get(expired, owner_token)
    assert response.status_code == 403
    assert "expired" in response.text

    other_kind = url.replace("/zip?", "/links?")  # the signature covers the kind
    assert _get(other_kind, owner_token).status_code == 403
    longer = url.replace("e=", "e=9")  # nor can the expiry be stretched
    assert _get(longer, owner_token).status_code == 403

    foreign = _get(url, stranger_token)  # another workspace's member holding the link
    assert foreign.status_code == 404
    assert b"PK" not in foreign.content[:2]
    assert _get(url, None).status_code == 401
    assert _get(url, owner_token).status_code == 200
