"""Every test runs with QRAPP_ENV=test and a private var/ folder for broker files."""

from __future__ import annotations

import os

os.environ.setdefault("QRAPP_ENV", "test")
