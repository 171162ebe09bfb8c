"""The article's canonical URL, and the same URL tagged for each platform (UTM).

The built site is the truth about URLs (``site.py`` reads them); ``expected_url``
only predicts one, for checks that run before the site is built.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from .article import Article
from .config import Settings


def utm_enabled(settings: Settings, platform: str) -> bool:
    """Whether links to this platform carry UTM parameters (``utm: false`` switches them off)."""
    value: Any = settings.platform_settings(platform).get("utm", settings.syndication.get("utm", True))
    return value is not False


def utm_parameters(settings: Settings, platform: str) -> dict[str, str]:
    """The UTM parameters for links posted to ``platform`` (empty when switched off)."""
    if not utm_enabled(settings, platform):
        return {}
    campaign = str(settings.syndication.get("utm_campaign") or "blog")
    return {"utm_source": platform, "utm_medium": "social", "utm_campaign": campaign}


def with_query(url: str, parameters: Mapping[str, str]) -> str:
    """``url`` with ``parameters`` added to (or replacing those in) its query string."""
    if not parameters:
        return url
    if "?" not in url and "#" not in url:  # the usual canonical URL: no query to merge with
        return url + "?" + _query(tuple(parameters.items()))
    return _with_query(url, tuple(parameters.items()))


@functools.lru_cache(maxsize=64)
def _query(parameters: tuple[tuple[str, str], ...]) -> str:
    return urlencode(parameters, quote_via=quote, safe="/")


@functools.lru_cache(maxsize=4096)
def _with_query(url: str, parameters: tuple[tuple[str, str], ...]) -> str:
    parts = urlsplit(url)
    names = {name for name, _ in parameters}
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in names]
    query.extend(parameters)
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote, safe="/")))


def tagged_url(url: str, settings: Settings, platform: str) -> str:
    """The canonical ``url`` with this platform's UTM parameters."""
    return with_query(url, utm_parameters(settings, platform))


def absolute_url(path: str | None, settings: Settings) -> str | None:
    """A docs-relative path (an image) as an absolute URL on the live site."""
    if not path:
        return None
    return _absolute(path, settings.site_url)


@functools.lru_cache(maxsize=4096)
def _absolute(path: str, site_url: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return urljoin(site_url, quote(path.lstrip("/")))


def _blog_plugin(settings: Settings) -> Mapping[str, Any]:
    for entry in settings.raw.get("plugins") or []:
        if isinstance(entry, Mapping) and isinstance(entry.get("blog"), Mapping):
            blog: Mapping[str, Any] = entry["blog"]
            return blog
    return {}


def expected_url(article: Article, settings: Settings) -> str:
    """The URL the blog plugin will most likely give the article (before the site is built).

    Follows the material blog plugin's defaults: ``{date}/{slug}`` with the
    date as ``yyyy/MM/dd`` and the slug from the title (pymdownx.slugs, lower case).
    """
    from pymdownx.slugs import slugify  # type: ignore[import-untyped]  # the blog plugin's own; only here

    blog = _blog_plugin(settings)
    separator = str(blog.get("post_slugify_separator") or "-")
    slug = article.slug or slugify(case="lower")(article.title, separator)
    day = article.date.astimezone(settings.practice.timezone)
    date_part = f"{day:%Y}/{day:%m}/{day:%d}"
    date_format = str(blog.get("post_url_date_format") or "yyyy/MM/dd")
    if date_format != "yyyy/MM/dd":  # a rarer format: fall back to the same length
        date_part = date_format.replace("yyyy", f"{day:%Y}").replace("MM", f"{day:%m}").replace("dd", f"{day:%d}")
    categories = "/".join(
        slugify(case="lower")(c, separator) for c in article.categories[: int(blog.get("post_url_max_categories", 1))]
    )
    path = str(blog.get("post_url_format") or "{date}/{slug}").format(
        date=date_part, slug=slug, categories=categories, file=article.source.stem
    )
    path = posixpath.normpath(path.strip("/"))
    use_directory_urls = settings.raw.get("use_directory_urls", True) is not False
    path = f"{settings.blog_dir}/{path}" + ("/" if use_directory_urls else ".html")
    return urljoin(settings.site_url, quote(path))
