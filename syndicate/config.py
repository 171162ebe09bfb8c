"""Settings read from ``mkdocs.yml`` and ``.authors.yml``, validated with clear errors.

``mkdocs.yml`` is the one configuration file: the site generator reads it, the
templates read ``extra:``, and this module reads the same file so that the
practice's details are written once.

A provider (an author or medical reviewer) is written in two places, each
fact once: ``.authors.yml`` holds the blog's keys (name, description, avatar,
url), and ``extra.providers.<key>`` in ``mkdocs.yml`` holds ours (credentials,
job title, Mastodon handle, profiles). Zensical refuses any other key in
``.authors.yml``, and templates in both engines can read ``config.extra``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import ConfigError

PLATFORMS = (
    "x",
    "bluesky",
    "mastodon",
    "threads",
    "linkedin",
    "facebook",
    "instagram",
    "pinterest",
    "google_business",
)


# libyaml's parser when present: ten times faster on mkdocs.yml, which every command reads.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _MkDocsLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe loader that reads tags MkDocs understands (``!ENV``, ``!!python/name``) as plain values."""


def _tagged_value(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_MkDocsLoader.add_multi_constructor("!", _tagged_value)
_MkDocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged_value)


@dataclass(frozen=True, kw_only=True)
class Author:
    """One provider: the blog's keys from ``.authors.yml``, ours from ``extra.providers`` in ``mkdocs.yml``."""

    key: str
    name: str
    description: str = ""
    avatar: str = ""
    url: str = ""
    # Ours, from extra.providers.<key>: shown in bylines and JSON-LD.
    credentials: str = ""  # "DDS", "MD, FAAP"
    job_title: str = ""
    mastodon: str = ""  # "@name@instance.example", for fediverse:creator
    same_as: tuple[str, ...] = ()  # profile URLs


# Keys of an author in .authors.yml: the blog plugin's
# (material/plugins/blog/author.py) and Zensical 0.0.73's, which adds email.
# The blog plugin lets other keys through; Zensical stops the build on them.
AUTHOR_FILE_KEYS = ("name", "description", "avatar", "url", "slug", "email")
# Keys of extra.providers.<key> in mkdocs.yml. name and url are read there only
# by templates under Zensical, which gives them no list of all authors (to name
# a reviewer who is not a writer of the page); when given they must repeat
# .authors.yml exactly.
PROVIDER_KEYS = ("credentials", "job_title", "mastodon", "same_as", "name", "url")


