"""Route builders and share-bar rows: the pieces pages and state now share."""

import re
import tokenize
from pathlib import Path

from qrapp.core import routes
from qrapp.state.bars import code_bars


def test_code_urls():
    assert routes.code_page("abc") == "/codes/abc"
    assert routes.code_edit("abc") == "/codes/abc/edit"
    assert routes.code_new() == "/codes/new"
    assert routes.code_new("wifi") == "/codes/new?type=wifi"


def test_next_and_session_urls():
    assert routes.with_next(routes.LOGIN, "%2Finvite") == "/login?next=%2Finvite"
    assert routes.auth_session("h1", "/codes") == "/auth/session?h=h1&next=/codes"
    assert routes.invite_link("t") == "/invite?token=t"
    assert routes.verify_email_link("t") == "/verify-email?token=t"
    assert routes.reset_password_link("t") == "/reset-password?token=t"


def test_file_urls_fill_the_backend_patterns():
    assert routes.code_thumbnail("abc") == "/files/codes/abc/thumb.png"
    assert routes.code_download("abc") == "/files/codes/abc/download"
    assert routes.try_qr("svg") == "/try/qr.svg"


def test_export_urls_match_the_menu():
    assert routes.ANALYTICS_EXPORT_CSV == "/analytics/export/scans.csv"
    assert routes.ANALYTICS_EXPORT_XLSX == "/analytics/export/breakdowns.xlsx"
    assert routes.ANALYTICS_EXPORT_PDF == "/analytics/export/report.pdf"


def test_code_bars_are_relative_to_the_busiest_code():
    rows = code_bars([(1, "Menu", 2000, 0.8), (2, "Door", 10, 0.004)])
    assert rows[0] == {
        "id": "1",
        "name": "Menu",
        "scans": "2,000",
        "share": "80%",
        "width": "100%",
    }
    assert rows[1]["width"] == "2%"  # never an invisible bar
    assert rows[1]["share"] == "<1%"
    assert code_bars([]) == []


# Strings that start like a path but are not the app's: the health check (the same path on
# the edge and the backend, for load balancers) and files of the operating system.
NOT_APP_PATHS = ("/healthz", "/proc/", "/usr/bin", "/bin/")


def test_app_paths_are_written_only_in_routes():
    """A path of the app as a literal outside core/routes.py (the edge's own URL patterns
    and REST v1's, relative to routes.API_V1, aside) would drift from the route it names:
    use routes' constants and builders."""
    root = Path(__file__).resolve().parents[2] / "qrapp"
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel == "core/routes.py" or rel.startswith(("edge/", "api/v1/")):
            continue
        with path.open("rb") as f:
            for tok in tokenize.tokenize(f.readline):
                if tok.type != tokenize.STRING:
                    continue
                text = tok.string.lstrip("rbfuRBFU").strip("'\"")
                if re.match(r"/[a-z]", text) and not text.startswith(NOT_APP_PATHS):
                    found.append(f"{rel}:{tok.start[0]}: {tok.string}")
    assert found == []


def test_reflex_upload_route_is_reflex_s_own():
    """The upload cap (api/upload_limit.py) guards every path under Reflex's upload
    endpoint; core and the API may not import Reflex, so the path lives in routes and is
    checked here against Reflex's constant."""
    from reflex.constants import Endpoint

    assert str(Endpoint.UPLOAD) == routes.REFLEX_UPLOAD
    assert routes.MEDIA_UPLOAD.startswith(routes.REFLEX_UPLOAD + "/")
