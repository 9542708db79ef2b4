"""Route builders and share-bar rows: the pieces pages and state now share."""

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
