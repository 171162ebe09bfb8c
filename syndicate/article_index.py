"""The posts as read by the last build, so a rebuild parses only the files that changed.

Reading the front matter of a thousand posts takes about half a second; seeing
that none of them changed takes a few milliseconds. The articles are kept in
``.cache/syndicate/articles.pickle`` with each file's size, modification and
change times and file number (as Git's index does): a file that differs in
any of these is read again. So is a file written in the seconds before it was
read, since a second write within the same tick of the file system's clock
would leave its times as they were. Everything else reading depends on is in
the key of the whole file: the package's code, the settings (``mkdocs.yml`` and
the authors file), the Python version and the day (a review date "in the
future" depends on it). Posts with errors are never kept, so their problems
are reported by every build.

The file is read back with an unpickler that makes only articles, paths, dates
and time zones: a cache from elsewhere cannot make the build run code.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import os
import pickle
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .article import Article, now_utc, post_paths, read_article
from .build_cache import CACHE_DIR, code_digest, write_whole
from .config import Settings
from .errors import ContentError, Problem

KEPT = CACHE_DIR / "articles.pickle"
# A file written this close before it was read may be written again with the same times:
# Linux updates them once a clock tick, FAT every two seconds.
RACY_NS = 2_000_000_000
# What an Article is made of, and all an entry may make when it is read back.
_ALLOWED = frozenset({
    ("syndicate.article", "Article"), ("syndicate.article", "Social"), ("syndicate.article", "SlideOutline"),
    ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("datetime", "datetime"), ("datetime", "date"),
    ("datetime", "timezone"), ("datetime", "timedelta"), ("zoneinfo", "ZoneInfo"),
})

Stamp = tuple[int, int, int, int]  # size, modification time (ns), change time (ns), file number
Entry = tuple[Stamp, Article, str]  # the file as read, the article, its digest


class _Unpickler(pickle.Unpickler):
    """Makes only the classes an article is made of."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is no part of an article")
        return super().find_class(module, name)


def _zone(zone: ZoneInfo) -> tuple[Any, tuple[str | None]]:
    return ZoneInfo, (zone.key,)  # by name, as config.py makes it (the default goes through a method)


def _key(settings: Settings, day: date) -> str:
    digest = hashlib.sha256(code_digest())
    # `syndicate build --slide-format` replaces `syndication`; reading a post never looks at it, and
    # mkdocs.yml as written is in `raw`.
    for part in (sys.version, dataclasses.replace(settings, syndication={}), day):
        digest.update(repr(part).encode() + b"\0")
    return digest.hexdigest()


def _load(path: Path, key: str) -> dict[str, Entry]:
    try:
        with path.open("rb") as handle:
            kept_key, entries = _Unpickler(handle).load()
    except Exception:  # noqa: BLE001 - missing, cut short, from another version: read every post again
        return {}
    return entries if kept_key == key and isinstance(entries, dict) else {}


def _save(path: Path, key: str, entries: dict[str, Entry]) -> None:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, ZoneInfo: _zone}
    pickler.dump((key, entries))
    write_whole(path, buffer.getvalue())


def _stamp(path: Path) -> Stamp | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def article_digest(article: Article) -> str:
    """A digest of everything the article says (its ``repr``: every field, the body included)."""
    return hashlib.sha256(repr(article).encode()).hexdigest()


def load_articles_kept(settings: Settings) -> list[Article]:
    """``load_articles(settings)``: the same articles, or the same errors; unchanged posts are not read again."""
    return [article for article, _ in load_kept(settings)]


def load_kept(settings: Settings) -> list[tuple[Article, str]]:
    """``load_articles_kept``, each article with its ``article_digest`` (kept too: a rebuild computes none)."""
    now = now_utc()
    key = _key(settings, now.astimezone(settings.practice.timezone).date())
    path = settings.root / KEPT
    kept = _load(path, key)
    entries: dict[str, Entry] = {}
    articles: list[tuple[Article, str]] = []
    problems: list[Problem] = []
    settled = time.time_ns() - RACY_NS
    for source in post_paths(settings):
        stamp = _stamp(source)
        entry = kept.get(str(source))
        if entry is not None and stamp is not None and entry[0] == stamp:
            entries[str(source)] = entry
            articles.append((entry[1], entry[2]))
            continue
        article, found = read_article(source, settings, now=now)
        problems.extend(p for p in found if p.severity == "error")
        if article is None:
            continue
        digest = article_digest(article)
        articles.append((article, digest))
        if stamp is not None and max(stamp[1], stamp[2]) < settled:
            entries[str(source)] = (stamp, article, digest)
    if entries.keys() != kept.keys() or any(entries[name] is not kept[name] for name in entries):
        _save(path, key, entries)  # before reporting errors: the next build reads only what is fixed
    if problems:
        raise ContentError(problems)
    return articles
