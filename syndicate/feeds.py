"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the blog, of each category, and of each platform's teasers.

Feed readers, search engines and RSS-to-social tools (Buffer, dlvr.it,
Zapier, IFTTT) read these. feedgen writes RSS and Atom and stays inside this
module; JSON Feed is plain ``json`` (feedgen does not write it).

Choices that matter to subscribers:

- Each item's id is a tag URI (RFC 4151), ``tag:<host>,<date>:<file name>``:
  the site's host, the article's publication day and its Markdown file's name
  (the first one: after a rename, the ledger of posts still knows the old
  name). Editing the body or the title, changing the slug, and rebuilding keep
  it, so readers never show an article twice. The URL is no such id: the blog
  plugin derives the slug in it from the title.
- A rebuild without content changes writes byte-identical files: every date
  comes from the articles (the newest one dates the feed), never from the
  clock, and the generator is named without a version.
- Only what the built site published appears (no drafts, no future posts),
  newest first.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from difflib import get_close_matches
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .build import Published
from .config import Author, Settings
from .errors import ConfigError, ContentError, Problem, SiteError
from .site_html import feed_html, read_body

if TYPE_CHECKING:  # the platforms (and Jinja2) load only when platform feeds are written
    from .build_cache import StepCache
    from .platforms.base import Teaser

GENERATOR = "practice-syndicate"  # no version: an upgrade alone must not change the files
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"  # https://www.jsonfeed.org/version/1.1/
# The meaning of the "_practice" JSON Feed extension's reviewer fields follows schema.org.
PRACTICE_EXTENSION_ABOUT = "https://schema.org/reviewedBy"

RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
JSON_TYPE = "application/feed+json"

DEFAULTS: Mapping[str, Any] = {
    "max_items": 20,  # newest articles in each feed
    "full_content": True,  # the whole article, not only its description
    "categories": True,  # <blog>/category/<slug>/feed.xml
    "platforms": True,  # feeds/<platform>.xml with each platform's teaser
    "id_host": "",  # default: the host of site_url (set it before moving to a new domain)
}


@dataclass(frozen=True, kw_only=True)
class FeedOptions:
    """``extra.syndication.feeds`` from mkdocs.yml, validated."""

    max_items: int
    full_content: bool
    categories: bool
    platforms: bool
    id_host: str


def _line_of(settings: Settings, key: str) -> int | None:
    """The line of ``key`` in the ``feeds:`` block of mkdocs.yml (of ``feeds:`` itself when absent)."""
    try:
        lines = settings.config_path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return None
    block = next((n for n, text in enumerate(lines) if re.match(r"\s+feeds:", text)), None)
    if block is None:
        return None
    indent = len(lines[block]) - len(lines[block].lstrip())
    for n in range(block + 1, len(lines)):
        text = lines[n]
        if text.strip() and not text.lstrip().startswith("#") and len(text) - len(text.lstrip()) <= indent:
            break  # the block ended
        if re.match(rf"\s+{re.escape(key)}\s*:", text):
            return n + 1
    return block + 1


def feed_options(settings: Settings) -> FeedOptions:
    """Read and check the feed settings, with a hint for each mistake."""
    raw = settings.syndication.get("feeds")
    if raw is None:
        raw = {}
    path = settings.config_path

    def error(key: str, message: str, hint: str) -> ConfigError:
        return ConfigError(message, path=path, line=_line_of(settings, key), hint=hint)

    if not isinstance(raw, Mapping):
        raise error("feeds", "'extra.syndication.feeds' must be a group of settings",
                    "Indent max_items, full_content, ... under it")
    for key in raw:
        if key not in DEFAULTS:
            close = get_close_matches(str(key), list(DEFAULTS), n=1)
            hint = f"Did you mean '{close[0]}'?" if close else "Known settings: " + ", ".join(DEFAULTS)
            raise error(str(key), f"unknown setting '{key}' under extra.syndication.feeds", hint)
    values = {**DEFAULTS, **raw}
    max_items = values["max_items"]
    if isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1:
        raise error("max_items", f"extra.syndication.feeds.max_items must be a whole number above 0, "
                    f"not {max_items!r}", "Write max_items: 20")
    for key in ("full_content", "categories", "platforms"):
        if not isinstance(values[key], bool):
            raise error(key, f"extra.syndication.feeds.{key} must be true or false, not {values[key]!r}",
                        f"Write {key}: true or {key}: false")
    id_host = str(values["id_host"] or urlsplit(settings.site_url).hostname or "")
    if not re.fullmatch(r"[A-Za-z0-9.-]+", id_host):
        raise error("id_host", f"extra.syndication.feeds.id_host must be a domain name, not {id_host!r}",
                    "Write id_host: www.your-practice.example")
    return FeedOptions(max_items=max_items, full_content=values["full_content"], categories=values["categories"],
                       platforms=values["platforms"], id_host=id_host.lower())


