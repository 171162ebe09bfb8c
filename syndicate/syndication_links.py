"""The "Discuss on Mastodon, Bluesky …" links on each article page, from the ledger.

The site is built before anything is posted (networks fetch the link card from
the live page), so templates cannot know where an article was shared. The
article template leaves a marker (``overrides/partials/syndication-links.html``)
and this build step, run by ``syndicate build`` after the site generator,
replaces it with links to the posts the ledger records. The links are plain
HTML in the page, so they work without JavaScript and are marked up for
IndieWeb readers (``class="u-syndication"``, ``rel="syndication"``). The page
shows them from the build after the posting run that made them.
"""

from __future__ import annotations

import html
import os
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .config import PLATFORMS, Settings
from .records import syndication_links

if TYPE_CHECKING:
    from .build import Published

MARKER = "<!-- syndication-links -->"
_BLOCK = re.compile(r"<!-- syndication-links:start -->.*?<!-- syndication-links:end -->", re.DOTALL)
NAMES = {"x": "X", "bluesky": "Bluesky", "mastodon": "Mastodon", "threads": "Threads", "linkedin": "LinkedIn",
         "facebook": "Facebook", "instagram": "Instagram", "pinterest": "Pinterest",
         "google_business": "Google"}


def links_html(posts: list[tuple[str, str]], label: str) -> str:
    """The sentence of links, e.g. 'Discuss on Mastodon, Bluesky and LinkedIn.'."""
    ordered = sorted(posts, key=lambda p: PLATFORMS.index(p[0]) if p[0] in PLATFORMS else len(PLATFORMS))
    anchors = [f'<a class="u-syndication" rel="syndication" href="{html.escape(url)}">'
               f"{html.escape(NAMES.get(name, name))}</a>" for name, url in ordered]
    joined = anchors[0] if len(anchors) == 1 else ", ".join(anchors[:-1]) + " and " + anchors[-1]
    return (f'<!-- syndication-links:start --><p class="syndication-links">{html.escape(label)} {joined}.</p>'
            "<!-- syndication-links:end -->")


def write_links(settings: Settings, published: list[Published], now: datetime) -> list[Path]:
    """Put each shared article's links where its page has the marker; returns the pages changed."""
    found = syndication_links(settings)
    label = str(settings.syndication.get("discuss_label") or "Discuss on")
    changed = []
    for item in published:
        posts = found.get(item.page.url) or found.get(item.article.src_uri)
        if not posts:
            continue
        page = item.page.path
        text = page.read_text(encoding="utf-8")
        block = links_html(posts, label)
        earlier = _BLOCK.search(text)  # a second build replaces the links it put there before
        updated = text[:earlier.start()] + block + text[earlier.end():] if earlier else text.replace(MARKER, block)
        if updated != text:
            # A new file in the page's place: the page may be a hard link to another copy of the site
            # (one put back for a rebuild), which must not change with it.
            temporary = page.with_name(f".{page.name}.{os.getpid()}.tmp")
            temporary.write_text(updated, encoding="utf-8")
            os.replace(temporary, page)
            changed.append(page)
    return changed
