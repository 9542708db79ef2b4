"""Each content type against exact strings derived from its specification."""

import pytest

from qrapp.core.payloads import TYPES, PayloadError, encode, fields, parse, type_list


def errors_of(type_name: str, data: dict) -> dict[str, str]:
    with pytest.raises(PayloadError) as info:
        encode(type_name, data)
    return info.value.errors


# --- Swish ------------------------------------------------------------------------------


def test_swish_matches_the_specification_example():
    data = {"payee": "1237856901", "amount": "100", "message": "12229445"}
    assert encode("swish", data) == "C1237856901;100,00;12229445;0"


def test_swish_amount_uses_a_comma_and_two_decimals():
    assert encode("swish", {"payee": "123 785 69 01", "amount": 12.5}) == "C1237856901;12,50;;0"
    assert encode("swish", {"payee": "1237856901", "amount": "99,90"}) == "C1237856901;99,90;;0"


def test_swish_message_is_url_encoded():
    text = encode("swish", {"payee": "1237856901", "message": "Tack för fikat; 2 st"})
    assert text == "C1237856901;;Tack%20f%C3%B6r%20fikat%3B%202%20st;0"


@pytest.mark.parametrize(
    ("flags", "mask"),
    [
        ({}, 0),
        ({"payee_editable": True}, 1),
        ({"amount_editable": True}, 2),
        ({"message_editable": True}, 4),
        ({"amount_editable": True, "message_editable": True}, 6),
    ],
)
def test_swish_editable_mask_bits(flags, mask):
    # PAYLOADS.md: bit 1 is the amount, bit 2 the message (some libraries swap them).
    assert encode("swish", {"payee": "1237856901", **flags}).endswith(f";{mask}")


def test_swish_rejects_bad_input_per_field():
    errors = errors_of("swish", {"payee": "12-ab", "amount": "1.234", "message": "x" * 51})
    assert set(errors) == {"payee", "amount", "message"}
    assert "two decimals" in errors["amount"]


# --- EPC ---------------------------------------------------------------------------------

EPC = {"name": "Red Cross Belgium", "iban": "BE72 0000 0000 1616", "bic": "bpotbeb1"}


def test_epc_full_payload():
    data = {**EPC, "amount": "1", "purpose": "char", "text": "Urgency fund"}
    assert encode("epc", data) == (
        "BCD\n002\n1\nSCT\nBPOTBEB1\nRed Cross Belgium\nBE72000000001616\n"
        "EUR1.00\nCHAR\n\nUrgency fund"
    )


def test_epc_minimal_payload_has_no_trailing_separator():
    text = encode("epc", {"name": "A", "iban": "DE89370400440532013000"})
    assert text == "BCD\n002\n1\nSCT\n\nA\nDE89370400440532013000"


def test_epc_structured_reference_and_information():
    data = {**EPC, "reference": "RF18 5390 0754 7034", "information": "Thanks"}
    assert encode("epc", data).endswith("\n\nRF18539007547034\n\nThanks")


def test_epc_validation_messages():
    assert "check digits" in errors_of("epc", {**EPC, "iban": "BE72000000001617"})["iban"]
    assert "16 characters" in errors_of("epc", {**EPC, "iban": "BE7200000000161"})["iban"]
    assert "BIC" in errors_of("epc", {**EPC, "bic": "BPOT"})["bic"]
    assert "between" in errors_of("epc", {**EPC, "amount": "1000000000"})["amount"]
    assert "between" in errors_of("epc", {**EPC, "amount": "0"})["amount"]
    assert (
        "not both"
        in errors_of("epc", {**EPC, "reference": "RF18539007547034", "text": "x"})["text"]
    )
    assert "reference" in errors_of("epc", {**EPC, "reference": "RF19539007547034"})


def test_epc_whole_payload_is_at_most_331_bytes():
    data = {**EPC, "name": "Ö" * 70, "text": "é" * 140, "information": "ü" * 70}
    assert "331" in errors_of("epc", data)["__all__"]


