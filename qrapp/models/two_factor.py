"""Second factors: TOTP, recovery codes, trusted devices, passkeys, WebAuthn challenges."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


class TotpFactor(SQLModel, table=True):
    """An account's authenticator app. Unconfirmed (confirmed_at None) until the first
    code proves the app has the secret; only a confirmed one asks for codes at login."""

    __tablename__ = "totp_factor"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", primary_key=True)
    # A hash cannot work (the server computes codes from the secret), so it is sealed
    # with AES-GCM under a key derived from SECRET_KEY (services/accounts/totp_secrets.py).
    secret_sealed: str | None = Field(default=None, max_length=200)
    # Rows from before sealing held the secret here in clear; "" once sealed.
    secret: str = Field(default="", max_length=64)
    confirmed_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The newest 30-second step accepted: a code of this step or older is refused.
    last_used_step: int = Field(default=0, sa_type=sa.BigInteger)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RecoveryCode(SQLModel, table=True):
    """One of ten one-time codes (SHA-256 only; the clear codes are shown once)."""

    __tablename__ = "recovery_code"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    code_hash: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class TrustedDevice(SQLModel, table=True):
    """A browser that skips the second step for 30 days (its cookie's SHA-256)."""

    __tablename__ = "trusted_device"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)


class Passkey(SQLModel, table=True):
    """A WebAuthn credential: a second factor, and a password-less login on its own."""

    __tablename__ = "passkey"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="user_account.id", ondelete="CASCADE", index=True)
    credential_id: str = Field(max_length=1400, unique=True)  # base64url, as browsers send it
    public_key: bytes = Field(sa_type=sa.LargeBinary)  # COSE key
    sign_count: int = Field(default=0, sa_type=sa.BigInteger)
    name: str = Field(max_length=60)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebauthnChallenge(SQLModel, table=True):
    """A challenge handed to the browser: single use, five minutes, bound to the browser
    (its binding cookie) and, for registration and the second step, to the account."""

    __tablename__ = "webauthn_challenge"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    challenge_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=12)  # register | second | login
    user_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="CASCADE"
    )
    binding_hash: str = Field(default="", max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime)
    used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
