"""Every page module; importing this package registers the routes."""

from qrapp.pages import (  # noqa: F401
    analytics,
    api_keys,
    billing,
    bulk,
    code_detail,
    code_new,
    codes,
    dashboard,
    index,
    landing_pages,
    login,
    login_directory,
    media_library,
    password_reset,
    pricing,
    settings,
    signup,
    team,
    verify_email,
    webhooks,
)
