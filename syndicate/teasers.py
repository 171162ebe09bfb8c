"""Every article's teaser for every platform: rendered, checked, written as JSON, previewed.

``syndicate build`` writes ``site/syndication/<slug>.json`` per article,
``site/syndication/index.json`` for all (newest first) and
``site/syndication/preview.html``. The output is deterministic (sorted keys,
no build time) so that rebuilding the same sources gives the same bytes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .article import Article
from .config import Settings
from .errors import ContentError, Problem
from .links import absolute_url, expected_url
from .platforms import REGISTRY
from .platforms.base import Teaser
from .platforms.compose import Spec, measure, other_problems, refused_override

if TYPE_CHECKING:
    from .build import Published

OUTPUT_DIR = "syndication"


@dataclass(frozen=True, kw_only=True)
class Planned:
    """An article with the URL it will most likely have (for checks before the site is built)."""

    article: Article
    url: str


def spec_of(platform: str) -> Spec:
    """The limits and templates of one platform, by name."""
    spec: Spec = REGISTRY[platform].SPEC
    return spec


def platforms_for(article: Article, settings: Settings) -> list[str]:
    """The platforms this article goes to: those enabled in mkdocs.yml, minus its ``social.skip``."""
    return [name for name in settings.enabled_platforms if name not in article.social.skip]


def render_teasers(published: Published, settings: Settings) -> dict[str, Teaser]:
    """The article's teaser for each platform it goes to, keyed by platform name."""
    return {name: REGISTRY[name].render(published, settings) for name in platforms_for(published.article, settings)}


def check_overrides(article: Article, settings: Settings, *, url: str | None = None) -> list[Problem]:
    """Per-platform texts in ``social:`` that the platform would refuse, with the link they get.

    An override is never cut (its writer chose every word), so one that does
    not fit is an error at its line. ``url`` is the article's URL when known;
    otherwise the one the blog plugin will most likely give it.
    """
    linked = Planned(article=article, url=url or expected_url(article, settings))
    problems = []
    for name in platforms_for(article, settings):
        if name not in article.social.texts:
            continue
        spec = spec_of(name)
        refused = refused_override(spec, linked, settings)
        if refused is None:
            continue
        over = refused.length - refused.limit
        added = _what_is_added(spec)
        hint = (f"Shorten it by at least {over} {spec.unit}" if over > 0 else "Remove what the platform refuses")
        hint += f", or delete 'social.{name}' to use the automatic teaser, which is cut to fit"
        problems.append(Problem(
            path=article.source,
            line=article.line_of(f"social.{name}"),
            message=f"the {spec.title} text in social.{name} does not fit{added}: "
                    + "; ".join(refused.problems),
            hint=hint,
            code="teaser-too-long",
        ))
    return problems


def _what_is_added(spec: Spec) -> str:
    if spec.name == "instagram":
        return " with the 'link in bio' line"
    if spec.link_in_text:
        return " with the link"
    return ""


# -- JSON -----------------------------------------------------------------------


def _relative(path: Path, root: Path) -> str:
    inside = str(root) + os.sep
    if str(path).startswith(inside):  # what relative_to finds, without taking both paths apart
        return str(path)[len(inside):].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:  # one of them through a symbolic link: resolving is slow, so only now
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def platform_entry(teaser: Teaser, settings: Settings) -> dict[str, Any]:
    """One platform's teaser as JSON: text, length, limit, ok, link, image, fields."""
    return {
        "text": teaser.text,
        "length": teaser.length,
        "limit": teaser.limit,
        "ok": teaser.ok and not other_problems(spec_of(teaser.platform), teaser.text),
        "url": teaser.url,
        "image": teaser.image_url,
        "image_alt": teaser.image_alt,
        "fields": dict(teaser.fields),
    }


def article_entry(published: Published, teasers: Mapping[str, Teaser], settings: Settings) -> dict[str, Any]:
    """One article with its teasers, as written to ``<slug>.json`` and ``index.json``."""
    article = published.article
    image_is_local = bool(article.image) and not str(article.image).startswith(("http://", "https://"))
    return {
        "source": _relative(article.source, settings.root),
        "src_uri": article.src_uri,
        "slug": published.slug,
        "url": published.url,
        "title": article.title,
        "description": article.description,
        "date": article.date.isoformat(),
        "image": absolute_url(article.image, settings),
        "image_alt": article.image_alt,
        "image_path": _relative(settings.docs_dir / str(article.image), settings.root) if image_is_local else None,
        "platforms": {name: platform_entry(t, settings) for name, t in teasers.items()},
    }


