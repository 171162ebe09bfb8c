"""Composing one platform's teaser from an article: the variables, the template, the fit.

Every platform module describes itself with a ``Spec`` (its limits and its
default template, as data) and calls ``compose``; what differs between
networks is data, what they share is here. Templates are Jinja2, compiled
once; a practice can replace any platform's template in ``mkdocs.yml``
(``extra.syndication.platforms.<name>.template``) without touching code.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from .. import text as textlib
from ..article import Article
from ..config import Settings
from ..errors import ConfigError
from ..links import absolute_url, utm_parameters, with_query
from .base import Teaser

if TYPE_CHECKING:
    import jinja2

# Every variable a template may use; documented in the README's teaser section.
VARIABLES = (
    "title", "description", "url", "hashtags", "hashtag_list", "handle", "practice", "site_name",
    "booking_url", "phone", "author", "authors", "date", "tags", "categories", "platform", "text",
)


@dataclass(frozen=True, kw_only=True)
class Spec:
    """What a platform allows and how its default teaser reads (data, not code)."""

    name: str
    title: str  # as people write it: "X", "Google Business Profile"
    limit: int
    unit: str  # what ``limit`` counts, for messages: "characters", "weighted characters"
    template: str  # the default Jinja2 template of the text
    # The text made from a per-article override (``text``); the link is appended, hashtags if they fit.
    override_template: str
    link_in_text: bool = True  # False where the link travels in a card or a button instead
    hashtags: bool = True
    hashtags_used: int | None = None  # how many hashtags the platform makes use of (we add no more)
    max_hashtags: int | None = None  # more are refused
    max_links: int | None = None
    max_bytes: int | None = None
    limit_setting: str | None = None  # a per-practice limit, e.g. Mastodon's instance setting


class Linked(Protocol):
    """An article and the URL the built site gives it (``build.Published`` is one)."""

    @property
    def article(self) -> Article: ...

    @property
    def url(self) -> str: ...


@dataclass(frozen=True, kw_only=True)
class Measure:
    """A text's length on one platform, its limit, and what is wrong with it (if anything)."""

    length: int
    limit: int
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the platform accepts the text."""
        return not self.problems


@dataclass(frozen=True, kw_only=True)
class Draft:
    """A composed text with the values it was made from (the platform module adds its fields)."""

    text: str
    measure: Measure
    url: str  # the article's URL tagged for this platform
    image_url: str | None = None  # absolute
    image_alt: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)


def limit_of(spec: Spec, settings: Settings | None) -> int:
    """The platform's text limit, or the practice's own where the platform lets it vary."""
    if settings is not None and spec.limit_setting:
        value = settings.platform_settings(spec.name).get(spec.limit_setting)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return spec.limit


_LINK = re.compile(r"https?://\S+")


def measure(spec: Spec, text: str, settings: Settings | None = None) -> Measure:
    """How ``text`` counts on the platform, and every reason it would be refused."""
    length = textlib.count(spec.name, text, settings)
    limit = limit_of(spec, settings)
    problems = []
    if length > limit:
        problems.append(f"{length} of {limit} {spec.unit} ({length - limit} too many)")
    problems += other_problems(spec, text)
    return Measure(length=length, limit=limit, problems=tuple(problems))


# Platforms whose exact count needs twitter-text's link rules; the others count as cheaply exactly.
_BOUNDED = frozenset(("x", "mastodon"))


def accepts(spec: Spec, text: str, settings: Settings | None = None) -> bool:
    """Whether the platform takes ``text``: ``measure(...).ok``, counted exactly only when it is close.

    An upper bound of the length that needs no link rules (``text.count_at_most``)
    settles most texts; X's exact count loads twitter-text, a third of a second.
    """
    return _Measurer(spec, settings).accepts(text)


class _Measurer:
    """Measures one platform's texts, each once (fitting asks about the text it then keeps)."""

    def __init__(self, spec: Spec, settings: Settings | None, limit: int | None = None) -> None:
        self.spec = spec
        self.settings = settings
        self.limit = limit_of(spec, settings) if limit is None else limit
        self.measured: dict[str, Measure] = {}

    def measure(self, text: str) -> Measure:
        """``measure(spec, text, settings)``, remembered."""
        found = self.measured.get(text)
        if found is None:
            found = self.measured[text] = measure(self.spec, text, self.settings)
        return found

    def accepts(self, text: str) -> bool:
        """Whether the platform takes ``text``, by the quick bound where that settles it."""
        if self.spec.name in _BOUNDED and not self._exact_is_cheap() \
                and textlib.count_at_most(self.spec.name, text, self.settings) <= self.limit:
            return not other_problems(self.spec, text)
        return self.measure(text).ok

    def _exact_is_cheap(self) -> bool:
        # Once the link rules are loaded, X's exact count costs little more than its bound, which
        # a post with a long link rarely meets (the link's characters count in full there).
        return self.spec.name == "x" and textlib.link_rules_loaded()


