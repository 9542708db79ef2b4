"""Every page module; importing this package registers the routes."""

from qrapp.pages import (  # noqa: F401
    dashboard,
    index,
    login,
    password_reset,
    sections,
    settings,
    signup,
    verify_email,
)
