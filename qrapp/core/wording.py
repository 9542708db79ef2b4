"""Counted nouns in messages: "1 code", "2 codes", "1,200 scans"."""


def plural_of(singular: str, plural: str | None = None) -> str:
    return plural if plural is not None else singular + "s"


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """`n` with the noun in the right number (English: singular for exactly one)."""
    return f"{n:,} {singular if n == 1 else plural_of(singular, plural)}"
