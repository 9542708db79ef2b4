"""Single sign-on per workspace: its connections (OpenID Connect, SAML, LDAP) and the
e-mail domains it proved it owns (a DNS TXT record), which decide who a connection may
admit. Shared by the sso lane (OIDC) and the saml-ldap lane."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow

PROTOCOL_OIDC, PROTOCOL_SAML, PROTOCOL_LDAP = "oidc", "saml", "ldap"
PROTOCOLS = (PROTOCOL_OIDC, PROTOCOL_SAML, PROTOCOL_LDAP)


class SsoConnection(SQLModel, table=True):
    """One way in for a workspace's people. `config` is protocol-specific (OIDC: issuer,
    client_id, client_secret; SAML: IdP metadata; LDAP: server, bind DN, ...). Secrets are
    stored as given (the IdP needs them back) and never shown back in full."""

    __tablename__ = "sso_connection"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    protocol: str = Field(max_length=8)
    name: str = Field(max_length=80)
    enabled: bool = Field(default=True)
    default_role: str = Field(default="viewer", max_length=16)
    # Password login (and reset) refused to accounts of this workspace's verified domains.
    sso_only: bool = Field(default=False)
    config: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SsoDomain(SQLModel, table=True):
    """An e-mail domain a workspace claims. Verified once `_qrapp-challenge.<domain>` holds
    `token` as a TXT record; a verified domain belongs to one workspace only (the partial
    unique index on verified rows; unverified claims may compete until one proves it)."""

    __tablename__ = "sso_domain"
    __table_args__ = (
        sa.UniqueConstraint("workspace_id", "domain", name="uq_sso_domain_ws_domain"),
        sa.Index(
            "uq_sso_domain_verified",
            "domain",
            unique=True,
            sqlite_where=sa.text("verified_at IS NOT NULL"),
            postgresql_where=sa.text("verified_at IS NOT NULL"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID = Field(foreign_key="workspace.id", ondelete="CASCADE", index=True)
    domain: str = Field(max_length=253)
    token: str = Field(max_length=64)
    verified_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_checked_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Why the last check failed, in a sentence for a person ('' once verified).
    reason: str = Field(default="", max_length=300)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SsoLoginState(SQLModel, table=True):
    """A sign-in in flight, kept server-side: the `state` sent to the IdP (only its hash
    here), bound to the browser that started it (the hash of its binding cookie), with
    what the callback must check (`data`: OIDC nonce and PKCE verifier, SAML request id)
    and where to go after. Used once, for ten minutes."""

    __tablename__ = "sso_login_state"

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    state_hash: str = Field(max_length=64, unique=True)
    connection_id: uuid.UUID = Field(
        foreign_key="sso_connection.id", ondelete="CASCADE", index=True
    )
    binding_hash: str = Field(max_length=64)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    next_path: str = Field(default="", max_length=500)
    # An admin's test of the connection: the callback reports instead of logging in.
    test_by: uuid.UUID | None = Field(default=None)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: dt.datetime = Field(sa_type=UTCDateTime, index=True)
    used_at: dt.datetime | None = Field(default=None, sa_type=UTCDateTime)
