"""Slides for every published article: an HTML deck, a PPTX, a carousel and a Marp file.

The ``slides`` build step. For each article it makes one outline
(``outline.py``) from the body its built page shows (``site_html.py``),
lays it out on a 16:9 and a portrait canvas (``slides_layout.py``), and
hands the result to one writer per format. Work that does not depend on the
article (the brand colours, the logo as a picture, the font) is done once
per build.
"""

from __future__ import annotations

import base64
import io
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from PIL import Image, ImageOps

from . import fonts
from .config import Settings
from .errors import ConfigError, SyndicateError
from .outline import Outline, Point, Slide, build_outline, display_url
from .site_html import body_tree, read_body
from .slides_layout import PORTRAIT, WIDE, Brand, Frame, layout

if TYPE_CHECKING:
    from .build import Published
    from .build_cache import FileDigests, StepCache
    from .slides_cache import DeckCache

MAX_CAROUSEL = 10  # images in one Instagram carousel: https://help.instagram.com/269314186824048
ASSETS = "assets"  # site/slides/assets/: the deck pages' shared font files
_INK = "#1b2524"
_WHITE = "#ffffff"


# -- colours ------------------------------------------------------------------------


def _rgb(color: str) -> tuple[int, int, int]:
    value = color.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def _valid(color: str | None, default: str) -> str:
    try:
        return _hex(_rgb(color or ""))
    except (ValueError, IndexError):
        return default


def mix(color: str, other: str, share: float) -> str:
    """``color`` with ``share`` of ``other`` mixed in."""
    a, b = _rgb(color), _rgb(other)
    return _hex(tuple(x + (y - x) * share for x, y in zip(a, b, strict=True)))  # type: ignore[arg-type]


