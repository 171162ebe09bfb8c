"""The article model: one validated, immutable ``Article`` per blog post.

This is the only module that reads front matter (YAML stays here). Every
problem is reported with the line in the file, not in the YAML block, because
PyYAML only knows the latter: we compose the YAML ourselves and add the lines
before it.

The front matter is found with the same rule the blog plugin uses (MkDocs'
``YAML_RE`` in ``mkdocs/utils/meta.py``: a first line ``---``, then YAML, then
a line ``---`` or ``...``), and the values are held to the plugin's types
(``material/plugins/blog/structure/config.py``), so a file this module accepts
is a file the site build accepts. python-frontmatter's own rule is looser
(``----`` opens a block, ``...`` does not close one) and it strips the body,
which would shift every line number.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any, Literal

import yaml

from .config import PLATFORMS, Settings
from .errors import ContentError, Problem, Severity

# libyaml's parser is several times faster; fall back where it is missing.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """The safe loader, resolving each distinct plain scalar once per run.

    What YAML makes of a plain scalar depends only on its text (no path resolvers
    are registered), and posts repeat the same keys and many values, so the answer
    is remembered: a quarter of the parsing time on a thousand posts.
    """

    _resolved: dict[str, str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not yaml.ScalarNode:
            return _MAP if kind is yaml.MappingNode else _SEQ
        if not implicit[0]:
            if implicit[1]:
                return _STR  # quoted text
            # libyaml passes (False, False) only for an empty node tagged '!', which PyYAML's own
            # parser (the site's) reads as a plain scalar: null.
            implicit = (True, False)
        if not isinstance(value, str):
            return super().resolve(kind, value, implicit)
        tag = self._resolved.get(value)
        if tag is None:
            if len(self._resolved) > 50_000:  # a bound on memory for very large sites
                self._resolved.clear()
            tag = self._resolved[value] = super().resolve(kind, value, implicit)
        return tag


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def _value(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """What PyYAML's safe constructor makes of a node, without its machinery for the common shapes.

    Text, plain mappings and lists are built here; everything else (numbers, dates,
    merge keys, odd keys) goes to PyYAML, so the values are exactly the site's.
    """
    tag = node.tag
    if tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    if tag == _MAP and isinstance(node, yaml.MappingNode) and all(
            k.tag == _STR and isinstance(k, yaml.ScalarNode) for k, _ in node.value):
        return {k.value: _value(loader, v) for k, v in node.value}
    if tag == _SEQ and isinstance(node, yaml.SequenceNode):
        return [_value(loader, item) for item in node.value]
    return loader.construct_object(node, deep=True)


# Keys of the material blog plugin and MkDocs page meta
# (squidfunk/mkdocs-material: src/plugins/blog/structure/config.py), then ours.
BLOG_KEYS = ("title", "description", "date", "authors", "categories", "tags", "slug", "draft",
             "pin", "links", "readtime", "hide", "search", "status", "template", "subtitle", "icon")
OUR_KEYS = ("image", "image_alt", "reviewed_by", "last_reviewed", "social", "slides", "language")
KNOWN_KEYS = BLOG_KEYS + OUR_KEYS
SOCIAL_KEYS = ("hashtags", "skip", *PLATFORMS)
DATE_KEYS = ("created", "updated")
Day = date  # ``date`` is also a field of Article, which hides the type inside the class

# Search engines cut descriptions at about 160 characters
# (https://developers.google.com/search/docs/appearance/snippet#meta-descriptions).
DESCRIPTION_MAX = 160

# Keys whose values are not text, so YAML's reading of them is wanted.
_TYPED_KEYS = ("date", "draft", "pin", "readtime", "last_reviewed", "slides", "links", "hide", "search")
# Keys the blog plugin checks as text (``Type(str)``): a number there fails the site build.
_PLUGIN_TEXT = ("slug", "authors", "categories")

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
}
_OPEN = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_CLOSE_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_KEY_LINE = re.compile(r"(?P<indent>[ \t]*)(?P<key>[^\s:#][^:#]*?):[ \t]+(?P<value>.*)")


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
    last_reviewed: Day | None = None
    language: str = "en"
    social: Social = field(default_factory=Social)
    slides: Literal["auto", False] | tuple[SlideOutline, ...] = "auto"
    body: str = ""  # the Markdown after the closing '---' line, unchanged
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

    def __init__(self, path: Path, settings: Settings, now: datetime) -> None:
        self.path = path
        self.settings = settings
        self.now = now
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        self.cols: dict[str, int] = {}
        self.raw: dict[str, str] = {}  # key -> its value as written (plain scalars only)
        self.reported: set[str] = set()  # keys that already have a problem about their value
        self.text: str | None = None  # the file's text, newlines made '\n' (None until it is read as UTF-8)
        self._lines: list[str] | None = None
        self.offset = 1  # lines of the file before the YAML (the opening '---')

    @property
    def source_lines(self) -> list[str]:
        """The file's lines (split when a message needs one: most files never do)."""
        if self._lines is None:
            self._lines = self.text.split("\n") if self.text is not None else []
        return self._lines

    def problem(self, key_or_line: str | int, message: str, hint: str = "", *,
                severity: Severity = "error", code: str = "", col: int = 1) -> None:
        if isinstance(key_or_line, int):
            line = key_or_line
        else:
            self.reported.add(key_or_line)
            line = self.lines.get(key_or_line) or self.lines.get(key_or_line.partition(".")[0]) or 1
            col = self.cols.get(key_or_line, col)
        self.problems.append(Problem(path=self.path, line=line, col=col, severity=severity,
                                     message=message, hint=hint, code=code))

    # -- reading ---------------------------------------------------------------

    def read(self) -> Article | None:
        try:
            with open(self.path, "rb") as file:
                raw = file.read()
        except OSError as exc:
            self.problem(1, f"cannot read the file ({exc.strerror or exc})",
                         "Give the path of a Markdown post, e.g. content/blog/posts/my-post.md", code="unreadable")
            return None
        if not raw or raw.isspace():
            self.problem(1, "the file is empty", "Start it with front matter between two '---' lines; "
                         "'syndicate new \"Title\"' writes one for you", code="empty")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            col = exc.start - (before.rfind(b"\n") + 1) + 1
            self.problem(line, f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                         "Save it as UTF-8 in your editor (in Notepad: File, Save as, Encoding: UTF-8)",
                         code="encoding", col=col)
            return None
        # The site generator reads files with universal newlines: so do we.
        self.text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
        split = self._split()
        if split is None:
            return None
        fm_text, body, body_line = split
        data = self._parse_yaml(fm_text)
        if data is None:
            return None
        return self._build(data, body, body_line)

    def _split(self) -> tuple[str, str, int] | None:
        text = self.text or ""
        first = text.find("\n")
        if first != -1 and _OPEN.fullmatch(text, 0, first):
            # The usual file, found without splitting it into lines: the closing line, then the body after it.
            closing = _CLOSE_LINE.search(text, first + 1)
            if closing is not None and closing.end() < len(text):
                return text[first + 1:closing.start()] or "\n", text[closing.end() + 1:], \
                    text.count("\n", 0, closing.start()) + 2
        lines = self.source_lines
        if not _OPEN.fullmatch(lines[0]):
            first = next((i for i, line in enumerate(lines) if line.strip()), 0)
            if first and _OPEN.fullmatch(lines[first]):
                self.problem(first + 1, "the front matter must start on the first line",
                             f"Remove the {first} empty line{'s' * (first > 1)} above the first '---'",
                             code="no-front-matter")
            else:
                self.problem(1, "the file has no front matter",
                             "Start it with a '---' line, then title, description and date, "
                             "then another '---' line", code="no-front-matter")
            return None
        close = next((i for i in range(1, len(lines)) if _CLOSE.fullmatch(lines[i])), None)
        if close is None:
            self.problem(1, "the front matter is not closed",
                         "Add a line with only '---' after the last setting", code="unclosed")
            return None
        if close == len(lines) - 1:  # the blog plugin needs a line break after the closing line
            self.problem(close + 1, "the file ends right after the closing '---'",
                         "Add an empty line at the end of the file", code="unclosed")
            return None
        fm_text = "\n".join(lines[1:close]) + "\n"
        return fm_text, "\n".join(lines[close + 1:]), close + 2

    def _line(self, mark: Any) -> int:
        return self.offset + int(mark.line) + 1

    def _parse_yaml(self, fm_text: str) -> dict[str, Any] | None:
        quick = self._quick_yaml(fm_text)
        if quick is not None:
            return quick
        loader = _Loader(fm_text)
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            self._yaml_error(exc)
            return None
        except yaml.YAMLError as exc:  # a ReaderError: a character YAML refuses
            position = getattr(exc, "position", 0)
            line = fm_text.count("\n", 0, position) + self.offset + 1
            col = position - (fm_text.rfind("\n", 0, position) + 1) + 1
            char = getattr(exc, "character", None)
            what = f"U+{char:04X}" if isinstance(char, int) else "an invisible character"
            self.problem(line, f"the front matter contains a control character ({what})",
                         "Delete it and retype the text around it", code="yaml", col=col)
            return None
        except RecursionError:  # the pure-Python loader on absurdly deep nesting
            self.problem(self.offset + 1, "the front matter is nested too deeply",
                         "Write one 'key: value' per line", code="yaml")
            return None
        finally:
            loader.dispose()
        if node is None or (isinstance(node, yaml.ScalarNode) and node.value == "" and node.tag.endswith("null")):
            self.problem(self.offset, "the front matter is empty", "Add title, description and date",
                         code="empty")
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(self._line(node.start_mark),
                         "the front matter is not a list of 'key: value' lines",
                         "Write each setting as 'key: value', for example 'title: Flu shots'",
                         code="not-mapping")
            return None
        self._record_keys(node, "")
        if not self._check_nodes(node, fm_text):
            return None
        return self._construct(node, loader)

    def _quick_yaml(self, fm_text: str) -> dict[str, Any] | None:
        """Front matter of plain ``key: value`` lines read without PyYAML's node tree; None for anything else.

        Each value is quoted text, a plain word or few, or a one-line ``[list]`` of those;
        YAML's own resolver says what a plain value is. Whatever YAML could read another
        way, or would have something to say about (nesting, comments, anchors, escapes, a
        number where text is meant, a key given twice), is left to ``_parse_yaml``'s full
        reading. A property test holds the two readings to the same result.
        """
        data: dict[str, Any] = {}
        lines: dict[str, int] = {}
        cols: dict[str, int] = {}
        raw: dict[str, str] = {}
        group: dict[str, Any] | None = None  # the settings under a 'key:' line ('social:', 'date:'), while they go on
        prefix, indent, typed = "", 0, False
        line = self.offset
        for text in fm_text.split("\n")[:-1]:  # the block ends with a line break
            line += 1
            if not text.isprintable():
                return None
            if group is not None and text[:1] == " ":
                lead = len(text) - len(text.lstrip(" "))
                indent = indent or lead  # the first line under the key sets the indentation of the rest
                match = _QUICK_LINE.fullmatch(text, lead) if lead == indent else None
                if match is None:
                    return None
                into, name, col = group, prefix + match.group(1), indent + 1
            else:
                if group is not None and not group:
                    return None  # 'key:' with nothing under it: YAML's null, for the full reading to judge
                group = None
                match = _QUICK_LINE.fullmatch(text)
                if match is None:
                    match = _QUICK_GROUP.fullmatch(text)
                    if match is None or match.group(1) in data or _plain_tag(match.group(1)) != _STR:
                        return None
                    key = match.group(1)
                    group = data[key] = {}
                    prefix, indent, typed = key + ".", 0, key in _TYPED_KEYS
                    lines[key], cols[key] = line, 1
                    continue
                into, name, col = data, match.group(1), 1
                typed = name in _TYPED_KEYS
            key, written = match.groups()
            if key in into or _plain_tag(key) != _STR:
                return None
            value = _quick_value(written, typed)
            if value is _NOT_QUICK:
                return None
            if written[0] not in "\"'[":
                raw[name] = written
            into[key] = value
            lines[name], cols[name] = line, col
        if not data or (group is not None and not group):
            return None
        self.lines.update(lines)
        self.cols.update(cols)
        self.raw.update(raw)
        return data

    def _yaml_error(self, exc: yaml.MarkedYAMLError) -> None:
        problem = (exc.problem or "").strip()
        context = (exc.context or "").strip()
        mark = exc.problem_mark or exc.context_mark
        if "end of stream" in problem and exc.context_mark is not None:
            mark = exc.context_mark  # where the unclosed thing started, not the end of the block
        elif "expected ':'" in problem and exc.context_mark is not None:
            mark = exc.context_mark
        line = self._line(mark) if mark else self.offset + 1
        col = mark.column + 1 if mark else 1
        text = self.source_lines[line - 1] if 0 < line <= len(self.source_lines) else ""
        message, hint = _explain_yaml(problem, context, text, col)
        self.problem(line, f"the front matter is not valid YAML: {message}", hint, code="yaml", col=col)

    def _check_nodes(self, root: yaml.MappingNode, fm_text: str) -> bool:
        """One pass over every node: refuse tags such as ``!!python/object`` (never constructed) and
        aliases (``*name``), and say what YAML 1.1 made of text that reads as a number, date or yes/no.
        """
        ok = True
        aliases = "*" in fm_text  # without a '*' there is no alias, and no need to remember nodes
        seen: set[int] = set()
        stack: list[tuple[yaml.Node, str, bool, bool]] = [(root, "", False, False)]  # node, key, in list, typed
        while stack:
            node, key, in_list, typed = stack.pop()
            if aliases:
                if id(node) in seen:
                    self.problem(self._line(node.start_mark), "YAML aliases ('&name' and '*name') are not "
                                 "allowed in front matter", "Write the value out in full", code="yaml-alias",
                                 col=node.start_mark.column + 1)
                    ok = False
                    continue
                seen.add(id(node))
            tag = node.tag
            if tag == _STR:  # most values: nothing more to look at
                continue
            if tag not in _STANDARD_TAGS:
                self.problem(self._line(node.start_mark),
                             f"the YAML tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed in "
                             "front matter", "Remove the tag and write a plain value", code="yaml-tag",
                             col=node.start_mark.column + 1)
                ok = False
            elif isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.tag != _STR or aliases:
                        stack.append((k, key, False, True))  # a key: only its tag and aliases matter
                    child = f"{key}.{k.value}" if key else str(k.value)
                    # Keys whose values are not text (date, draft, ...): YAML's reading is wanted there.
                    stack.append((v, child, False, typed or (not key and child in _TYPED_KEYS)))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((item, key, True, typed) for item in node.value)
            elif not typed and isinstance(node, yaml.ScalarNode):
                self._trap(node, key, in_list)
        return ok

    def _record_keys(self, node: yaml.MappingNode, prefix: str) -> None:
        """Remember each key's line; report keys given twice (YAML would silently keep the last)."""
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.problem(self._line(key.start_mark), "a key must be a plain word",
                             "Write 'key: value'", code="yaml", col=key.start_mark.column + 1)
                continue
            name = prefix + str(key.value)
            line = self._line(key.start_mark)
            if name in self.lines:
                self.problems.append(Problem(
                    path=self.path, line=line, col=key.start_mark.column + 1, code="duplicate-key",
                    message=f"'{key.value}' is set twice (also on line {self.lines[name]})",
                    hint="Keep one of them: the site would silently use the last"))
                continue
            self.lines[name] = line
            self.cols[name] = key.start_mark.column + 1
            if isinstance(value, yaml.ScalarNode) and not value.style:  # plain: None, or '' from libyaml
                self.raw[name] = value.value
            if isinstance(value, yaml.MappingNode) and not prefix:
                self._record_keys(value, name + ".")

    def _trap(self, node: yaml.ScalarNode, key: str, in_list: bool) -> None:
        tag = node.tag.rsplit(":", 1)[-1]
        if node.style or tag in ("str", "null"):  # quoted or block text, or plain text
            if tag == "null" and node.value == "" and not in_list:
                self._comment_trap(node, key)
            return
        raw = node.value
        name = key.rpartition(".")[2] or key
        quote = f'Quote it: "{raw}"' if in_list else f'Quote it: {name}: "{raw}"'
        subject = f"an item of '{name}'" if in_list else f"'{name}'"
        try:  # a plain scalar: safe to read, and read as the site reads it
            value = yaml.load(raw, Loader=_Loader)
        except Exception:  # noqa: BLE001 - e.g. 2026-02-30: reported when the value is built
            return
        if tag == "int" and re.fullmatch(r"[-+]?\d+(:[0-5]?\d)+", raw):
            why = f"{subject} was read as the number {value} (YAML reads {raw} as minutes and seconds)"
        elif tag == "int" and re.fullmatch(r"[-+]?0[0-7_]+", raw):
            why = f"{subject} was read as the number {value} (YAML reads {raw} as octal)"
        elif tag in ("int", "float") and str(value) != raw:
            why = f"{subject} was read as the number {value} (YAML reads {raw} as a number)"
        elif tag == "bool":
            why = f"{subject} was read as {str(value).lower()} (YAML reads {raw} as a yes/no value)"
        elif tag == "timestamp":
            why = f"{subject} was read as a date, not as text"
        elif key.partition(".")[0] in _PLUGIN_TEXT:
            why = f"{subject} was read as the number {raw}; the blog needs text here"
        else:
            return  # a plain number that reads back the same: used as text
        self.problem(self._line(node.start_mark), why, quote, code="yaml-trap", col=node.start_mark.column + 1)
        self.reported.add(key)

    def _comment_trap(self, node: yaml.ScalarNode, key: str) -> None:
        """``title: #1 tip`` is an empty title: YAML starts a comment at '#'."""
        line = self._line(node.start_mark)
        match = _KEY_LINE.fullmatch(self.source_lines[line - 1]) if line <= len(self.source_lines) else None
        if match and match.group("value").startswith("#"):
            value = match.group("value").replace('"', '\\"')
            self.problem(line, f"'{key.rpartition('.')[2]}' is empty because YAML reads '#' as the start "
                         "of a comment", f'Quote it: {match.group("key")}: "{value}"', code="yaml-trap")
            self.reported.add(key)

    def _construct(self, root: yaml.MappingNode, loader: yaml.SafeLoader) -> dict[str, Any]:
        """Build the Python values; when that fails, key by key, so one bad value names its own line."""
        if not self.reported:
            try:
                whole = _value(loader, root)
            except Exception:  # noqa: BLE001 - located below, key by key
                pass
            else:
                if isinstance(whole, dict):
                    return {str(k): v for k, v in whole.items()}
        data: dict[str, Any] = {}
        for key, value in root.value:
            if not isinstance(key, yaml.ScalarNode) or str(key.value) in data:
                continue
            name = str(key.value)
            if any(k == name or k.startswith(name + ".") for k in self.reported):
                continue  # the trap check has said what YAML made of it
            try:  # a fresh loader: a failed attempt above leaves PyYAML's bookkeeping behind
                data[name] = _Loader("").construct_document(value)
            # PyYAML's constructors raise whatever the conversion raises (ValueError for
            # 2026-02-30, KeyError for '!!bool maybe', ...): all of it is a mistake in the file.
            except Exception as exc:  # noqa: BLE001
                reason = getattr(exc, "problem", None) or (str(exc) if isinstance(exc, ValueError) else "")
                what = "a real date" if value.tag.endswith("timestamp") else "a valid value"
                self.problem(name, f"'{name}' is not {what}" + (f" ({reason.strip()})" if reason else ""),
                             f"Check the value of '{name}'; quote it if it is text", code="yaml")
        return data

    # -- validating -----------------------------------------------------------

    def _build(self, data: dict[str, Any], body: str, body_line: int) -> Article | None:
        for key in data:
            if key not in KNOWN_KEYS:
                self._unknown(key, KNOWN_KEYS, "front matter key")
        title = self._text(data, "title", required=True)
        description = self._text(data, "description", required=True)
        if description and re.match(r"TODO\b", description):  # left from 'syndicate new' ("Todos" is Spanish)
            self.problem("description", "the description still starts with TODO",
                         "Replace it with one or two sentences that tell a patient what they will learn",
                         code="todo")
        elif description and len(description) > DESCRIPTION_MAX:
            self.problem("description", f"the description is {len(description)} characters; "
                         f"search results show about {DESCRIPTION_MAX}",
                         f"Shorten it to one or two sentences under {DESCRIPTION_MAX} characters",
                         severity="warning", code="description-long")
        created, updated = self._dates(data)
        authors = self._list(data, "authors")
        for name in authors:
            self._known_author(name, "authors")
        if "authors" not in data and "authors" not in self.reported and self.settings.authors:
            self.problem(1, "no 'authors'", "Add the writer's key from "
                         f"{self.settings.authors_path.name}, e.g. authors: [{next(iter(self.settings.authors))}]",
                         code="authors-missing")
        categories = self._list(data, "categories")
        allowed = self.settings.categories_allowed
        for category in categories:
            if allowed and category not in allowed:
                close = _close(category, allowed, n=1)
                hint = f"Did you mean '{close[0]}'?" if close else "Use one of: " + ", ".join(allowed)
                self.problem("categories", f"the category '{category}' is not in categories_allowed "
                             "in mkdocs.yml", hint, code="category")
        tags = self._list(data, "tags")
        slug = self._text(data, "slug")
        draft = self._bool(data, "draft")
        self._bool(data, "pin")
        readtime = data.get("readtime")
        if readtime is not None and (isinstance(readtime, bool) or not isinstance(readtime, int)):
            self._type_problem("readtime", readtime, "a whole number of minutes", "readtime: 5")
        image = self._text(data, "image")
        image_alt = self._text(data, "image_alt")
        if image and not image_alt and "image_alt" not in self.reported:
            self.problem("image", "the image has no alt text",
                         "Add image_alt: a short description of the picture for people who cannot see it",
                         code="image-alt")
        reviewed_by = self._text(data, "reviewed_by")
        if reviewed_by:
            self._known_author(reviewed_by, "reviewed_by")
        last_reviewed = self._day(data, "last_reviewed")
        if last_reviewed is not None:
            tz = self.settings.practice.timezone
            if last_reviewed > self.now.astimezone(tz).date():
                self.problem("last_reviewed", f"last_reviewed {last_reviewed} is in the future",
                             "Use the date the review actually happened", code="review-date")
            elif created is not None and last_reviewed < created.astimezone(tz).date():
                self.problem("last_reviewed", f"last_reviewed {last_reviewed} is before the article's "
                             f"date {created.astimezone(tz).date()}",
                             "A review cannot happen before the article was written: check both dates",
                             code="review-date")
        language = self._text(data, "language") or self.settings.practice.language
        social = self._social(data.get("social"))
        slides = self._slides(data.get("slides", "auto"))
        if any(p.severity == "error" for p in self.problems):
            return None
        if not (title and description and created):  # pragma: no cover - each has reported an error
            return None
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
        close = _close(short, known, n=1) or \
            _close(short.lower(), known, n=1)
        hint = f"Did you mean '{close[0]}'?" if close else "Known keys: " + ", ".join(known)
        self.problem(key, f"unknown {what} '{short}'", hint, code="unknown-key")

    def _known_author(self, name: str, key: str) -> None:
        authors = self.settings.authors
        if name in authors:
            return
        close = _close(name, list(authors), n=1)
        if close:
            hint = f"Did you mean '{close[0]}'?"
        elif authors:
            hint = f"Add '{name}' to {self.settings.authors_path.name}, or use one of: " + ", ".join(authors)
        else:
            hint = f"Add '{name}' to {self.settings.authors_path.name} (there is no such file yet)"
        self.problem(key, f"'{name}' is not in the authors file", hint, code="author")

    def _type_problem(self, key: str, value: Any, wanted: str, example: str) -> None:
        if key not in self.reported:
            self.problem(key, f"'{key.rpartition('.')[2]}' must be {wanted}, not {_kind(value)}",
                         f"Write {example}", code="type")

    def _text(self, data: Mapping[str, Any], key: str, *, required: bool = False,
              prefix: str = "") -> str | None:
        value = data.get(key)
        where = prefix + key
        if where in self.reported:
            return None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                missing = key not in data and where not in self.lines
                self.problem(where if where in self.lines else 1,
                             f"'{key}' is missing" if missing else f"'{key}' is empty",
                             f"Add a line '{key}: …' to the front matter" if missing
                             else f"Write the {key} after '{key}:'", code="required")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # a plain number that reads back the same (the trap check said if not)
        if not isinstance(value, str):
            self._type_problem(where, value, "text", f'{key}: "…"')
            return None
        return value.strip()

    def _list(self, data: Mapping[str, Any], key: str, *, prefix: str = "") -> list[str]:
        value = data.get(key)
        where = prefix + key
        if value is None or where in self.reported:
            return []
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            self.problem(where, f"'{key}' must be a list", f"Write {key}: [{value}]", code="type")
            return []
        if not isinstance(value, list):
            self._type_problem(where, value, "a list", f"{key}: [first, second]")
            return []
        items = []
        for item in value:
            if isinstance(item, bool) or item is None or isinstance(item, (dict, list, date)):
                self.problem(where, f"each item of '{key}' must be text, not {_kind(item)}",
                             "Quote the item", code="type")
                continue
            items.append(str(item).strip())
        return items

    def _bool(self, data: Mapping[str, Any], key: str) -> bool | None:
        value = data.get(key)
        if value is None or isinstance(value, bool):
            return value
        self._type_problem(key, value, "true or false", f"{key}: true or {key}: false")
        return None

    def _to_datetime(self, value: Any, key: str) -> datetime | None:
        """The blog plugin's dates: a YAML date or date-time, never text; made aware here."""
        tz = self.settings.practice.timezone
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=tz)
        if isinstance(value, date):
            return datetime.combine(value, time(), tzinfo=tz)
        name = key.rpartition(".")[2]
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                written = parsed.isoformat() if re.search(r"[T ]\d", value.strip()) else parsed.date().isoformat()
                self.problem(key, f"'{key}' is text, not a date: the blog reads only a date without quotes, "
                             "with seconds if it has a time", f"Write {name}: {written}", code="date")
                return None
        self.problem(key, f"'{key}' is not a date: {self.raw.get(key, value)}",
                     f"Write it as {name}: 2026-11-02 (year-month-day)", code="date")
        return None

    def _dates(self, data: Mapping[str, Any]) -> tuple[datetime | None, datetime | None]:
        value = data.get("date")
        if "date" in self.reported:
            return None, None
        if value is None:
            missing = "date" not in data
            self.problem("date" if "date" in self.lines else 1, "'date' is missing" if missing else "'date' is empty",
                         "Add the publishing date, e.g. date: 2026-11-02", code="required")
            return None, None
        if isinstance(value, dict):
            for sub in value:
                if sub not in DATE_KEYS:
                    self._unknown(f"date.{sub}", DATE_KEYS, "date key")
            if value.get("created") is None:
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
        if value is None or key in self.reported:
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
        self.problem(key, f"'{key}' is not a date: {self.raw.get(key, value)}",
                     f"Write it as {key}: 2026-10-28 (year-month-day)", code="date")
        return None

    def _social(self, value: Any) -> Social:
        if value is None or "social" in self.reported:
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
        for name in sorted(skip):
            if name not in PLATFORMS:
                close = _close(name, PLATFORMS, n=1)
                hint = f"Did you mean '{close[0]}'?" if close else "Use one of: " + ", ".join(PLATFORMS)
                self.problem("social.skip", f"unknown platform '{name}' in skip", hint, code="platform")
        return Social(hashtags=hashtags, texts=texts, skip=skip)

    def _slides(self, value: Any) -> Literal["auto", False] | tuple[SlideOutline, ...]:
        if value is True or value is None or (isinstance(value, str) and value == "auto"):
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
        self.problem("slides", f"'slides' must be auto, false or a list of slides, not {self.raw.get('slides', value)}",
                     "Write slides: auto, or slides: false to turn them off", code="slides")
        return "auto"


