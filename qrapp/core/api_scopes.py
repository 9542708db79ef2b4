"""What an API key may do: its scopes, and the workspace permission each one grants.

A key acts for its workspace with the permissions of its scopes only (never a member's
role), so a key made by an owner with `codes:read` cannot change a code. The routes ask for
a scope (403 without it); the services then check the permission as they do for people.
"""

from __future__ import annotations

from enum import StrEnum

from qrapp.core.permissions import Permission


class Scope(StrEnum):
    CODES_READ = "codes:read"
    CODES_WRITE = "codes:write"
    ANALYTICS_READ = "analytics:read"
    PAGES_READ = "pages:read"
    PAGES_WRITE = "pages:write"
    BULK_WRITE = "bulk:write"
    WEBHOOKS_READ = "webhooks:read"
    WEBHOOKS_WRITE = "webhooks:write"
    USAGE_READ = "usage:read"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[Scope, str] = {
    Scope.CODES_READ: "Read codes, folders and tags",
    Scope.CODES_WRITE: "Create, change and delete codes",
    Scope.ANALYTICS_READ: "Read analytics and scans",
    Scope.PAGES_READ: "Read landing pages",
    Scope.PAGES_WRITE: "Publish landing pages",
    Scope.BULK_WRITE: "Start bulk jobs",
    Scope.WEBHOOKS_READ: "Read webhook endpoints and deliveries",
    Scope.WEBHOOKS_WRITE: "Manage webhook endpoints",
    Scope.USAGE_READ: "Read the workspace's usage",
}

# Writing implies reading what you write: a key with codes:write can read codes back.
_IMPLIES: dict[Scope, frozenset[Scope]] = {
    Scope.CODES_WRITE: frozenset({Scope.CODES_READ}),
    Scope.PAGES_WRITE: frozenset({Scope.PAGES_READ}),
    Scope.WEBHOOKS_WRITE: frozenset({Scope.WEBHOOKS_READ}),
}

_GRANTS: dict[Scope, frozenset[Permission]] = {
    Scope.CODES_READ: frozenset({Permission.WORKSPACE_VIEW}),
    Scope.CODES_WRITE: frozenset({Permission.WORKSPACE_VIEW, Permission.CODES_EDIT}),
    Scope.ANALYTICS_READ: frozenset({Permission.WORKSPACE_VIEW, Permission.ANALYTICS_EXPORT}),
    Scope.PAGES_READ: frozenset({Permission.WORKSPACE_VIEW}),
    Scope.PAGES_WRITE: frozenset({Permission.WORKSPACE_VIEW, Permission.PAGES_EDIT}),
    # A bulk job makes codes: the jobs service checks CODES_EDIT as creating one does.
    Scope.BULK_WRITE: frozenset(
        {Permission.WORKSPACE_VIEW, Permission.BULK_RUN, Permission.CODES_EDIT}
    ),
    Scope.WEBHOOKS_READ: frozenset({Permission.WEBHOOKS_MANAGE}),
    Scope.WEBHOOKS_WRITE: frozenset({Permission.WEBHOOKS_MANAGE}),
    Scope.USAGE_READ: frozenset({Permission.WORKSPACE_VIEW}),
}


def parse_scopes(values: list[str] | tuple[str, ...]) -> frozenset[Scope]:
    """The scopes named, with the ones they imply; ValueError names an unknown one."""
    out: set[Scope] = set()
    for value in values:
        try:
            scope = Scope(value)
        except ValueError:
            raise ValueError(f"Unknown scope {value!r}.") from None
        out.add(scope)
        out |= _IMPLIES.get(scope, frozenset())
    return frozenset(out)


def permissions_of(scopes: frozenset[Scope]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for scope in scopes:
        granted |= _GRANTS[scope]
    return frozenset(granted)