def _luminance(color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio: https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _readable(color: str, background: str, minimum: float = 4.5) -> str:
    """The colour, darkened (or lightened) just enough for text on the background."""
    towards = _INK if _luminance(background) > 0.18 else _WHITE
    share = 0.0
    while contrast(mix(color, towards, share), background) < minimum and share < 1:
        share += 0.05
    return mix(color, towards, min(share, 1.0))


def brand_for(settings: Settings) -> Brand:
    """The practice's colours from ``extra.practice.colors``, adjusted so all text stays readable."""
    colors = settings.practice.colors
    primary = _valid(colors.get("primary"), "#1f5f5b")
    accent = _valid(colors.get("accent"), primary)
    on_primary = _WHITE if contrast(_WHITE, primary) >= contrast(_INK, primary) else _INK
    soft = mix(on_primary, primary, 0.18)
    return Brand(
        name=settings.practice.name or settings.site_name,
        web=display_url(settings.site_url),
        primary=primary,
        primary_ink=_readable(primary, _WHITE),
        accent=_readable(accent, _WHITE),
        tint=mix(primary, _WHITE, 0.88),
        on_primary=on_primary,
        on_primary_soft=soft if contrast(soft, primary) >= 4.5 else on_primary,
        tint_on_primary=mix(primary, on_primary, 0.07),
    )


# -- pictures -----------------------------------------------------------------------


@dataclass(kw_only=True)
class Assets:
    """Pictures the writers place: the logo (read once per build) and each article's hero image."""

    docs_dir: Path
    logo_uri: str = ""  # the logo as a data: URI, inlined once in each HTML deck
    logo_key: str = ""  # the logo file and its size and time: part of the drawing cache's key
    logo: Image.Image | None = None
    _images: dict[str, Image.Image | None] = field(default_factory=dict)
    _logos: dict[tuple[int, int], Image.Image] = field(default_factory=dict)

    def image(self, source: str) -> Image.Image | None:
        """The picture named by a layout item ("logo" or a docs-relative path), or None when missing."""
        if source == "logo":
            return self.logo
        if source not in self._images:
            if len(self._images) > 4:  # one article at a time: keep memory flat over 1,000 articles
                self._images.clear()
            path = self.docs_dir / source
            try:
                with Image.open(path) as opened:
                    opened.draft("RGB", (1600, 1600))  # a JPEG decodes faster at a reduced scale
                    picture = ImageOps.exif_transpose(opened).convert("RGB")
                    picture.thumbnail((1600, 1600))
                self._images[source] = picture
            except (OSError, ValueError):
                self._images[source] = None
        return self._images[source]

    def logo_in(self, width: int, height: int) -> Image.Image | None:
        """The logo scaled into a box; the same few sizes recur on every slide, so they are kept."""
        if self.logo is None:
            return None
        key = (width, height)
        if key not in self._logos:
            self._logos[key] = self.contain(self.logo, width, height)
        return self._logos[key]

    @staticmethod
    def cover(picture: Image.Image, width: int, height: int) -> Image.Image:
        """The picture scaled and cropped to fill a box, as CSS ``object-fit: cover`` does."""
        return ImageOps.fit(picture, (max(width, 1), max(height, 1)), Image.Resampling.LANCZOS)

    @staticmethod
    def contain(picture: Image.Image, width: int, height: int) -> Image.Image:
        """The picture scaled to fit inside a box, keeping its shape."""
        return ImageOps.contain(picture, (max(width, 1), max(height, 1)), Image.Resampling.LANCZOS)


def _theme_file(settings: Settings, key: str) -> Path | None:
    theme = settings.raw.get("theme") or {}
    value = theme.get(key) if isinstance(theme, dict) else None
    if isinstance(value, str) and value:
        path = settings.docs_dir / value
        if path.is_file():
            return path
    return None


def load_assets(settings: Settings, *, pictures: bool = True) -> Assets:
    """Read the practice's logo (``theme.logo``, else the favicon) once, as SVG text and as a picture.

    Without ``pictures`` (no PPTX or carousel to draw) an SVG logo is not turned into pixels.
    """
    assets = Assets(docs_dir=settings.docs_dir)
    for path in filter(None, (_theme_file(settings, "logo"), _theme_file(settings, "favicon"))):
        try:
            if path.suffix.lower() == ".svg":
                svg = path.read_text(encoding="utf-8-sig")
                if pictures:
                    import resvg_py  # only here: turns the SVG logo into pixels for PPTX and images

                    png = resvg_py.svg_to_bytes(svg_string=svg, width=512, skip_system_fonts=True)
                    assets.logo = Image.open(io.BytesIO(bytes(png))).convert("RGBA")
                assets.logo_uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
            else:
                with Image.open(path) as opened:
                    assets.logo = opened.convert("RGBA")
                small = assets.contain(assets.logo, 256, 256)
                buffer = io.BytesIO()
                small.save(buffer, "PNG")
                assets.logo_uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        if assets.logo_uri:
            info = path.stat()
            assets.logo_key = f"{path}:{info.st_size}:{info.st_mtime_ns}"
            break
    return assets


# -- choosing slides ----------------------------------------------------------------


def carousel_slides(outline: Outline, limit: int = MAX_CAROUSEL) -> tuple[Slide, ...]:
    """At most ``limit`` slides for a carousel: drop the picture and sources first, then merge sections."""
    slides = list(outline.slides)
    for kind in ("image", "sources"):
        if len(slides) > limit:
            slides = [s for s in slides if s.kind != kind]
    if len(slides) <= limit:
        return tuple(slides)
    sections = [s for s in slides if s.kind == "section"]
    others_before = [s for s in slides if s.kind != "section" and s.kind != "closing"]
    closing = [s for s in slides if s.kind == "closing"]
    keep = limit - len(others_before) - len(closing) - 1
    kept, rest = sections[:keep], sections[keep:]
    titles = list(dict.fromkeys(s.title for s in rest if s.title not in {k.title for k in kept}))
    more = [Point(text=t) for t in titles[:5]]
    if len(titles) > 5:
        more[-1] = Point(text=f"And {len(titles) - 4} more topics")
    summary = Slide(kind="section", title="More in the full article", points=tuple(more),
                    notes="\n".join(titles))
    return tuple(others_before + kept + ([summary] if more else []) + closing)


@dataclass(frozen=True, kw_only=True)
class Deck:
    """One article's outline and its layouts, ready for the writers."""

    outline: Outline
    wide: tuple[Frame, ...]
    portrait: tuple[Frame, ...]


def make_deck(outline: Outline, brand: Brand) -> Deck:
    """Lay out an outline for the PPTX (16:9) and the carousel (portrait, at most ten pages)."""
    wide = layout(outline, outline.slides, WIDE, brand)
    limit = MAX_CAROUSEL
    portrait = layout(outline, carousel_slides(outline, limit), PORTRAIT, brand)
    while len(portrait) > MAX_CAROUSEL and limit > 3:  # a section split over two pages: merge more
        limit -= 1
        portrait = layout(outline, carousel_slides(outline, limit), PORTRAIT, brand)
    return Deck(outline=outline, wide=tuple(wide), portrait=tuple(portrait))


# -- the build step -------------------------------------------------------------------


def _copy_fonts(out: Path) -> list[Path]:
    """The deck pages' web font, once for all decks (the pages work without it too)."""
    folder = out / ASSETS
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for bold in (False, True):
        target = folder / fonts.FILES[bold]
        if not target.exists() or target.stat().st_size != fonts.font_path(bold=bold).stat().st_size:
            shutil.copyfile(fonts.font_path(bold=bold), target)
        written.append(target)
    license_path = folder / "OFL.txt"
    shutil.copyfile(fonts.LICENSE, license_path)
    return [*written, license_path]


FORMATS = ("html", "marp", "pptx", "carousel")


@dataclass(frozen=True, kw_only=True)
class SlideSettings:
    """``extra.syndication.slides`` in mkdocs.yml: which formats to write, and the drawing cache."""

    enabled: bool = True
    formats: tuple[str, ...] = FORMATS
    cache: Path | None = None


def slide_settings(settings: Settings) -> SlideSettings:
    """Read ``extra.syndication.slides`` (``false``, or ``formats: [...]`` and ``cache: false``)."""
    raw = settings.syndication.get("slides", True)
    if raw is False:
        return SlideSettings(enabled=False)
    if raw is None or raw is True:
        raw = {}
    hint = "Write for example: slides: {formats: [html, pptx]}, or slides: false"
    if not isinstance(raw, Mapping):
        raise ConfigError("'extra.syndication.slides' must be false or a group of settings",
                          path=settings.config_path, hint=hint)
    unknown = sorted(set(raw) - {"formats", "cache"})
    if unknown:
        raise ConfigError(f"unknown setting '{unknown[0]}' under extra.syndication.slides",
                          path=settings.config_path, hint="Use formats and cache")
    formats = raw.get("formats", list(FORMATS))
    if not isinstance(formats, list) or any(f not in FORMATS for f in formats):
        raise ConfigError(f"extra.syndication.slides.formats must list some of: {', '.join(FORMATS)}",
                          path=settings.config_path, hint=hint)
    cache = settings.root / ".cache" / "slides" if raw.get("cache", True) is not False else None
    return SlideSettings(formats=tuple(f for f in FORMATS if f in formats), cache=cache)


@dataclass(kw_only=True)
class _Job:
    """What every article's slides need, made once per build (and inherited by the worker processes)."""

    settings: Settings
    formats: tuple[str, ...]
    out: Path
    brand: Brand
    assets: Assets
    decks: DeckCache  # drawn files (PPTX, carousel) by outline: survives edits that leave the slides alone
    kept: StepCache  # each article's files by article: a rebuild copies them without reading the article
    digests: FileDigests

    @property
    def drawn(self) -> tuple[str, ...]:
        return tuple(f for f in self.formats if f in ("pptx", "carousel"))

    def key(self, item: Published, body: str | None) -> str:
        """Everything an article's slides depend on: the article, its page and body as built, its picture."""
        image = self.settings.docs_dir / item.article.image if item.article.image else None
        if image is None:
            picture = ""
        elif self.drawn:  # a drawn deck holds the picture's pixels
            picture = self.digests(image)
        else:  # the page and the Marp file show the picture by its address, when it is there
            picture = "present" if image.is_file() else "missing"
        # The body as built holds the URLs of the posts it links to: another post's new URL changes it.
        return self.kept.key(item.fingerprint, picture, body)

    def restore(self, item: Published, key: str) -> list[Path] | None:
        """The article's slide files copied from the build cache; None when they are not all there."""
        slug = unquote(item.slug)
        folder = self.out / slug
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        if "html" in self.formats:
            if not self.kept.restore(key, folder / "index.html", ".html"):
                return None
            written.append(folder / "index.html")
        if "marp" in self.formats:
            if not self.kept.restore(key, folder / f"{slug}.md", ".md"):
                return None
            written.append(folder / f"{slug}.md")
        if self.drawn:
            deck_key = self.kept.read(key, ".deck")
            for old in (folder / "carousel").glob("*.png"):  # an edited article may now have fewer pages
                old.unlink()
            restored = self.decks.restore(deck_key.decode(), folder) if deck_key else None
            if restored is None:
                return None
            written.extend(restored)
        return written

    def make(self, item: Published, key: str, body: str | None) -> list[Path]:
        """Write the article's slides (the drawn ones from their own cache when the outline is unchanged).

        ``body`` is the article's body as its built page holds it (None: the Markdown is converted).
        """
        from .slides_html import write_html, write_marp  # the writers import this module: import them late

        settings, formats, assets = self.settings, self.formats, self.assets
        tree = body_tree(body, item.url) if body is not None else None
        # The site's URL spells a slug such as "café" percent-encoded; the folder holds the real name.
        outline = build_outline(item.article, settings, url=item.url, slug=unquote(item.slug), body=tree)
        if outline is None:
            return []
        folder = self.out / outline.slug
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        if "html" in formats:
            written.append(write_html(outline, settings, self.brand, assets, folder / "index.html"))
            self.kept.store(key, written[-1], ".html")
        if "marp" in formats:
            written.append(write_marp(outline, settings, self.brand, folder / f"{outline.slug}.md"))
            self.kept.store(key, written[-1], ".md")
        if not self.drawn:
            return written
        for old in (folder / "carousel").glob("*.png"):  # an edited article may now have fewer pages
            old.unlink()
        pictures = tuple(assets.docs_dir / s.image for s in outline.slides if s.image)
        deck_key = self.decks.key(outline, self.brand, self.drawn, assets.logo_key, files=pictures)
        self.kept.write(key, deck_key.encode(), ".deck")
        restored = self.decks.restore(deck_key, folder)
        if restored is not None:
            return written + restored
        deck = make_deck(outline, self.brand)
        files = []
        if "pptx" in formats:
            from .slides_pptx import write_pptx  # python-pptx only when a deck is drawn

            files.append(write_pptx(deck, settings, self.brand, assets, folder / f"{outline.slug}.pptx"))
        if "carousel" in formats:
            from .slides_carousel import write_carousel

            files.extend(write_carousel(deck, self.brand, assets, folder))
        self.decks.store(deck_key, folder, files)
        return written + files


_JOB: _Job | None = None  # the build's job, set before the worker processes start


def _made(task: tuple[Published, str, str | None]) -> tuple[list[Path], set[str], set[str]] | None:
    """One article's slides, made in a worker: its files and the cache entries it used.

    None when the article has a problem: the build makes it again itself, so the
    problem is reported as everywhere else (our errors do not cross processes intact).
    """
    assert _JOB is not None  # noqa: S101 - set by write_slides before any worker starts
    decks, kept = set(_JOB.decks.used), set(_JOB.kept.used)
    try:
        files = _JOB.make(*task)
    except SyndicateError:
        return None
    return files, _JOB.decks.used - decks, _JOB.kept.used - kept


def write_slides(settings: Settings, published: list[Published], now: datetime) -> list[Path]:
    """Write every published article's slides under ``site/slides/<slug>/``; return the files written.

    Each article's files are kept in the build cache (``.cache/syndicate/slides``
    beside the drawn ones' ``.cache/slides``), so a rebuild copies the slides of
    unchanged articles and makes only the others, on every processor.
    """
    global _JOB
    from . import parallel
    from .build_cache import FileDigests, StepCache
    from .slides_cache import DeckCache

    options = slide_settings(settings)
    if not options.enabled:
        return []
    formats = options.formats
    assets = load_assets(settings, pictures=any(f in ("pptx", "carousel") for f in formats))
    digests = FileDigests(settings, "slides")
    logo = [digests(path) for path in filter(None, (_theme_file(settings, "logo"), _theme_file(settings, "favicon")))]
    job = _Job(settings=settings, formats=formats, out=settings.site_dir / "slides", brand=brand_for(settings),
               assets=assets, decks=DeckCache(options.cache), digests=digests,
               kept=StepCache(settings, "slides", formats, logo, enabled=options.cache is not None))
    written = _copy_fonts(job.out) if "html" in formats else []
    done: dict[str, list[Path]] = {}
    todo: list[tuple[Published, str, str | None]] = []
    for item in published:
        if item.article.slides is False:
            continue
        body = read_body(item.page.path)  # read once: for the key, and for the outline when it is made
        key = job.key(item, body)
        restored = job.restore(item, key)
        if restored is None:
            todo.append((item, key, body))
        else:
            done[item.article.src_uri] = restored
    _JOB = job
    try:
        for (item, key, body), made in zip(todo, parallel.run(_made, todo), strict=True):
            if made is None:
                done[item.article.src_uri] = job.make(item, key, body)  # raises the problem here
                continue
            done[item.article.src_uri], decks_used, kept_used = made
            job.decks.used |= decks_used
            job.kept.used |= kept_used
    finally:
        _JOB = None
    for item in published:
        written.extend(done.get(item.article.src_uri, []))
    job.decks.prune()
    job.kept.prune()
    if job.drawn:  # else only the logo was read: the pictures' digests are kept for the next drawing build
        digests.save()
    return written