# The front matter _quick_yaml reads: 'key: value' lines, nothing indented but the settings under a key,
# and only printable characters (str.isprintable: no tabs, no control characters, no BOM, none of YAML
# 1.1's own line breaks U+0085, U+2028 and U+2029; no other character YAML refuses either).
_QUICK_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): +(\S.*?) *")
_QUICK_GROUP = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*): *")
# Plain values that start with a letter or digit (no indicator: '-', '[', '&', '*', '!', '#', ...) and hold
# no ': ', no ' #' and no line end after ':'; in a [list], no ',', ':' or brackets either.
_QUICK_PLAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 .,_/+()'?!-]|:(?=[^ ]))*")
_QUICK_FLOW_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/+()'?!-]*")
_QUICK_QUOTED = re.compile(r'"[^"\\]*"|\'[^\']*\'')
_NOT_QUICK = object()
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_RESOLVER = _Loader("")  # resolves plain scalars (and builds dates, numbers, yes/no) as the full reading does
_BUILT: dict[tuple[str, str], Any] = {}  # (tag, text) -> value: dates and numbers recur from post to post


_TAGS: dict[str, str] = {}  # plain text -> its tag: posts repeat keys and many values


def _plain_tag(text: str) -> str:
    tag = _TAGS.get(text)
    if tag is None:
        resolvers = _Loader.yaml_implicit_resolvers
        if text[:1] not in resolvers and None not in resolvers:
            return _STR  # PyYAML picks resolvers by the first character: none looks at this text
        if len(_TAGS) > 50_000:  # a bound on memory for very large sites
            _TAGS.clear()
        tag = _TAGS[text] = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    return tag