def index(published: Iterable[Published], settings: Settings) -> dict[str, Any]:
    """Every published article with its teasers, newest first."""
    ordered = sorted(published, key=lambda p: (p.article.date, p.article.src_uri), reverse=True)
    return {
        "site_url": settings.site_url,
        "articles": [article_entry(p, render_teasers(p, settings), settings) for p in ordered],
    }


def dumps(data: Any) -> str:
    """JSON as we write it: sorted keys, compact, UTF-8, one trailing newline.

    Compact because Python's fast JSON encoder does not indent (indenting a
    thousand articles' teasers took seconds); ``python -m json.tool`` reads it.
    """
    return _ENCODER.encode(data) + "\n"


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))  # json.dumps's, made once


def _write(path: Path, content: str, *, new: bool = False) -> Path:
    """Write the file unless it already says exactly this (its folder exists: made once per build).

    ``new``: the file is most likely not there (its folder was just made), so it is not read first.
    """
    if new:
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(content)
            return path
        except FileExistsError:
            pass
    try:
        if path.read_text(encoding="utf-8") == content:
            return path
        path.unlink()  # it may be linked to a kept file: replace it, never write into it
    except FileNotFoundError:
        pass
    path.write_text(content, encoding="utf-8")
    return path


def _unique_slugs(published: Iterable[Published]) -> None:
    seen: dict[str, Published] = {}
    problems = []
    for item in published:
        other = seen.setdefault(item.slug, item)
        if other is not item:
            problems.append(Problem(
                path=item.article.source, line=item.article.line_of("slug") if item.article.slug
                else item.article.line_of("title"),
                message=f"another article ({other.article.src_uri}) has the same slug '{item.slug}', "
                        "so their teaser files would overwrite each other",
                hint="Give this one its own slug: add a line 'slug: …' to its front matter",
                code="slug-taken",
            ))
    if problems:
        raise ContentError(problems)


class KeptTeasers:
    """Each article's teaser entry, rendered once and kept in the build cache by what decides it.

    The key is the article as read with its page, the settings and the code,
    so a rebuild renders only the teasers of articles that changed. The feeds
    step reads the same entries for its platform feeds.
    """

    def __init__(self, settings: Settings) -> None:
        from .build_cache import StepCache

        self.settings = settings
        self.cache = StepCache(settings, "teasers")

    def entry(self, item: Published) -> tuple[dict[str, Any], str]:
        """The article's entry as in ``index.json``, and as its ``<slug>.json`` text."""
        key = self.cache.key(item.fingerprint)
        kept = self.cache.read(key, ".json")
        if kept is not None:
            text = kept.decode("utf-8")
            return json.loads(text), text
        entry = article_entry(item, render_teasers(item, self.settings), self.settings)
        text = dumps(entry)
        self.cache.write(key, text.encode("utf-8"), ".json")
        return entry, text

    def write(self, item: Published, path: Path, *, new: bool = False) -> tuple[dict[str, Any], str]:
        """``entry``, with the article's ``<slug>.json`` put at ``path``: the kept file linked there,
        or the new one written there and kept by a link to it (one file written, not two).
        ``new``: nothing is at ``path`` yet, most likely."""
        key = self.cache.key(item.fingerprint)
        kept = self.cache.read(key, ".json")
        if kept is not None:
            text = kept.decode("utf-8")
            if not self.cache.restore(key, path, ".json"):
                _write(path, text)
            return json.loads(text), text
        entry = article_entry(item, render_teasers(item, self.settings), self.settings)
        text = dumps(entry)
        _write(path, text, new=new)
        self.cache.store(key, path, ".json")
        return entry, text

    def teasers(self, item: Published) -> dict[str, Teaser]:
        """The article's teasers, as ``render_teasers`` makes them."""
        platforms = self.entry(item)[0]["platforms"]
        return {name: Teaser(platform=name, text=value["text"], length=value["length"], limit=value["limit"],
                             url=value["url"], image_url=value["image"], image_alt=value["image_alt"],
                             fields=value["fields"])
                for name in platforms_for(item.article, self.settings) if (value := platforms.get(name))}


