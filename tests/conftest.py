"""Shared fixtures: a small practice site in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample practice (mkdocs.yml, content/, overrides/) to change freely."""
    for name in ("mkdocs.yml",):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path