def test_epc_prefers_error_correction_m():
    assert TYPES["epc"].preferred_error == "M"


# --- Wi-Fi -------------------------------------------------------------------------------


def test_wifi_wpa():
    assert (
        encode("wifi", {"ssid": "Home", "password": "hunter22"}) == "WIFI:T:WPA;S:Home;P:hunter22;;"
    )


def test_wifi_escapes_special_characters():
    data = {"ssid": 'My;Net,"x":\\', "password": 'p;a,s:s"w\\d'}
    assert (
        encode("wifi", data) == 'WIFI:T:WPA;S:My\\;Net\\,\\"x\\"\\:\\\\;P:p\\;a\\,s\\:s\\"w\\\\d;;'
    )


def test_wifi_open_hidden_and_wep():
    assert encode("wifi", {"ssid": "Cafe", "security": "nopass", "hidden": True}) == (
        "WIFI:T:nopass;S:Cafe;H:true;;"
    )
    assert encode("wifi", {"ssid": "Old", "security": "WEP", "password": "abcde"}) == (
        "WIFI:T:WEP;S:Old;P:abcde;;"
    )


def test_wifi_enterprise():
    data = {
        "ssid": "Corp",
        "security": "WPA2-EAP",
        "eap_method": "PEAP",
        "phase2": "MSCHAPV2",
        "anonymous_identity": "anon",
        "identity": "ann@corp.example",
        "password": "s3cret:pw",
    }
    assert encode("wifi", data) == (
        "WIFI:T:WPA2-EAP;S:Corp;E:PEAP;PH2:MSCHAPV2;A:anon;I:ann@corp.example;P:s3cret\\:pw;;"
    )


def test_wifi_validation():
    assert "8 to 63" in errors_of("wifi", {"ssid": "x", "password": "short"})["password"]
    assert "32 bytes" in errors_of("wifi", {"ssid": "å" * 17, "security": "nopass"})["ssid"]
    assert (
        "WEP" in errors_of("wifi", {"ssid": "x", "security": "WEP", "password": "abc"})["password"]
    )


# --- vCard and MECARD --------------------------------------------------------------------


def test_vcard_3():
    data = {
        "first_name": "Anna",
        "last_name": "Berg",
        "organization": "Acme, Inc.",
        "title": "CTO; founder",
        "mobile": "+46 70 123 45 67",
        "email": "anna@acme.example",
        "website": "https://acme.example/a,b",
        "street": "Storgatan 1",
        "city": "Malmö",
        "postcode": "211 34",
        "country": "Sweden",
        "note": "Line one\nLine \\two",
    }
    assert encode("vcard", data) == (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Berg;Anna;;;\r\nFN:Anna Berg\r\n"
        "ORG:Acme\\, Inc.\r\nTITLE:CTO\\; founder\r\nTEL;TYPE=CELL:+46701234567\r\n"
        "EMAIL;TYPE=INTERNET:anna@acme.example\r\nADR:;;Storgatan 1;Malmö;;211 34;Sweden\r\n"
        "URL:https://acme.example/a,b\r\nNOTE:Line one\\nLine \\\\two\r\nEND:VCARD\r\n"
    )


def test_vcard_4_phone_is_a_tel_uri():
    data = {"version": "4.0", "formatted_name": "Dr. Ann Lee", "work_phone": "+1 555 010 9999"}
    assert encode("vcard", data) == (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nN:;;;;\r\nFN:Dr. Ann Lee\r\n"
        "TEL;TYPE=work;VALUE=uri:tel:+15550109999\r\nEND:VCARD\r\n"
    )


def test_vcard_folds_long_lines_at_75_octets_without_splitting_characters():
    text = encode("vcard", {"first_name": "Åsa", "note": "ö" * 60})
    lines = text.split("\r\n")
    note = [line for line in lines if line.startswith(("NOTE", " "))]
    assert len(note) == 2
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert note[0] == "NOTE:" + "ö" * 35  # 5 + 70 octets
    assert note[1] == " " + "ö" * 25
    unfolded = text.replace("\r\n ", "")
    assert "NOTE:" + "ö" * 60 + "\r\n" in unfolded


