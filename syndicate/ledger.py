"""The ledger: what was posted where, kept in a JSON file committed to the repository.

For each article and platform it records the intent before a call and the
outcome after it, so that whatever fails or is killed, a post is never made
twice and a completed post is never forgotten.

Crash safety: every change rewrites the whole file into a temporary file in the
same folder, flushes it to disk, renames it over the ledger (atomic on POSIX)
and flushes the folder. A kill at any instant leaves either the old or the new
file, both complete. One run at a time: the folder is locked while a run holds
the ledger.

Article identity: an article is known by every source path and every canonical
URL it has had. Renaming the file keeps the URL; editing the title (which moves
the URL) keeps the file; either way the article is found again and not
re-posted. Its key is ``<date>/<slug>`` at first publication and never changes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import ConfigError

if TYPE_CHECKING:
    from .config import Settings

DEFAULT_LEDGER = "syndication-ledger.json"

Status = Literal["pending", "posted", "failed", "unknown", "held"]
STATUSES: tuple[Status, ...] = ("pending", "posted", "failed", "unknown", "held")
# pending: the call is about to be made or in flight; found at start-up it means a run was killed.
# posted:  done (remote id and URL, or marked by a person).
# failed:  the platform refused or was not reached; provably nothing posted: the next run retries.
# unknown: the request may have taken effect (timeout, connection lost): resolved with the platform.
# held:    could not be resolved: a person checks the profile and runs mark-posted or mark-not-posted.


def _v0_to_v1(data: dict[str, Any]) -> None:
    """A hand-made or empty file (``{}``) becomes the first real layout."""
    data.setdefault("articles", {})


# Append-only: MIGRATIONS[n] turns schema n into n + 1. Never edit or reorder an entry.
MIGRATIONS: list[Callable[[dict[str, Any]], None]] = [_v0_to_v1]
SCHEMA = len(MIGRATIONS)


@dataclass(frozen=True, kw_only=True)
class Entry:
    """The state of one article on one platform."""

    status: Status
    key: str = ""  # idempotency key / record key of the current attempt
    generation: int = 0  # raised by mark-not-posted so a new attempt gets a new key
    attempts: int = 0
    intent_at: str | None = None
    updated_at: str | None = None
    remote_id: str | None = None
    remote_url: str | None = None
    error: str | None = None
    progress: Mapping[str, Any] | None = None  # e.g. an Instagram container id between two calls
    marked_by_person: bool = False

    @property
    def done(self) -> bool:
        """Posted: never post it again."""
        return self.status == "posted"


def _entry_from(raw: Mapping[str, Any]) -> Entry:
    status = raw.get("status")
    return Entry(
        status=status if status in STATUSES else "held",
        key=str(raw.get("key") or ""),
        generation=int(raw.get("generation") or 0),
        attempts=int(raw.get("attempts") or 0),
        intent_at=raw.get("intent_at"),
        updated_at=raw.get("updated_at"),
        remote_id=raw.get("remote_id"),
        remote_url=raw.get("remote_url"),
        error=raw.get("error"),
        progress=raw.get("progress"),
        marked_by_person=bool(raw.get("marked_by_person")),
    )


def _entry_to(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {"status": entry.status}
    for name in ("key", "generation", "attempts", "intent_at", "updated_at", "remote_id", "remote_url",
                 "error", "progress", "marked_by_person"):
        value = getattr(entry, name)
        if value not in (None, "", 0, False):
            out[name] = dict(value) if isinstance(value, Mapping) else value
    return out


class Ledger:
    """The ledger file, read once and rewritten atomically on every change."""

    def __init__(self, path: Path, data: dict[str, Any], *, writable: bool) -> None:
        self.path = path
        self._data = data
        self._writable = writable

    # -- reading -------------------------------------------------------------------

    @classmethod
    def read(cls, path: Path, *, writable: bool = False) -> Ledger:
        """Read (and migrate in memory) the ledger at ``path``; a missing file is an empty ledger."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            return cls(path, {"schema": SCHEMA, "articles": {}}, writable=writable)
        try:
            data = json.loads(text) if text.strip() else {}
        except json.JSONDecodeError as exc:
            raise ConfigError(f"the ledger is not valid JSON ({exc.msg}, column {exc.colno})", path=path,
                              line=exc.lineno, hint="If a Git merge left conflict markers in it, keep both "
                              "sides' entries and remove the <<<<<<< ======= >>>>>>> lines") from None
        if not isinstance(data, dict):
            raise ConfigError("the ledger must be a JSON object", path=path)
        version = data.get("schema", 0)
        if not isinstance(version, int) or version < 0:
            raise ConfigError(f"the ledger's schema '{version}' is not a version number", path=path)
        if version > SCHEMA:
            raise ConfigError(f"the ledger was written by a newer version of syndicate (schema {version}, "
                              f"this one knows {SCHEMA})", path=path, hint="Update the syndicate package")
        for migrate in MIGRATIONS[version:]:
            migrate(data)
        data["schema"] = SCHEMA
        if not isinstance(data.get("articles"), dict):
            raise ConfigError("the ledger's 'articles' must be a JSON object", path=path)
        return cls(path, data, writable=writable)

    @property
    def articles(self) -> Mapping[str, Mapping[str, Any]]:
        """Raw records by article key (read-only use)."""
        return self._data["articles"]  # type: ignore[no-any-return]

    def identify(self, *, src_uri: str, url: str) -> str | None:
        """The key of the article known by this URL or this source file, if any."""
        for key, record in self.articles.items():
            if url in record.get("urls", ()):
                return key
        for key, record in self.articles.items():
            if src_uri in record.get("sources", ()):
                return key
        return None

    def new_key(self, *, date: str, slug: str) -> str:
        """A fresh article key ``<date>/<slug>``, unique in this ledger."""
        base = f"{date[:10]}/{slug}"
        key, n = base, 2
        while key in self.articles:
            key, n = f"{base}-{n}", n + 1
        return key

    def entry(self, article: str, platform: str) -> Entry | None:
        """The state of ``article`` on ``platform`` (None: never tried)."""
        raw = self.articles.get(article, {}).get("platforms", {}).get(platform)
        return _entry_from(raw) if isinstance(raw, Mapping) else None

    def entries(self, article: str) -> dict[str, Entry]:
        """Every platform's state for one article."""
        platforms = self.articles.get(article, {}).get("platforms", {})
        return {name: _entry_from(raw) for name, raw in platforms.items() if isinstance(raw, Mapping)}

    # -- writing -------------------------------------------------------------------

    def remember(self, article: str, *, src_uri: str, url: str, title: str) -> bool:
        """Add the article (or new aliases of it) in memory; True when something changed."""
        record = self._data["articles"].setdefault(article, {"title": title, "sources": [], "urls": [],
                                                              "platforms": {}})
        changed = False
        for field, value in (("sources", src_uri), ("urls", url)):
            values = record.setdefault(field, [])
            if value and value not in values:
                values.append(value)
                changed = True
        if record.get("title") != title:
            record["title"] = title
            changed = True
        return changed

    def set(self, article: str, platform: str, entry: Entry) -> None:
        """Record one platform's new state for an article and write the file to disk."""
        record = self._data["articles"][article]
        record.setdefault("platforms", {})[platform] = _entry_to(entry)
        self.save()

    def save(self) -> None:
        """Write the whole ledger atomically: temporary file, fsync, rename, fsync of the folder."""
        if not self._writable:
            raise RuntimeError("this ledger was opened read-only")
        text = json.dumps(self._data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{self.path.name}.tmp-{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LedgerBusy(ConfigError):
    """Another run holds the ledger."""


@contextlib.contextmanager
def open_ledger(path: Path) -> Iterator[Ledger]:
    """Lock the ledger's folder for one run, clear temporary files a killed run left, and read it."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise LedgerBusy("another 'syndicate post' is using the ledger right now", path=path,
                                 hint="Wait for it to finish; in CI, give the posting job a concurrency "
                                 "group") from None
            raise
        for stale in folder.glob(f".{path.name}.tmp-*"):
            stale.unlink(missing_ok=True)
        yield Ledger.read(path, writable=True)
    finally:
        os.close(fd)  # closing releases the lock


def now_iso(now: datetime) -> str:
    """A timestamp as the ledger writes it."""
    return now.isoformat(timespec="seconds")


def ledger_path(settings: Settings) -> Path:
    """The ledger file (``extra.syndication.ledger``), relative to the project root."""
    return settings.root / str(settings.syndication.get("ledger") or DEFAULT_LEDGER)
