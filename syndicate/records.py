"""What the ledger says, and what a person tells it: status, links for the article pages, marking by hand."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings
from .errors import ConfigError
from .ledger import Entry, Ledger, ledger_path, now_iso, open_ledger

if TYPE_CHECKING:
    from .publish import Outcome

# -- marking by hand ---------------------------------------------------------------------


def mark(settings: Settings, *, now: datetime, posted: bool, platforms: Sequence[str] = (),
         only: Sequence[Path] = (), url: str | None = None) -> list[Outcome]:
    """Record articles as already posted (e.g. the existing archive), or release held ones to be posted again."""
    # The posting machinery (httpx, every platform's client) loads only here: the build's
    # syndication-links step reads the ledger through this module and needs none of it.
    from .publish import Outcome, attempt_key, chosen_platforms, load_index, select_articles  # noqa: PLC0415

    names = chosen_platforms(settings, platforms)
    articles = [a for a in select_articles(load_index(settings), settings, only) if a.date <= now]
    if url and (len(names) != 1 or len(articles) != 1):
        raise ConfigError("--url names one post: give exactly one --platform and one --only")
    changed: list[Outcome] = []
    with open_ledger(ledger_path(settings)) as ledger:
        for article in articles:
            key = ledger.identify(src_uri=article.src_uri, url=article.url) \
                or ledger.new_key(date=article.date.isoformat(), slug=article.slug)
            ledger.remember(key, src_uri=article.src_uri, url=article.url, title=article.title)
            for name in names:
                if name not in article.platforms:
                    continue
                entry = ledger.entry(key, name)
                if posted and (entry is None or not entry.done):
                    ledger.set(key, name, Entry(status="posted", remote_url=url, marked_by_person=True,
                                                updated_at=now_iso(now), key=entry.key if entry else "",
                                                attempts=entry.attempts if entry else 0))
                    changed.append(Outcome(platform=name, source=article.source, title=article.title,
                                           result="posted", url=url, message="marked as posted"))
                elif not posted and entry is not None and entry.status in ("held", "unknown", "pending"):
                    generation = entry.generation + 1
                    ledger.set(key, name, Entry(status="failed", generation=generation,
                                                key=attempt_key(key, name, generation), attempts=entry.attempts,
                                                updated_at=now_iso(now), error="marked as not posted"))
                    changed.append(Outcome(platform=name, source=article.source, title=article.title,
                                           result="skipped", message="will be posted on the next run"))
        ledger.save()
    return changed


# -- status ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ArticleStatus:
    """Where one article was posted, from the ledger."""

    key: str
    title: str
    url: str
    sources: tuple[str, ...]
    platforms: Mapping[str, Entry]


def status(settings: Settings) -> list[ArticleStatus]:
    """Every article the ledger knows, newest first, with each platform's state and link."""
    ledger = Ledger.read(ledger_path(settings))
    rows = []
    for key, record in ledger.articles.items():
        urls = record.get("urls") or [""]
        rows.append(ArticleStatus(key=key, title=str(record.get("title") or key), url=urls[-1],
                                  sources=tuple(record.get("sources") or ()), platforms=ledger.entries(key)))
    return sorted(rows, key=lambda r: r.key, reverse=True)


def syndication_links(settings: Settings) -> dict[str, list[tuple[str, str]]]:
    """Each article URL and source mapped to its posts: (platform, post URL), for the article pages."""
    links: dict[str, list[tuple[str, str]]] = {}
    for row in status(settings):
        posts = [(name, e.remote_url) for name, e in row.platforms.items() if e.done and e.remote_url]
        if posts:
            for alias in (*row.sources, row.url):
                links[alias] = posts
    return links
