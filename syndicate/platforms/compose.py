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
from ..links import absolute_url, tagged_url
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

    def __init__(self, spec: Spec, settings: Settings | None) -> None:
        self.spec = spec
        self.settings = settings
        self.limit = limit_of(spec, settings)
        self.measured: dict[str, Measure] = {}

    def measure(self, text: str) -> Measure:
        """``measure(spec, text, settings)``, remembered."""
        found = self.measured.get(text)
        if found is None:
            found = self.measured[text] = measure(self.spec, text, self.settings)
        return found

    def accepts(self, text: str) -> bool:
        """Whether the platform takes ``text``, by the quick bound where that settles it."""
        if self.spec.name in _BOUNDED and textlib.count_at_most(self.spec.name, text, self.settings) <= self.limit:
            return not other_problems(self.spec, text)
        return self.measure(text).ok


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


def hashtags_for(article: Article, settings: Settings, spec: Spec) -> list[str]:
    """The article's hashtags for one platform: its own list or its tags, without repeats, capped."""
    if not spec.hashtags:
        return []
    source = article.social.hashtags if article.social.hashtags is not None else article.tags
    tags: list[str] = []
    seen = set()
    for tag in source:
        word = tag.lstrip("#\uff03") if article.social.hashtags is not None else camel_hashtag(tag)
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            tags.append(word)
    cap: Any = settings.platform_settings(spec.name).get(
        "hashtags_max", settings.syndication.get("hashtags_max", 3))
    if isinstance(cap, int) and not isinstance(cap, bool) and cap >= 0:
        tags = tags[:cap]
    for cap in (spec.hashtags_used, spec.max_hashtags):
        if cap is not None:
            tags = tags[:cap]
    return tags


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


def base_values(linked: Linked, settings: Settings, spec: Spec) -> dict[str, Any]:
    """Everything a template may use, before fitting."""
    article = linked.article
    names = _names(article, settings)
    return {
        "title": article.title,
        "description": article.description,
        "url": tagged_url(linked.url, settings, spec.name),
        "hashtag_list": hashtags_for(article, settings, spec),
        "handle": handle_for(settings, spec.name),
        "practice": settings.practice.name,
        "site_name": settings.site_name,
        "booking_url": settings.practice.booking_url,
        "phone": settings.practice.phone_display,
        "author": names[0] if names else "",
        "authors": " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names),
        "date": article.date,
        "tags": list(article.tags),
        "categories": list(article.categories),
        "platform": spec.name,
        "text": article.social.texts.get(spec.name, ""),
    }


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


def _maker(source: str | None, template: jinja2.Template | None, values: Mapping[str, Any], spec: Spec
           ) -> Callable[[int, str, str], str]:
    """``make(hashtags kept, description, title)`` for ``fit``.

    ``source`` is a built-in template's text (rendered once, with markers,
    then filled in for each attempt); None: a practice's own template, which
    may use any variable in any way, rendered in full for each attempt.
    """
    tags = ["#" + t for t in values["hashtag_list"]]
    skeleton = ""
    if source is not None:
        skeleton = _skeleton(source, tuple((name, str(values[name])) for name in _PRACTICE_VALUES))
        skeleton = skeleton.replace(_marker("url"), values["url"]).replace(_marker("text"), values["text"])

    def finish(text: str) -> str:
        text = textlib.tidy(text)
        if spec.link_in_text and values["url"] not in text:
            text = f"{text}\n\n{values['url']}".strip()  # the link always survives a template
        return text

    def make(kept: int, description: str, title: str) -> str:
        hashtags = " ".join(tags[:kept])
        if source is not None or template is None:
            return finish(skeleton.replace(_marker("title"), title).replace(_marker("description"), description)
                          .replace(_marker("hashtags"), hashtags))
        return finish(template.render({**values, "hashtag_list": values["hashtag_list"][:kept],
                                       "hashtags": hashtags, "description": description, "title": title}))

    return make


def _unrepeated(tags: list[str], text: str) -> list[str]:
    """Hashtags the text does not already carry (a post with #Flossing twice looks careless)."""
    present = {t.casefold() for t in textlib.hashtags_in(text)}
    return [t for t in tags if t.casefold() not in present]


def _override_text(spec: Spec, values: dict[str, Any], settings: Settings, measurer: _Measurer | None = None) -> str:
    """The article's own text for the platform, link appended, with as many hashtags as fit."""
    measurer = measurer or _Measurer(spec, settings)
    values["hashtag_list"] = _unrepeated(values["hashtag_list"], values["text"])
    make = _maker(spec.override_template, None, values, spec)
    for kept in range(len(values["hashtag_list"]), 0, -1):  # an override is never cut: only tags go
        candidate = make(kept, "", "")
        if measurer.accepts(candidate):
            return candidate
    return make(0, "", "")


def refused_override(spec: Spec, linked: Linked, settings: Settings) -> Measure | None:
    """How the article's own text for the platform (``social.<name>``) is refused, or None if it fits."""
    values = base_values(linked, settings, spec)
    values["hashtag_list"] = _unrepeated(values["hashtag_list"], values["text"])
    if accepts(spec, _maker(spec.override_template, None, values, spec)(0, "", ""), settings):
        return None  # the text with the link alone fits: compose keeps it, with the hashtags that fit
    found = measure(spec, _override_text(spec, values, settings), settings)
    return None if found.ok else found


def compose(spec: Spec, linked: Linked, settings: Settings) -> Draft:
    """The platform's text for the article: its override (link appended) or its fitted template."""
    values = base_values(linked, settings, spec)
    measurer = _Measurer(spec, settings)
    fits = measurer.accepts
    if values["text"]:
        text = _override_text(spec, values, settings, measurer)
    else:
        own = settings.platform_settings(spec.name).get("template") is not None
        make = (_maker(None, template_for(spec, settings), values, spec) if own
                else _maker(spec.template, None, values, spec))
        text = textlib.fit(make, fits, hashtags=len(values["hashtag_list"]),
                           description=values["description"], title=values["title"],
                           language=linked.article.language).text
    return Draft(text=text, measure=measurer.measure(text), url=values["url"],
                 image_url=absolute_url(linked.article.image, settings), image_alt=linked.article.image_alt,
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