def _quick_value(written: str, typed: bool) -> Any:
    """The value after 'key: ' as YAML builds it, or ``_NOT_QUICK`` when the full reading must decide."""
    if written[0] != "[":
        return _quick_scalar(written, _QUICK_PLAIN, typed)
    if written[-1] != "]":
        return _NOT_QUICK
    items = written[1:-1]
    value: list[Any] = []
    if items.strip(" "):
        for item in items.split(","):
            found = _quick_scalar(item.strip(" "), _QUICK_FLOW_PLAIN, typed)
            if found is _NOT_QUICK:
                return _NOT_QUICK
            value.append(found)
    return value


def _quick_scalar(written: str, plain: re.Pattern[str], typed: bool) -> Any:
    """The value of one scalar as YAML builds it, or ``_NOT_QUICK`` when the full reading must decide."""
    if not written:
        return _NOT_QUICK
    if written[0] in "\"'":
        return written[1:-1] if _QUICK_QUOTED.fullmatch(written) else _NOT_QUICK
    if not plain.fullmatch(written):
        return _NOT_QUICK
    tag = _plain_tag(written)
    if tag == _STR:
        return written
    if not typed:
        return _NOT_QUICK  # '9:30', 'no', '01234' where text is meant: the full reading explains it
    if tag == _TIMESTAMP and _PLAIN_DATE.fullmatch(written):
        try:  # what PyYAML builds for a day without a time: date(year, month, day)
            return date.fromisoformat(written)
        except ValueError:  # 2026-02-30: the full reading names the problem
            return _NOT_QUICK
    key = (tag, written)
    if key not in _BUILT:
        try:
            value = _RESOLVER.construct_object(yaml.ScalarNode(tag, written), deep=True)
        except Exception:  # noqa: BLE001 - e.g. 2026-02-30: the full reading names the problem
            return _NOT_QUICK
        finally:
            _RESOLVER.constructed_objects.clear()
        if len(_BUILT) > 50_000:  # a bound on memory for very large sites
            _BUILT.clear()
        _BUILT[key] = value
    return _BUILT[key]


