"""Landing-page slug rules (qrapp.core.page_slugs)."""

import pytest

from qrapp.core.page_slugs import MAX_LENGTH, slug_problem, slugify, with_suffix


@pytest.mark.parametrize("slug", ["abc", "spring-menu", "a1-b2-c3", "x" * MAX_LENGTH])
def test_good_slugs_pass(slug):
    assert slug_problem(slug) is None


@pytest.mark.parametrize(
    ("slug", "words"),
    [
        ("ab", "3 to 60"),
        ("x" * (MAX_LENGTH + 1), "3 to 60"),
        ("Menu", "lowercase"),
        ("-menu", "lowercase"),
        ("menu-", "lowercase"),
        ("spring--menu", "lowercase"),
        ("spring_menu", "lowercase"),
        ("café", "lowercase"),
        ("api", "reserved"),
        ("admin", "reserved"),
        ("login", "reserved"),
        ("static", "reserved"),
        ("assets", "reserved"),
    ],
)
def test_bad_slugs_are_refused_with_the_reason(slug, words):
    problem = slug_problem(slug)
    assert problem is not None
    assert words in problem


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Café Menu!", "cafe-menu"),
        ("  Summer   Sale 2027 ", "summer-sale-2027"),
        ("Ünïcödé", "unicode"),
        ("!!", "page"),
        ("Admin", "page"),
        ("ab", "page"),
        ("word " * 30, ("word-" * 12).rstrip("-")),
    ],
)
def test_slugify_always_gives_a_valid_slug(name, slug):
    assert slugify(name) == slug
    assert slug_problem(slugify(name)) is None


def test_suffixes_keep_the_number_within_the_length():
    assert with_suffix("menu", 2) == "menu-2"
    long = "a" * MAX_LENGTH
    assert with_suffix(long, 12) == "a" * (MAX_LENGTH - 3) + "-12"
    assert slug_problem(with_suffix(long, 12)) is None
