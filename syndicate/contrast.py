"""WCAG contrast between two colours, to check a practice's brand colours.

Relative luminance and contrast ratio as WCAG 2.2 defines them:
https://www.w3.org/TR/WCAG22/#dfn-relative-luminance and
https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio
"""

from __future__ import annotations

import re

RGB = tuple[int, int, int]

# Normal-size text needs 4.5:1 at level AA (https://www.w3.org/TR/WCAG22/#contrast-minimum).
AA_TEXT = 4.5

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def parse_color(value: str) -> RGB:
    """A CSS colour ("#1f5f5b", "#fff", "rgb(31, 95, 91)", "teal") as RGB; ``ValueError`` if it is none.

    A translucent colour is taken as drawn over white, as the theme's pages are.
    """
    value = value.strip()
    if _HEX.fullmatch(value):  # what mkdocs.yml nearly always says: read as Pillow reads it, without Pillow
        digits = value[1:] if len(value) == 7 else "".join(2 * digit for digit in value[1:])
        red, green, blue = bytes.fromhex(digits)
        return red, green, blue
    from PIL import ImageColor  # noqa: PLC0415 - named, rgb() and hsl() colours; importing Pillow takes a while

    parsed = ImageColor.getrgb(value)
    if len(parsed) == 4:
        red, green, blue, alpha = parsed
        return _over_white((red, green, blue), alpha / 255)
    red, green, blue = parsed[:3]
    return red, green, blue


def _over_white(color: RGB, alpha: float) -> RGB:
    red, green, blue = (round(channel * alpha + 255 * (1 - alpha)) for channel in color)
    return red, green, blue


def relative_luminance(color: RGB) -> float:
    """How bright a colour looks, from 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in color)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def darkened_to(color: RGB, against: RGB, minimum: float = AA_TEXT) -> RGB | None:
    """The colour mixed with the least black (or white) that reaches ``minimum`` against ``against``."""
    toward = (0, 0, 0) if relative_luminance(against) > 0.18 else (255, 255, 255)
    for step in range(1, 101):
        share = step / 100
        red, green, blue = (round(c * (1 - share) + t * share) for c, t in zip(color, toward, strict=True))
        if contrast_ratio((red, green, blue), against) >= minimum:
            return red, green, blue
    return None


def hex_color(color: RGB) -> str:
    """``#rrggbb`` as CSS and mkdocs.yml write it."""
    return "#{:02x}{:02x}{:02x}".format(*color)
