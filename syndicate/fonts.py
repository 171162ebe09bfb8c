"""The slides' font: where its files are, and how much room text set in it takes.

Every slide format (PPTX, carousel images, and the HTML deck's web font) uses
the same family, installed from PyPI with the project, so the text measured
here is the text that is drawn. Pillow's FreeType binding does the measuring;
it stays in this module.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import fontpkg_atkinson_hyperlegible as _package  # type: ignore[import-untyped]
from PIL import ImageFont, features

FAMILY = "Atkinson Hyperlegible"
# Files shipped by the PyPI package fontpkg-atkinson-hyperlegible (OFL-1.1).
FILES = {False: "AtkinsonHyperlegible-Regular.ttf", True: "AtkinsonHyperlegible-Bold.ttf"}
_ROOT = Path(_package.ROOT)
LICENSE = _ROOT / "LICENSE"


def font_path(*, bold: bool = False) -> Path:
    """The TTF file of the regular or bold face."""
    return _ROOT / "files" / FILES[bold]


_UNITS = 1000.0  # advances are read once at this size and scaled: text set unhinted scales linearly


def _engine() -> ImageFont.Layout:
    # Raqm (HarfBuzz) shapes and kerns as LibreOffice and browsers do, and is much faster here
    # than Pillow's basic layout; wheels ship it, but a source build may lack it.
    return ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC


@functools.lru_cache(maxsize=256)
def truetype(size: float, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The face at a size (in the caller's unit: points for PPTX, pixels for images), loaded once."""
    return ImageFont.truetype(str(font_path(bold=bold)), size, layout_engine=_engine())


# Characters the slides' font lacks (emoji, CJK, some scripts) are measured at this many ems, wider
# than any fallback draws them (CJK and symbols take about one em), so text with them still fits.
MISSING_ADVANCE = 1.25
# Fonts other programs draw such characters with, where the system has them (Debian and Ubuntu
# paths): the carousel images use the first that has the character, and leave it out otherwise.
FALLBACKS = (
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    ("/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf",) * 2,
)


@functools.lru_cache(maxsize=16)
def _cmap(path: str) -> frozenset[int]:
    """The characters a font file has (read once; fontTools only reads the table it is asked for)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap())


def covered(char: str) -> bool:
    """Whether the slides' font has a glyph for the character."""
    return ord(char) in _cmap(str(font_path()))


def fallback_path(char: str, *, bold: bool = False) -> str | None:
    """A font on this system that has the character, or None."""
    for pair in FALLBACKS:
        path = pair[1 if bold else 0]
        if Path(path).is_file() and ord(char) in _cmap(path):
            return path
    return None


def runs(text: str, *, bold: bool = False) -> list[tuple[str, str | None]]:
    """The text split into runs to draw: (text, None) in the slides' font, (text, path) in a fallback.

    Characters no font here has (an emoji where no emoji font is installed) are left out
    rather than drawn as empty boxes.
    """
    pieces: list[tuple[str, str | None]] = []
    for char in text:
        face = None if covered(char) else fallback_path(char, bold=bold)
        if face is None and not covered(char):
            continue
        if pieces and pieces[-1][1] == face:
            pieces[-1] = (pieces[-1][0] + char, face)
        else:
            pieces.append((char, face))
    return pieces


@functools.lru_cache(maxsize=64)
def fallback_truetype(path: str, size: float) -> ImageFont.FreeTypeFont:
    """A fallback face at a size, loaded once."""
    return ImageFont.truetype(path, size, layout_engine=_engine())


class _Advances(dict[str, float]):
    """Each character's advance at ``_UNITS``, read from the font the first time it is needed."""

    def __init__(self, bold: bool) -> None:
        super().__init__()
        self.face = ImageFont.truetype(str(font_path(bold=bold)), _UNITS, layout_engine=ImageFont.Layout.BASIC)

    def __missing__(self, char: str) -> float:
        value = float(self.face.getlength(char)) if covered(char) else MISSING_ADVANCE * _UNITS
        self[char] = value
        return value


_ADVANCES = {False: _Advances(False), True: _Advances(True)}


