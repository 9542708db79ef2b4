"""The audit trail: who did what, where, when."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from qrapp.core.ids import uuid7
from qrapp.models.types import UTCDateTime, utcnow


class AuditAction(StrEnum):
    """Every action an audit row can record. The values are what the `action` column holds
    (rows written before this enum existed hold the same strings): never change one."""

    USER_SIGNED_UP = "user.signed_up"
    USER_EMAIL_VERIFIED = "user.email_verified"
    USER_LOGGED_IN = "user.logged_in"
    USER_LOGIN_FAILED = "user.login_failed"
    USER_LOGGED_OUT = "user.logged_out"
    USER_PASSWORD_RESET = "user.password_reset"  # noqa: S105 (an action name, not a secret)
    USER_PASSWORD_CHANGED = "user.password_changed"  # noqa: S105 (an action name, not a secret)

    WORKSPACE_CREATED = "workspace.created"
    WORKSPACE_RENAMED = "workspace.renamed"
    WORKSPACE_TIMEZONE_CHANGED = "workspace.timezone_changed"

    MEMBER_INVITED = "member.invited"
    MEMBER_INVITE_REVOKED = "member.invite_revoked"
    MEMBER_JOINED = "member.joined"
    MEMBER_ROLE_CHANGED = "member.role_changed"
    MEMBER_LEFT = "member.left"
    MEMBER_REMOVED = "member.removed"

    QR_CREATED = "qr.created"
    QR_UPDATED = "qr.updated"
    QR_RENAMED = "qr.renamed"
    QR_DESTINATION_CHANGED = "qr.destination_changed"
    # Written by the removed update_design / update_payload: older rows hold them.
    QR_DESIGN_CHANGED = "qr.design_changed"
    QR_CONTENT_CHANGED = "qr.content_changed"
    QR_VALIDITY_CHANGED = "qr.validity_changed"
    QR_PASSWORD_SET = "qr.password_set"  # noqa: S105 (an action name, not a secret)
    QR_PASSWORD_REMOVED = "qr.password_removed"  # noqa: S105 (an action name, not a secret)
    QR_UTM_CHANGED = "qr.utm_changed"
    QR_DELETED = "qr.deleted"
    # set_status: "qr." + the new status
    QR_ACTIVE = "qr.active"
    QR_PAUSED = "qr.paused"
    QR_ARCHIVED = "qr.archived"
    QR_RULE_ADDED = "qr.rule_added"
    QR_RULE_CHANGED = "qr.rule_changed"
    QR_RULE_DELETED = "qr.rule_deleted"
    QR_RULES_REORDERED = "qr.rules_reordered"
    QR_RULES_REPLACED = "qr.rules_replaced"
    # library.bulk: "qr.bulk_" + the bulk action
    QR_BULK_PAUSE = "qr.bulk_pause"
    QR_BULK_ACTIVATE = "qr.bulk_activate"
    QR_BULK_ARCHIVE = "qr.bulk_archive"
    QR_BULK_DELETE = "qr.bulk_delete"
    QR_BULK_TAG = "qr.bulk_tag"
    QR_BULK_UNTAG = "qr.bulk_untag"
    QR_BULK_MOVE = "qr.bulk_move"

    # bulk jobs (issue 12): one row per job and action, not one per code made
    BULK_JOB_STARTED = "bulk.job_started"
    BULK_JOB_CANCELLED = "bulk.job_cancelled"
    BULK_JOB_RETRIED = "bulk.job_retried"

    FOLDER_CREATED = "folder.created"
    FOLDER_DELETED = "folder.deleted"

    DESIGN_TEMPLATE_SAVED = "design_template.saved"
    DESIGN_TEMPLATE_DELETED = "design_template.deleted"

    PAGE_CREATED = "page.created"
    PAGE_RENAMED = "page.renamed"
    PAGE_SLUG_CHANGED = "page.slug_changed"
    PAGE_PUBLISHED = "page.published"
    PAGE_UNPUBLISHED = "page.unpublished"
    PAGE_VERSION_RESTORED = "page.version_restored"
    PAGE_DELETED = "page.deleted"
    PAGE_TEST_STARTED = "page.test_started"
    PAGE_TEST_WEIGHTS = "page.test_weights"
    PAGE_TEST_STOPPED = "page.test_stopped"
    PAGE_TEST_WINNER = "page.test_winner"
    PAGE_TEMPLATE_SAVED = "page_template.saved"
    PAGE_TEMPLATE_DELETED = "page_template.deleted"
    LEAD_DELETED = "lead.deleted"
    LEADS_EXPORTED = "lead.exported"

    MEDIA_UPLOADED = "media.uploaded"
    MEDIA_DELETED = "media.deleted"

    # analytics exports: "analytics.export_" + the file kind
    ANALYTICS_EXPORT_CSV = "analytics.export_csv"
    ANALYTICS_EXPORT_XLSX = "analytics.export_xlsx"
    ANALYTICS_EXPORT_PDF = "analytics.export_pdf"
    ANALYTICS_RETENTION_CHANGED = "analytics.retention_changed"

    # card subscriptions (services.billing.stripe_billing)
    BILLING_STRIPE_PLAN_CHANGED = "billing.stripe_plan_changed"
    BILLING_STRIPE_CANCEL_SCHEDULED = "billing.stripe_cancel_scheduled"
    BILLING_STRIPE_RESUMED = "billing.stripe_resumed"

    # Swish (issue 13): a payment request made, paid (no actor: Swish told us), refunded
    BILLING_SWISH_STARTED = "billing.swish_started"
    BILLING_SWISH_PAID = "billing.swish_paid"
    BILLING_SWISH_REFUNDED = "billing.swish_refunded"

    # PayPal and Klarna payments (an owner's own actions; provider events are in the inbox)
    BILLING_PAYPAL_STARTED = "billing.paypal_started"
    BILLING_PAYPAL_CANCELED = "billing.paypal_canceled"
    BILLING_KLARNA_STARTED = "billing.klarna_started"
    BILLING_KLARNA_COMPLETED = "billing.klarna_completed"
    BILLING_KLARNA_CANCELED = "billing.klarna_canceled"

    API_KEY_CREATED = "api_key.created"
    API_KEY_ROTATED = "api_key.rotated"
    API_KEY_REVOKED = "api_key.revoked"

    WEBHOOK_CREATED = "webhook.created"
    WEBHOOK_UPDATED = "webhook.updated"
    WEBHOOK_DELETED = "webhook.deleted"
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated"  # noqa: S105 (an action name)
    WEBHOOK_DISABLED = "webhook.disabled"

    # two-factor lane (issue 18 §1): second factors and their use at login
    TWO_FACTOR_ENABLED = "two_factor.enabled"
    TWO_FACTOR_DISABLED = "two_factor.disabled"
    TWO_FACTOR_LOGIN_FAILED = "two_factor.login_failed"
    RECOVERY_CODES_REGENERATED = "two_factor.recovery_regenerated"
    RECOVERY_CODE_USED = "two_factor.recovery_used"
    PASSKEY_ADDED = "passkey.added"
    PASSKEY_REMOVED = "passkey.removed"
    WORKSPACE_TWO_FACTOR_REQUIRED = "workspace.two_factor_required"
    # access lane (issue 18 §3-5): sessions and devices, IP allowlists, the audit viewer
    SESSION_REVOKED = "session.revoked"
    SESSIONS_REVOKED_OTHERS = "session.revoked_others"
    USER_NEW_DEVICE = "user.new_device"
    WORKSPACE_IP_ALLOWLIST_CHANGED = "workspace.ip_allowlist_changed"
    AUDIT_EXPORTED = "audit.exported"
    # custom domains (wave 7, domains lane)
    DOMAIN_ADDED = "domain.added"
    DOMAIN_VERIFIED = "domain.verified"
    DOMAIN_FAILED = "domain.failed"
    DOMAIN_LOST = "domain.lost"
    DOMAIN_MOVED = "domain.moved"  # another workspace proved the name: it left this one
    DOMAIN_REMOVED = "domain.removed"
    DOMAIN_DEFAULT_SET = "domain.default_set"
    DOMAIN_SETTINGS_CHANGED = "domain.settings_changed"
    PAGE_DOMAIN_CHANGED = "page.domain_changed"

    # brand lane (white label)
    BRAND_UPDATED = "brand.updated"
    # sso lane: single sign-on configuration and logins
    SSO_CONNECTION_CREATED = "sso.connection_created"
    SSO_CONNECTION_UPDATED = "sso.connection_updated"
    SSO_CONNECTION_DELETED = "sso.connection_deleted"
    SSO_DOMAIN_ADDED = "sso.domain_added"
    SSO_DOMAIN_VERIFIED = "sso.domain_verified"
    SSO_DOMAIN_REMOVED = "sso.domain_removed"
    SSO_LOGIN = "sso.login"
    SSO_LOGIN_FAILED = "sso.login_failed"
    SSO_MEMBER_JOINED = "sso.member_joined"
    # domains lane (wave 8, issue 17 gaps): an existing code moved to another domain
    QR_DOMAIN_CHANGED = "qr.domain_changed"


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_workspace_created", "workspace_id", "created_at"),
        # The audit viewer also shows members' account rows (logins, sessions): by actor.
        sa.Index("ix_audit_log_actor_created", "actor_user_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid7, primary_key=True)
    workspace_id: uuid.UUID | None = Field(
        default=None, foreign_key="workspace.id", ondelete="CASCADE"
    )
    actor_user_id: uuid.UUID | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    # The API key that acted, when one did (the audit log names the key; actor_user_id is
    # then the key's maker).
    api_key_id: uuid.UUID | None = Field(
        default=None, foreign_key="api_key.id", ondelete="SET NULL"
    )
    action: str = Field(max_length=64)
    target_type: str = Field(default="", max_length=32)
    target_id: str = Field(default="", max_length=64)
    ip: str = Field(default="", max_length=64)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