def other_problems(spec: Spec, text: str) -> list[str]:
    """What the platform refuses besides length: too many bytes, hashtags or links."""
    problems = []
    if spec.max_bytes is not None and textlib.utf8_length(text) > spec.max_bytes:
        size = textlib.utf8_length(text)
        problems.append(f"{size} of {spec.max_bytes} bytes ({size - spec.max_bytes} too many)")
    if spec.max_hashtags is not None and len(textlib.hashtags_in(text)) > spec.max_hashtags:
        problems.append(f"{len(textlib.hashtags_in(text))} hashtags, at most {spec.max_hashtags} allowed")
    if spec.max_links is not None and len(set(_LINK.findall(text))) > spec.max_links:
        problems.append(f"{len(set(_LINK.findall(text)))} links, at most {spec.max_links} allowed")
    return problems


# -- Values ---------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=4096)
def camel_hashtag(tag: str) -> str | None:
    """A tag as one CamelCase hashtag word ("root canal" -> "RootCanal"), None when it has no letter."""
    words = _WORD.findall(tag.replace("'", "").replace("\u2019", ""))
    word = "".join(w[:1].upper() + w[1:] for w in words)
    if not word or word.isdigit():
        return None
    return word


def _hashtag_words(article: Article) -> tuple[str, ...]:
    """The article's hashtags for every platform: its own list or its tags, without repeats, uncapped."""
    source = article.social.hashtags if article.social.hashtags is not None else article.tags
    tags: list[str] = []
    seen = set()
    for tag in source:
        word = tag.lstrip("#\uff03") if article.social.hashtags is not None else camel_hashtag(tag)
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            tags.append(word)
    return tuple(tags)


def _hashtags_max(spec: Spec, settings: Settings) -> int | None:
    """How many hashtags the platform's teasers carry at most (None: as many as the article has)."""
    if not spec.hashtags:
        return 0
    caps = [cap for cap in (spec.hashtags_used, spec.max_hashtags) if cap is not None]
    cap: Any = settings.platform_settings(spec.name).get(
        "hashtags_max", settings.syndication.get("hashtags_max", 3))
    if isinstance(cap, int) and not isinstance(cap, bool) and cap >= 0:
        caps.append(cap)
    return min(caps, default=None)


def hashtags_for(article: Article, settings: Settings, spec: Spec) -> list[str]:
    """The article's hashtags for one platform: its own list or its tags, without repeats, capped."""
    return list(_hashtag_words(article)[:_hashtags_max(spec, settings)])


# Where "@name" is how people write an account; elsewhere a handle is a page's web address.
_AT_HANDLES = ("x", "bluesky", "mastodon", "threads", "instagram")


def handle_for(settings: Settings, platform: str) -> str:
    """The practice's handle on the platform as people write it ("@name"), or ""."""
    if platform not in _AT_HANDLES:
        return ""
    handles = settings.practice.handles
    value = handles.get(platform) or (handles.get("instagram") if platform == "threads" else "") or ""
    value = value.strip()
    if not value or value.startswith(("@", "http://", "https://")):
        return value
    return "@" + value


def _names(article: Article, settings: Settings) -> list[str]:
    return [settings.authors[key].name if key in settings.authors else key for key in article.authors]


# -- What teasers share -----------------------------------------------------------
#
# A build makes each article's teaser for every platform in a row, all under the same
# settings. What depends only on the article is worked out once for its nine teasers,
# what depends only on the platform and the settings once for all articles.


