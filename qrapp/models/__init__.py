"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from qrapp.models.access import KnownDevice
from qrapp.models.accounts import Invitation, Membership, User, Workspace
from qrapp.models.api_keys import ApiIdempotency, ApiKey, ApiKeyUsage
from qrapp.models.audit import AuditLog
from qrapp.models.auth import AuthThrottle, EmailToken, PendingSignUp, UserSession
from qrapp.models.billing import BillingEvent, BillingNotice, Invoice, Subscription
from qrapp.models.billing_providers import KlarnaSession, KlarnaToken, PaypalPlan
from qrapp.models.billing_swish import SwishPayment
from qrapp.models.brand import WorkspaceBrand
from qrapp.models.bulk import BulkJob, BulkRow
from qrapp.models.codes import DesignTemplate, Folder, QRCode, RedirectRule
from qrapp.models.domains import CustomDomain
from qrapp.models.experiments import PageTest, PageVariant
from qrapp.models.leads import LeadSubmission
from qrapp.models.media import MediaAsset
from qrapp.models.page_events import PageDaily, PageEvent, PageVisitor
from qrapp.models.pages import LandingPage, LandingPageVersion, PageTemplate
from qrapp.models.scans import (
    ScanCodeDaily,
    ScanDimensionDaily,
    ScanEvent,
    ScanHourly,
    ScanWorkspaceDimensionDaily,
    ScanWorkspaceDimensionHourly,
    ScanWorkspaceHourly,
)
from qrapp.models.scanstate import CodeVisitorGrant, ScanVisitor
from qrapp.models.sso import SsoConnection, SsoDomain, SsoLoginState
from qrapp.models.sso_saml import SamlAssertionSeen
from qrapp.models.two_factor import (
    Passkey,
    RecoveryCode,
    TotpFactor,
    TrustedDevice,
    WebauthnChallenge,
)
from qrapp.models.webhooks import WebhookAttempt, WebhookEndpoint, WebhookMessage

__all__ = [
    "ApiIdempotency",
    "ApiKey",
    "ApiKeyUsage",
    "AuditLog",
    "AuthThrottle",
    "BillingEvent",
    "BillingNotice",
    "BulkJob",
    "BulkRow",
    "CodeVisitorGrant",
    "CustomDomain",
    "DesignTemplate",
    "EmailToken",
    "Folder",
    "Invitation",
    "Invoice",
    "KlarnaSession",
    "KlarnaToken",
    "KnownDevice",
    "LandingPage",
    "LandingPageVersion",
    "LeadSubmission",
    "MediaAsset",
    "Membership",
    "PageDaily",
    "PageEvent",
    "PageTemplate",
    "PageTest",
    "PageVariant",
    "PageVisitor",
    "Passkey",
    "PaypalPlan",
    "PendingSignUp",
    "QRCode",
    "RecoveryCode",
    "RedirectRule",
    "SamlAssertionSeen",
    "ScanCodeDaily",
    "ScanDimensionDaily",
    "ScanEvent",
    "ScanHourly",
    "ScanVisitor",
    "ScanWorkspaceDimensionDaily",
    "ScanWorkspaceDimensionHourly",
    "ScanWorkspaceHourly",
    "SsoConnection",
    "SsoDomain",
    "SsoLoginState",
    "Subscription",
    "SwishPayment",
    "TotpFactor",
    "TrustedDevice",
    "User",
    "UserSession",
    "WebauthnChallenge",
    "WebhookAttempt",
    "WebhookEndpoint",
    "WebhookMessage",
    "Workspace",
    "WorkspaceBrand",
]