def test_vcard_needs_a_name():
    assert errors_of("vcard", {"email": "a@b.se"}) == {"first_name": "Give a name or a company."}


def test_vcard_company_only_is_enough():
    assert "FN:Acme\r\n" in encode("vcard", {"organization": "Acme"})


def test_mecard():
    data = {
        "first_name": "Taro",
        "last_name": "Yamada",
        "phone": "+81 3 1234 5678",
        "email": "taro@example.jp",
        "address": 'Tokyo; "Chiyoda"',
        "website": "https://example.jp",
        "birthday": "1990-02-03",
        "note": "a:b",
    }
    assert encode("mecard", data) == (
        "MECARD:N:Yamada,Taro;TEL:+81312345678;EMAIL:taro@example.jp;"
        'ADR:Tokyo\\; \\"Chiyoda\\";URL:https\\://example.jp;BDAY:19900203;NOTE:a\\:b;;'
    )


# --- the simple types ---------------------------------------------------------------------


def test_url_adds_https_when_no_scheme():
    assert encode("url", {"url": "example.com/a?b=1"}) == "https://example.com/a?b=1"
    assert encode("url", {"url": "http://example.com"}) == "http://example.com"
    assert encode("url", {"url": "shop.example.com:8080/x"}) == "https://shop.example.com:8080/x"
    assert "spaces" in errors_of("url", {"url": "https://exa mple.com"})["url"]
    assert errors_of("url", {"url": ""}) == {"url": "This field is required."}
    assert "not allowed" in errors_of("url", {"url": "JavaScript:alert(1)"})["url"]
    assert "not allowed" in errors_of("url", {"url": "data:text/html,hi"})["url"]


def test_text_is_verbatim():
    assert encode("text", {"text": "Hej då!\nRad två"}) == "Hej då!\nRad två"


def test_phone_is_e164():
    assert encode("phone", {"number": "+46 (0)70-123 45 67".replace("(0)", "")}) == (
        "tel:+46701234567"
    )
    assert encode("phone", {"number": "0046701234567"}) == "tel:+46701234567"
    assert "international" in errors_of("phone", {"number": "070 123 45 67"})["number"]
    assert "digits" in errors_of("phone", {"number": "+46 70 CALL ME"})["number"]


def test_sms():
    data = {"number": "+46701234567", "body": "Hi: there"}
    assert encode("sms", data) == "SMSTO:+46701234567:Hi: there"


def test_email_mailto_encodes_subject_and_body():
    data = {"to": "info@example.com", "subject": "Hej då", "body": "Rad 1\nRad 2 & mer"}
    assert encode("email", data) == (
        "mailto:info@example.com?subject=Hej%20d%C3%A5&body=Rad%201%0D%0ARad%202%20%26%20mer"
    )
    assert encode("email", {"to": "info@example.com"}) == "mailto:info@example.com"


def test_email_matmsg():
    data = {"to": "a@b.se", "subject": "Re: hi", "body": "x;y", "style": "matmsg"}
    assert encode("email", data) == "MATMSG:TO:a@b.se;SUB:Re\\: hi;BODY:x\\;y;;"


def test_geo():
    assert encode("geo", {"latitude": 59.32938, "longitude": 18.06871}) == "geo:59.32938,18.06871"
    assert encode("geo", {"latitude": -0.0, "longitude": 1e-9}) == "geo:0,0"
    assert set(errors_of("geo", {"latitude": 91, "longitude": -181})) == {"latitude", "longitude"}


