"""Waiting for the live site: the pages of new articles must answer before they are shared.

Networks fetch the link card (title, picture) from the article's page when the
post is made, so a post sent before the page is live has no card, or links to
a 404. GitHub Pages serves a new deployment after a few seconds to a few
minutes. ``syndicate post`` itself skips an article whose page does not answer
(and shares it on a later run); this module waits a bounded time first, so that
a merge is normally shared in the same run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import count

import httpx

from .config import Settings
from .http import new_client
from .ledger import Ledger, ledger_path
from .links import with_query
from .publish import load_index

INTERVAL = 10.0  # seconds between two rounds of checks
SETTLED = ("posted", "held")  # nothing to share on that platform: done, or waiting for a person


@dataclass(frozen=True, kw_only=True)
class Waited:
    """Which pages answered in time and which did not, and how long it took."""

    live: tuple[str, ...]
    missing: tuple[str, ...]
    seconds: float


def due_urls(settings: Settings, *, now: datetime, platforms: Sequence[str] = ()) -> list[str]:
    """The pages of published articles that an enabled platform has not had yet."""
    ledger = Ledger.read(ledger_path(settings))
    names = [n for n in settings.enabled_platforms if not platforms or n in platforms]
    urls = []
    for article in load_index(settings):
        if article.date > now:
            continue
        key = ledger.identify(src_uri=article.src_uri, url=article.url)
        for name in names:
            entry = ledger.entry(key, name) if key else None
            if name in article.platforms and (entry is None or entry.status not in SETTLED):
                urls.append(article.url)
                break
    return urls


def _answers(client: httpx.Client, url: str, attempt: int) -> bool:
    # A query string of its own keeps a CDN from answering with a 404 it cached
    # before the deployment (GitHub Pages caches pages for up to 10 minutes).
    try:
        response = client.get(with_query(url, {"live-check": str(attempt)}), follow_redirects=True)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def wait_until_live(urls: Sequence[str], *, timeout: float, client: httpx.Client | None = None,
                    interval: float = INTERVAL, sleep: Callable[[float], None] = time.sleep,
                    clock: Callable[[], float] = time.monotonic,
                    say: Callable[[str], None] = lambda _: None) -> Waited:
    """Check ``urls`` every ``interval`` seconds until each answers 200 or ``timeout`` seconds have passed."""
    start = clock()
    waiting = list(dict.fromkeys(urls))
    live: list[str] = []
    own_client = client is None
    http = client or new_client(timeout=min(30.0, max(timeout, 1.0)))
    try:
        for attempt in count(1):
            answered = [url for url in waiting if _answers(http, url, attempt)]
            live += answered
            waiting = [url for url in waiting if url not in answered]
            elapsed = clock() - start
            if not waiting or elapsed + interval > timeout:
                break
            say(f"{len(waiting)} page{'s' * (len(waiting) != 1)} not live yet, checking again in "
                f"{interval:g} s ({elapsed:.0f} of {timeout:g} s)")
            sleep(interval)
    finally:
        if own_client:
            http.close()
    return Waited(live=tuple(live), missing=tuple(waiting), seconds=clock() - start)
