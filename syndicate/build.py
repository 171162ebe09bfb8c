"""``syndicate build``: everything made from the sources and the built site.

Runs after the site generator. Each step reads the same articles and the same
map of built pages, and writes under ``site/``.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .article import Article
from .article_index import article_digest, load_kept
from .config import Settings
from .errors import ConfigError
from .site import SitePage, read_site


@dataclass(frozen=True, kw_only=True)
class Published:
    """A published article together with its page in the built site."""

    article: Article
    page: SitePage
    article_digest: str = field(default="", repr=False, compare=False)  # article_index.article_digest, if known

    @property
    def url(self) -> str:
        """The canonical URL the built site gives the article."""
        return self.page.url

    @property
    def slug(self) -> str:
        """The URL's last part: names the article's outputs."""
        return self.page.slug

    @functools.cached_property
    def fingerprint(self) -> str:
        """A digest of everything the article says and where the site put it: part of its build cache keys."""
        article = self.article_digest or article_digest(self.article)
        return hashlib.sha256(f"{article}\0{self.page!r}".encode()).hexdigest()


def published_articles(settings: Settings) -> list[Published]:
    """Articles that the built site published, newest first (the site is the truth)."""
    kept = load_kept(settings)  # load_articles, with the posts unchanged since the last build kept
    pages = read_site(settings, [a for a, _ in kept])  # a site without source marks (Zensical) is matched to these
    found = [Published(article=a, page=pages[a.src_uri], article_digest=digest)
             for a, digest in kept if a.src_uri in pages]
    return sorted(found, key=lambda p: (p.article.date, p.article.src_uri), reverse=True)


Step = Callable[[Settings, list[Published], datetime], list[Path]]

# name -> (module, function), in order. A step's module is imported only when the
# step runs: `--only feeds` need not load Pillow, python-pptx and the platforms.
_STEPS: Mapping[str, tuple[str, str]] = {
    "feeds": ("feeds", "write_feeds"),
    "share-images": ("share_image", "write_share_images"),
    "teasers": ("teasers", "build_step"),
    "slides": ("slides", "write_slides"),
    "syndication-links": ("syndication_links", "write_links"),
}
STEP_NAMES = tuple(_STEPS)


def load_step(name: str) -> Step:
    """The function of one build step, its module imported now."""
    module, function = _STEPS[name]
    step: Step = getattr(importlib.import_module(f".{module}", __package__), function)
    return step


def steps() -> Mapping[str, Step]:
    """The build steps, in order; each returns the files it wrote."""
    return {name: load_step(name) for name in STEP_NAMES}


@dataclass(frozen=True)
class Timing:
    """How long one part of a build took: on the clock, and on the processor (worker processes included)."""

    wall: float
    cpu: float


def _cpu() -> float:
    own, children = os.times()[:2], os.times()[2:4]
    return sum(own) + sum(children)


@dataclass(frozen=True, kw_only=True)
class BuildResult:
    """What each step wrote, and how long reading the sources and each step took."""

    written: dict[str, list[Path]]
    timings: dict[str, Timing] = field(default_factory=dict)


def with_slide_formats(settings: Settings, formats: tuple[str, ...]) -> Settings:
    """The settings with ``extra.syndication.slides.formats`` replaced (the CLI's ``--slide-format``)."""
    slides = settings.syndication.get("slides")
    chosen = {**(slides if isinstance(slides, Mapping) else {}), "formats": list(formats)}
    return dataclasses.replace(settings, syndication={**settings.syndication, "slides": chosen})


def build(settings: Settings, *, now: datetime, only: tuple[str, ...] = ()) -> BuildResult:
    """Run every step (or the ``only`` ones) and return what each wrote and how long it took."""
    unknown = [name for name in only if name not in _STEPS]
    if unknown:
        raise ConfigError(f"there is no build step '{unknown[0]}'", hint="Steps: " + ", ".join(STEP_NAMES))
    timings: dict[str, Timing] = {}
    wall, cpu = time.perf_counter(), _cpu()
    published = published_articles(settings)
    timings["read"] = Timing(time.perf_counter() - wall, _cpu() - cpu)
    written: dict[str, list[Path]] = {}
    for name in STEP_NAMES:
        if only and name not in only:
            continue
        wall, cpu = time.perf_counter(), _cpu()
        written[name] = load_step(name)(settings, published, now)
        timings[name] = Timing(time.perf_counter() - wall, _cpu() - cpu)
    return BuildResult(written=written, timings=timings)