class _Recent:
    """A function's last answer, given again while it is called with the very same objects.

    Objects are compared by identity (``is``), not by value: a build's settings and
    articles are frozen and are not changed while teasers are made from them.
    """

    def __init__(self, make: Callable[..., Any]) -> None:
        self._make = make
        self._arguments: tuple[Any, ...] = ()
        self._identities: tuple[int, ...] = ()
        self._answer: Any = None

    def __call__(self, *arguments: Any) -> Any:
        identities = tuple(map(id, arguments))
        if identities != self._identities:
            self._answer = self._make(*arguments)
            self._arguments = arguments  # kept alive here, so no other object takes their identities
            self._identities = identities
        return self._answer


@dataclass(frozen=True, kw_only=True)
class _Platform:
    """What all of one platform's teasers share under one practice's settings."""

    spec: Spec
    limit: int
    utm: Mapping[str, str]
    hashtags_max: int | None
    handle: str
    practice: tuple[tuple[str, str], ...]  # the practice's values a built-in template may use, as text
    template: jinja2.Template | None  # the practice's own template, if it set one


def _platform_for(spec: Spec, settings: Settings) -> _Platform:
    handle = handle_for(settings, spec.name)
    practice_values = {"handle": handle, "practice": settings.practice.name, "site_name": settings.site_name,
                       "booking_url": settings.practice.booking_url, "phone": settings.practice.phone_display,
                       "platform": spec.name}
    own = settings.platform_settings(spec.name).get("template") is not None
    return _Platform(
        spec=spec,
        limit=limit_of(spec, settings),
        utm=utm_parameters(settings, spec.name),
        hashtags_max=_hashtags_max(spec, settings),
        handle=handle,
        practice=tuple((name, str(practice_values[name])) for name in _PRACTICE_VALUES),
        template=template_for(spec, settings) if own else None,
    )


_platforms = _Recent(lambda settings: {})  # platform name -> _Platform, for the settings last used


def _platform(spec: Spec, settings: Settings) -> _Platform:
    """The platform's shared values under these settings, worked out on first use."""
    made: dict[str, _Platform] = _platforms(settings)
    found = made.get(spec.name)
    if found is None or found.spec is not spec:
        found = made[spec.name] = _platform_for(spec, settings)
    return found


@dataclass(frozen=True, kw_only=True)
class _Shared:
    """What all of one article's teasers share."""

    hashtags: tuple[str, ...]  # before any platform's cap
    names: tuple[str, ...]  # the authors' names
    image_url: str | None


_shared = _Recent(lambda article, settings: _Shared(
    hashtags=_hashtag_words(article),
    names=tuple(_names(article, settings)),
    image_url=absolute_url(article.image, settings),
))


def _values(linked: Linked, settings: Settings, platform: _Platform) -> dict[str, Any]:
    article = linked.article
    shared: _Shared = _shared(article, settings)
    names = shared.names
    return {
        "title": article.title,
        "description": article.description,
        "url": with_query(linked.url, platform.utm),
        "hashtag_list": list(shared.hashtags[:platform.hashtags_max]),
        "handle": platform.handle,
        "practice": settings.practice.name,
        "site_name": settings.site_name,
        "booking_url": settings.practice.booking_url,
        "phone": settings.practice.phone_display,
        "author": names[0] if names else "",
        "authors": " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names),
        "date": article.date,
        "tags": list(article.tags),
        "categories": list(article.categories),
        "platform": platform.spec.name,
        "text": article.social.texts.get(platform.spec.name, ""),
    }


def base_values(linked: Linked, settings: Settings, spec: Spec) -> dict[str, Any]:
    """Everything a template may use, before fitting."""
    return _values(linked, settings, _platform(spec, settings))


# -- Templates ------------------------------------------------------------------