@dataclass(frozen=True, kw_only=True)
class Practice:
    """The practice's details from ``extra.practice``."""

    name: str
    type: str = "MedicalClinic"
    specialty: str = ""
    timezone: ZoneInfo
    language: str = "en"
    address: Mapping[str, str] = field(default_factory=dict)
    phone: str = ""
    phone_display: str = ""
    email: str = ""
    booking_url: str = ""
    review_url: str = ""
    handles: Mapping[str, str] = field(default_factory=dict)
    colors: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the syndicate package needs to know about one practice blog."""

    root: Path
    config_path: Path
    site_name: str
    site_url: str  # always ends with "/"
    docs_dir: Path
    site_dir: Path
    blog_dir: str
    post_dir: str
    categories_allowed: tuple[str, ...]
    practice: Practice
    authors: Mapping[str, Author]
    authors_path: Path
    syndication: Mapping[str, Any]
    raw: Mapping[str, Any]

    @property
    def posts_dir(self) -> Path:
        """The folder that holds the blog posts."""
        return self.docs_dir / self.post_dir

    def platform_settings(self, name: str) -> Mapping[str, Any]:
        """The ``extra.syndication.platforms.<name>`` block (empty when not configured)."""
        platforms = self.syndication.get("platforms") or {}
        value = platforms.get(name)
        return value if isinstance(value, Mapping) else {}

    @property
    def enabled_platforms(self) -> tuple[str, ...]:
        """Platforms listed under ``extra.syndication.platforms`` and not ``enabled: false``."""
        platforms = self.syndication.get("platforms") or {}
        return tuple(
            name
            for name in PLATFORMS
            if name in platforms and (platforms[name] or {}).get("enabled", True) is not False
        )


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path.name} not found", path=path,
                          hint="Run the command from the folder that holds mkdocs.yml, or pass --config") from None
    except OSError as exc:  # a folder, or no permission to read it
        raise ConfigError(f"cannot read {path.name} ({exc.strerror or exc})", path=path,
                          hint="Give the path of the site's mkdocs.yml with --config") from None
    except UnicodeDecodeError as exc:
        raise ConfigError("the file is not UTF-8 text", path=path,
                          hint="Save it as UTF-8 in your editor") from exc
    try:
        return yaml.load(text, Loader=_MkDocsLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 1
        raise ConfigError(f"the YAML does not parse: {exc.problem}", path=path, line=line,
                          hint="Check the indentation and quoting on that line") from None
    except yaml.YAMLError as exc:  # a character YAML refuses (a ReaderError has a position, no mark)
        line = text.count("\n", 0, getattr(exc, "position", 0)) + 1
        raise ConfigError("the file contains a character YAML does not allow", path=path, line=line,
                          hint="Delete invisible characters on that line and retype it") from None


def key_lines(text: str) -> dict[str, int]:
    """The line of every mapping key of a YAML text, by dotted path ("extra.providers.drlee")."""
    try:
        root = yaml.compose(text, Loader=_MkDocsLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    stack: list[tuple[str, Any]] = [("", root)]
    while stack:
        prefix, node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    lines[prefix + key.value] = key.start_mark.line + 1
                    stack.append((f"{prefix}{key.value}.", value))
    return lines


def _line(path: Path, dotted: str) -> int | None:
    """The line of ``dotted`` in the YAML file at ``path`` (of its nearest parent when absent)."""
    try:
        lines = key_lines(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
    while dotted:
        if dotted in lines:
            return lines[dotted]
        dotted = dotted.rpartition(".")[0]
    return None


def _unknown_key(key: str, known: tuple[str, ...]) -> str:
    import difflib  # noqa: PLC0415 - only a mistake needs it: every command reads these settings

    close = difflib.get_close_matches(key, known, n=1)
    return f"Did you mean '{close[0]}'?" if close else "Known keys: " + ", ".join(known)


def _load_authors(path: Path) -> dict[str, dict[str, Any]]:
    """The providers of ``.authors.yml``, checked for keys Zensical would refuse."""
    if not path.exists():
        return {}
    data = _read_yaml(path) or {}
    entries = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise ConfigError("expected an 'authors:' mapping of keys to providers", path=path,
                          hint="See the sample content/blog/.authors.yml")
    authors = {}
    for key, value in entries.items():
        if not isinstance(value, dict) or not isinstance(value.get("name"), str):
            raise ConfigError(f"author '{key}' needs at least a name", path=path, line=_line(path, f"authors.{key}"),
                              hint=f"Add '    name: Dr. …' under '  {key}:'")
        for extra in value:
            if extra in AUTHOR_FILE_KEYS:
                continue
            line = _line(path, f"authors.{key}.{extra}")
            if extra in PROVIDER_KEYS:
                raise ConfigError(f"'{extra}' of author '{key}' belongs in mkdocs.yml, not here "
                                  "(Zensical refuses it in this file)", path=path, line=line,
                                  hint=f"Move it under extra.providers.{key} in mkdocs.yml")
            raise ConfigError(f"unknown key '{extra}' for author '{key}'", path=path, line=line,
                              hint=_unknown_key(str(extra), AUTHOR_FILE_KEYS + PROVIDER_KEYS))
        authors[str(key)] = value
    return authors


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _merge_providers(authors: Mapping[str, Mapping[str, Any]], raw: Mapping[str, Any], config_path: Path,
                     authors_path: Path) -> dict[str, Author]:
    """Each author of ``.authors.yml`` with what ``extra.providers`` in mkdocs.yml says about them."""
    providers = (raw.get("extra") or {}).get("providers") or {}

    def error(dotted: str, message: str, hint: str) -> ConfigError:
        return ConfigError(message, path=config_path, line=_line(config_path, dotted), hint=hint)

    if not isinstance(providers, Mapping):
        raise error("extra.providers", "'extra.providers' must be a mapping of author keys to their details",
                    "Indent each author's key (as in .authors.yml) under it")
    for key, value in providers.items():
        where = f"extra.providers.{key}"
        if key not in authors:
            import difflib  # noqa: PLC0415 - only a mistake needs it

            known = list(authors)
            close = difflib.get_close_matches(str(key), known, n=1)
            raise error(where, f"'{key}' under extra.providers is not an author in {authors_path.name}",
                        f"Did you mean '{close[0]}'?" if close else
                        f"Use a key of {authors_path.name} ({', '.join(known) or 'none yet'}), "
                        f"or add '{key}' there with a name")
        if not isinstance(value, Mapping):
            raise error(where, f"extra.providers.{key} must be a mapping of details",
                        "Indent credentials, job_title, mastodon and same_as under it")
        for name in value:
            if name not in PROVIDER_KEYS:
                raise error(f"{where}.{name}", f"unknown key '{name}' under extra.providers.{key}",
                            _unknown_key(str(name), PROVIDER_KEYS))
        for name in ("name", "url"):
            given, written = _text(value.get(name)), _text(authors[key].get(name))
            if given and given != written:
                raise error(f"{where}.{name}", f"extra.providers.{key}.{name} is '{given}' but "
                            f"{authors_path.name} says '{written}'",
                            f"Write the same {name} in both files (or delete it here)")
        same_as = value.get("same_as")
        if same_as is not None and (isinstance(same_as, str) or not isinstance(same_as, list)):
            raise error(f"{where}.same_as", f"extra.providers.{key}.same_as must be a list of web addresses",
                        "Write each address on its own line under it, starting with '- '")
    merged = {}
    for key, blog in authors.items():
        ours = providers.get(key) or {}
        merged[key] = Author(
            key=key,
            name=blog["name"],
            description=_text(blog.get("description")),
            avatar=_text(blog.get("avatar")),
            url=_text(blog.get("url")),
            credentials=_text(ours.get("credentials")),
            job_title=_text(ours.get("job_title")),
            mastodon=_text(ours.get("mastodon")),
            same_as=tuple(str(u) for u in ours.get("same_as") or ()),
        )
    return merged


def _blog_plugin(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    for entry in raw.get("plugins") or []:
        if entry == "blog":
            return {}
        if isinstance(entry, Mapping) and "blog" in entry:
            return entry["blog"] or {}
    return {}


def _practice(raw: Mapping[str, Any], path: Path) -> Practice:
    extra = raw.get("extra") or {}
    data = extra.get("practice") or {}
    if not isinstance(data, Mapping):
        raise ConfigError("'extra.practice' must be a mapping", path=path)
    tz_name = str(data.get("timezone") or "UTC")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone '{tz_name}' in extra.practice.timezone", path=path,
                          hint="Use a name like America/Chicago or Europe/London") from None
    return Practice(
        name=str(data.get("name") or raw.get("site_name") or ""),
        type=str(data.get("type") or "MedicalClinic"),
        specialty=str(data.get("specialty") or ""),
        timezone=tz,
        language=str(data.get("language") or "en"),
        address=dict(data.get("address") or {}),
        phone=str(data.get("phone") or ""),
        phone_display=str(data.get("phone_display") or data.get("phone") or ""),
        email=str(data.get("email") or ""),
        booking_url=str(data.get("booking_url") or ""),
        review_url=str(data.get("review_url") or ""),
        handles={k: str(v) for k, v in (data.get("handles") or {}).items()},
        colors={k: str(v) for k, v in (data.get("colors") or {}).items()},
    )


@functools.lru_cache(maxsize=8)
def _load(config_path: Path) -> Settings:
    raw = _read_yaml(config_path)
    if not isinstance(raw, dict):
        raise ConfigError("mkdocs.yml must be a mapping of settings", path=config_path)
    if not isinstance(raw.get("extra") or {}, Mapping):
        raise ConfigError("'extra' must be a mapping of settings", path=config_path)
    root = config_path.parent
    site_url = str(raw.get("site_url") or "")
    if not site_url.startswith(("http://", "https://")):
        raise ConfigError("site_url must be the full address of the live site", path=config_path,
                          hint="Set site_url: https://www.your-practice.example/")
    if not site_url.endswith("/"):
        site_url += "/"
    blog = _blog_plugin(raw)
    blog_dir = str(blog.get("blog_dir") or "blog")
    post_dir = str(blog.get("post_dir") or "{blog}/posts").format(blog=blog_dir)
    docs_dir = root / str(raw.get("docs_dir") or "docs")
    syndication = (raw.get("extra") or {}).get("syndication") or {}
    if not isinstance(syndication, Mapping):
        raise ConfigError("'extra.syndication' must be a mapping", path=config_path)
    unknown = set(syndication.get("platforms") or {}) - set(PLATFORMS)
    if unknown:
        raise ConfigError(f"unknown platform '{sorted(unknown)[0]}' under extra.syndication.platforms",
                          path=config_path, hint="Use one of: " + ", ".join(PLATFORMS))
    authors_file = str(blog.get("authors_file") or "{blog}/.authors.yml").format(blog=blog_dir)
    return Settings(
        root=root,
        config_path=config_path,
        site_name=str(raw.get("site_name") or ""),
        site_url=site_url,
        docs_dir=docs_dir,
        site_dir=root / str(raw.get("site_dir") or "site"),
        blog_dir=blog_dir,
        post_dir=post_dir,
        categories_allowed=tuple(str(c) for c in blog.get("categories_allowed") or ()),
        practice=_practice(raw, config_path),
        authors=_merge_providers(_load_authors(docs_dir / authors_file), raw, config_path, docs_dir / authors_file),
        authors_path=docs_dir / authors_file,
        syndication=syndication,
        raw=raw,
    )


def load_settings(config_path: Path | str = "mkdocs.yml") -> Settings:
    """Read and validate ``mkdocs.yml`` (and the authors file it points to)."""
    return _load(Path(config_path).resolve())
