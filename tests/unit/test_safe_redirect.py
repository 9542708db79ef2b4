import pytest

from qrapp.core.safe_redirect import DEFAULT_AFTER_LOGIN, safe_next_path


@pytest.mark.parametrize(
    "evil",
    [
        "//evil.example",
        "/\\evil.example",
        "https:evil.example",
        "%2F%2Fevil.example",
        "%252F%252Fevil.example",
        "https://evil.example/dashboard",
        "http:/\\evil.example",
        "javascript:alert(1)",
        "/%5Cevil.example",
        "\\\\evil.example",
        " //evil.example",
        "/\t/evil.example",
        "evil.example",
        "/login?next=//evil.example",
        "/auth/session?h=x",
        "",
        None,
        "/" + "a" * 3000,
    ],
)
def test_foreign_or_odd_targets_land_on_our_page(evil):
    assert safe_next_path(evil) == DEFAULT_AFTER_LOGIN


@pytest.mark.parametrize(
    "ok", ["/dashboard", "/codes?tag=menu&page=2", "/settings#password", "/analytics/x%20y"]
)
def test_own_paths_are_kept(ok):
    assert safe_next_path(ok) == ok
