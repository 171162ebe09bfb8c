"""All content checks: schema (via the article model), images, privacy, site settings.

``check_paths`` never stops at the first problem: every file is read and every
problem reported, so one broken article does not hide the others. Checks that
need only the text (privacy, images in the body) run even on an article whose
front matter is broken.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import images, privacy, trust
from .article import Article, now_utc, post_paths, read_post
from .config import Settings
from .errors import Problem, Severity, SyndicateError, display_path


@dataclass(frozen=True, kw_only=True)
class FixedImage:
    """An image file that ``--fix-images`` re-saved without its metadata."""

    path: Path
    removed: tuple[str, ...]  # "GPS position", "camera model", ...


@dataclass(frozen=True, kw_only=True)
class CheckReport:
    """What the check found, over how many files."""

    problems: tuple[Problem, ...]
    files: int
    articles: tuple[Article, ...]
    fixed: tuple[FixedImage, ...] = ()

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def files_with_problems(self) -> int:
        """How many files have at least one problem."""
        return len({p.path for p in self.problems})


@dataclass(kw_only=True)
class _Run:
    """What one check run shares between files: settings, options, and the images already fixed."""

    settings: Settings
    strict: bool = False
    fix_images: bool = False
    fixed: dict[Path, FixedImage] = field(default_factory=dict)
    _allowed: privacy.Allowed | None = None
    _images: dict[Path, images.ImageInfo | None] = field(default_factory=dict)
    _targets: dict[str, Path | None] = field(default_factory=dict)
    _docs: str = ""  # the docs folder, spelled out

    def in_docs(self, relative: str) -> Path | None:
        """The file a docs-relative path names, or None when the path leads outside the docs folder."""
        try:
            return self._targets[relative]
        except KeyError:
            pass
        if not self._docs:
            self._docs = os.path.normpath(os.path.abspath(self.settings.docs_dir))
        target = os.path.normpath(os.path.join(self._docs, unquote(relative).lstrip("/")))
        found = self._targets[relative] = Path(target) if target.startswith(self._docs + os.sep) else None
        return found

    def image(self, path: Path) -> images.ImageInfo | None:
        """What an image file is (None when there is no such file); articles share pictures: look once."""
        try:
            return self._images[path]
        except KeyError:
            info = self._images[path] = images.inspect_file(path)
            return info

    @property
    def allowed(self) -> privacy.Allowed:
        """What belongs to the practice (its phone, email, address, people), worked out once."""
        if self._allowed is None:
            self._allowed = _allowed(self.settings)
        return self._allowed

    @property
    def privacy_severity(self) -> Severity:
        return "error" if self.strict else "warning"

    def metadata_problem(self, image: Path, where: Path, line: int, col: int) -> Problem | None:
        """EXIF or XMP that tells where or with what a photo was taken; stripped under --fix-images."""
        info = self.image(image)
        if info is None or not info.metadata:
            return None
        if self.fix_images and _inside(image, self.settings.docs_dir):
            if image not in self.fixed:
                self.fixed[image] = FixedImage(path=image, removed=images.strip_metadata(image))
            return None
        # A GPS position is a fact, not a guess: always an error. Camera details follow --strict.
        severity: Severity = "error" if info.has_gps else self.privacy_severity
        return Problem(path=where, line=line, col=col, severity=severity, code="image-metadata",
                       message=f"the image {display_path(image)} carries {_join(info.metadata)}",
                       hint="Run 'syndicate check --fix-images' to remove it (the picture itself is kept), "
                            "or export the photo again with location and camera data turned off")


def check_paths(settings: Settings, paths: Iterable[Path] | None = None, *, strict: bool = False,
                fix_images: bool = False, now: datetime | None = None) -> CheckReport:
    """Check the given posts (default: every post, and the site settings) and report every problem.

    ``strict`` makes privacy findings errors; ``fix_images`` strips revealing
    metadata from images under the docs folder instead of reporting it.
    """
    run = _Run(settings=settings, strict=strict, fix_images=fix_images)
    now = now or now_utc()
    files = expand_paths(paths) if paths is not None else post_paths(settings)
    problems: list[Problem] = []
    articles: list[Article] = []
    for path in files:
        article, found, text = read_post(path, settings, now=now)
        problems.extend(found)
        if text is not None:
            # A read article knows where its front matter ends (the line before its body).
            end = article.body_line - 1 if article is not None else _front_matter_end(text)
            problems.extend(_check_text(path, text, end, run))
        if article is not None:
            articles.append(article)
            problems.extend(check_article(article, settings, run=run))
    if paths is None:
        problems.extend(check_settings(settings, run=run))
    return CheckReport(problems=tuple(sorted(problems)), files=len(files), articles=tuple(articles),
                       fixed=tuple(run.fixed.values()))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders as the Markdown files in them; a missing path is a ``SyndicateError``."""
    files: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(path.rglob("*.md"))
            if not found:
                raise SyndicateError(f"{display_path(path)}: no Markdown (.md) files in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise SyndicateError(f"{display_path(path)}: no such file. Give the path of a post, "
                                 "e.g. content/blog/posts/my-post.md, or nothing to check every post")
    return sorted({_normal(p) for p in files})


