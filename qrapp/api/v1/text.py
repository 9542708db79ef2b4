"""Input types shared by the routes' models.

`Text` refuses NUL characters up front: PostgreSQL cannot store them in text columns, so
without it a name with "\\x00" would fail in the database (a 500) instead of being a 422
on its field. Times must carry their offset (`AwareDatetime`): the columns hold UTC.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, AwareDatetime


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Time = AwareDatetime
