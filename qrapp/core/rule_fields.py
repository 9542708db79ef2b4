"""What a redirect rule can look at, in people's words: each field's label, its operators,
and, for fields with a known set of values, that list (value as the edge compares it,
label as a person reads it). Pure.

The values are the ones the edge really sees: device types from `visitor.parse_user_agent`,
OS and browser families as ua-parser names them (lower-cased, the rules compare
case-insensitively), ISO 639-1 languages, ISO 3166-1 countries. A value outside its
field's list could never match, so the rules' validation refuses it.
"""

from __future__ import annotations

import re

from qrapp.core.countries import COUNTRIES

FIELD_LABELS: dict[str, str] = {
    "device": "Device",
    "os": "Operating system",
    "browser": "Browser",
    "language": "Language",
    "country": "Country",
    "region": "Region",
    "city": "City",
    "ip": "IP range",
    "query": "Query parameter",
    "time": "Time of day",
    "date": "Date range",
}

OP_LABELS: dict[str, str] = {
    "in": "is one of",
    "not_in": "is not",
    "eq": "equals",
    "present": "is present",
    "absent": "is absent",
    "between": "between",
}

# The operators each field takes, the first being the default when the field is chosen.
FIELD_OPS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("device", "os", "browser", "language", "country"), ("in", "not_in")),
    **dict.fromkeys(("region", "city", "ip"), ("in", "not_in")),
    "query": ("eq", "present", "absent"),
    "time": ("between",),
    "date": ("between",),
}

DEVICES: tuple[tuple[str, str], ...] = (
    ("mobile", "Mobile"),
    ("tablet", "Tablet"),
    ("desktop", "Desktop"),
    ("bot", "Bot or link preview"),
    ("other", "Other"),
)

# ua-parser's OS families (what AgentFacts.os holds), the ones scans come from.
OPERATING_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("ios", "iOS"),
    ("android", "Android"),
    ("windows", "Windows"),
    ("mac os x", "macOS"),
    ("linux", "Linux"),
    ("ubuntu", "Ubuntu"),
    ("chrome os", "ChromeOS"),
    ("fedora", "Fedora"),
    ("debian", "Debian"),
    ("windows phone", "Windows Phone"),
    ("kaios", "KaiOS"),
    ("blackberry os", "BlackBerry OS"),
    ("tizen", "Tizen"),
    ("webos", "webOS"),
    ("watchos", "watchOS"),
    ("tvos", "tvOS"),
    ("freebsd", "FreeBSD"),
    ("symbian os", "Symbian"),
)

# ua-parser's browser families (AgentFacts.browser). Safari on an iPhone is "Mobile
# Safari"; an app's in-app browser on iOS is "Mobile Safari UI/WKWebView".
BROWSERS: tuple[tuple[str, str], ...] = (
    ("chrome", "Chrome"),
    ("chrome mobile", "Chrome Mobile"),
    ("chrome mobile ios", "Chrome on iOS"),
    ("chrome mobile webview", "Android WebView"),
    ("safari", "Safari"),
    ("mobile safari", "Safari on iPhone/iPad"),
    ("mobile safari ui/wkwebview", "In-app browser on iOS"),
    ("firefox", "Firefox"),
    ("firefox mobile", "Firefox Mobile"),
    ("firefox ios", "Firefox on iOS"),
    ("edge", "Microsoft Edge"),
    ("edge mobile", "Microsoft Edge Mobile"),
    ("samsung internet", "Samsung Internet"),
    ("opera", "Opera"),
    ("opera mini", "Opera Mini"),
    ("opera mobile", "Opera Mobile"),
    ("brave", "Brave"),
    ("vivaldi", "Vivaldi"),
    ("chromium", "Chromium"),
    ("duckduckgo mobile", "DuckDuckGo"),
    ("yandex browser", "Yandex Browser"),
    ("uc browser", "UC Browser"),
    ("miuibrowser", "Xiaomi MIUI Browser"),
    ("huawei browser", "Huawei Browser"),
    ("qq browser", "QQ Browser"),
    ("wechat browser", "WeChat"),
    ("facebook", "Facebook app"),
    ("instagram", "Instagram app"),
    ("line", "LINE app"),
    ("tiktok", "TikTok app"),
    ("amazon silk", "Amazon Silk"),
    ("whale", "Naver Whale"),
    ("coc coc", "Cốc Cốc"),
    ("ie", "Internet Explorer"),
)

