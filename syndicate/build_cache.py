"""Outputs of ``syndicate build`` kept between builds, so a rebuild redoes only what changed.

``mkdocs build`` empties ``site/`` every time, so the outputs are kept in
``.cache/syndicate/<step>/`` beside ``mkdocs.yml`` (ignored by Git; a CI
workflow may keep it between runs) and put back into the site as hard links
(one file in two folders: nothing is copied), or as copies where the two
folders are on different disks. Since an entry may share its file with the
site, nothing here ever writes into an existing file: a new file takes the old
one's place. Each step's index (``index-<step>.json``) holds every entry's
size, time and file number as written, so an entry changed by anything else
(a tool writing into the site's copy) no longer matches and is not used.

An entry's key is a digest of everything that decides the output: the article
as read (front matter and body) with its page in the built site, the settings
as loaded, the files it reads (by content, so a fresh checkout still finds its
entries), the package's own files and the versions of the libraries that
write. Nothing else goes in, so an unchanged key is an unchanged output: a
rebuild writes the same bytes as a build from nothing. Entries a build did not
use are removed at its end (edited, renamed and deleted articles).
"""

from __future__ import annotations

import contextlib
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


def write_whole(path: Path, data: bytes) -> None:
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
            write_whole(self.path, json.dumps(self._seen, sort_keys=True).encode())


def file_stamp(path: str | Path) -> tuple[int, int, int]:
    """A file's size, modification time (ns) and file number: what changes whenever it is written."""
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns, info.st_ino


def place_file(source: str | Path, dest: str | Path) -> None:
    """Put ``source``'s file at ``dest``: a hard link, or a copy where links cannot be made.

    Whatever was at ``dest`` is replaced, never written into: it may be another
    entry's file, linked there by an earlier build.
    """
    try:
        os.link(source, dest)
        return
    except FileNotFoundError:
        if not os.path.exists(source):
            raise
        os.makedirs(os.path.dirname(dest), exist_ok=True)
    except FileExistsError:
        if os.path.samefile(source, dest):
            return
    except OSError:  # another file system, or one without hard links: copied below
        pass
    folder, name = os.path.split(dest)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copyfile(source, temporary)
    os.replace(temporary, dest)


class _Index:
    """What each entry of one step was when it was kept: name -> [size, time (ns), file number].

    Read once per process and shared by every ``StepCache`` of the step (the
    feeds step reads the teasers step's entries), unless the file changed on disk.
    """

    _loaded: dict[Path, _Index] = {}

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.stamp: tuple[int, int, int] | None = file_stamp(path)
            self.entries: dict[str, list[int]] = json.loads(path.read_bytes())
        except (OSError, ValueError):
            self.stamp, self.entries = None, {}
        self.saved = dict(self.entries)

    @classmethod
    def of(cls, path: Path) -> _Index:
        """The step's index, read again only when another process has rewritten it."""
        index = cls._loaded.get(path)
        try:
            stamp: tuple[int, int, int] | None = file_stamp(path)
        except OSError:
            stamp = None
        if index is None or index.stamp != stamp:
            index = cls._loaded[path] = cls(path)
        return index

    def matches(self, name: str, path: str, stamp: tuple[int, int, int]) -> bool:
        """Whether an entry is as it was kept; one that is not is forgotten (and made again)."""
        known = self.entries.get(name)
        if known is not None and tuple(known) == stamp:
            return True
        self.entries.pop(name, None)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # the cache's name for it only: a site file linked to it stays
        return False

    def remember(self, name: str, path: str | Path) -> None:
        """Note an entry just kept."""
        self.entries[name] = list(file_stamp(path))

    def save(self, entries: dict[str, list[int]]) -> None:
        """Keep exactly these entries (those a build used) in the index file."""
        self.entries = entries
        if entries != self.saved:
            write_whole(self.path, json.dumps(entries, sort_keys=True).encode())
            self.saved = dict(entries)
        try:
            self.stamp = file_stamp(self.path)
        except OSError:
            self.stamp = None


class StepCache:
    """One step's kept outputs, by key, under ``.cache/syndicate/<step>/``.

    ``context`` holds what all of the step's entries depend on besides the
    settings and the code (e.g. the chosen slide formats); ``key`` adds what one
    entry depends on. ``enabled=False`` makes every lookup miss and keeps nothing.
    """

    def __init__(self, settings: Settings, step: str, *context: object, enabled: bool = True) -> None:
        self.root = settings.root / CACHE_DIR / step
        self._folder = os.path.join(self.root, "")  # entries' names are joined to it as text: no Path each
        self.enabled = enabled
        self._base = hashlib.sha256(code_digest())
        for part in (step, settings, *context):
            self._base.update(repr(part).encode() + b"\0")
        self.used: set[str] = set()
        self._index = _Index.of(settings.root / CACHE_DIR / f"index-{step}.json") if enabled else None

    def key(self, *parts: object) -> str:
        """A key for one entry: ``repr`` of each part (frozen dataclasses, strings, digests)."""
        digest = self._base.copy()
        for part in parts:
            digest.update(repr(part).encode() + b"\0")
        return digest.hexdigest()[:32]

    def _entry(self, key: str, suffix: str) -> str:
        return self._folder + key + suffix

    def read(self, key: str, suffix: str = "") -> bytes | None:
        """An entry's bytes, or None when there is none."""
        if self._index is None or (key + suffix) not in self._index.entries:
            return None
        entry = self._entry(key, suffix)
        try:
            with open(entry, "rb") as handle:
                info = os.fstat(handle.fileno())
                data = handle.read()
        except OSError:
            return None
        if not self._index.matches(key + suffix, entry, (info.st_size, info.st_mtime_ns, info.st_ino)):
            return None
        self.used.add(key + suffix)
        return data

    def write(self, key: str, data: bytes, suffix: str = "") -> None:
        """Keep bytes under a key."""
        if self._index is not None:
            entry = self.root / (key + suffix)
            write_whole(entry, data)
            self._index.remember(key + suffix, entry)
            self.used.add(key + suffix)

    def restore(self, key: str, dest: Path, suffix: str = "") -> bool:
        """Put an entry's file at ``dest`` (linked, or copied); False when there is none."""
        if self._index is None or (key + suffix) not in self._index.entries:
            return False
        source = self._entry(key, suffix)
        try:
            if not self._index.matches(key + suffix, source, file_stamp(source)):
                return False  # changed since it was kept (written into through the site's link to it)
            place_file(source, dest)
        except FileNotFoundError:
            return False
        self.used.add(key + suffix)
        return True

    def store(self, key: str, source: Path, suffix: str = "") -> None:
        """Keep a file just written: linked, not copied (written into later, it no longer matches the index)."""
        if self._index is not None:
            entry = self._entry(key, suffix)
            place_file(source, entry)
            self._index.remember(key + suffix, entry)
            self.used.add(key + suffix)

    def prune(self) -> None:
        """Remove the entries this build did not use, and note the others in the step's index."""
        if self._index is None:
            return
        if self.root.is_dir():
            with os.scandir(self.root) as entries:
                for entry in entries:
                    if entry.name not in self.used:
                        if entry.is_dir(follow_symlinks=False):
                            shutil.rmtree(entry.path, ignore_errors=True)
                        else:
                            os.unlink(entry.path)
        kept: dict[str, list[int]] = {}
        for name in self.used:
            known = self._index.entries.get(name)
            if known is None:  # kept by a worker process in this build: its index was its own
                try:
                    known = list(file_stamp(self.root / name))
                except OSError:
                    continue
            kept[name] = known
        self._index.save(kept)
