"""Every route path of the web app and backend, and the builders of URLs with parts.

Pure (no Reflex, no settings) so pages, components, state, the API and core can all use
it. Builders take a str or a Reflex Var (``"/codes/" + var`` builds a Var on the page).
"""

from typing import Any

# Public pages.
HOME = "/"
LOGIN = "/login"
SIGNUP = "/signup"
FORGOT_PASSWORD = "/forgot-password"  # noqa: S105 (a path, not a secret)
RESET_PASSWORD = "/reset-password"  # noqa: S105 (a path, not a secret)
VERIFY_EMAIL = "/verify-email"
INVITE = "/invite"

# Signed-in pages.
DASHBOARD = "/dashboard"
CODES = "/codes"
CODE_NEW = "/codes/new"
CODE_PAGE = "/codes/[code_id]"
CODE_EDIT = "/codes/[code_id]/edit"
ANALYTICS = "/analytics"
TEAM = "/team"
SETTINGS = "/settings"
# REST v1: mounted here in the web backend, and the same path when it runs alone.
API_V1 = "/api/v1"
API_KEYS = "/settings/api-keys"  # owners and admins
SETTINGS_WEBHOOKS = "/settings/webhooks"  # owners and admins: outgoing webhooks
# access lane: sessions + IP allowlist; the audit log (AUDIT_VIEW); the page a member sees
# when the workspace's IP allowlist does not include their network.
SETTINGS_SECURITY = "/settings/security"  # everyone: two-factor, passkeys, sessions
SETTINGS_AUDIT = "/settings/audit"
NETWORK_NOT_ALLOWED = "/network-not-allowed"
SETTINGS_DOMAINS = "/settings/domains"  # owners and admins: custom domains
SETTINGS_BRAND = "/settings/brand"  # owners and admins: white label
SETTINGS_SSO = "/settings/sso"  # owners and admins: single sign-on
LANDING_PAGES = "/landing-pages"
LANDING_PAGE = "/landing-pages/[page_id]"
LANDING_PAGE_LEADS = "/landing-pages/[page_id]/leads"
LANDING_PAGE_AB_TEST = "/landing-pages/[page_id]/ab-test"
BULK = "/bulk"
MEDIA = "/media"  # the workspace's media library
BILLING = "/billing"  # plan, usage, payment, invoices (owners; admins read)
PRICING = "/pricing"  # public: the plans compared

# Static files of the frontend (assets/) that every page loads.
FOCUS_SCRIPT = "/focus.js"  # focus to the new page's h1 after in-app navigation
A11Y_STYLESHEET = "/a11y.css"  # focus rings, skip link, contrast fixes

# Backend (Starlette) routes next to the Reflex app.
API_DOCS = "/api/v1/docs"  # the REST API's reference page (on the backend's URL)
AUTH_SESSION = "/auth/session"
AUTH_LOGOUT = "/auth/logout"
# Single sign-on: a sign-in starts at its connection's route and OIDC returns to the callback.
SSO_START = "/auth/sso/{connection_id}/start"
SSO_OIDC_CALLBACK = "/auth/sso/oidc/callback"
# saml-ldap: SAML 2.0 on the backend (our metadata, the IdP's POST, the finish hop).
AUTH_SAML_METADATA = "/auth/saml/{connection_id}/metadata"
AUTH_SAML_ACS = "/auth/saml/{connection_id}/acs"
AUTH_SAML_FINISH = "/auth/saml/finish"
# saml-ldap: the company-directory (LDAP) login form; the SSO e-mail step sends LDAP here.
LOGIN_DIRECTORY = "/login/directory"
ANALYTICS_EXPORT = "/analytics/export"
EXPORT_SCANS_CSV = "/scans.csv"
EXPORT_BREAKDOWNS_XLSX = "/breakdowns.xlsx"
EXPORT_REPORT_PDF = "/report.pdf"
ANALYTICS_EXPORT_CSV = ANALYTICS_EXPORT + EXPORT_SCANS_CSV
ANALYTICS_EXPORT_XLSX = ANALYTICS_EXPORT + EXPORT_BREAKDOWNS_XLSX
ANALYTICS_EXPORT_PDF = ANALYTICS_EXPORT + EXPORT_REPORT_PDF

# Payment providers call these (plain routes; each checks its provider's proof).
STRIPE_WEBHOOK = "/billing/webhooks/stripe"
PAYPAL_WEBHOOK = "/billing/webhooks/paypal"
SWISH_CALLBACK = "/billing/swish/callback"
KLARNA_RETURN = "/billing/klarna/return"

LEADS_EXPORT = "/files/leads/{page_id}/leads.{fmt}"  # fmt: csv | xlsx
AUDIT_EXPORT_CSV = "/files/audit/audit.csv"  # AUDIT_VIEW; the viewer's filters as query

