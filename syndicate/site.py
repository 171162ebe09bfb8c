"""Reads the built site: which page is which article, at what URL.

The site generator decides each post's URL; teasers and feeds must link to
exactly that. The templates (``overrides/partials/syndicate-marks.html``) mark
each article page beside its canonical link, and this module collects those
marks. It depends on templates only, so it works under any generator that
renders ``overrides/``:

- ``<meta name="syndicate:source" content="blog/posts/….md">`` names the
  Markdown file. MkDocs writes it; Zensical gives templates no source file.
- ``<meta name="syndicate:article" content="2026-11-02 The title">`` gives the
  front matter's date (the day as written) and title, in both engines. A page
  without ``syndicate:source`` is matched to the one post with that date and
  title.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .article import Article, post_paths, read_article
from .config import Settings
from .errors import SiteError, display_path

# Searched in the page's first bytes, undecoded: the marks sit in the head, before any text.
_SOURCE = re.compile(rb'<meta name="syndicate:source" content="([^"]+)"')
_ARTICLE = re.compile(rb'<meta name="syndicate:article" content="(\d{4}-\d{2}-\d{2}) ([^"]*)"')
_CANONICAL = re.compile(rb'<link rel="canonical" href="([^"]+)"')
HEAD_BYTES = 16384  # where a page's head ends (Material's marks are some 2,500 bytes in)
HEAD_MAX = 65536  # a longer head is read this far: its first 16,384 characters, however many bytes each takes


@dataclass(frozen=True, kw_only=True)
class SitePage:
    """One built article page."""

    src_uri: str
    url: str  # canonical, absolute
    path: Path  # the built index.html

    @property
    def slug(self) -> str:
        """The last part of the URL, used to name per-article outputs."""
        return unquote(self.url.rstrip("/").rsplit("/", 1)[-1])


def _identity(day: str, title: str) -> tuple[str, str]:
    """What both engines can say about a post: its day as written and its title, whitespace collapsed."""
    return day, " ".join(title.split())


def _article_identity(article: Article) -> tuple[str, str]:
    # Article.date is the front matter's value, made aware without moving it: its day is the day written.
    return _identity(article.date.date().isoformat(), article.title)


class _Matcher:
    """Finds the one post a ``syndicate:article`` mark names; reads the posts only when a page needs it."""

    def __init__(self, settings: Settings, articles: Iterable[Article] | None) -> None:
        self.settings = settings
        self.articles = articles
        self.index: dict[tuple[str, str], list[str]] | None = None

    def find(self, identity: tuple[str, str], page: Path) -> str | None:
        if self.index is None:
            articles = self.articles
            if articles is None:  # posts with errors have no identity to match: `syndicate check` reports them
                articles = [a for a in (read_article(p, self.settings)[0] for p in post_paths(self.settings)) if a]
            self.index = {}
            for article in articles:
                self.index.setdefault(_article_identity(article), []).append(article.src_uri)
        found = self.index.get(identity, [])
        if len(found) > 1:
            day, title = identity
            files = " or ".join(display_path(self.settings.docs_dir / uri, self.settings.root) for uri in found)
            raise SiteError(f"{display_path(page, self.settings.root)} shows {files}: they are dated {day} and "
                            f"titled '{title}' alike, and a site built without source file names (Zensical) "
                            "cannot tell them apart. Give one of them another title or date, then build the "
                            "site again.")
        return found[0] if found else None


def read_site(settings: Settings, articles: Iterable[Article] | None = None) -> Mapping[str, SitePage]:
    """Map each article's ``src_uri`` to its page in the built site.

    ``articles`` are the posts to match pages without a source mark against
    (read from ``content/`` when not given, and only when a page needs it).
    """
    site_dir = settings.site_dir
    if not (site_dir / "index.html").exists():
        raise SiteError(f"the site has not been built: {site_dir}/index.html is missing. "
                        "Run scripts/build (or mkdocs build) first.")
    pages: dict[str, SitePage] = {}
    matcher = _Matcher(settings, articles)
    blog = site_dir / settings.blog_dir
    for name in _index_pages(blog):  # names, not paths: a Path is made only for a post's page
        with open(name, "rb") as handle:
            head = handle.read(HEAD_BYTES)
            if len(head) == HEAD_BYTES and b"</head>" not in head:  # a long head: read on
                head += handle.read(HEAD_MAX - HEAD_BYTES)
        source = _SOURCE.search(head)
        mark = None if source else _ARTICLE.search(head)
        if source:
            src_uri = _text(source.group(1))
        elif mark:
            found = matcher.find(_identity(_text(mark.group(1)), _text(mark.group(2))), Path(name))
            if found is None:
                continue  # a dated page that is no post (or a post deleted since the build)
            src_uri = found
        else:
            continue
        path = Path(name)
        canonical = _CANONICAL.search(head)
        if not canonical:
            raise SiteError(f"{path} has no canonical link: is site_url set in mkdocs.yml?")
        if src_uri in pages:
            raise SiteError(f"{display_path(pages[src_uri].path, settings.root)} and "
                            f"{display_path(path, settings.root)} are both pages of {src_uri}: the site folder "
                            "holds pages of an earlier build. Build the site again into an empty folder "
                            "(mkdocs build without --dirty, zensical build --clean).")
        pages[src_uri] = SitePage(src_uri=src_uri, url=_text(canonical.group(1)), path=path)
    return pages


def _text(value: bytes) -> str:
    """An attribute's value as the page says it (pages are UTF-8; a byte that is not shows as U+FFFD)."""
    return html.unescape(value.decode("utf-8", errors="replace"))


def _index_pages(folder: Path) -> list[str]:
    """Every ``index.html`` under ``folder``, sorted as paths sort (linked folders are not followed)."""
    found: list[str] = []
    folders = [str(folder)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.name == "index.html":
                        found.append(entry.path)
        except OSError:  # no blog folder
            continue
    return sorted(found, key=lambda path: path.split(os.sep))
