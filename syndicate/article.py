"""The article model: one validated, immutable ``Article`` per blog post.

This is the only module that reads front matter (python-frontmatter and YAML
stay here). Every problem is reported with the line in the file, not in the
YAML block, because PyYAML only knows the latter: we compose the YAML
ourselves and add the offset of the opening ``---``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any, Literal

import frontmatter
import yaml

from .config import PLATFORMS, Settings
from .errors import ContentError, Problem

try:  # the C loader is several times faster; fall back where libyaml is missing
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

# Keys of the material blog plugin and MkDocs page meta
# (squidfunk/mkdocs-material: src/plugins/blog/structure/config.py), then ours.
BLOG_KEYS = ("title", "description", "date", "authors", "categories", "tags", "slug", "draft",
             "pin", "links", "readtime", "hide", "search", "status", "template", "subtitle", "icon")
OUR_KEYS = ("image", "image_alt", "reviewed_by", "last_reviewed", "social", "slides", "language")
KNOWN_KEYS = BLOG_KEYS + OUR_KEYS
SOCIAL_KEYS = ("hashtags", "skip", *PLATFORMS)

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "binary")
}
_BOOL_WORDS = {"yes", "no", "on", "off", "y", "n", "true", "false"}


@dataclass(frozen=True, kw_only=True)
class Social:
    """Per-article social settings from ``social:`` in the front matter."""

    hashtags: tuple[str, ...] | None = None  # None: derive from tags
    texts: Mapping[str, str] = field(default_factory=dict)  # platform -> own teaser text
    skip: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class SlideOutline:
    """One slide of an explicit outline given in the front matter."""

    title: str
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Article:
    """The validated front matter and body of one post."""

    source: Path  # absolute path of the Markdown file
    src_uri: str  # path relative to docs_dir, with forward slashes
    title: str
    description: str
    date: datetime  # timezone-aware
    updated: datetime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    slug: str | None = None
    draft: bool | None = None
    image: str | None = None  # relative to docs_dir
    image_alt: str | None = None
    reviewed_by: str | None = None
    last_reviewed: date | None = None
    language: str = "en"
    social: Social = field(default_factory=Social)
    slides: Literal["auto", False] | tuple[SlideOutline, ...] = "auto"
    body: str = ""
    body_line: int = 1  # line of the file where the body starts
    lines: Mapping[str, int] = field(default_factory=dict)  # "title", "social.x" -> line

    def line_of(self, key: str) -> int:
        """The line in the file of a front matter key (or of its parent, or the first line)."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return 1

    def is_published(self, now: datetime) -> bool:
        """Whether the blog plugin publishes it at ``now`` (not a draft, not in the future)."""
        if self.draft is not None:
            return not self.draft
        return self.date <= now

    @property
    def image_path(self) -> str | None:
        """The hero image, relative to docs_dir."""
        return self.image