# Files served by the backend (Starlette patterns; the builders below fill them in).
CODE_THUMBNAIL = "/files/codes/{code_id}/thumb.png"
CODE_DOWNLOAD = "/files/codes/{code_id}/download"
TRY_QR = "/try/qr.{fmt}"
# Reflex's own upload endpoint (reflex.constants.Endpoint.UPLOAD; core and the API may not
# import Reflex, so tests/unit/test_routes_and_bars.py holds the two equal).
REFLEX_UPLOAD = "/_upload"
# The try-it form's answer as a plain page: the form works before (or without) scripts.
TRY_PAGE = "/try"
# Uploads of media (images, PDFs, video, audio, files) to the workspace's library.
MEDIA_UPLOAD = REFLEX_UPLOAD + "/media"
BULK_DOWNLOAD = "/files/bulk/{job_id}/{kind}"  # kind: zip | links; signed, expiring
BILLING_RECEIPT = "/files/billing/receipts/{invoice_id}.pdf"  # owners and admins

# Static assets: the analytics map's topojson.
TOPOJSON_ASSETS = "/topojson/"
FAVICON = "/favicon.svg"
# A published landing page on the edge: /p/<slug>, its clicks /p/<slug>/c/<target> and
# downloads /p/<slug>/d/<block> (the edge matches these itself).
PUBLIC_PAGE_PREFIX = "/p/"
# An uploaded asset's variant on the edge: /m/<asset id>/<variant> ("original", "w960", ...).
MEDIA_PREFIX = "/m/"
# An expiring link to one stored object of the local media folder (S3 signs its own).
MEDIA_SIGNED_PREFIX = "/media-signed/"

# Where login and logout land with a notice.
LOGIN_EXPIRED = LOGIN + "?error=expired"
LOGIN_BYE = LOGIN + "?bye=1"
LOGIN_AFTER_RESET = LOGIN + "?reset=1"
LOGIN_SSO_ERROR = LOGIN + "?sso_error="  # + a code the login page turns into a sentence
DASHBOARD_WELCOME = DASHBOARD + "?welcome=1"

# Never a target after login: the backend's auth routes, the login and sign-up pages, and
# /logout (a reserved short code, so no page of ours will ever live there).
NOT_AFTER_LOGIN = ("/auth/", LOGIN, SIGNUP, "/logout")


def code_page(code_id: Any) -> Any:
    """/codes/<id>; code_id may be a Reflex Var."""
    return CODES + "/" + code_id


def code_edit(code_id: Any) -> Any:
    return CODES + "/" + code_id + "/edit"


def code_new(code_type: str | None = None) -> str:
    return CODE_NEW if code_type is None else f"{CODE_NEW}?type={code_type}"


def landing_page(page_id: Any) -> Any:
    """/landing-pages/<id> (the builder); page_id may be a Reflex Var."""
    return LANDING_PAGES + "/" + page_id


def page_leads(page_id: Any) -> Any:
    """/landing-pages/<id>/leads (the page's leads table); page_id may be a Reflex Var."""
    return LANDING_PAGES + "/" + page_id + "/leads"


def page_ab_test(page_id: Any) -> Any:
    """/landing-pages/<id>/ab-test (the page's A/B test); page_id may be a Reflex Var."""
    return LANDING_PAGES + "/" + page_id + "/ab-test"


def leads_export(page_id: Any, fmt: str) -> Any:
    """/files/leads/<id>/leads.csv|xlsx; page_id may be a Reflex Var."""
    return "/files/leads/" + page_id + "/leads." + fmt


def code_thumbnail(code_id: object) -> str:
    return CODE_THUMBNAIL.format(code_id=code_id)


def code_download(code_id: object) -> str:
    return CODE_DOWNLOAD.format(code_id=code_id)


def media_path(asset_id: object, variant: str = "original") -> str:
    """/m/<asset id>/<variant>, served by the edge (relative: pages live on the edge)."""
    return f"{MEDIA_PREFIX}{asset_id}/{variant}"


def public_page(slug: str) -> str:
    """/p/<slug>, a published landing page, served by the edge."""
    return f"{PUBLIC_PAGE_PREFIX}{slug}"


def media_signed_path(key: str, query: str) -> str:
    """/media-signed/<storage key>?<query> (the query carries expiry and signature)."""
    return f"{MEDIA_SIGNED_PREFIX}{key}?{query}"


def bulk_download(job_id: object, kind: str) -> str:
    return BULK_DOWNLOAD.format(job_id=job_id, kind=kind)


def try_qr(fmt: str) -> str:
    """The home page's try-it image, e.g. /try/qr.png."""
    return TRY_QR.format(fmt=fmt)


def with_next(path: str, encoded_next: Any) -> Any:
    """path?next=<encoded_next>; the caller has already URL-encoded the target."""
    return path + "?next=" + encoded_next


def invite_link(token: str) -> str:
    return f"{INVITE}?token={token}"


def verify_email_link(token: str) -> str:
    return f"{VERIFY_EMAIL}?token={token}"


def reset_password_link(token: str) -> str:
    return f"{RESET_PASSWORD}?token={token}"


def sso_start(connection_id: Any) -> Any:
    return SSO_START.replace("{connection_id}", str(connection_id))


def auth_session(handoff: str, encoded_next: str) -> str:
    """The backend route that turns a handoff into the session cookie, then goes on."""
    return f"{AUTH_SESSION}?h={handoff}&next={encoded_next}"


def billing_receipt(invoice_id: object) -> str:
    return BILLING_RECEIPT.format(invoice_id=invoice_id)
