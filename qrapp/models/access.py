"""Devices an account has signed in from (for the new-device login e-mail)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


class KnownDevice(SQLModel, table=True):
    """One device of an account. A device is browser family + OS family + network (the
    IPv4 /24 or IPv6 /48), hashed into `device_key` (services.accounts.devices): no
    cookie to lose or clear, and a new network is worth a mail as much as a new browser."""

    __tablename__ = "known_device"
    __table_args__ = (sa.UniqueConstraint("user_id", "device_key"),)

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    device_key: str = Field(max_length=64)
    label: str = Field(default="", max_length=120)  # "Firefox on Linux"
    first_seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