def width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of one line: the sum of its characters' advances, without kerning.

    Kerning in this font only ever tightens pairs, so the sum is a safe upper
    bound of what any renderer draws (``exact_width`` is what Pillow draws),
    and it costs a dictionary look-up per character instead of a layout.
    A character the font lacks counts ``MISSING_ADVANCE`` ems.
    """
    advances = _ADVANCES[bold]
    return sum(advances[c] for c in text) * size / _UNITS


def exact_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width Pillow lays the line out at (shaped and kerned): what the carousel draws."""
    return float(truetype(size, bold=bold).getlength(text))


@dataclass(frozen=True, kw_only=True)
class Fitted:
    """Paragraphs wrapped into lines at the size where they all fit."""

    size: float
    paragraphs: tuple[tuple[str, ...], ...]  # the lines of each paragraph
    leading: float  # line height as a multiple of the size
    gap: float  # space between paragraphs as a multiple of the size

    @property
    def line_height(self) -> float:
        """Distance from one baseline to the next."""
        return self.size * self.leading

    @property
    def height(self) -> float:
        """The height the wrapped text takes."""
        return text_height(self.paragraphs, self.size, self.leading, self.gap)


def text_height(paragraphs: tuple[tuple[str, ...], ...], size: float, leading: float, gap: float) -> float:
    """Height of wrapped paragraphs: every line at ``leading``, a ``gap`` between paragraphs."""
    lines = sum(len(p) for p in paragraphs)
    return lines * size * leading + max(len(paragraphs) - 1, 0) * size * gap


def _break_word(word: str, size: float, bold: bool, limit: float) -> list[str]:
    """Pieces of a token too long for a line (a web address): after '/', '.', '-', else anywhere."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and width(current + char, size, bold=bold) > limit:
            cut = max(current.rfind(c) for c in "/.-?&")
            if cut > 0:
                pieces.append(current[: cut + 1])
                current = current[cut + 1:]
            else:
                pieces.append(current)
                current = ""
        current += char
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, size: float, limit: float, *, bold: bool = False) -> tuple[str, ...]:
    """Greedy line breaking at spaces; a word longer than a line is broken (addresses only get that long)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if width(candidate, size, bold=bold) <= limit:
            current = candidate
            continue
        if current:
            lines.append(current)
        if width(word, size, bold=bold) <= limit:
            current = word
        else:
            *whole, current = _break_word(word, size, bold, limit)
            lines.extend(whole)
    if current:
        lines.append(current)
    return tuple(lines)


def fit(paragraphs: tuple[str, ...], *, width: float, height: float, max_size: float, min_size: float,
        bold: bool = False, leading: float = 1.2, gap: float = 0.0, max_lines: int | None = None,
        floor: float | None = None, indents: tuple[float, ...] | None = None) -> Fitted | None:
    """The largest size from ``max_size`` down to ``min_size`` at which the paragraphs fit the box.

    Below ``min_size`` it keeps shrinking down to ``floor`` when one is given
    (cramped beats clipped); it returns None when nothing fits, so the caller
    can split the text over two slides instead. ``indents`` (one per paragraph,
    in units of the size) narrow a paragraph's lines to leave room for a bullet.
    """
    def attempt(size: float) -> Fitted | None:
        wrapped = tuple(wrap(p, size, width - (indents[i] * size if indents else 0.0), bold=bold)
                        for i, p in enumerate(paragraphs))
        if max_lines is not None and sum(len(p) for p in wrapped) > max_lines:
            return None
        if text_height(wrapped, size, leading, gap) > height:
            return None
        return Fitted(size=size, paragraphs=wrapped, leading=leading, gap=gap)

    sizes = [float(s) for s in range(int(max_size), int(min_size) - 1, -1)]
    if floor is not None:
        sizes += [float(s) for s in range(int(min_size) - 1, int(floor) - 1, -1)]
    # Fitting is monotonic in the size (smaller text never needs more room), so
    # a binary search finds the largest fitting size in a few measurements.
    low, high, best = 0, len(sizes) - 1, None
    while low <= high:
        middle = (low + high) // 2
        found = attempt(sizes[middle])
        if found is not None:
            best, high = found, middle - 1
        else:
            low = middle + 1
    return best
