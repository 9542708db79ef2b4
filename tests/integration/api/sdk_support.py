"""Shared by the SDK tests: where the SDKs are, their READMEs' examples, and running a tool
with its output in the failure message."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SDK = ROOT / "sdk"


def readme_example(language: str, fence: str) -> str:
    """The first ```<fence> block of sdk/<language>/README.md: the example people copy is
    the one the suite runs or compiles."""
    text = (SDK / language / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"^```{fence}\n(.*?)^```", text, re.S | re.M)
    assert found, f"sdk/{language}/README.md has no ```{fence} example"
    return found.group(1)


def run(
    args: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run a tool; fail the test with its output when it exits non-zero."""
    done = subprocess.run(
        args,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} exited {done.returncode}\n{done.stdout[-6000:]}\n"
        f"{done.stderr[-6000:]}"
    )
    return done


def typescript_dir() -> Path:
    """TypeScript's compiler and Node's types, which scripts/test installs into .tools/."""
    path = Path(os.environ.get("SDK_TYPESCRIPT_DIR") or ROOT / ".tools/typescript")
    assert (path / "node_modules/typescript/bin/tsc").is_file(), (
        f"no TypeScript compiler in {path}: ./scripts/test installs it (ensure_typescript)"
    )
    return path