class _Reader:
    """Reads one file, collecting every problem rather than stopping at the first."""

    def __init__(self, path: Path, settings: Settings) -> None:
        self.path = path
        self.settings = settings
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        self.cols: dict[str, int] = {}

    def problem(self, key_or_line: str | int, message: str, hint: str = "", *,
                severity: Literal["error", "warning"] = "error", code: str = "", col: int = 1) -> None:
        if isinstance(key_or_line, int):
            line = key_or_line
        else:
            line = self.lines.get(key_or_line) or self.lines.get(key_or_line.partition(".")[0]) or 1
            col = self.cols.get(key_or_line, col)
        self.problems.append(Problem(path=self.path, line=line, col=col, severity=severity,
                                     message=message, hint=hint, code=code))

    # -- reading ---------------------------------------------------------------

    def read(self) -> Article | None:
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            self.problem(1, f"cannot read the file ({exc.strerror})", code="unreadable")
            return None
        if not raw.strip():
            self.problem(1, "the file is empty", "Start it with front matter between two '---' lines; "
                         "'syndicate new \"Title\"' writes one for you", code="empty")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problem(line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                         "Save it as UTF-8 in your editor", code="encoding")
            return None
        text = text.replace("\r\n", "\n")
        handler = frontmatter.YAMLHandler()
        if not text.startswith("---") or not handler.detect(text):
            self.problem(1, "the file has no front matter",
                         "Start it with a '---' line, the title, description and date, then another '---' line",
                         code="no-front-matter")
            return None
        try:
            fm_text, body = handler.split(text)
        except ValueError:
            self.problem(1, "the front matter is not closed", "Add a line with '---' after the last key",
                         code="unclosed")
            return None
        # python-frontmatter strips the text it returns: find where it starts in the file.
        start = text.index(fm_text) if fm_text else text.index("\n") + 1
        offset = text.count("\n", 0, start)
        body_start = text.index(body, start + len(fm_text)) if body else len(text)
        body_line = text.count("\n", 0, body_start) + 1
        data = self._parse_yaml(fm_text, offset)
        if data is None:
            return None
        return self._build(data, body, body_line)

    def _parse_yaml(self, fm_text: str, offset: int) -> dict[str, Any] | None:
        try:
            node = yaml.compose(fm_text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = offset + (mark.line + 1 if mark else 1)
            col = mark.column + 1 if mark else 1
            problem = (exc.problem or "invalid YAML").strip()
            self.problem(line, f"the front matter is not valid YAML: {problem}",
                         "Check the indentation, and quote values that contain ':' or '#'",
                         code="yaml", col=col)
            return None
        except yaml.YAMLError as exc:
            self.problem(offset + 1, f"the front matter is not valid YAML: {exc}", code="yaml")
            return None
        if node is None:
            self.problem(offset + 1, "the front matter is empty", "Add title, description and date",
                         code="not-mapping")
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(offset + node.start_mark.line + 1,
                         "the front matter is not a list of 'key: value' lines",
                         "Write each setting as 'key: value', for example 'title: Flu shots'",
                         code="not-mapping")
            return None
        if not self._check_tags(node, offset):
            return None
        self._record_lines(node, offset, "")
        self._check_traps(node, offset, "")
        try:
            loader = _Loader("")
            data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            self.problem(offset + 1, f"the front matter is not valid YAML: {exc}", code="yaml")
            return None
        if not isinstance(data, dict):  # pragma: no cover - guarded by the MappingNode check
            return None
        return {str(k): v for k, v in data.items()}

    def _check_tags(self, node: yaml.Node, offset: int) -> bool:
        """Refuse explicit YAML tags such as ``!!python/object``: never construct them."""
        ok = True
        stack = [node]
        while stack:
            current = stack.pop()
            if current.tag not in _STANDARD_TAGS:
                tag = current.tag.replace("tag:yaml.org,2002:", "!!")
                self.problem(offset + current.start_mark.line + 1,
                             f"the YAML tag '{tag}' is not allowed in front matter",
                             "Remove the tag and write a plain value", code="yaml-tag",
                             col=current.start_mark.column + 1)
                ok = False
            if isinstance(current, yaml.MappingNode):
                for key, value in current.value:
                    stack.extend((key, value))
            elif isinstance(current, yaml.SequenceNode):
                stack.extend(current.value)
        return ok

    def _record_lines(self, node: yaml.MappingNode, offset: int, prefix: str) -> None:
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            name = prefix + str(key.value)
            self.lines[name] = offset + key.start_mark.line + 1
            self.cols[name] = key.start_mark.column + 1
            if isinstance(value, yaml.MappingNode) and not prefix:
                self._record_lines(value, offset, name + ".")

    def _check_traps(self, node: yaml.Node, offset: int, key: str) -> None:
        """YAML 1.1 reads some unquoted text as numbers or yes/no: say what it did."""
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    child = f"{key}.{k.value}" if key else str(k.value)
                    if child in ("date", "draft", "pin", "readtime", "last_reviewed", "slides") or \
                            child.startswith(("date.", "links")):
                        continue
                    self._check_traps(v, offset, child)
            return
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                self._check_traps(item, offset, key)
            return
        if not isinstance(node, yaml.ScalarNode) or node.style is not None:
            return
        raw = node.value
        tag = node.tag.rsplit(":", 1)[-1]
        line = offset + node.start_mark.line + 1
        col = node.start_mark.column + 1
        name = key.rpartition(".")[2] or key
        quote = f'Quote it: {name}: "{raw}"'
        if tag == "int":
            value = yaml.load(raw, Loader=_Loader)
            if re.fullmatch(r"[-+]?\d+(:[0-5]?\d)+", raw):
                why = f"YAML reads {raw} as minutes and seconds"
            elif re.fullmatch(r"[-+]?0[0-7_]+", raw):
                why = f"YAML reads {raw} as octal"
            elif str(value) != raw:
                why = f"YAML reads {raw} as a number"
            else:
                return
            self.problem(line, f"'{name}' was read as the number {value} ({why})", quote,
                         code="yaml-trap", col=col)
        elif tag == "float":
            value = yaml.load(raw, Loader=_Loader)
            if str(value) != raw:
                self.problem(line, f"'{name}' was read as the number {value} "
                             f"(YAML drops what makes {raw} different)", quote, code="yaml-trap", col=col)
        elif tag == "bool" and raw.lower() in _BOOL_WORDS:
            value = yaml.load(raw, Loader=_Loader)
            self.problem(line, f"'{name}' was read as {str(value).lower()} "
                         f"(YAML reads {raw} as a yes/no value)", quote, code="yaml-trap", col=col)
        elif tag == "timestamp":
            self.problem(line, f"'{name}' was read as a date", quote, code="yaml-trap", col=col)

    # -- validating -----------------------------------------------------------

    def _build(self, data: dict[str, Any], body: str, body_line: int) -> Article | None:
        for key in data:
            if key not in KNOWN_KEYS:
                self._unknown(key, KNOWN_KEYS, "front matter key")
        title = self._text(data, "title", required=True)
        description = self._text(data, "description", required=True)
        if description and len(description) > 160:
            self.problem("description", f"the description is {len(description)} characters; "
                         "search results show about 160",
                         "Shorten it to one or two sentences under 160 characters",
                         severity="warning", code="description-long")
        created, updated = self._dates(data)
        authors = self._list(data, "authors")
        for name in authors:
            self._known_author(name, "authors")
        if "authors" not in data:
            self.problem(1, "no 'authors'", "Add the writer's key from .authors.yml, e.g. authors: [drlee]",
                         code="authors-missing")
        categories = self._list(data, "categories")
        allowed = self.settings.categories_allowed
        for category in categories:
            if allowed and category not in allowed:
                close = difflib.get_close_matches(category, allowed, n=1)
                hint = f"Did you mean '{close[0]}'?" if close else "Use one of: " + ", ".join(allowed)
                self.problem("categories", f"the category '{category}' is not in categories_allowed "
                             "in mkdocs.yml", hint, code="category")
        tags = self._list(data, "tags")
        slug = self._text(data, "slug")
        draft = data.get("draft")
        if draft is not None and not isinstance(draft, bool):
            self.problem("draft", "'draft' must be true or false", "Write draft: true or draft: false",
                         code="type")
            draft = None
        image = self._text(data, "image")
        image_alt = self._text(data, "image_alt")
        if image and not image_alt:
            self.problem("image", "the image has no alt text",
                         "Add image_alt: a short description of the picture for people who cannot see it",
                         code="image-alt")
        reviewed_by = self._text(data, "reviewed_by")
        if reviewed_by:
            self._known_author(reviewed_by, "reviewed_by")
        last_reviewed = self._day(data, "last_reviewed")
        if last_reviewed is not None and created is not None:
            tz = self.settings.practice.timezone
            today = datetime.now(tz).date()
            if last_reviewed > today:
                self.problem("last_reviewed", f"last_reviewed {last_reviewed} is in the future",
                             "Use the date the review actually happened", code="review-date")
            elif last_reviewed < created.astimezone(tz).date():
                self.problem("last_reviewed", f"last_reviewed {last_reviewed} is before the article's "
                             f"date {created.date()}", "A review cannot happen before the article was written",
                             code="review-date")
        language = self._text(data, "language") or self.settings.practice.language
        social = self._social(data.get("social"))
        slides = self._slides(data.get("slides", "auto"))
        if any(p.severity == "error" for p in self.problems):
            return None
        assert title and description and created  # noqa: S101 - guaranteed by the checks above
        return Article(
            source=self.path,
            src_uri=_src_uri(self.path, self.settings),
            title=title,
            description=description,
            date=created,
            updated=updated,
            authors=tuple(authors),
            categories=tuple(categories),
            tags=tuple(tags),
            slug=slug,
            draft=draft,
            image=image,
            image_alt=image_alt,
            reviewed_by=reviewed_by,
            last_reviewed=last_reviewed,
            language=language,
            social=social,
            slides=slides,
            body=body,
            body_line=body_line,
            lines=dict(self.lines),
        )

    def _unknown(self, key: str, known: tuple[str, ...], what: str) -> None:
        short = key.rpartition(".")[2]
        close = difflib.get_close_matches(short, known, n=1)
        hint = f"Did you mean '{close[0]}'?" if close else "Known keys: " + ", ".join(known)
        self.problem(key, f"unknown {what} '{short}'", hint, code="unknown-key")

    def _known_author(self, name: str, key: str) -> None:
        authors = self.settings.authors
        if name in authors:
            return
        close = difflib.get_close_matches(name, list(authors), n=1)
        hint = f"Did you mean '{close[0]}'?" if close else \
            f"Add '{name}' to {self.settings.authors_path.name}, or use one of: " + ", ".join(authors)
        self.problem(key, f"'{name}' is not in the authors file", hint, code="author")

    def _text(self, data: Mapping[str, Any], key: str, *, required: bool = False,
              prefix: str = "") -> str | None:
        value = data.get(key)
        where = prefix + key
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(where if where in self.lines else 1,
                             f"'{key}' is missing" if value is None and where not in self.lines
                             else f"'{key}' is empty",
                             f"Add a line '{key}: …' to the front matter", code="required")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # a plain number the trap check let through (it reads back the same)
        if not isinstance(value, str):
            if not any(p.code == "yaml-trap" and p.line == self.lines.get(where) for p in self.problems):
                self.problem(where, f"'{key}' must be text, not {_kind(value)}", f'Write {key}: "…"',
                             code="type")
            return None
        return value.strip()

    def _list(self, data: Mapping[str, Any], key: str, *, prefix: str = "") -> list[str]:
        value = data.get(key)
        where = prefix + key
        if value is None:
            return []
        if isinstance(value, str):
            self.problem(where, f"'{key}' must be a list", f"Write {key}: [{value}]", code="type")
            return []
        if not isinstance(value, list):
            self.problem(where, f"'{key}' must be a list, not {_kind(value)}", f"Write {key}: [first, second]",
                         code="type")
            return []
        items = []
        for item in value:
            if isinstance(item, bool) or item is None or isinstance(item, (dict, list, date)):
                if not any(p.code == "yaml-trap" and p.line == self.lines.get(where) for p in self.problems):
                    self.problem(where, f"each item of '{key}' must be text, not {_kind(item)}",
                                 "Quote the item", code="type")
                continue
            items.append(str(item).strip())
        return items

    def _to_datetime(self, value: Any, key: str) -> datetime | None:
        tz = self.settings.practice.timezone
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=tz)
        if isinstance(value, date):
            return datetime.combine(value, time(), tzinfo=tz)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
        self.problem(key, f"'{key}' is not a date: {value!r}", f"Write it as {key}: 2026-11-02 (year-month-day)",
                     code="date")
        return None

    def _dates(self, data: Mapping[str, Any]) -> tuple[datetime | None, datetime | None]:
        value = data.get("date")
        if value is None:
            self.problem("date" if "date" in self.lines else 1, "'date' is missing",
                         "Add the publishing date, e.g. date: 2026-11-02", code="required")
            return None, None
        if isinstance(value, dict):
            for sub in value:
                if sub not in ("created", "updated"):
                    self._unknown(f"date.{sub}", ("created", "updated"), "date key")
            if "created" not in value:
                self.problem("date", "'date' needs 'created'", "Write date: {created: 2026-11-02}",
                             code="required")
                return None, None
            created = self._to_datetime(value["created"], "date.created")
            updated = self._to_datetime(value["updated"], "date.updated") if value.get("updated") else None
            if created and updated and updated < created:
                self.problem("date.updated", "'updated' is before 'created'", "Check the two dates",
                             code="date")
            return created, updated
        return self._to_datetime(value, "date"), None

    def _day(self, data: Mapping[str, Any], key: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(key, f"'{key}' is not a date: {value!r}", f"Write it as {key}: 2026-10-28", code="date")
        return None

    def _social(self, value: Any) -> Social:
        if value is None:
            return Social()
        if not isinstance(value, dict):
            self.problem("social", "'social' must be a group of settings",
                         "Indent its settings under it, e.g. '  x: Your text'", code="type")
            return Social()
        texts: dict[str, str] = {}
        for key in value:
            if key not in SOCIAL_KEYS:
                self._unknown(f"social.{key}", SOCIAL_KEYS, "social setting")
            elif key in PLATFORMS:
                text = self._text(value, key, prefix="social.")
                if text:
                    texts[key] = text
        hashtags = None
        if "hashtags" in value:
            hashtags = tuple(tag.lstrip("#") for tag in self._list(value, "hashtags", prefix="social."))
            for tag in hashtags:
                if not re.fullmatch(r"\w+", tag):
                    self.problem("social.hashtags", f"the hashtag '#{tag}' has a space or punctuation in it",
                                 "Networks end a hashtag at the first space: write it as one word, "
                                 "e.g. " + "".join(w[:1].upper() + w[1:] for w in re.split(r"\W+", tag)),
                                 code="hashtag")
        skip = frozenset(self._list(value, "skip", prefix="social."))
        for name in skip:
            if name not in PLATFORMS:
                close = difflib.get_close_matches(name, PLATFORMS, n=1)
                hint = f"Did you mean '{close[0]}'?" if close else "Use one of: " + ", ".join(PLATFORMS)
                self.problem("social.skip", f"unknown platform '{name}' in skip", hint, code="platform")
        return Social(hashtags=hashtags, texts=texts, skip=skip)

    def _slides(self, value: Any) -> Literal["auto", False] | tuple[SlideOutline, ...]:
        if value in ("auto", True, None):
            return "auto"
        if value is False:
            return False
        if isinstance(value, list):
            outline = []
            for item in value:
                if isinstance(item, dict) and isinstance(item.get("title"), str):
                    bullets = item.get("bullets") or []
                    if isinstance(bullets, list) and all(isinstance(b, str) for b in bullets):
                        outline.append(SlideOutline(title=item["title"], bullets=tuple(bullets)))
                        continue
                self.problem("slides", "each slide needs a 'title' and a list of 'bullets'",
                             "Write '  - title: …' then '    bullets: [first point, second point]'",
                             code="slides")
                return "auto"
            return tuple(outline)
        self.problem("slides", f"'slides' must be auto, false or a list of slides, not {value!r}",
                     "Write slides: auto, or slides: false to turn them off", code="slides")
        return "auto"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dict):
        return "a group of settings"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date):
        return "a date"
    return type(value).__name__


