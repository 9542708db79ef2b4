"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from qrapp.models.accounts import Membership, User, Workspace
from qrapp.models.audit import AuditLog
from qrapp.models.auth import AuthThrottle, EmailToken, UserSession

__all__ = [
    "AuditLog",
    "AuthThrottle",
    "EmailToken",
    "Membership",
    "User",
    "UserSession",
    "Workspace",
]
