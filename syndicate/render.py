"""An article's Markdown body as HTML that works away from the site: in a feed, a deck, an e-mail.

The body is converted with the Markdown extensions listed in ``mkdocs.yml``,
so it reads as it does on the page. Every link and image is made absolute the
way MkDocs resolves it on the page (relative to the source file, ``.md`` links
to the page they build), because a feed reader has no page to resolve against.
The leading ``# Title`` is dropped: every reader shows the title already.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import markdown  # type: ignore[import-untyped,unused-ignore]
from markdown.util import AMP_SUBSTITUTE  # type: ignore[import-untyped,unused-ignore]

from .article import Article
from .config import Settings
from .errors import ContentError, Problem

# Extensions that serve the page only. toc adds heading ids and "¶" permalinks:
# links to a section are made absolute to the page, where the ids are, and the
# extension costs about 15% of the conversion time.
_PAGE_ONLY = frozenset({"toc", "markdown.extensions.toc"})

# Text that exercises the common extensions once, so that an extension whose
# options need Python objects MkDocs builds from YAML tags (``!!python/name``)
# fails here, at set-up, rather than in the middle of an article.
_PROBE = "# T\n\n!!! note\n    x\n\n:smile: ==m== ~~d~~ `c` [a](b.md){ .c }\n\n```py\nx\n```\n\n| a |\n|---|\n| b |\n"

_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)  # the blog's "<!-- more -->" means nothing in a feed
_ATTRIBUTE = re.compile(r"""\b(href|src)=(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def _extension_list(settings: Settings) -> tuple[tuple[str, str], ...]:
    """``markdown_extensions`` from mkdocs.yml as (name, options as JSON) pairs, hashable for the cache."""
    entries = settings.raw.get("markdown_extensions") or []
    found: list[tuple[str, str]] = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str):
            name, options = entry, {}
        elif isinstance(entry, Mapping) and len(entry) == 1:
            name, value = next(iter(entry.items()))
            options = dict(value) if isinstance(value, Mapping) else {}
        else:
            continue
        if str(name) not in _PAGE_ONLY:
            found.append((str(name), json.dumps(options, sort_keys=True, default=str)))
    return tuple(found)


def _usable(name: str, options: dict[str, Any]) -> bool:
    try:
        markdown.Markdown(extensions=[name], extension_configs={name: options}).convert(_PROBE)
    except Exception:  # noqa: BLE001 - any failure means "not usable outside MkDocs"
        return False
    return True


@functools.lru_cache(maxsize=4)
def _converter(extensions: tuple[tuple[str, str], ...]) -> markdown.Markdown:
    """One Markdown instance per configuration, reset between articles (building one is slow)."""
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for name, options_json in extensions:
        options = json.loads(options_json)
        if _usable(name, options):
            names.append(name)
            configs[name] = options
        elif _usable(name, {}):  # options MkDocs alone can build: fall back to the defaults
            names.append(name)
        # else: an extension that only works inside MkDocs; the rest still renders
    converter = markdown.Markdown(extensions=names, extension_configs=configs, output_format="html")
    converter.treeprocessors.register(_AbsoluteLinks(converter), "syndicate_absolute_links", 0)
    return converter


class _AbsoluteLinks(markdown.treeprocessors.Treeprocessor):  # type: ignore[misc]
    """Resolves links and images the way MkDocs does, but to absolute URLs; drops the leading h1."""

    context: _Context

    def run(self, root: etree.Element) -> None:
        children = list(root)
        if children and children[0].tag == "h1":
            root.remove(children[0])
        for element in root.iter():
            key = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            value = element.get(key) if key else None
            if key and value is not None:
                element.set(key, self.context.resolve(value))


@functools.lru_cache(maxsize=4)
def _docs_files(docs_dir: str) -> frozenset[str]:
    """Every file under docs_dir, relative with forward slashes: is a link target a source file?"""
    root = Path(docs_dir)
    return frozenset(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def docs_files(settings: Settings) -> frozenset[str]:
    """Every file under docs_dir (what a link in an article may resolve to), relative with forward slashes."""
    return _docs_files(str(settings.docs_dir))


class _Context:
    """What resolving one article's links needs: where it came from and where it is built."""

    def __init__(self, article: Article, url: str, settings: Settings, pages: Mapping[str, str]) -> None:
        self.src_uri = article.src_uri
        self.url = url
        self.site_url = settings.site_url
        self.directory_urls = settings.raw.get("use_directory_urls", True) is not False
        self.files = _docs_files(str(settings.docs_dir))
        self.pages = pages

    def resolve(self, value: str) -> str:
        """An absolute URL for a link or image source as written in the Markdown."""
        if AMP_SUBSTITUTE in value:  # an e-mail address Markdown obfuscated; it is absolute (mailto:)
            return value
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            return value
        if value.startswith("/"):
            return urljoin(self.site_url, value)
        if not parts.path:  # "#section" or "?q": this page
            return urljoin(self.url, value)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.src_uri), unquote(parts.path)))
        target = target.lstrip("/")
        if target not in self.files:
            return urljoin(self.url, value)  # MkDocs leaves it as written: the browser resolves it
        if target.endswith(".md"):
            absolute = self.pages.get(target) or self._page_url(target)
        else:
            absolute = urljoin(self.site_url, quote(target))
        suffix = ("?" + parts.query if parts.query else "") + ("#" + parts.fragment if parts.fragment else "")
        return absolute + suffix

    def _page_url(self, src_uri: str) -> str:
        """The URL MkDocs gives a page that is not a blog post."""
        stem, name = posixpath.split(src_uri[: -len(".md")])
        if name in ("index", "README"):
            path = stem + "/" if stem else ""
        elif self.directory_urls:
            path = f"{stem}/{name}/" if stem else f"{name}/"
        else:
            path = f"{stem}/{name}.html" if stem else f"{name}.html"
        return urljoin(self.site_url, quote(path))


def _absolute_raw_html(text: str, url: str) -> str:
    """Raw HTML in the Markdown is not resolved by MkDocs: the browser resolves it against the page."""

    def replace(match: re.Match[str]) -> str:
        attribute, quote_char, value = match.groups()
        raw = html.unescape(value)
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc:  # absolute already (obfuscated mailto: links unescape to one)
            return match.group(0)
        return f'{attribute}={quote_char}{html.escape(urljoin(url, raw), quote=True)}{quote_char}'

    return _ATTRIBUTE.sub(replace, text)


def article_html(article: Article, url: str, settings: Settings, *,
                 pages: Mapping[str, str] | None = None) -> str:
    """The article's body as HTML with absolute links and image URLs, without its leading title.

    ``url`` is the article's canonical URL; ``pages`` maps other posts' ``src_uri``
    to their URLs so links between posts land on the built pages.
    """
    converter = _converter(_extension_list(settings))
    links = next(p for p in converter.treeprocessors if isinstance(p, _AbsoluteLinks))
    links.context = _Context(article, url, settings, pages or {})
    try:
        body = converter.reset().convert(article.body)
    except Exception as exc:  # noqa: BLE001 - an extension failed on this text; say which article
        raise ContentError([Problem(path=article.source, line=article.body_line,
                                    message=f"the body could not be converted to HTML ({exc})",
                                    hint="Check the Markdown near this line", code="markdown")]) from exc
    return _absolute_raw_html(_COMMENT.sub("", body), url)
