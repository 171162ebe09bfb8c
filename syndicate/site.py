"""Reads the built site: which page is which article, at what URL.

The blog plugin decides each post's URL; teasers and feeds must link to exactly
that. The templates in ``overrides/main.html`` mark each article page with
``<meta name="syndicate:source" content="blog/posts/….md">`` beside its
canonical link, and this module collects those marks. It depends on templates
only, so it keeps working under any generator that renders ``overrides/``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .config import Settings
from .errors import SiteError

_SOURCE = re.compile(r'<meta name="syndicate:source" content="([^"]+)"')
_CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)"')
_HEAD_END = "</head>"


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


def read_site(settings: Settings) -> Mapping[str, SitePage]:
    """Map each article's ``src_uri`` to its page in the built site."""
    site_dir = settings.site_dir
    if not (site_dir / "index.html").exists():
        raise SiteError(f"the site has not been built: {site_dir}/index.html is missing. "
                        "Run scripts/build (or mkdocs build) first.")
    pages: dict[str, SitePage] = {}
    blog = site_dir / settings.blog_dir
    for path in sorted(blog.rglob("index.html")) if blog.exists() else []:
        with path.open(encoding="utf-8") as handle:
            head = handle.read(16384)
        source = _SOURCE.search(head)
        if not source:
            continue
        canonical = _CANONICAL.search(head)
        if not canonical:
            raise SiteError(f"{path} has no canonical link: is site_url set in mkdocs.yml?")
        src_uri = html.unescape(source.group(1))
        pages[src_uri] = SitePage(src_uri=src_uri, url=html.unescape(canonical.group(1)), path=path)
    return pages
