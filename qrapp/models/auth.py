"""Server-side sessions, one-time e-mail tokens and login throttling."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


class UserSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "user_session"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    # The workspace this browser is working in; checked against memberships on every use.
    workspace_id: uuid.UUID | None = Field(
        default=None, foreign_key="workspace.id", ondelete="SET NULL"
    )
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class EmailToken(SQLModel, table=True):
    """One-time tokens: e-mail verification and password-reset links, login hand-offs.

    The login hand-off carries a successful login from the websocket to the plain HTTP
    route that sets the HttpOnly cookie; it lives for a minute and is used once.
    """

    __tablename__ = "email_token"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    purpose: str = Field(max_length=20)  # verify_email | reset_password | login
    token_hash: str = Field(max_length=64, unique=True)
    email: str = Field(default="", max_length=254)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)
    used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Login hand-offs only: SHA-256 of the asking browser's binding cookie, so the link
    # logs in nobody but that browser (against login CSRF).
    binding_hash: str = Field(default="", max_length=64)
    # Login hand-offs from single sign-on: the workspace the person signed in to, where
    # the session starts (not their personal workspace). No foreign key: the token lives
    # a minute, and start_session checks the membership anyway.
    workspace_id: uuid.UUID | None = Field(default=None)


class PendingSignUp(SQLModel, table=True):
    """A sign-up waiting for its e-mail link. The account is created only when the owner
    of the address opens the link, so nobody can hold an address they do not read, and
    the sign-up form answers the same for known and unknown addresses."""

    __tablename__ = "pending_sign_up"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    email: str = Field(max_length=254, index=True)
    name: str = Field(default="", max_length=120)
    password_hash: str = Field(max_length=255)
    token_hash: str = Field(max_length=64, unique=True)
    # The signing-up browser's binding cookie (SHA-256): the link logs in only there.
    binding_hash: str = Field(default="", max_length=64)
    # Where the new account lands after the link (e.g. the invitation it came from).
    next_path: str = Field(default="", max_length=500)
    # Decided once by the worker: "confirm" (new address) | "notice" | "quiet" (taken).
    outcome: str = Field(default="", max_length=10)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)
    used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuthThrottle(SQLModel, table=True):
    """Attempt counters (logins, sign-ups, password changes, code passwords), shared by
    every web and edge process."""

    __tablename__ = "auth_throttle"

    key: str = Field(primary_key=True, max_length=300)  # e.g. "acct:<email>", "ip:<addr or /64>"
    failures: int = Field(default=0)
    window_started_at: dt.datetime = Field(sa_type=UTCDateTime)
    locked_until: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