def test_event_in_utc_and_with_a_time_zone():
    data = {
        "summary": "Launch, party; fun",
        "start": "2025-06-01T18:00:00+02:00",
        "end": "2025-06-01T23:00:00+02:00",
        "location": "Malmö",
        "description": "Bring\nfriends",
    }
    assert encode("event", data) == (
        "BEGIN:VEVENT\r\nSUMMARY:Launch\\, party\\; fun\r\nDTSTART:20250601T160000Z\r\n"
        "DTEND:20250601T210000Z\r\nLOCATION:Malmö\r\nDESCRIPTION:Bring\\nfriends\r\n"
        "END:VEVENT\r\n"
    )
    zoned = {"summary": "Fika", "start": "2025-01-10T15:00", "timezone": "Europe/Stockholm"}
    assert "DTSTART;TZID=Europe/Stockholm:20250110T150000\r\n" in encode("event", zoned)


def test_all_day_event_ends_the_next_day():
    data = {
        "summary": "Fair",
        "start": "2025-03-01T00:00",
        "end": "2025-03-02T00:00",
        "all_day": True,
    }
    text = encode("event", data)
    assert "DTSTART;VALUE=DATE:20250301\r\n" in text
    assert "DTEND;VALUE=DATE:20250303\r\n" in text


def test_event_validation():
    errors = errors_of("event", {"summary": "x", "start": "2025-01-02T10:00", "end": "2025-01-01"})
    assert errors == {"end": "The event cannot end before it starts."}
    assert "time zone" in errors_of("event", {"summary": "x", "start": "2025-01-02T10:00",
                                              "timezone": "Mars/Base"})["timezone"]  # fmt: skip


# --- registry ------------------------------------------------------------------------------


def test_registry_lists_every_type_with_form_fields():
    names = [name for name, _label in type_list()]
    assert names == list(TYPES)
    assert {"url", "text", "email", "sms", "phone", "vcard", "mecard", "wifi"} <= set(names)
    assert {"geo", "event", "swish", "epc"} <= set(names)
    for name in names:
        specs = fields(name)
        assert specs
        assert all(spec.label for spec in specs)
    security = next(spec for spec in fields("wifi") if spec.name == "security")
    assert security.kind == "choice"
    assert "WPA2-EAP" in security.choices
    iban = next(spec for spec in fields("epc") if spec.name == "iban")
    assert iban.required
    assert iban.kind == "iban"


def test_unknown_type_and_unknown_fields_are_field_errors():
    assert "Unknown type" in errors_of("fax", {})["type"]
    assert errors_of("url", {"url": "https://x.se", "colour": 1}) == {"colour": "Unknown field."}
    with pytest.raises(PayloadError):
        parse("url", ["not", "a", "dict"])  # type: ignore[arg-type]


def test_content_too_large_for_any_qr_code():
    assert "Too long" in errors_of("text", {"text": "x" * 2800 + "é" * 100})["__all__"]


ROUND_TRIP = [
    ("url", {"url": "example.com/a"}),
    ("phone", {"number": "0046 70-123 45 67"}),
    ("swish", {"payee": "123 785 69 01", "amount": "100", "message": "Tack!"}),
    ("epc", {**EPC, "amount": 12.5, "reference": "RF18 5390 0754 7034"}),
    ("event", {"summary": "Fika", "start": "2025-01-10T15:00", "timezone": "Europe/Stockholm"}),
    ("mecard", {"last_name": "Lee", "birthday": "1990-02-03"}),
    ("vcard", {"first_name": "Åsa", "mobile": "+46 70 123 45 67", "version": "4.0"}),
    ("wifi", {"ssid": "Home", "password": "hunter22", "hidden": True}),
    ("geo", {"latitude": 59.3, "longitude": 18.1}),
]


@pytest.mark.parametrize(("type_name", "data"), ROUND_TRIP)
def test_stored_json_parses_back_to_the_same_code(type_name, data):
    # Services store model_dump(mode="json") and re-parse it to render later.
    model = parse(type_name, data)
    stored = model.model_dump(mode="json")
    again = parse(type_name, stored)
    assert again == model
    assert again.encode() == model.encode()