@functools.cache
def _env() -> jinja2.Environment:
    """The templates' environment; Jinja is imported only when a template needs more than its values."""
    import jinja2  # noqa: PLC0415 - a tenth of a second to import: the check rarely needs it

    return jinja2.Environment(
        autoescape=False,  # plain text for social networks, not HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def _config_line(settings: Settings, keys: tuple[str, ...]) -> int | None:
    """The line of ``mkdocs.yml`` that holds the setting at ``keys`` (for error messages)."""
    try:
        node = yaml.compose(settings.config_path.read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError):
        return None
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return line
        for key_node, value_node in node.value:
            if getattr(key_node, "value", None) == key:
                line, node = key_node.start_mark.line + 1, value_node
                break
        else:
            return line
    return line


@functools.lru_cache(maxsize=64)
def _compile(source: str) -> tuple[jinja2.Template, frozenset[str]]:
    import jinja2.meta  # noqa: PLC0415

    env = _env()
    return env.from_string(source), frozenset(jinja2.meta.find_undeclared_variables(env.parse(source)))


# A template that is text and "{{ name }}" only: Jinja would give the text with each value put in.
_PLACEHOLDER = re.compile(r"\{\{ ?([A-Za-z_][A-Za-z0-9_]*) ?\}\}")


def _render_plain(source: str, values: Mapping[str, str]) -> str | None:
    """What Jinja renders from a template of text and placeholders only (None for any other template)."""
    parts = _PLACEHOLDER.split(source)
    text, names = parts[0::2], parts[1::2]
    if any("{" in piece or "}" in piece for piece in text) or any(name not in values for name in names):
        return None
    text[-1] = text[-1].removesuffix("\n")  # keep_trailing_newline=False: the source's last line break goes
    return "".join(piece + (values[names[i]] if i < len(names) else "") for i, piece in enumerate(text))


def template_for(spec: Spec, settings: Settings) -> jinja2.Template:
    """The platform's template (the practice's own if set), compiled once and checked."""
    import jinja2  # noqa: PLC0415

    source: Any = settings.platform_settings(spec.name).get("template")
    if source is None:
        return _compile(spec.template)[0]
    keys = ("extra", "syndication", "platforms", spec.name, "template")
    where = "extra.syndication.platforms." + spec.name + ".template"
    if not isinstance(source, str):
        raise ConfigError(f"{where} must be text", path=settings.config_path,
                          line=_config_line(settings, keys),
                          hint='Write it as template: "{{ title }} {{ url }}"')
    try:
        template, used = _compile(source)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"{where} does not read as a template: {exc.message}", path=settings.config_path,
                          line=_config_line(settings, keys),
                          hint="Put each variable in double braces, e.g. {{ title }}") from None
    unknown = sorted(used - set(VARIABLES))
    if unknown:
        close = difflib.get_close_matches(unknown[0], VARIABLES, n=1)
        hint = f"Did you mean '{close[0]}'?" if close else "Use one of: " + ", ".join(VARIABLES)
        raise ConfigError(f"{where} uses '{unknown[0]}', which is not a teaser variable",
                          path=settings.config_path, line=_config_line(settings, keys), hint=hint)
    return template


# -- Composing ------------------------------------------------------------------


# Built-in templates use only these: the article's, stood in for by markers, and the
# practice's, the same for every article. So each renders once per platform, not per attempt.
_MARKED = ("title", "description", "hashtags", "url", "text")
_PRACTICE_VALUES = ("handle", "practice", "site_name", "booking_url", "phone", "platform")


def _marker(name: str) -> str:
    return f"\x00{name}\x00"


_TITLE, _DESCRIPTION, _HASHTAGS, _URL, _TEXT = map(_marker, _MARKED)


@functools.lru_cache(maxsize=256)
def _skeleton(source: str, fixed: tuple[tuple[str, str], ...]) -> str:
    """A built-in template rendered with markers in place of the article's values."""
    values = {**dict(fixed), **{name: _marker(name) for name in _MARKED}}
    plain = _render_plain(source, values)
    if plain is not None:
        return plain
    template, used = _compile(source)
    if not used <= set(_MARKED) | set(_PRACTICE_VALUES):  # pragma: no cover - a guard for our own templates
        raise ValueError(f"a built-in template uses {sorted(used)}: render it in full")
    return template.render({**dict(fixed), **{name: _marker(name) for name in _MARKED}, "hashtag_list": []})


