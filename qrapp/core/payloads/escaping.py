"""Escaping and line folding rules of the formats QR payloads are written in."""


def backslash_escape(value: str, specials: str) -> str:
    """Put a backslash before every special character (Wi-Fi, MECARD, MATMSG rules)."""
    return "".join("\\" + ch if ch in specials else ch for ch in value)


def rfc_text(value: str) -> str:
    """vCard / iCalendar TEXT escaping: backslash, comma, semicolon and line breaks."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line at `limit` octets (RFC 6350 3.2 / RFC 5545 3.1).

    Octets, not characters, are counted, and a multi-byte UTF-8 character is never
    split; each continuation line starts with one space, which counts towards its limit.
    """
    if len(line.encode("utf-8")) <= limit:
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    budget = limit
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > budget:
            parts.append("".join(current))
            current, size, budget = [], 0, limit - 1
        current.append(ch)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def content_lines(lines: list[str]) -> str:
    """Folded lines, each ended by CRLF as vCard and iCalendar require."""
    return "".join(fold(line) + "\r\n" for line in lines)
