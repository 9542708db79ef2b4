"""The page that answers a right password: it moves on to the short link with a meta
refresh (a form POST's redirects are held to the form page's CSP form-action)."""

from qrapp.edge import pages


def test_unlocked_page_refreshes_to_the_short_link_and_offers_a_link():
    body = pages.unlocked_page("Members", "/abc?src=link&x=1").decode()
    assert '<meta http-equiv="refresh" content="0;url=/abc?src=link&amp;x=1">' in body
    assert '<a href="/abc?src=link&amp;x=1">Continue</a>' in body
    assert "<h1>Members</h1>" in body


def test_unlocked_page_escapes_what_it_repeats():
    body = pages.unlocked_page("<b>x</b>", '/abc?q="><script>alert(1)</script>').decode()
    assert "<script>" not in body
    assert "<b>" not in body
    assert "&quot;&gt;&lt;script&gt;" in body


def test_the_password_error_is_announced():
    body = pages.password_page("Members", "Wrong password.").decode()
    assert '<p class="err" role="alert">Wrong password.</p>' in body
