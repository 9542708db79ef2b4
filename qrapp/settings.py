"""Every setting of qrapp, its default, and the refusal of default secrets in production.

Read settings only through `get_settings()`; no other module reads os.environ.
Each setting can be given as an environment variable of the same name in upper case
(for example `DATABASE_URL`, `SMTP_HOST`) or in a `.env` file beside rxconfig.py.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"

# Development placeholders: usable on a laptop, refused when QRAPP_ENV=production.
_DEV_SECRET = "dev-insecure-secret-change-me"  # noqa: S105


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    # --- runtime -----------------------------------------------------------------------
    qrapp_env: Literal["development", "test", "production"] = Field(
        "development", description="development | test | production"
    )
    secret_key: str = Field(
        _DEV_SECRET, description="Signs grants and derives HMAC keys; 32+ random bytes."
    )

    # --- storage -----------------------------------------------------------------------
    database_url: str = Field(
        f"sqlite:///{VAR_DIR / 'qrapp.sqlite'}",
        description="SQLAlchemy URL; postgresql+psycopg://... in production.",
    )
    redis_url: str = Field("", description="Redis URL; empty means the embedded default.")
    celery_broker_url: str = Field(
        "",
        description="Celery broker; empty means REDIS_URL, or a SQLite broker under var/.",
    )

    # --- media (uploaded images, PDFs, video, audio, files) ---------------------------
    media_storage: Literal["local", "s3"] = Field(
        "local", description="Where uploads live: a folder (MEDIA_DIR) or S3-compatible storage."
    )
    media_dir: str = Field(str(VAR_DIR / "media"), description="The local media folder.")
    s3_endpoint_url: str = Field(
        "", description="S3 endpoint (e.g. http://127.0.0.1:8333); empty means AWS."
    )
    s3_bucket: str = Field("qrapp-media", description="Bucket that holds the media.")
    s3_access_key: str = Field("", description="S3 access key id.")
    s3_secret_key: str = Field("", description="S3 secret access key.")
    s3_region: str = Field("us-east-1", description="S3 region.")
    media_quota_bytes: int = Field(
        1024 * 1024 * 1024, description="Media one workspace may store (all variants counted)."
    )
    media_max_image_bytes: int = Field(20 * 1024 * 1024, description="Largest image upload.")
    media_max_pdf_bytes: int = Field(30 * 1024 * 1024, description="Largest PDF upload.")
    media_max_video_bytes: int = Field(100 * 1024 * 1024, description="Largest video upload.")
    media_max_audio_bytes: int = Field(30 * 1024 * 1024, description="Largest audio upload.")
    media_max_file_bytes: int = Field(30 * 1024 * 1024, description="Largest other file.")
    media_max_image_pixels: int = Field(
        50_000_000, description="Images with more pixels are refused (pixel floods)."
    )

    # --- public addresses --------------------------------------------------------------
    app_url: str = Field(
        "http://localhost:3000", description="Where people reach the web app (no slash)."
    )
    api_url: str = Field(
        "", description="The web backend's public URL; empty means the same as APP_URL."
    )
    edge_url: str = Field(
        "http://localhost:8080", description="Public base URL of the edge (short links)."
    )
    web_port: int = Field(3000, description="Port of the Reflex production server.")
    edge_port: int = Field(8080, description="Port of the edge ASGI server.")

    # --- sessions and accounts ---------------------------------------------------------
    session_cookie_name: str = Field("qrapp_session", description="Session cookie name.")
    session_idle_timeout_minutes: int = Field(
        60 * 24 * 3, description="A session unused this long ends."
    )
    session_absolute_timeout_hours: int = Field(
        24 * 30, description="A session ends this long after login, used or not."
    )
    login_max_failures_per_account: int = Field(
        5, description="Failed logins for one e-mail within the window before it is throttled."
    )
    login_max_failures_per_ip: int = Field(
        30, description="Failed logins from one IP within the window before it is throttled."
    )
    login_throttle_window_minutes: int = Field(15, description="Throttle window and lock.")
    login_binding_cookie_name: str = Field(
        "qrapp_browser",
        description="Random cookie that binds a login hand-off link to the browser that "
        "asked for it (against login CSRF).",
    )
    signup_max_per_ip: int = Field(
        10, description="Sign-ups from one IP (IPv6: one /64) per hour before it is throttled."
    )
    signup_max_per_email: int = Field(
        3, description="Sign-ups for one e-mail address per hour before it is throttled."
    )
    email_token_ttl_minutes: int = Field(
        60, description="Lifetime of password-reset links (verification links last 7 days)."
    )

    # --- edge and scan pipeline ------------------------------------------------------
    edge_trusted_proxies: str = Field(
        "",
        description="Comma-separated IPs/CIDRs of our own proxies or load balancers; "
        "X-Forwarded-For is believed only from them. Empty: never.",
    )
    edge_cache_seconds: float = Field(
        5.0, description="How long an edge process keeps a resolved code in memory."
    )
    edge_cache_size: int = Field(20000, description="Codes kept in each edge process's cache.")
    edge_flush_ms: int = Field(
        50, description="Scan events wait at most this long in the edge before being appended."
    )
    edge_grant_minutes: int = Field(
        60, description="Lifetime of the cookie that unlocks a password-protected code."
    )
    lead_min_fill_seconds: float = Field(
        3.0, description="A lead form sent sooner than this after the page was served is spam."
    )
    lead_token_max_age_hours: int = Field(
        24, description="A lead form's render-time token older than this asks to send again."
    )
    lead_max_body_bytes: int = Field(
        32768, description="Largest lead-form POST body the edge reads."
    )
    # --- REST API (/api/v1) ------------------------------------------------------------
    api_key_cache_seconds: float = Field(
        2.0,
        description="How long an API process keeps a key it looked up (revocation is "
        "announced, so this only bounds how late a plan change is seen).",
    )
    api_usage_flush_seconds: float = Field(
        5.0, description="How often an API process writes its per-key request counts."
    )
    api_unlimited_per_minute: int = Field(
        100_000, description="Requests per minute per key on a plan without an API limit."
    )
    api_rate_window_seconds: float = Field(
        60.0, description="The rate limit's window (the plan's number per this many seconds)."
    )
    api_docs_assets_dir: str = Field(
        str(PROJECT_ROOT / ".tools" / "swagger-ui" / "node_modules" / "swagger-ui-dist"),
        description="Swagger UI's files for /api/v1/docs (scripts install swagger-ui-dist).",
    )
    api_idempotency_hours: int = Field(
        24, description="How long the answer to a POST with an Idempotency-Key is replayed."
    )
    lead_rate_window_seconds: int = Field(600, description="Window of the lead-form rate limits.")
    lead_max_per_ip: int = Field(10, description="Lead-form posts per IP per window.")
    lead_max_per_page: int = Field(300, description="Lead-form posts per page per window.")
    code_password_max_failures: int = Field(
        5, description="Wrong passwords per code and IP within 15 minutes before a lock."
    )
    geoip_mmdb_path: str = Field(
        "",
        description="Optional MaxMind GeoIP2/GeoLite2 City .mmdb for region and city; "
        "countries come from geoip2fast's bundled data either way.",
    )
    scan_stream_key: str = Field("qrapp:scans", description="Redis stream of scan events.")
    scan_queue_path: str = Field(
        str(VAR_DIR / "scan-queue.sqlite"),
        description="The durable local scan queue of the embedded default (no Redis).",
    )
    scan_spool_path: str = Field(
        str(VAR_DIR / "scan-spool.sqlite"),
        description="Where the edge keeps scan events while Redis is unreachable.",
    )
    ingest_batch_size: int = Field(
        100,
        description="Stream messages per ingest transaction, at most (the edge packs up "
        "to 100 scan events in one message; a quiet stream gives smaller batches).",
    )
    ingest_consumers: int = Field(
        0,
        description="Ingest consumer processes in the group: 0 means one per CPU core on "
        "PostgreSQL and one on SQLite (a single writer).",
    )
    ingest_claim_idle_ms: int = Field(
        30000, description="Events a consumer holds this long unacknowledged are reclaimed."
    )
    ingest_max_deliveries: int = Field(
        5, description="An event delivered this often without success goes to dead-letter."
    )

    # --- e-mail ------------------------------------------------------------------------
    smtp_host: str = Field("", description="SMTP server; empty prints mails to the log.")
    smtp_port: int = Field(25, description="SMTP port.")
    smtp_username: str = Field("", description="SMTP user (optional).")
    smtp_password: str = Field("", description="SMTP password (optional).")
    smtp_starttls: bool = Field(False, description="Use STARTTLS.")
    mail_from: str = Field("qrapp <no-reply@qrapp.localhost>", description="From: header.")

    # --- analytics -----------------------------------------------------------------------
    analytics_retention_days: int = Field(
        365,
        description="Days raw scans and rollups are kept when a workspace has no choice of "
        "its own (30, 365 or 1095).",
    )
    analytics_live_poll_seconds: float = Field(
        1.0,
        description="How often an open dashboard checks for new scans without Redis.",
    )
    analytics_export_max_rows: int = Field(
        1_000_000, description="Most raw scans one CSV export carries."
    )

    # --- bulk jobs -----------------------------------------------------------------------
    bulk_max_rows: int = Field(50_000, description="Most rows one bulk job takes.")
    bulk_max_running_jobs: int = Field(
        2, description="Bulk jobs one workspace may have queued or running at once."
    )
    bulk_chunk_rows: int = Field(
        100, description="Rows a bulk worker makes in one transaction (then checks cancel)."
    )
    bulk_workers: int = Field(
        2, description="Tasks that work on one bulk job at once (one per worker process)."
    )
    bulk_stale_seconds: int = Field(
        120, description="A running bulk job with no progress this long is picked up again."
    )
    bulk_keep_days: int = Field(7, description="Days a bulk job's ZIP is kept.")
    bulk_dir: str = Field(
        str(VAR_DIR / "bulk"), description="Where bulk jobs write their files and ZIPs."
    )

    # --- billing (qrapp.core.plans holds the plans and prices) ----------------------------
    billing_trial_days: int = Field(14, description="Days of trial on a first paid plan.")
    stripe_api_key: str = Field("", description="Stripe secret key (sk_...); empty: no cards.")
    stripe_webhook_secret: str = Field(
        "", description="Signing secret of the Stripe webhook endpoint (whsec_...)."
    )
    stripe_api_base: str = Field(
        "", description="Another Stripe API base URL (tests: localstripe); empty: Stripe's."
    )

    # --- Swish (Sweden): the Commerce API over mutual TLS ---------------------------------
    swish_api_base: str = Field(
        "https://cpc.getswish.net/swish-cpcapi",
        description="Swish Commerce API base (Swish's test environment: "
        "https://mss.cpc.getswish.net/swish-cpcapi).",
    )
    swish_cert_file: str = Field(
        "", description="Our Swish client certificate (PEM); empty turns Swish payments off."
    )
    swish_key_file: str = Field("", description="The client certificate's private key (PEM).")
    swish_ca_file: str = Field(
        "", description="CA bundle that signs Swish's server certificate; empty: the system's."
    )
    swish_payee_alias: str = Field(
        "", description="Our Swish number (10 digits, 123...), the one in the certificate."
    )
    swish_callback_base: str = Field(
        "",
        description="https base URL Swish calls back (+ /billing/swish/callback); empty "
        "means the web backend's public URL.",
    )

    # --- PayPal Subscriptions and Klarna Payments (issue 13) ------------------------------
    paypal_api_base: str = Field(
        "https://api-m.paypal.com",
        description="PayPal REST API (sandbox: https://api-m.sandbox.paypal.com).",
    )
    paypal_client_id: str = Field("", description="PayPal REST app client id; empty: off.")
    paypal_client_secret: str = Field("", description="PayPal REST app secret.")
    paypal_webhook_id: str = Field(
        "", description="Id of the webhook registered at PayPal for PAYPAL_WEBHOOK's URL."
    )
    klarna_api_base: str = Field(
        "https://api.klarna.com",
        description="Klarna API (Europe; playground: https://api.playground.klarna.com).",
    )
    klarna_username: str = Field("", description="Klarna API username (UID); empty: off.")
    klarna_password: str = Field("", description="Klarna API password.")
    klarna_eur_country: str = Field(
        "DE", description="Purchase country of Klarna payments in EUR (SEK is always SE)."
    )

    # --- custom domains (issue 17, services.domains) ----------------------------------
    dns_nameservers: str = Field(
        "",
        description="DNS servers that domain checks ask, as host:port,host:port; empty "
        "means the system resolver.",
    )
    domains_edge_host: str = Field(
        "",
        description="The host name customers' CNAME records point to; empty means EDGE_URL's host.",
    )
    domains_http_proof_port: int = Field(
        80, description="Port the HTTP proof of a domain asks (tests: the edge's port)."
    )
    domains_per_plan: str = Field(
        "",
        description="Override of custom domains per plan, as plan:count,plan:count "
        "(the plans in qrapp.core.plans hold the defaults).",
    )

    # --- outgoing webhooks (issue 14 §6, services.webhooks) --------------------------------
    webhooks_allow_private: bool = Field(
        False,
        description="Let webhook endpoints use http:// and loopback/private addresses. "
        "Tests and local development only: refused when QRAPP_ENV=production.",
    )
    webhooks_disable_after_messages: int = Field(
        5, description="Disable an endpoint after this many messages in a row failed."
    )
    webhooks_disable_after_days: int = Field(
        5, description="Disable an endpoint failing without a success for this many days."
    )
    webhooks_scan_batch: int = Field(
        100, description="Scans per scan.created message (one message per ingest batch)."
    )

    @property
    def is_production(self) -> bool:
        return self.qrapp_env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def public_api_url(self) -> str:
        return (self.api_url or self.app_url).rstrip("/")

    @property
    def broker_url(self) -> str:
        if self.celery_broker_url:
            return self.celery_broker_url
        if self.redis_url:
            return self.redis_url
        return f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite'}"

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.is_production:
            if self.secret_key == _DEV_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "SECRET_KEY must be set to 32+ random characters when QRAPP_ENV=production"
                )
            if self.app_url.startswith("http://"):
                raise ValueError("APP_URL must be https:// when QRAPP_ENV=production")
            if self.webhooks_allow_private:
                raise ValueError("WEBHOOKS_ALLOW_PRIVATE is for tests and development only")
        return self


@functools.cache
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """Tests change the environment and then call this."""
    get_settings.cache_clear()