def check_article(article: Article, settings: Settings, *, run: _Run | None = None) -> list[Problem]:
    """Checks beyond the front matter schema, on one loaded article: its hero image."""
    run = run or _Run(settings=settings)
    problems = list(_hero_image(article, run))
    if article.social.texts:
        # Per-platform overrides (social.x, ...) too long for their platform, counted as the
        # teasers count them. Imported here: most articles have none, and the check stays fast.
        from .teasers import check_overrides

        problems.extend(check_overrides(article, settings))
    return problems


def check_settings(settings: Settings, *, run: _Run | None = None) -> list[Problem]:
    """Problems in the site's settings (mkdocs.yml and the authors file), checked once per run."""
    run = run or _Run(settings=settings)
    problems: list[Problem] = []
    problems.extend(_avatar_metadata(settings, run))
    problems.extend(trust.check_trust_settings(settings))
    return problems


# -- hero image ------------------------------------------------------------------


def _hero_image(article: Article, run: _Run) -> Iterator[Problem]:
    if not article.image:
        return
    docs = run.settings.docs_dir
    line = article.line_of("image")

    def problem(message: str, hint: str, severity: Severity = "error", code: str = "image") -> Problem:
        return Problem(path=article.source, line=line, severity=severity, message=message, hint=hint, code=code)

    value = article.image

    def example() -> str:
        return f"image: {run.settings.blog_dir}/images/{Path(urlsplit(value).path).name or 'picture.jpg'}"

    if (":" in value and urlsplit(value).scheme) or value.startswith("//"):
        yield problem("the image must be a file in the site, not a web address",
                      f"Save the picture under {display_path(docs)}/ and write {example()}")
        return
    target = run.in_docs(value)
    if target is None:
        beside = _normal(article.source.parent / value)
        hint = (_docs_relative_hint(beside, docs) if beside.is_file() and _inside(beside, docs)
                else f"Move the picture under {display_path(docs)}/ and write {example()}")
        yield problem(f"the image '{value}' is outside {display_path(docs)}/, so the site does not have it", hint)
        return
    info = run.image(target)
    if info is None:
        yield problem(f"the image '{value}' does not exist", _missing_hint(target, article, docs))
        return
    if info.format is None:
        kind = "an SVG drawing" if target.suffix.lower() == ".svg" else "not a picture Pillow can read"
        yield problem(f"the image '{value}' is {kind}; link previews need a raster picture",
                      "Use a JPEG or PNG picture of at least "
                      f"{images.MIN_WIDTH}x{images.MIN_HEIGHT} pixels")
        return
    if not info.is_web_format:
        yield problem(f"the image '{value}' is a {info.format} file, which browsers and networks do not show",
                      "Save it as JPEG or PNG")
        return
    if info.width < images.MIN_WIDTH or info.height < images.MIN_HEIGHT:
        yield problem(f"the image is {info.width}x{info.height} pixels; link previews need at least "
                      f"{images.MIN_WIDTH}x{images.MIN_HEIGHT}",
                      "Use a larger picture, or networks show a small or blurry preview",
                      severity="warning", code="image-size")
    found = run.metadata_problem(target, article.source, line, 1)
    if found:
        yield found


def _docs_relative_hint(image: Path, docs: Path) -> str:
    return f"Image paths start at {display_path(docs)}/: write image: {image.relative_to(_normal(docs)).as_posix()}"


def _missing_hint(target: Path, article: Article, docs: Path) -> str:
    beside = _normal(article.source.parent / (article.image or ""))
    if beside.is_file() and _inside(beside, docs):
        return _docs_relative_hint(beside, docs)
    if target.parent.is_dir():
        import difflib  # noqa: PLC0415 - only when a picture is missing

        names = [p.name for p in target.parent.iterdir() if p.is_file()]
        close = difflib.get_close_matches(target.name, names, n=1)
        if close:
            return f"Did you mean '{close[0]}'?"
    return f"Check the file name, and that the picture is saved under {display_path(docs)}/"


# -- the text: privacy and images in the body ------------------------------------------


def _check_text(path: Path, text: str, front_matter_end: int, run: _Run) -> Iterator[Problem]:
    for found in privacy.scan(text, run.allowed, front_matter_end=front_matter_end):
        yield Problem(path=path, line=found.line, col=found.col, severity=run.privacy_severity,
                      message=found.message, hint=found.hint, code=f"privacy-{found.kind}")
    yield from _body_images(path, text, front_matter_end, run)


def _front_matter_end(text: str) -> int:
    if not text.startswith("---"):
        return 0
    match = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[3:], re.MULTILINE)
    return text.count("\n", 0, match.start() + 3) + 1 if match else 0


def _allowed(settings: Settings) -> privacy.Allowed:
    practice = settings.practice
    return privacy.Allowed.build(
        phones=[practice.phone, practice.phone_display],
        emails=[practice.email],
        domains=[urlsplit(settings.site_url).hostname or ""],
        streets=[str(practice.address.get("street", ""))],
        names=[author.name for author in settings.authors.values()],
    )


