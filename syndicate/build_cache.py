"""Outputs of ``syndicate build`` kept between builds, so a rebuild redoes only what changed.

``mkdocs build`` empties ``site/`` every time, so the outputs are kept in
``.cache/syndicate/<step>/`` beside ``mkdocs.yml`` (ignored by Git; a CI
workflow may keep it between runs) and copied back into the site.

An entry's key is a digest of everything that decides the output: the article
as read (front matter and body) with its page in the built site, the settings
as loaded, the files it reads (by content, so a fresh checkout still finds its
entries), the package's own files and the versions of the libraries that
write. Nothing else goes in, so an unchanged key is an unchanged output: a
rebuild writes the same bytes as a build from nothing. Entries a build did not
use are removed at its end (edited, renamed and deleted articles).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import shutil
from pathlib import Path
from typing import Any

from .config import Settings

CACHE_DIR = Path(".cache") / "syndicate"
# Libraries whose output lands in the files we keep (a new version may write other bytes).
_WRITERS = ("Pillow", "python-pptx", "Markdown", "pymdown-extensions", "Jinja2", "feedgen",
            "twitter-text-parser", "regex", "PyYAML", "lxml", "fontpkg-atkinson-hyperlegible")


@functools.cache
def code_digest() -> bytes:
    """A digest of this package's files and its writing libraries' versions."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in sorted(here.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _WRITERS:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.digest()


def _replace(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a build stopped half-way leaves no broken entry."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
    except FileNotFoundError:  # the first entry: make the folder (not tried before every write)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
    os.replace(temporary, path)


class FileDigests:
    """Digests of input files (pictures, the logo), remembered by size and modification time.

    Hashing a thousand photos on every build would cost more than it saves; a
    file whose size and time did not change is not read again. After a fresh
    checkout (new times) each file is hashed once more, and its entries still match.
    """

    def __init__(self, settings: Settings, step: str) -> None:
        self.path = settings.root / CACHE_DIR / f"files-{step}.json"
        try:
            self._known: dict[str, list[Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._known = {}
        self._seen: dict[str, list[Any]] = {}

    def __call__(self, path: Path) -> str:
        """The file's content digest ("missing" when there is no such file)."""
        name = str(path)
        if name in self._seen:
            return str(self._seen[name][2])
        try:
            info = path.stat()
        except OSError:
            return "missing"
        known = self._known.get(name)
        if known and known[:2] == [info.st_size, info.st_mtime_ns]:
            digest = str(known[2])
        else:
            with path.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()[:32]
        self._seen[name] = [info.st_size, info.st_mtime_ns, digest]
        return digest

    def save(self) -> None:
        """Remember the files this step read (only those: deleted files are forgotten)."""
        if self._seen != self._known:
            _replace(self.path, json.dumps(self._seen, sort_keys=True).encode())


class StepCache:
    """One step's kept outputs, by key, under ``.cache/syndicate/<step>/``.

    ``context`` holds what all of the step's entries depend on besides the
    settings and the code (e.g. the chosen slide formats); ``key`` adds what one
    entry depends on. ``enabled=False`` makes every lookup miss and keeps nothing.
    """

    def __init__(self, settings: Settings, step: str, *context: object, enabled: bool = True) -> None:
        self.root = settings.root / CACHE_DIR / step
        self.enabled = enabled
        self._base = hashlib.sha256(code_digest())
        for part in (step, settings, *context):
            self._base.update(repr(part).encode() + b"\0")
        self.used: set[str] = set()

    def key(self, *parts: object) -> str:
        """A key for one entry: ``repr`` of each part (frozen dataclasses, strings, digests)."""
        digest = self._base.copy()
        for part in parts:
            digest.update(repr(part).encode() + b"\0")
        return digest.hexdigest()[:32]

    def _entry(self, key: str, suffix: str) -> Path:
        return self.root / (key + suffix)

    def read(self, key: str, suffix: str = "") -> bytes | None:
        """An entry's bytes, or None when there is none."""
        if not self.enabled:
            return None
        try:
            data = self._entry(key, suffix).read_bytes()
        except OSError:
            return None
        self.used.add(key + suffix)
        return data

    def write(self, key: str, data: bytes, suffix: str = "") -> None:
        """Keep bytes under a key."""
        if self.enabled:
            _replace(self._entry(key, suffix), data)
            self.used.add(key + suffix)

    def restore(self, key: str, dest: Path, suffix: str = "") -> bool:
        """Copy an entry's file to ``dest``; False when there is none."""
        if not self.enabled:
            return False
        source = self._entry(key, suffix)
        try:
            shutil.copyfile(source, dest)
        except FileNotFoundError:
            if not source.exists():
                return False
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
        self.used.add(key + suffix)
        return True

    def store(self, key: str, source: Path, suffix: str = "") -> None:
        """Keep a copy of a file just written."""
        if self.enabled:
            self.write(key, source.read_bytes(), suffix)

    def prune(self) -> None:
        """Remove the entries this build did not use."""
        if not self.enabled or not self.root.is_dir():
            return
        with os.scandir(self.root) as entries:
            for entry in entries:
                if entry.name not in self.used:
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path, ignore_errors=True)
                    else:
                        os.unlink(entry.path)