# -- what goes into every feed -------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Person:
    """An author or reviewer as feeds show them."""

    name: str
    url: str = ""  # absolute
    avatar: str = ""  # absolute
    credentials: str = ""


@dataclass(frozen=True, kw_only=True)
class Image:
    """The hero image: where it is served, its size in bytes and its media type."""

    url: str
    length: int
    type: str
    alt: str = ""


@dataclass(frozen=True, kw_only=True)
class Item:
    """One article, computed once and written into every feed it belongs to."""

    id: str
    url: str
    title: str
    summary: str
    html: str  # the full article, absolute links; empty when feeds carry summaries only
    published: datetime
    updated: datetime
    authors: tuple[Person, ...]
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    image: Image | None
    reviewer: Person | None
    last_reviewed: date | None
    language: str
    source: Path


@dataclass(frozen=True, kw_only=True)
class Channel:
    """One feed's own details."""

    title: str
    description: str
    home_url: str  # the HTML page the feed follows
    feed_url: str  # where this feed is served
    language: str
    icon: str = ""  # absolute URL of a PNG, GIF or JPEG (RSS allows no SVG)


def article_id(published: Published, settings: Settings, options: FeedOptions, *,
               first_source: str | None = None) -> str:
    """The article's permanent id: ``tag:<host>,<publication day>:<first file name>`` (RFC 4151)."""
    article = published.article
    day = article.date.astimezone(settings.practice.timezone).date()
    name = Path(first_source or article.src_uri).stem
    return f"tag:{options.id_host},{day.isoformat()}:{quote(name, safe='-._~')}"


def first_sources(settings: Settings, published: Sequence[Published]) -> dict[str, str]:
    """``src_uri`` -> the source file an article had when the ledger first recorded it (renamed files)."""
    from .ledger import Ledger

    ledger = Ledger.read(settings.root / str(settings.syndication.get("ledger") or "syndication-ledger.json"))
    found: dict[str, str] = {}
    for entry in published:
        key = ledger.identify(src_uri=entry.article.src_uri, url=entry.url)
        sources = ledger.articles.get(key, {}).get("sources") if key else None
        if sources and isinstance(sources, list) and isinstance(sources[0], str):
            found[entry.article.src_uri] = sources[0]
    return found


def _absolute(settings: Settings, url: str) -> str:
    """A URL from .authors.yml or mkdocs.yml made absolute the way the theme links it."""
    return urljoin(settings.site_url, url) if url else ""


def _person(author: Author, settings: Settings) -> Person:
    return Person(name=author.name, url=_absolute(settings, author.url),
                  avatar=_absolute(settings, author.avatar), credentials=author.credentials)


def _image(published: Published, settings: Settings) -> Image | None:
    article = published.article
    if not article.image:
        return None
    # Python's own table first: guess_type reads the system's tables on first use (a fiftieth of a second).
    kind = (mimetypes.types_map.get(Path(urlsplit(article.image).path).suffix.lower())
            or mimetypes.guess_type(article.image)[0] or "application/octet-stream")
    if urlsplit(article.image).scheme:
        # Hosted elsewhere: its size is unknown; RSS says to write 0 then.
        return Image(url=article.image, length=0, type=kind, alt=article.image_alt or "")
    for base in (settings.site_dir, settings.docs_dir):  # the served copy first (it may be optimised)
        path = base / article.image
        if path.is_file():
            return Image(url=urljoin(settings.site_url, quote(article.image)), length=path.stat().st_size,
                         type=kind, alt=article.image_alt or "")
    raise ContentError([Problem(path=article.source, line=article.line_of("image"),
                                message=f"the image '{article.image}' is not in {settings.docs_dir.name}/",
                                hint="Check the file name, relative to the content folder", code="image")])


