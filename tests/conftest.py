"""Shared fixtures: the sample practice copied to a temporary folder, and built once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BIN = Path(sys.executable).parent


def copy_project(dest: Path) -> Path:
    """Copy what a practice's repository holds (mkdocs.yml, content/, overrides/) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def run(*args: str | Path, cwd: Path, check: bool = True, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """Run a command of the project (mkdocs, syndicate) in ``cwd`` and capture its output."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=full_env)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed with {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def build_site(project: Path) -> Path:
    """Build a project the way scripts/build does: the pages, then feeds, teasers and slides."""
    run(BIN / "mkdocs", "build", "--strict", "--quiet", cwd=project)
    run(BIN / "syndicate", "build", cwd=project)
    return project / "site"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the sample practice to change freely."""
    return copy_project(tmp_path / "practice")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample practice, built once for the whole test session (do not modify it)."""
    project = copy_project(tmp_path_factory.mktemp("built") / "practice")
    build_site(project)
    return project


@pytest.fixture(scope="session")
def built_site(built_project: Path) -> Path:
    """The ``site/`` folder of the built sample practice."""
    return built_project / "site"