# ISO 639-1 (the primary subtag of Accept-Language) and a few regional tags people ask
# for; a rule on "pt" matches pt-BR and pt-PT, one on "pt-br" only Brazil.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("af", "Afrikaans"),
    ("am", "Amharic"),
    ("ar", "Arabic"),
    ("az", "Azerbaijani"),
    ("be", "Belarusian"),
    ("bg", "Bulgarian"),
    ("bn", "Bengali"),
    ("bs", "Bosnian"),
    ("ca", "Catalan"),
    ("cs", "Czech"),
    ("cy", "Welsh"),
    ("da", "Danish"),
    ("de", "German"),
    ("de-at", "German (Austria)"),
    ("de-ch", "German (Switzerland)"),
    ("el", "Greek"),
    ("en", "English"),
    ("en-au", "English (Australia)"),
    ("en-gb", "English (United Kingdom)"),
    ("en-us", "English (United States)"),
    ("eo", "Esperanto"),
    ("es", "Spanish"),
    ("es-es", "Spanish (Spain)"),
    ("es-mx", "Spanish (Mexico)"),
    ("et", "Estonian"),
    ("eu", "Basque"),
    ("fa", "Persian"),
    ("fi", "Finnish"),
    ("fil", "Filipino"),
    ("fo", "Faroese"),
    ("fr", "French"),
    ("fr-ca", "French (Canada)"),
    ("fr-fr", "French (France)"),
    ("ga", "Irish"),
    ("gl", "Galician"),
    ("gu", "Gujarati"),
    ("ha", "Hausa"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("hy", "Armenian"),
    ("id", "Indonesian"),
    ("is", "Icelandic"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ka", "Georgian"),
    ("kk", "Kazakh"),
    ("km", "Khmer"),
    ("kn", "Kannada"),
    ("ko", "Korean"),
    ("ku", "Kurdish"),
    ("ky", "Kyrgyz"),
    ("lb", "Luxembourgish"),
    ("lo", "Lao"),
    ("lt", "Lithuanian"),
    ("lv", "Latvian"),
    ("mk", "Macedonian"),
    ("ml", "Malayalam"),
    ("mn", "Mongolian"),
    ("mr", "Marathi"),
    ("ms", "Malay"),
    ("mt", "Maltese"),
    ("my", "Burmese"),
    ("nb", "Norwegian Bokmål"),
    ("ne", "Nepali"),
    ("nl", "Dutch"),
    ("nn", "Norwegian Nynorsk"),
    ("no", "Norwegian"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("ps", "Pashto"),
    ("pt", "Portuguese"),
    ("pt-br", "Portuguese (Brazil)"),
    ("pt-pt", "Portuguese (Portugal)"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("se", "Northern Sami"),
    ("si", "Sinhala"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("so", "Somali"),
    ("sq", "Albanian"),
    ("sr", "Serbian"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("ta", "Tamil"),
    ("te", "Telugu"),
    ("th", "Thai"),
    ("tk", "Turkmen"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("uz", "Uzbek"),
    ("vi", "Vietnamese"),
    ("xh", "Xhosa"),
    ("yo", "Yoruba"),
    ("zh", "Chinese"),
    ("zh-cn", "Chinese (China)"),
    ("zh-hk", "Chinese (Hong Kong)"),
    ("zh-tw", "Chinese (Taiwan)"),
    ("zu", "Zulu"),
)

COUNTRY_OPTIONS: tuple[tuple[str, str], ...] = tuple(
    sorted(((code.lower(), name) for code, (_a3, name) in COUNTRIES.items()), key=lambda o: o[1])
)

# Fields whose values come from a list; the others are typed (region, city, IP range,
# query parameter) or structured (time, date).
OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "device": DEVICES,
    "os": OPERATING_SYSTEMS,
    "browser": BROWSERS,
    "language": LANGUAGES,
    "country": COUNTRY_OPTIONS,
}
_LABELS: dict[str, dict[str, str]] = {f: dict(opts) for f, opts in OPTIONS.items()}
_LANGUAGE_PRIMARY = frozenset(v for v, _ in LANGUAGES if "-" not in v)
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})-([a-z]{2}|\d{3}|[a-z]{4})$")


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def value_label(name: str, value: str) -> str:
    """'iOS' for ("os", "ios"); a value outside the list is shown as it is stored."""
    labels = _LABELS.get(name)
    if labels is None:
        return value
    low = value.lower()
    if low in labels:
        return labels[low]
    if name == "language" and (m := _LANGUAGE_TAG.match(low)) and m[1] in labels:
        return f"{labels[m[1]]} ({value})"
    return value


def unknown_values(name: str, values: list[str]) -> list[str]:
    """The values (lower-cased) that are not in `name`'s list; [] for typed fields.
    Languages also take any well-formed regional tag of a listed language (e.g. sv-fi)."""
    labels = _LABELS.get(name)
    if labels is None:
        return []
    out = []
    for v in values:
        low = v.lower()
        if low in labels:
            continue
        if name == "language" and (m := _LANGUAGE_TAG.match(low)) and m[1] in _LANGUAGE_PRIMARY:
            continue
        out.append(v)
    return out
