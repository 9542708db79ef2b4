"""Audit rows name their action with `AuditAction`, never a free string."""

from __future__ import annotations

import re
from pathlib import Path

from qrapp.models import AuditLog
from qrapp.models.audit import AuditAction

SERVICES = Path(__file__).resolve().parents[3] / "qrapp" / "services"


def test_every_action_fits_the_column_and_reads_as_area_dot_verb():
    width = AuditLog.model_fields["action"].metadata
    limit = next(m.max_length for m in width if hasattr(m, "max_length"))
    for action in AuditAction:
        assert len(action.value) <= limit
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", action.value), action


def test_no_service_passes_a_string_literal_as_an_audit_action():
    literal = re.compile(r"""action=f?["']|_audit\([^)]*?, f?["'][a-z_]+\.""")
    offenders = [
        f"{path.relative_to(SERVICES)}:{n}"
        for path in SERVICES.rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if literal.search(line)
    ]
    assert offenders == []


def test_the_stored_value_is_the_plain_string():
    assert AuditAction.QR_PAUSED == "qr.paused"
    assert AuditAction("analytics.export_csv") is AuditAction.ANALYTICS_EXPORT_CSV