def _src_uri(path: Path, settings: Settings) -> str:
    try:
        return path.resolve().relative_to(settings.docs_dir.resolve()).as_posix()
    except ValueError:
        return path.name


def read_article(path: Path, settings: Settings) -> tuple[Article | None, list[Problem]]:
    """Load one post, returning the article (None when it has errors) and every problem found."""
    reader = _Reader(Path(path).resolve(), settings)
    article = reader.read()
    return article, reader.problems


def load_article(path: Path, settings: Settings) -> Article:
    """Load one post or raise ``ContentError`` listing all of its errors."""
    article, problems = read_article(path, settings)
    if article is None:
        raise ContentError(problems)
    return article


def post_paths(settings: Settings) -> list[Path]:
    """Every Markdown post under the blog's posts folder, sorted."""
    return sorted(settings.posts_dir.rglob("*.md"))


def load_articles(settings: Settings, paths: list[Path] | None = None) -> list[Article]:
    """Load every post (or the given ones); raise ``ContentError`` with all errors of all files."""
    articles, problems = [], []
    for path in paths if paths is not None else post_paths(settings):
        article, found = read_article(path, settings)
        problems.extend(p for p in found if p.severity == "error")
        if article is not None:
            articles.append(article)
    if problems:
        raise ContentError(problems)
    return articles


def now_utc() -> datetime:
    """The current time, timezone-aware (tests replace the clock through the CLI's --now)."""
    return datetime.now(timezone.utc)
