import itertools

import pytest

from qrapp.core.permissions import ROLE_PERMISSIONS, Permission, Role, role_allows


def test_roles_are_nested_viewer_editor_admin_owner():
    order = [Role.VIEWER, Role.EDITOR, Role.ADMIN, Role.OWNER]
    for lower, higher in itertools.pairwise(order):
        assert ROLE_PERMISSIONS[lower] < ROLE_PERMISSIONS[higher]


@pytest.mark.parametrize(
    "permission",
    [
        Permission.MEMBERS_INVITE,
        Permission.API_KEYS_MANAGE,
        Permission.BILLING_MANAGE,
        Permission.BILLING_VIEW,
        Permission.CODES_EDIT,
        Permission.WORKSPACE_RENAME,
    ],
)
def test_viewer_cannot_invite_create_keys_touch_billing_or_edit(permission):
    assert not role_allows(Role.VIEWER, permission)


def test_only_owner_manages_billing_and_deletes_workspace():
    for perm in (Permission.BILLING_MANAGE, Permission.WORKSPACE_DELETE):
        assert [r for r in Role if role_allows(r, perm)] == [Role.OWNER]


def test_every_role_can_view_and_unknown_roles_get_nothing():
    assert all(role_allows(r, Permission.WORKSPACE_VIEW) for r in Role)
    assert not role_allows("superuser", Permission.WORKSPACE_VIEW)
    assert not role_allows("", Permission.WORKSPACE_VIEW)
