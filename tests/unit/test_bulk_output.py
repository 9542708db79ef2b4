"""File names of a bulk job's ZIP: from the pattern, safe in any unzip tool, unique."""

from __future__ import annotations

import pytest

from qrapp.services.bulk.output import MAX_STEM, _Names, file_stem


@pytest.mark.parametrize(
    ("row", "name", "expected"),
    [
        (1, "Poster", "1-Poster"),
        (2, "../../etc/passwd", "2-..-..-etc-passwd"),
        (3, 'a:b*c?"d<e>f|g\\h', "3-a-b-c-d-e-f-g-h"),
        (4, "Menü café 東京", "4-Menü café 東京"),
        (5, "مرحبا", "5-مرحبا"),
        (6, "tab\there\nnewline", "6-tab-here-newline"),
        (7, "\u202eevil", "7-evil"),  # bidi override dropped
    ],
)
def test_file_stem_is_safe(row, name, expected):
    assert file_stem("{row}-{name}", row, name) == expected


def test_file_stem_never_leads_with_a_dot_or_is_empty():
    assert file_stem("{name}", 9, "...") == "9"
    assert file_stem("{name}", 9, ".hidden") == "hidden"
    assert len(file_stem("{row}-{name}", 1, "x" * 500)) == MAX_STEM


def test_names_are_unique_whatever_the_case():
    names = _Names()
    assert names.take("Poster", 1) == "Poster"
    assert names.take("poster", 2) == "poster-2"
    assert names.take("Other", 3) == "Other"
