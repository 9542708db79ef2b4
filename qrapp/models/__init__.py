"""SQLModel tables. Importing this package registers every table on SQLModel.metadata."""

from qrapp.models.accounts import Membership, User, Workspace
from qrapp.models.audit import AuditLog
from qrapp.models.auth import AuthThrottle, EmailToken, UserSession
from qrapp.models.codes import Folder, QRCode, RedirectRule
from qrapp.models.scans import ScanDimensionDaily, ScanEvent, ScanHourly

__all__ = [
    "AuditLog",
    "AuthThrottle",
    "EmailToken",
    "Folder",
    "Membership",
    "QRCode",
    "RedirectRule",
    "ScanDimensionDaily",
    "ScanEvent",
    "ScanHourly",
    "User",
    "UserSession",
    "Workspace",
]