def build_step(settings: Settings, published: list[Published], now: datetime) -> list[Path]:
    """The ``teasers`` build step: per-article JSON, ``index.json`` and ``preview.html``."""
    from .preview_html import preview_inputs, render_preview

    _unique_slugs(published)
    kept = KeptTeasers(settings)
    ordered = sorted(published, key=lambda p: (p.article.date, p.article.src_uri), reverse=True)
    out = settings.site_dir / OUTPUT_DIR
    try:
        out.mkdir(parents=True)
        new = True  # just made (a site fresh from the site generator): no file in it to compare with
    except FileExistsError:
        new = False
    written = [out / f"{item.slug}.json" for item in ordered]
    entries = [kept.write(item, path, new=new) for item, path in zip(ordered, written, strict=True)]
    data = {"site_url": settings.site_url, "articles": [entry for entry, _ in entries]}
    # dumps(data), from the articles' texts already made: "articles" sorts before "site_url".
    joined = ",".join(text.rstrip("\n") for _, text in entries)
    site_url = json.dumps(settings.site_url, ensure_ascii=False)
    written.append(_write(out / "index.json", f'{{"articles":[{joined}],"site_url":{site_url}}}\n', new=new))
    for stale in [] if new else sorted(set(out.glob("*.json")) - set(written)):  # an article renamed or unpublished
        stale.unlink()
    # The page counts the newest articles' teasers again: kept too, by what it shows.
    page_key = kept.cache.key(dumps(preview_inputs(data, settings)))  # JSON: kept entries' keys come back sorted
    page = kept.cache.read(page_key, ".html")
    if page is None:
        page = render_preview(data, settings).encode("utf-8")
        kept.cache.write(page_key, page, ".html")
    written.append(_write(out / "preview.html", page.decode("utf-8"), new=new))
    kept.cache.prune()
    return written


# -- preview and count (the CLI's) ------------------------------------------------


def select(settings: Settings, paths: Iterable[Path] | None = None) -> list[Published]:
    """The published articles at ``paths`` (default: all), from the sources and the built site."""
    from .build import published_articles
    from .errors import SiteError

    published = published_articles(settings)
    if not paths:
        return published
    by_source = {p.article.source.resolve(): p for p in published}
    chosen = []
    for path in paths:
        resolved = Path(path).resolve()
        if not resolved.is_file():
            raise SiteError(f"{path}: no such file. Give the path of a post, e.g. "
                            f"{_relative(settings.posts_dir, Path.cwd())}/my-post.md")
        if resolved not in by_source:
            raise SiteError(f"{path} is not in the built site: it is a draft, dated in the future, or newer "
                            "than the last build. Run scripts/build, then preview again")
        chosen.append(by_source[resolved])
    return chosen


def preview(settings: Settings, paths: Iterable[Path] | None = None,
            platform: str | None = None) -> list[dict[str, Any]]:
    """Each chosen article's teasers as in ``index.json`` (only ``platform``'s when given)."""
    entries = []
    for item in select(settings, paths):
        teasers = render_teasers(item, settings)
        if platform is not None:
            teasers = {name: t for name, t in teasers.items() if name == platform}
        entries.append(article_entry(item, teasers, settings))
    return entries


def preview_summary(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The part of an article entry ``syndicate preview --json`` prints."""
    return {
        "source": entry["source"],
        "url": entry["url"],
        "platforms": {name: {key: value[key] for key in ("text", "length", "limit", "ok")}
                      for name, value in entry["platforms"].items()},
    }


def count_everywhere(text: str, settings: Settings | None = None,
                     platform: str | None = None) -> dict[str, dict[str, Any]]:
    """How long ``text`` is on each platform (or one), its limit there, and whether it fits."""
    from .config import PLATFORMS

    result = {}
    for name in [platform] if platform else PLATFORMS:
        checked = measure(spec_of(name), text, settings)
        result[name] = {"length": checked.length, "limit": checked.limit, "ok": checked.ok}
    return result
