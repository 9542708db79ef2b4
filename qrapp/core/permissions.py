"""Who may do what in a workspace: the Role x Permission table.

Every service and event handler asks `role_allows(role, permission)` through one helper
(qrapp.services.authz.require); nothing else decides access.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Permission(StrEnum):
    WORKSPACE_VIEW = "workspace.view"  # see codes, pages, analytics
    WORKSPACE_RENAME = "workspace.rename"
    WORKSPACE_DELETE = "workspace.delete"
    CODES_EDIT = "codes.edit"  # create, design, change and delete codes
    PAGES_EDIT = "pages.edit"  # landing pages
    BULK_RUN = "bulk.run"
    ANALYTICS_EXPORT = "analytics.export"
    MEMBERS_VIEW = "members.view"
    MEMBERS_INVITE = "members.invite"
    MEMBERS_MANAGE = "members.manage"  # change roles, remove members
    API_KEYS_MANAGE = "api_keys.manage"
    WEBHOOKS_MANAGE = "webhooks.manage"
    BILLING_VIEW = "billing.view"
    BILLING_MANAGE = "billing.manage"
    AUDIT_VIEW = "audit.view"
    SSO_MANAGE = "sso.manage"  # single sign-on connections and e-mail domains


_VIEWER = frozenset(
    {Permission.WORKSPACE_VIEW, Permission.MEMBERS_VIEW},
)
_EDITOR = _VIEWER | {
    Permission.CODES_EDIT,
    Permission.PAGES_EDIT,
    Permission.BULK_RUN,
    Permission.ANALYTICS_EXPORT,
}
_ADMIN = _EDITOR | {
    Permission.WORKSPACE_RENAME,
    Permission.MEMBERS_INVITE,
    Permission.MEMBERS_MANAGE,
    Permission.API_KEYS_MANAGE,
    Permission.WEBHOOKS_MANAGE,
    Permission.BILLING_VIEW,
    Permission.AUDIT_VIEW,
    Permission.SSO_MANAGE,
}
_OWNER = _ADMIN | {Permission.WORKSPACE_DELETE, Permission.BILLING_MANAGE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset(_VIEWER),
    Role.EDITOR: frozenset(_EDITOR),
    Role.ADMIN: frozenset(_ADMIN),
    Role.OWNER: frozenset(_OWNER),
}


def role_allows(role: Role | str, permission: Permission) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:  # an unknown role string grants nothing
        return False