def _explain_yaml(problem: str, context: str, text: str, col: int) -> tuple[str, str]:
    """PyYAML's wording, said for a person editing a text file, with the fix."""
    match = _KEY_LINE.fullmatch(text)
    if "mapping values are not allowed" in problem:
        if match and not match.group("indent") and col - 1 > match.end("key"):
            value = match.group("value").strip().replace('"', '\\"')
            return "a value has ':' in it", f'Put it in quotes: {match.group("key")}: "{value}"'
        return "this line is indented, or has a second ':'", \
            "Start each setting at the beginning of the line, and quote values that contain ': '"
    if "tab" in problem or "'\\t'" in problem:
        return "a tab is used to indent", "Indent with spaces, not tabs"
    if "end of stream" in problem and "quoted" in context:
        return "a quote is opened but never closed", "Add the closing quote at the end of the value"
    if "expected ':'" in problem:
        return "this line is not 'key: value'", "Add ': ' after the key, or join the line to the one above"
    char = text[col - 1] if 0 < col <= len(text) else ""
    if char == "\t":
        return "a tab is used to indent", "Indent with spaces, not tabs"
    if "cannot start any token" in problem or "scanning an alias" in context:
        return f"a value cannot start with '{char or problem}'", "Put the value in quotes"
    if "escape" in problem or "hexdecimal" in problem:
        return "a backslash inside double quotes starts an escape code", \
            "Use single quotes around the value, or write two backslashes"
    if "expected ',' or ']'" in problem:
        return "a list in [ ] is not closed", "Close it with ']' on the same line"
    if "expected ',' or '}'" in problem:
        return "a group in { } is not closed", "Close it with '}', or quote the value if the '{' is text"
    if "expected key" in problem:
        return "there is text after a closing quote", "Put the whole value inside the quotes"
    if "undefined alias" in problem:
        return "'*' starts a YAML alias", "Put the value in quotes"
    return problem or "it does not parse", "Check the indentation, and quote values that contain ':' or '#'"


