"""SAML assertions already used, per connection: a replayed assertion (the same ID posted
again, even within its validity window) is refused. A row lives until the assertion
would have expired anyway, then is deleted by the next sign-in."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from qrapp.models.types import UTCDateTime, utcnow


class SamlAssertionSeen(SQLModel, table=True):
    __tablename__ = "sso_saml_assertion"

    connection_id: uuid.UUID = Field(
        foreign_key="sso_connection.id", ondelete="CASCADE", primary_key=True
    )
    assertion_id: str = Field(max_length=256, primary_key=True)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