def _reviewed_line(reviewer: Person, last_reviewed: date | None) -> str:
    name = escape(reviewer.name + (f", {reviewer.credentials}" if reviewer.credentials
                                   and reviewer.credentials not in reviewer.name else ""))
    who = f'<a href="{escape(reviewer.url)}">{name}</a>' if reviewer.url else name
    when = ""
    if last_reviewed is not None:
        when = f' on <time datetime="{last_reviewed.isoformat()}">{last_reviewed:%B} {last_reviewed.day}, ' \
               f"{last_reviewed.year}</time>"
    return f"<p><em>Medically reviewed by {who}{when}.</em></p>"


def _item(published: Published, settings: Settings, options: FeedOptions, *, first_source: str | None,
          body_html: Callable[[Published], str] | None) -> Item:
    """One article as a feed item; its body (``body_html``) is read only when a feed shows it."""
    article = published.article
    authors = tuple(_person(settings.authors[key], settings) for key in article.authors if key in settings.authors)
    reviewer = settings.authors.get(article.reviewed_by) if article.reviewed_by else None
    reviewer_person = _person(reviewer, settings) if reviewer else None
    image = _image(published, settings)
    body = ""
    if body_html is not None and options.full_content:
        parts = []
        if image is not None:
            parts.append(f'<p><img src="{escape(image.url)}" alt="{escape(image.alt)}"></p>')
        parts.append(body_html(published))
        if reviewer_person is not None:
            parts.append(_reviewed_line(reviewer_person, article.last_reviewed))
        body = "\n".join(parts)
    published_at = article.date.replace(microsecond=0)
    return Item(
        id=article_id(published, settings, options, first_source=first_source),
        url=published.url,
        title=article.title,
        summary=article.description,
        html=body,
        published=published_at,
        updated=max(published_at, (article.updated or article.date).replace(microsecond=0)),
        authors=authors,
        categories=article.categories,
        tags=article.tags,
        image=image,
        reviewer=reviewer_person,
        last_reviewed=article.last_reviewed,
        language=article.language,
        source=article.source,
    )


def _check_unique_ids(published: Sequence[Published], settings: Settings, options: FeedOptions,
                      sources: Mapping[str, str]) -> None:
    """Two articles with one id would make readers drop one of them: stop with a fix."""
    seen: dict[str, Published] = {}
    for entry in published:
        key = article_id(entry, settings, options, first_source=sources.get(entry.article.src_uri))
        if key in seen:
            raise ContentError([Problem(
                path=entry.article.source, code="feed-id",
                message=f"this article would have the same feed id as {seen[key].article.source.name} ({key})",
                hint="Two posts of the same day have the same file name: rename one file")])
        seen[key] = entry


# -- RSS and Atom (feedgen) ----------------------------------------------------


def _newest(items: Sequence[Item], fallback: datetime) -> tuple[datetime, datetime]:
    """The feed's dates from its items, so an unchanged blog gives unchanged files."""
    if not items:
        return fallback, fallback
    return max(i.published for i in items), max(i.updated for i in items)


def _category_scheme(settings: Settings) -> str:
    return urljoin(settings.site_url, f"{settings.blog_dir}/category/")


class _AtomLinks(BaseExtension):  # type: ignore[misc]
    """Feed half of the fix below (feedgen wants one)."""