_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_MD_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\[\]]|\[[^\]]*\])*)\]"
                       r"(?:\(\s*(?P<src><[^>]*>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
                       r"|\[(?P<ref>[^\]]*)\])?")
_REF_DEF = re.compile(r"^[ ]{0,3}\[(?P<ref>[^\]]+)\]:\s*(?P<src><[^>]*>|\S+)", re.MULTILINE)
_HTML_IMAGE = re.compile(r"<img\b(?P<attrs>[^>]*)>", re.IGNORECASE)
_HTML_IMAGE_START = re.compile(r"<img\b", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"(?P<name>[\w:-]+)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+)))?")
_ATTR_LIST_ALT = re.compile(r"\s*\{[^}\n]*\balt=")


def _body_images(path: Path, text: str, front_matter_end: int, run: _Run) -> Iterator[Problem]:
    if "![" not in text and not _HTML_IMAGE_START.search(text):
        return  # most articles: nothing to look at line by line
    lines = text.split("\n")
    refs = {m.group("ref").strip().lower(): m.group("src").strip("<>") for m in _REF_DEF.finditer(text)
            } if "]:" in text else {}
    fence = ""
    for number, line in enumerate(lines, start=1):
        if number <= front_matter_end:
            continue
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        if "!" not in line and "<" not in line:
            continue
        visible = _INLINE_CODE.sub(lambda m: " " * len(m.group()), line)
        for match in _MD_IMAGE.finditer(visible):
            src = match.group("src")
            if src is None:
                src = refs.get((match.group("ref") or match.group("alt")).strip().lower())
            if src is None:
                continue  # '![' that is not an image
            col = match.start() + 1
            if not match.group("alt").strip() and not _ATTR_LIST_ALT.match(visible, match.end()):
                yield _no_alt(path, number, col, src.strip("<>"), f"![A short description]({src})")
            yield from _body_image_file(path, number, col, src.strip("<>"), run)
        for match in _HTML_IMAGE.finditer(visible):
            attrs = {m.group("name").lower(): m.group("dq") or m.group("sq") or m.group("bare") or ""
                     for m in _ATTRIBUTE.finditer(match.group("attrs"))}
            col = match.start() + 1
            src = attrs.get("src", "")
            if "alt" not in attrs:  # alt="" is allowed: it marks a decorative picture on purpose
                yield _no_alt(path, number, col, src, 'add alt="A short description" to the <img> tag')
            if src:
                yield from _body_image_file(path, number, col, src, run)


def _no_alt(path: Path, line: int, col: int, src: str, fix: str) -> Problem:
    name = Path(urlsplit(src).path).name or "an image"
    return Problem(path=path, line=line, col=col, code="image-alt", message=f"the image {name} has no alt text",
                   hint=f"Describe it for people who cannot see it: {fix}")


def _body_image_file(path: Path, line: int, col: int, src: str, run: _Run) -> Iterator[Problem]:
    parts = urlsplit(src)
    if parts.scheme == "data":
        return
    if parts.scheme or src.startswith("//"):
        yield Problem(path=path, line=line, col=col, severity="warning", code="image-remote",
                      message=f"the image is loaded from {parts.hostname or 'another site'}, which then sees "
                              "every visitor of the page",
                      hint=f"Save the picture under {display_path(run.settings.docs_dir)}/ and link to it there")
        return
    docs = run.settings.docs_dir
    relative = unquote(parts.path)
    target = _normal((docs / relative.lstrip("/")) if relative.startswith("/") else (path.parent / relative))
    if run.image(target) is None:
        yield Problem(path=path, line=line, col=col, code="image-missing",
                      message=f"the image '{src}' does not exist",
                      hint="Paths in the article are relative to the article's own folder: check the name "
                           "and the '../' parts")
        return
    if not _inside(target, docs):
        yield Problem(path=path, line=line, col=col, code="image",
                      message=f"the image '{src}' is outside {display_path(docs)}/, so the site does not have it",
                      hint=f"Move the picture under {display_path(docs)}/")
        return
    found = run.metadata_problem(target, path, line, col)
    if found:
        yield found


# -- settings ----------------------------------------------------------------------


def _avatar_metadata(settings: Settings, run: _Run) -> Iterator[Problem]:
    """Authors' photos are often phone pictures that carry where they were taken (a home, say)."""
    source = settings.authors_path
    try:
        text = source.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return
    for author in settings.authors.values():
        avatar = author.avatar
        if not avatar or urlsplit(avatar).scheme:
            continue
        target = _normal(settings.docs_dir / avatar.lstrip("/"))
        if not target.is_file():
            continue
        line = next((n for n, text_line in enumerate(text.split("\n"), start=1) if avatar in text_line), 1)
        found = run.metadata_problem(target, source, line, 1)
        if found:
            yield found


def _inside(path: Path, folder: Path) -> bool:
    # Spelled-out paths ('..' collapsed), not resolved: one article's check makes no file system calls here.
    return Path(os.path.normpath(path)).is_relative_to(os.path.normpath(os.path.abspath(folder)))


def _normal(path: Path) -> Path:
    return Path(os.path.normpath(os.path.abspath(path)))


def _join(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