def _close(word: str, choices: Any, n: int = 1) -> list[str]:
    import difflib  # noqa: PLC0415 - needed only to suggest a fix: most runs never do

    return difflib.get_close_matches(word, list(choices), n=n)


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
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _src_uri(path: Path, settings: Settings) -> str:
    docs = str(settings.docs_dir) + os.sep
    if str(path).startswith(docs):  # as written: no file system calls, no path objects
        return str(path)[len(docs):].replace(os.sep, "/")
    try:
        return path.resolve().relative_to(settings.docs_dir.resolve()).as_posix()
    except ValueError:
        return path.name


def read_article(path: Path, settings: Settings, *, now: datetime | None = None
                 ) -> tuple[Article | None, list[Problem]]:
    """Load one post, returning the article (None when it has errors) and every problem found.

    Never raises: every mistake in the file comes back as a ``Problem``.
    """
    article, problems, _ = read_post(path, settings, now=now)
    return article, problems


def read_post(path: Path, settings: Settings, *, now: datetime | None = None
              ) -> tuple[Article | None, list[Problem], str | None]:
    """``read_article``, plus the file's text with newlines made '\\n' (None when it is not UTF-8 text).

    For checks that read the text itself (privacy, images in the body), even of a broken article.
    """
    path = path if isinstance(path, Path) and path.is_absolute() else Path(os.path.abspath(path))
    reader = _Reader(path, settings, now or now_utc())
    article = reader.read()
    return article, sorted(reader.problems), reader.text


def load_article(path: Path, settings: Settings, *, now: datetime | None = None) -> Article:
    """Load one post or raise ``ContentError`` listing all of its errors."""
    article, problems = read_article(path, settings, now=now)
    if article is None:
        raise ContentError(problems)
    return article


def post_paths(settings: Settings) -> list[Path]:
    """Every Markdown post under the blog's posts folder, sorted."""
    # By their parts, as paths sort, without a Python comparison per pair (a thousand posts: ten thousand).
    return sorted(settings.posts_dir.rglob("*.md"), key=lambda path: path.parts)


def load_articles(settings: Settings, paths: list[Path] | None = None, *,
                  now: datetime | None = None) -> list[Article]:
    """Load every post (or the given ones); raise ``ContentError`` with all errors of all files."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for path in paths if paths is not None else post_paths(settings):
        article, found = read_article(path, settings, now=now)
        problems.extend(p for p in found if p.severity == "error")
        if article is not None:
            articles.append(article)
    if problems:
        raise ContentError(problems)
    return articles


def now_utc() -> datetime:
    """The current time, timezone-aware (tests replace the clock through the CLI's --now)."""
    return datetime.now(UTC)