class _AtomLinksEntry(BaseEntryExtension):  # type: ignore[misc]
    """Rewrites an Atom entry's links with their rel, type and length.

    feedgen 1.0 writes only ``href`` (its loop variable shadows the link's data,
    https://github.com/lkiesow/python-feedgen/issues/135), which would turn the
    enclosure into a second "alternate" link: invalid Atom.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: Any) -> Any:
        for broken in entry.findall("link"):
            entry.remove(broken)
        for link in self.links:
            xml_elem("link", entry, **link)
        return entry


def _generator(channel: Channel, items: Sequence[Item], settings: Settings, now: datetime, *, rss: bool,
               teasers: Mapping[str, Teaser] | None = None) -> FeedGenerator:
    """A feedgen feed of the items for RSS or for Atom; ``teasers`` (by item id) replace text and link.

    One generator per format: feedgen couples RSS and Atom fields (an RSS
    description becomes Atom content) in ways that would write one of them wrong.
    Feed readers take an RSS description as HTML, so a summary is escaped once
    more there ("<" would otherwise vanish as an unknown tag); Atom says
    type="text". A teaser is left as plain text: RSS-to-social tools post the
    description as it is, and "&amp;" would reach the post (and break its link).
    """
    fg = FeedGenerator()
    if rss:
        fg.load_extension("dc", atom=False, rss=True)  # dc:creator: RSS <author> wants an e-mail address
        fg.load_extension("media", atom=False, rss=True)  # media:content: the image RSS-to-social tools use
    else:
        fg.register_extension("atomlinks", _AtomLinks, _AtomLinksEntry, atom=True, rss=False)
    kind = RSS_TYPE if rss else ATOM_TYPE
    fg.id(channel.feed_url)
    fg.title(channel.title)
    if rss:
        fg.description(escape(channel.description or channel.title, quote=False))
    else:
        fg.subtitle(channel.description or channel.title)
    # Self first: feedgen takes the last link for RSS's <link>, which must be the HTML page.
    fg.link([{"href": channel.feed_url, "rel": "self", "type": kind},
             {"href": channel.home_url, "rel": "alternate", "type": "text/html"}])
    fg.language(channel.language)
    fg.generator(GENERATOR)
    copyright_text = str(settings.raw.get("copyright") or "")
    if copyright_text:
        fg.rights(copyright_text)
    fg.author(name=settings.practice.name or settings.site_name, uri=settings.site_url)
    if channel.icon:
        fg.icon(channel.icon)
        if rss:
            fg.image(url=channel.icon, title=channel.title, link=channel.home_url)
    newest_published, newest_updated = _newest(items, now.replace(microsecond=0))
    fg.pubDate(newest_published)
    fg.lastBuildDate(newest_updated)
    fg.updated(newest_updated)
    scheme = _category_scheme(settings)
    for item in items:
        entry = fg.add_entry(order="append")
        entry.id(item.id)  # also the RSS guid, isPermaLink="false"
        entry.title(item.title)
        teaser = (teasers or {}).get(item.id)
        links = [{"href": teaser.url if teaser else item.url, "rel": "alternate", "type": "text/html"}]
        if item.image is not None:  # Atom link rel=enclosure and RSS <enclosure>
            links.append({"href": item.image.url, "rel": "enclosure", "type": item.image.type,
                          "length": str(item.image.length)})
        if rss:
            entry.link(links)
            if item.image is not None:
                entry.media.content(url=item.image.url, type=item.image.type, medium="image",
                                    fileSize=str(item.image.length) if item.image.length else None)
            entry.dc.dc_creator([p.name for p in item.authors])
            if item.reviewer is not None:
                entry.dc.dc_contributor(item.reviewer.name)
        else:
            entry.link(links[0])  # Atom needs an alternate link; the extension writes them all properly
            entry.atomlinks.links = links
            for person in item.authors:
                entry.author(name=person.name, uri=person.url or None)
            if item.reviewer is not None:  # the medical reviewer contributed to the article
                entry.contributor(name=item.reviewer.name, uri=item.reviewer.url or None)
        entry.published(item.published)
        entry.updated(item.updated)
        for category in item.categories:
            entry.category(term=category, scheme=scheme, label=category)
        for tag in item.tags:
            entry.category(term=tag, label=tag)
        if teaser is not None:
            entry.description(teaser.text)
        elif rss:
            entry.description(escape(item.summary, quote=False))
        else:
            entry.summary(item.summary, type="text")
        if item.html and teasers is None:
            entry.content(item.html, type="html")  # RSS content:encoded, Atom content
    return fg


def rss_bytes(channel: Channel, items: Sequence[Item], settings: Settings, now: datetime, *,
              teasers: Mapping[str, Teaser] | None = None) -> bytes:
    """The items as RSS 2.0 (dates RFC 822 with the zone)."""
    fg = _generator(channel, items, settings, now, rss=True, teasers=teasers)
    return fg.rss_str(pretty=True)  # type: ignore[no-any-return]


def atom_bytes(channel: Channel, items: Sequence[Item], settings: Settings, now: datetime) -> bytes:
    """The items as Atom 1.0 (dates RFC 3339)."""
    fg = _generator(channel, items, settings, now, rss=False)
    return fg.atom_str(pretty=True)  # type: ignore[no-any-return]


# -- JSON Feed -----------------------------------------------------------------


def _json_person(person: Person) -> dict[str, str]:
    data = {"name": person.name}
    if person.url:
        data["url"] = person.url
    if person.avatar:
        data["avatar"] = person.avatar
    return data


def _json_item(item: Item) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "url": item.url, "title": item.title}
    if item.html:
        data["content_html"] = item.html
    else:
        data["content_text"] = item.summary
    data["summary"] = item.summary
    if item.image is not None:
        data["image"] = item.image.url
    data["date_published"] = item.published.isoformat()
    data["date_modified"] = item.updated.isoformat()
    if item.authors:
        data["authors"] = [_json_person(p) for p in item.authors]
    tags = list(dict.fromkeys((*item.categories, *item.tags)))
    if tags:
        data["tags"] = tags
    data["language"] = item.language
    practice: dict[str, Any] = {}
    if item.categories:
        practice["categories"] = list(item.categories)
    if item.reviewer is not None:
        practice["about"] = PRACTICE_EXTENSION_ABOUT
        practice["reviewed_by"] = {**_json_person(item.reviewer),
                                   **({"credentials": item.reviewer.credentials} if item.reviewer.credentials else {})}
        if item.last_reviewed is not None:
            practice["last_reviewed"] = item.last_reviewed.isoformat()
    if practice:
        data["_practice"] = practice
    return data


def json_feed_bytes(channel: Channel, items: Sequence[Item], settings: Settings) -> bytes:
    """The items as JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel.home_url,
        "feed_url": channel.feed_url,
    }
    if channel.description:
        feed["description"] = channel.description
    if channel.icon:
        feed["icon"] = channel.icon
        feed["favicon"] = channel.icon
    feed["authors"] = [{"name": settings.practice.name or settings.site_name, "url": settings.site_url}]
    feed["language"] = channel.language
    feed["items"] = [_json_item(i) for i in items]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- the build step ------------------------------------------------------------


