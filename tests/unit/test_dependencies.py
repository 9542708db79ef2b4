"""pyproject.toml declares the same runtime pins as requirements.txt, and the production
file holds no test tool (scripts/run installs it alone)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pins(path: Path) -> list[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("-r")]


def test_pyproject_declares_the_requirements_pins():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert declared == _pins(ROOT / "requirements.txt")


def test_test_tools_are_not_production_requirements():
    production = {pin.split("==")[0].lower() for pin in _pins(ROOT / "requirements.txt")}
    dev = {pin.split("==")[0].lower() for pin in _pins(ROOT / "requirements-dev.txt")}
    assert {"pytest", "ruff", "mypy", "playwright"} <= dev
    assert not production & dev
