"""``syndicate build``: everything made from the sources and the built site.

Runs after the site generator. Each step reads the same articles and the same
map of built pages, and writes under ``site/``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .article import Article, load_articles
from .config import Settings
from .site import SitePage, read_site


@dataclass(frozen=True, kw_only=True)
class Published:
    """A published article together with its page in the built site."""

    article: Article
    page: SitePage

    @property
    def url(self) -> str:
        """The canonical URL the built site gives the article."""
        return self.page.url

    @property
    def slug(self) -> str:
        """The URL's last part: names the article's outputs."""
        return self.page.slug


def published_articles(settings: Settings) -> list[Published]:
    """Articles that the built site published, newest first (the site is the truth)."""
    pages = read_site(settings)
    found = [Published(article=a, page=pages[a.src_uri]) for a in load_articles(settings)
             if a.src_uri in pages]
    return sorted(found, key=lambda p: (p.article.date, p.article.src_uri), reverse=True)


Step = Callable[[Settings, list[Published], datetime], list[Path]]


def steps() -> Mapping[str, Step]:
    """The build steps, in order; each returns the files it wrote."""
    from .feeds import write_feeds  # the steps import Published from here: import them late
    from .share_image import write_share_images
    from .slides import write_slides
    from .syndication_links import write_links
    from .teasers import build_step as write_teasers

    registry: dict[str, Step] = {}
    registry["feeds"] = write_feeds
    registry["share-images"] = write_share_images
    registry["teasers"] = write_teasers
    registry["slides"] = write_slides
    registry["syndication-links"] = write_links
    return registry


def build(settings: Settings, *, now: datetime, only: tuple[str, ...] = ()) -> dict[str, list[Path]]:
    """Run every step (or the ``only`` ones) and return what each wrote."""
    published = published_articles(settings)
    written: dict[str, list[Path]] = {}
    for name, step in steps().items():
        if only and name not in only:
            continue
        written[name] = step(settings, published, now)
    return written