def _maker(source: str | None, template: jinja2.Template | None, values: Mapping[str, Any], platform: _Platform
           ) -> Callable[[int, str, str], str]:
    """``make(hashtags kept, description, title)`` for ``fit``.

    ``source`` is a built-in template's text (rendered once, with markers,
    then filled in for each attempt); None: a practice's own template, which
    may use any variable in any way, rendered in full for each attempt.
    """
    tags = ["#" + t for t in values["hashtag_list"]]
    skeleton = ""
    if source is not None:
        skeleton = _skeleton(source, platform.practice).replace(_URL, values["url"]).replace(_TEXT, values["text"])

    def finish(text: str) -> str:
        text = textlib.tidy(text)
        if platform.spec.link_in_text and values["url"] not in text:
            text = f"{text}\n\n{values['url']}".strip()  # the link always survives a template
        return text

    def make(kept: int, description: str, title: str) -> str:
        hashtags = " ".join(tags[:kept])
        if source is not None or template is None:
            return finish(skeleton.replace(_TITLE, title).replace(_DESCRIPTION, description)
                          .replace(_HASHTAGS, hashtags))
        return finish(template.render({**values, "hashtag_list": values["hashtag_list"][:kept],
                                       "hashtags": hashtags, "description": description, "title": title}))

    return make


def _unrepeated(tags: list[str], text: str) -> list[str]:
    """Hashtags the text does not already carry (a post with #Flossing twice looks careless)."""
    present = {t.casefold() for t in textlib.hashtags_in(text)}
    return [t for t in tags if t.casefold() not in present]


def _override_text(spec: Spec, values: dict[str, Any], settings: Settings, measurer: _Measurer | None = None) -> str:
    """The article's own text for the platform, link appended, with as many hashtags as fit."""
    platform = _platform(spec, settings)
    measurer = measurer or _Measurer(spec, settings, platform.limit)
    values["hashtag_list"] = _unrepeated(values["hashtag_list"], values["text"])
    make = _maker(spec.override_template, None, values, platform)
    for kept in range(len(values["hashtag_list"]), 0, -1):  # an override is never cut: only tags go
        candidate = make(kept, "", "")
        if measurer.accepts(candidate):
            return candidate
    return make(0, "", "")


def refused_override(spec: Spec, linked: Linked, settings: Settings) -> Measure | None:
    """How the article's own text for the platform (``social.<name>``) is refused, or None if it fits."""
    platform = _platform(spec, settings)
    values = _values(linked, settings, platform)
    values["hashtag_list"] = _unrepeated(values["hashtag_list"], values["text"])
    if accepts(spec, _maker(spec.override_template, None, values, platform)(0, "", ""), settings):
        return None  # the text with the link alone fits: compose keeps it, with the hashtags that fit
    found = measure(spec, _override_text(spec, values, settings), settings)
    return None if found.ok else found


def compose(spec: Spec, linked: Linked, settings: Settings) -> Draft:
    """The platform's text for the article: its override (link appended) or its fitted template."""
    platform = _platform(spec, settings)
    values = _values(linked, settings, platform)
    measurer = _Measurer(spec, settings, platform.limit)
    if values["text"]:
        text = _override_text(spec, values, settings, measurer)
    else:
        own = platform.template  # the practice's own template, else the platform's
        make = _maker(None if own else spec.template, own, values, platform)
        text = textlib.fit(make, measurer.accepts, hashtags=len(values["hashtag_list"]),
                           description=values["description"], title=values["title"],
                           language=linked.article.language).text
    return Draft(text=text, measure=measurer.measure(text), url=values["url"],
                 image_url=_shared(linked.article, settings).image_url, image_alt=linked.article.image_alt,
                 values=values)


def teaser(spec: Spec, draft: Draft, fields: Mapping[str, Any] | None = None) -> Teaser:
    """The finished teaser: the draft's text and length, the article's image, the platform's fields."""
    return Teaser(
        platform=spec.name,
        text=draft.text,
        length=draft.measure.length,
        limit=draft.measure.limit,
        url=draft.url,
        image_url=draft.image_url,
        image_alt=draft.image_alt,
        fields=dict(fields or {}),
    )