def _home(settings: Settings, folder: str) -> str:
    """A built page's URL when the page exists, else the site's home page."""
    if (settings.site_dir / folder / "index.html").is_file():
        return urljoin(settings.site_url, quote(folder.strip("/") + "/"))
    return settings.site_url


def _icon(settings: Settings) -> str:
    theme = settings.raw.get("theme") or {}
    favicon = str(theme.get("favicon") or "") if isinstance(theme, Mapping) else ""
    if favicon and Path(favicon).suffix.lower() in (".png", ".gif", ".jpg", ".jpeg"):
        return urljoin(settings.site_url, quote(favicon))
    return ""


def _category_path(settings: Settings, name: str) -> str:
    """The category page's folder under the site, as the blog plugin names it."""
    from pymdownx.slugs import slugify  # type: ignore[import-untyped]  # the blog plugin's default

    blog: Mapping[str, Any] = {}
    for entry in settings.raw.get("plugins") or []:
        if isinstance(entry, Mapping) and isinstance(entry.get("blog"), Mapping):
            blog = entry["blog"]
    separator = str(blog.get("categories_slugify_separator") or "-")
    url_format = str(blog.get("categories_url_format") or "category/{slug}")
    slug = slugify(case="lower")(name, separator)
    return f"{settings.blog_dir}/{url_format.format(slug=slug).strip('/')}"


