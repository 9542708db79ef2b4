"""QR codes: create, edit, change destination, pause, archive, delete.

Every function takes the actor and works only inside the actor's workspace: a code of
another workspace is "not found", the same answer as a missing id.

This module is the one name the UI, the CLI, the API and the tests call (`qrcodes.create`,
`qrcodes.set_status`...); the work lives in modules named for their job:
checks (what a person enters), records (finding, auditing, announcing), creation, editing,
lifecycle (status, delete), code_domain (moving a code to another domain) and display.
"""

from __future__ import annotations

from qrapp.services.codes.checks import (
    UTM_KEYS,
    UTM_MAX,
    check_destination,
    check_utm,
    code_text,
    require_scannable,
    utm_preview,
)
from qrapp.services.codes.code_domain import change_domain
from qrapp.services.codes.creation import DYNAMIC_TYPE, CodeInput, create, duplicate
from qrapp.services.codes.display import content_fields, encoded_for_display
from qrapp.services.codes.editing import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    change_destination,
    rename,
    set_password,
    set_utm,
    set_validity,
    update_code,
)
from qrapp.services.codes.lifecycle import STATUSES, delete, set_status
from qrapp.services.codes.records import (
    audit_code,
    code_in_workspace_or_raise,
    get_code_or_raise,
    list_codes,
    mark_changed,
)
from qrapp.services.hosts import short_url

__all__ = [
    "DYNAMIC_TYPE",
    "PASSWORD_MAX",
    "PASSWORD_MIN",
    "STATUSES",
    "UTM_KEYS",
    "UTM_MAX",
    "CodeInput",
    "audit_code",
    "change_destination",
    "change_domain",
    "check_destination",
    "check_utm",
    "code_in_workspace_or_raise",
    "code_text",
    "content_fields",
    "create",
    "delete",
    "duplicate",
    "encoded_for_display",
    "get_code_or_raise",
    "list_codes",
    "mark_changed",
    "rename",
    "require_scannable",
    "set_password",
    "set_status",
    "set_utm",
    "set_validity",
    "short_url",
    "update_code",
    "utm_preview",
]
