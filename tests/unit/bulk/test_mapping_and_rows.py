"""Column mapping guesses, the fields of each kind of job, rows as code inputs, samples."""

from __future__ import annotations

import pytest

from qrapp.core.bulk.mapping import FIELDS, guess_mapping, job_fields
from qrapp.core.bulk.reading import read_table
from qrapp.core.bulk.rows import JobOptions, build_row, merge_design, split_tags
from qrapp.core.bulk.samples import sample_csv
from qrapp.core.payloads import parse, type_list

WIFI = JobOptions(content_type="wifi", dynamic=False, template_id=None)
DYNAMIC = JobOptions(content_type="url", dynamic=True, template_id=None)


def test_every_content_type_of_the_engine_has_its_fields():
    assert set(FIELDS) == {key for key, _ in type_list()}
    assert [f.key for f in FIELDS["wifi"]][:3] == [
        "payload.ssid",
        "payload.security",
        "payload.password",
    ]
    assert {f.key for f in FIELDS["wifi"] if f.required} == {"payload.ssid"}
    dynamic = [f.key for f in job_fields("url", dynamic=True)]
    assert dynamic == ["name", "url", "alias", "tags", "folder", "fg", "bg", "caption"]
    assert "alias" not in [f.key for f in job_fields("vcard")]


@pytest.mark.parametrize(
    ("headers", "content_type", "dynamic", "expected"),
    [
        (
            ["Code Name", "Destination URL", "Short code", "TAGS", "Folder"],
            "url",
            True,
            {"name": 0, "url": 1, "alias": 2, "tags": 3, "folder": 4},
        ),
        (
            ["  network  name ", "WiFi-Password", "Security", "Foreground Color", "frame_text"],
            "wifi",
            False,
            {
                "payload.ssid": 0,
                "payload.password": 1,
                "payload.security": 2,
                "fg": 3,
                "caption": 4,
            },
        ),
        (
            ["First Name", "Surname", "Phone", "E-Mail", "Company", "Website", "Job title"],
            "vcard",
            False,
            {
                "payload.first_name": 0,
                "payload.last_name": 1,
                "payload.mobile": 2,
                "payload.email": 3,
                "payload.organization": 4,
                "payload.website": 5,
                "payload.title": 6,
            },
        ),
        (
            ["Name", "Beneficiary", "IBAN", "Amount"],
            "epc",
            False,
            {"name": 0, "payload.name": 1, "payload.iban": 2, "payload.amount": 3},
        ),
        (
            ["Lat", "Lng", "Background colour"],
            "geo",
            False,
            {"payload.latitude": 0, "payload.longitude": 1, "bg": 2},
        ),
        (["Something else", "Notes about it"], "url", True, {}),
    ],
)
def test_guess_mapping_from_headers(headers, content_type, dynamic, expected):
    assert guess_mapping(headers, content_type, dynamic) == expected


def test_a_column_feeds_one_field_and_contained_words_are_a_second_choice():
    mapping = guess_mapping(["Link", "Landing page URL"], "url", True)
    assert mapping == {"url": 0}
    assert guess_mapping(["Wi-Fi network name (2.4 GHz)"], "wifi") == {"payload.ssid": 0}


@pytest.mark.parametrize("content_type", [*FIELDS, "dynamic"])
def test_each_sample_maps_itself_and_its_rows_are_valid_content(content_type):
    table = read_table(sample_csv(content_type), "sample.csv", max_rows=10)
    mapping = guess_mapping(table.headers, content_type)
    assert sorted(mapping.values()) == list(range(len(table.headers)))
    dynamic = content_type == "dynamic"
    options = JobOptions(content_type=content_type, dynamic=dynamic, template_id=None)
    for n, cells in enumerate(table.rows, 1):
        row, problems = build_row(n, cells, mapping, options)
        assert problems == []
        assert row.name
        if dynamic:
            assert row.destination.startswith("https://")
        else:
            parse(content_type, row.payload)  # raises if the sample's content is wrong


def test_build_row_trims_splits_tags_and_collects_design_overrides():
    mapping = {
        "name": 0,
        "payload.ssid": 1,
        "payload.password": 2,
        "tags": 3,
        "fg": 4,
        "bg": 5,
        "caption": 6,
    }
    cells = [" Guest ", "Cafe", "", "a, b;c | ", "1A2B3C", "#fff", "  Join us  "]
    row, problems = build_row(7, cells, mapping, WIFI)
    assert problems == []
    assert row.row == 7
    assert row.name == "Guest"
    assert row.payload == {"ssid": "Cafe"}  # the empty password keeps its default
    assert row.tags == ("a", "b", "c")
    assert row.design == {
        "foreground": "#1a2b3c",
        "background": "#fff",
        "frame": {"text": "Join us"},
    }
    assert row.destination == ""


def test_bad_colours_are_row_problems_and_short_rows_read_as_empty():
    row, problems = build_row(3, ["Menu"], {"name": 0, "url": 1, "fg": 2}, DYNAMIC)
    assert problems == []
    assert row.destination == ""
    _, problems = build_row(
        4, ["Menu", "https://x.example", "navy"], {"name": 0, "url": 1, "fg": 2}, DYNAMIC
    )
    assert [(p.row, p.field) for p in problems] == [(4, "fg")]


def test_merge_design_puts_a_caption_in_a_frame_and_a_colour_over_a_gradient():
    template = {
        "foreground": "#000000",
        "gradient": {"stops": []},
        "frame": {"style": "none", "text": "SCAN ME"},
    }
    merged = merge_design(template, {"foreground": "#112233", "frame": {"text": "Hi"}})
    assert merged["foreground"] == "#112233"
    assert merged["gradient"] is None
    assert merged["frame"] == {"style": "banner-bottom", "text": "Hi", "color": "#112233"}
    boxed = merge_design({"frame": {"style": "box", "text": "A"}}, {"frame": {"text": "B"}})
    assert boxed["frame"] == {"style": "box", "text": "B"}
    assert template["frame"]["text"] == "SCAN ME"  # the template is not changed


def test_split_tags():
    assert split_tags("") == ()
    assert split_tags(" spring  sale ;; posters|") == ("spring sale", "posters")