def _write(path: Path, data: bytes, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    written.append(path)


class _Items:
    """Feed items made on demand and kept: each body is read at most once for all feeds.

    A body is read from the article's built page (``site_html.py``: the site
    generator converted it already). A page without the body marks has its
    Markdown converted here instead, and those bodies are kept in the build
    cache, by the article, its page, every post's URL and the site's files
    (what its links resolve against), so a rebuild converts only the bodies of
    articles that changed.
    """

    def __init__(self, settings: Settings, options: FeedOptions, published: Sequence[Published],
                 sources: Mapping[str, str]) -> None:
        self.settings = settings
        self.options = options
        self.sources = sources
        self.pages = {p.article.src_uri: p.url for p in published}
        self.full: dict[str, Item] = {}
        self.bare: dict[str, Item] = {}
        self._converted: StepCache | None = None  # made when the first page without marks needs it

    def _cache(self) -> StepCache:
        from .build_cache import StepCache
        from .render import docs_files

        if self._converted is None:
            self._converted = StepCache(self.settings, "feeds", sorted(self.pages.items()),
                                        sorted(docs_files(self.settings)))
        return self._converted

    def _body(self, entry: Published) -> str:
        page = read_body(entry.page.path)
        if page is not None:  # as the site shows it: no dearer to read than a kept copy
            return feed_html(page, entry.url)
        from .render import article_html  # Python-Markdown loads only for pages without marks

        cache = self._cache()
        key = cache.key(entry.fingerprint)
        kept = cache.read(key, ".html")
        if kept is not None:
            return kept.decode("utf-8")
        body = article_html(entry.article, entry.url, self.settings, pages=self.pages)
        cache.write(key, body.encode("utf-8"), ".html")
        return body

    def prune(self) -> None:
        """Remove the kept bodies this build did not use (edited articles, articles out of the feeds)."""
        from .build_cache import StepCache

        (self._converted or StepCache(self.settings, "feeds")).prune()

    def __call__(self, entry: Published, *, content: bool = True) -> Item:
        key = entry.article.src_uri
        if key in self.full:
            return self.full[key]
        if content:
            self.full[key] = _item(entry, self.settings, self.options, first_source=self.sources.get(key),
                                   body_html=self._body)
            return self.full[key]
        if key not in self.bare:
            self.bare[key] = _item(entry, self.settings, self.options, first_source=self.sources.get(key),
                                   body_html=None)
        return self.bare[key]


def _teaser_feeds(settings: Settings, options: FeedOptions, published: Sequence[Published], items: _Items,
                  ) -> dict[str, tuple[list[Item], dict[str, Teaser]]]:
    """platform -> (the newest items that have a fitting teaser, their teasers by item id)."""
    from .teasers import KeptTeasers

    kept = KeptTeasers(settings)  # the teasers step's entries: rendered once for both steps
    feeds: dict[str, tuple[list[Item], dict[str, Teaser]]] = {p: ([], {}) for p in settings.enabled_platforms}
    for entry in published:
        if all(len(chosen) >= options.max_items for chosen, _ in feeds.values()):
            break  # every platform's feed is full: older articles' teasers are not needed
        for platform, teaser in kept.teasers(entry).items():
            chosen, teasers = feeds.get(platform, ([], {}))
            # A teaser that does not fit is reported by `syndicate check`; a tool must never post it cut.
            if platform in feeds and teaser.ok and len(chosen) < options.max_items:
                item = items(entry, content=False)
                chosen.append(item)
                teasers[item.id] = teaser
    return feeds


def write_feeds(settings: Settings, published: list[Published], now: datetime) -> list[Path]:
    """Build step: write every feed under site/ and return the files written."""
    options = feed_options(settings)
    if not settings.site_dir.is_dir():
        raise SiteError(f"the site has not been built: {settings.site_dir} is missing. Run mkdocs build first.")
    published = sorted(published, key=lambda p: (p.article.date, p.article.src_uri), reverse=True)
    sources = first_sources(settings, published)
    _check_unique_ids(published, settings, options, sources)
    items = _Items(settings, options, published, sources)
    site = settings.site_dir
    language = settings.practice.language
    icon = _icon(settings)
    description = str(settings.raw.get("site_description") or settings.site_name)
    home = _home(settings, settings.blog_dir)
    written: list[Path] = []

    def channel(title: str, feed: str, page: str = home, text: str = description) -> Channel:
        return Channel(title=title, description=text, home_url=page,
                       feed_url=urljoin(settings.site_url, quote(feed)), language=language, icon=icon)

    top = [items(p) for p in published[: options.max_items]]
    _write(site / "feed.xml", rss_bytes(channel(settings.site_name, "feed.xml"), top, settings, now), written)
    _write(site / "atom.xml", atom_bytes(channel(settings.site_name, "atom.xml"), top, settings, now), written)
    _write(site / "feed.json", json_feed_bytes(channel(settings.site_name, "feed.json"), top, settings), written)

    if options.categories:
        for name in sorted({c for p in published for c in p.article.categories}):
            folder = _category_path(settings, name)
            newest = [p for p in published if name in p.article.categories][: options.max_items]
            chosen = [items(p) for p in newest]
            feed = channel(f"{settings.site_name}: {name}", f"{folder}/feed.xml", _home(settings, folder),
                           f"{name}: {description}")
            _write(site / folder / "feed.xml", rss_bytes(feed, chosen, settings, now), written)

    if options.platforms and settings.enabled_platforms:
        from .teasers import spec_of

        for platform, (chosen, teasers) in _teaser_feeds(settings, options, published, items).items():
            name = spec_of(platform).title
            feed = channel(f"{settings.site_name} for {name}", f"feeds/{platform}.xml",
                           text=f"Each new article with its post for {name}, ready to share as it is.")
            _write(site / "feeds" / f"{platform}.xml", rss_bytes(feed, chosen, settings, now, teasers=teasers),
                   written)
    items.prune()
    return written
