"""Static codes print their link as it is, so the URL type (and a contact's website) take
an allow list of schemes: http and https. The other content types build their own
tel:, SMSTO:, geo:, WIFI: and mailto: texts."""

import pytest

from qrapp.core.payloads import PayloadError, encode

REFUSED = [
    # SECURITY.md's list
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "\x00javascript:alert(1)",
    "\x00javascript:alert(1).example.com",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "intent://scan/#Intent;scheme=zxing;package=com.evil;end",
    # what the deny list let through
    "intent:#Intent;action=android.intent.action.VIEW;end",
    "smb://fileserver.example/share",
    "ftp://ftp.example.com/file.zip",
    "itms-services://?action=download-manifest&url=https://x.example/app.plist",
    "ms-msdt:/id PCWDiagnostic",
    "mailto:someone@example.com",  # the E-mail type builds these
    "tel:+46701234567",  # the Phone type
    "https://bank.example@evil.example/",  # userinfo hides the real host
    "https://example.com:99999/",
    "https:example.com",
]


@pytest.mark.parametrize("url", REFUSED)
def test_url_codes_take_only_http_and_https(url):
    with pytest.raises(PayloadError) as err:
        encode("url", {"url": url})
    assert set(err.value.errors) == {"url"}


@pytest.mark.parametrize("url", REFUSED)
def test_a_contacts_website_takes_only_http_and_https(url):
    for type_name, data in (
        ("vcard", {"first_name": "Ada", "website": url}),
        ("mecard", {"last_name": "Lovelace", "website": url}),
    ):
        with pytest.raises(PayloadError) as err:
            encode(type_name, data)
        assert set(err.value.errors) == {"website"}, type_name


def test_the_message_says_what_to_use_instead():
    with pytest.raises(PayloadError) as err:
        encode("url", {"url": "intent://scan/#Intent;end"})
    message = err.value.errors["url"]
    assert "http://" in message
    assert "https://" in message
    assert "content type" in message


@pytest.mark.parametrize(
    ("given", "encoded"),
    [
        ("https://example.com/a?b=1#c", "https://example.com/a?b=1#c"),
        ("HTTP://Example.com", "HTTP://Example.com"),
        ("  https://example.com  ", "https://example.com"),
        ("www.example.com", "https://www.example.com"),
        ("example.com:8080/x", "https://example.com:8080/x"),
        ("https://例え.jp/パス", "https://例え.jp/パス"),
    ],
)
def test_web_links_are_kept(given, encoded):
    assert encode("url", {"url": given}) == encoded


def test_a_contacts_website_gets_https_and_may_stay_empty():
    card = encode("vcard", {"first_name": "Ada", "website": "ada.example"})
    assert "URL:https://ada.example" in card
    assert "URL" not in encode("vcard", {"first_name": "Ada", "website": ""}).split("FN:")[1]
    assert "URL:https\\://ada.example;" in encode(  # MECARD escapes the colon
        "mecard", {"last_name": "Lovelace", "website": "ada.example"}
    )
