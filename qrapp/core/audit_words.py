"""Audit actions in plain words for the audit viewer and its CSV ("Signed in", "QR code:
rule added"). Pure: actions other lanes add later read well through the fallback."""

from __future__ import annotations

_AREAS = {
    "user": "Account",
    "session": "Session",
    "workspace": "Workspace",
    "member": "Member",
    "qr": "QR code",
    "bulk": "Bulk job",
    "folder": "Folder",
    "design_template": "Design template",
    "page": "Landing page",
    "page_template": "Page template",
    "lead": "Leads",
    "media": "Media",
    "analytics": "Analytics",
    "billing": "Billing",
    "api_key": "API key",
    "webhook": "Webhook",
    "audit": "Audit log",
    "sso": "SSO",
    "two_factor": "Two-factor",
    "passkey": "Passkey",
}

_WORDS = {
    "user.signed_up": "Signed up",
    "user.email_verified": "Confirmed their e-mail address",
    "user.logged_in": "Signed in",
    "user.login_failed": "Sign-in failed",
    "user.logged_out": "Signed out",
    "user.password_reset": "Reset their password",
    "user.password_changed": "Changed their password",
    "user.new_device": "Signed in from a new device",
    "session.revoked": "Signed a session out",
    "session.revoked_others": "Signed out every other session",
    "workspace.created": "Created the workspace",
    "workspace.renamed": "Renamed the workspace",
    "workspace.timezone_changed": "Changed the workspace's time zone",
    "workspace.ip_allowlist_changed": "Changed the IP allowlist",
    "member.invited": "Invited a member",
    "member.invite_revoked": "Withdrew an invitation",
    "member.joined": "Joined the workspace",
    "member.role_changed": "Changed a member's role",
    "member.left": "Left the workspace",
    "member.removed": "Removed a member",
    "api_key.created": "Created an API key",
    "api_key.rotated": "Rotated an API key",
    "api_key.revoked": "Revoked an API key",
    "audit.exported": "Downloaded the audit log",
}

_OBJECTS = {
    "qr": "QR code",
    "qr_code": "QR code",
    "code": "QR code",
    "page": "Landing page",
    "landing_page": "Landing page",
    "api_key": "API key",
    "user": "Person",
    "membership": "Member",
    "member": "Member",
    "invitation": "Invitation",
    "session": "Session",
    "workspace": "Workspace",
    "webhook": "Webhook",
    "webhook_endpoint": "Webhook",
    "bulk_job": "Bulk job",
}


def area(action: str) -> str:
    head = action.split(".", 1)[0]
    return _AREAS.get(head, head.replace("_", " ").capitalize())


def action_words(action: str) -> str:
    """What happened, in a few words for a person."""
    if action in _WORDS:
        return _WORDS[action]
    _head, _, rest = action.partition(".")
    if not rest:
        return action.replace("_", " ").capitalize()
    return f"{area(action)}: {rest.replace('_', ' ')}"


def object_words(target_type: str) -> str:
    return _OBJECTS.get(target_type, target_type.replace("_", " ").capitalize())
