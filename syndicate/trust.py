"""Site settings that decide whether patients can read and trust the pages.

Checked once per ``syndicate check`` run, on ``mkdocs.yml``: brand colours
that text cannot be read on (WCAG 2.2 AA), and visitor tracking on health
pages, which needs the visitor's consent and the provider's business
associate agreement.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping

from .config import Settings, key_lines
from .contrast import AA_TEXT, contrast_ratio, darkened_to, hex_color, parse_color
from .errors import Problem

# The theme draws white text on the brand colours (header, buttons: brand.css
# sets --md-primary-bg-color and --md-accent-bg-color to white) and the colours
# as text on white (links, hover): one ratio against white covers both.
WHITE = (255, 255, 255)

# HHS: tracking technologies on health pages can disclose protected health information
# (https://www.hhs.gov/hipaa/for-professionals/privacy/guidance/hipaa-online-tracking/index.html).
TRACKING_GUIDANCE = "https://www.hhs.gov/hipaa/for-professionals/privacy/guidance/hipaa-online-tracking/"


def check_trust_settings(settings: Settings) -> list[Problem]:
    """Brand colours below 4.5:1 (warning); analytics turned on (warning), without the consent banner (error)."""
    lines = _Lines(settings)
    return [*_brand_colors(settings, lines), *_tracking(settings, lines)]


class _Lines:
    """The line of each key of mkdocs.yml, read only when a problem needs one (most runs have none)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @functools.cached_property
    def _lines(self) -> dict[str, int]:
        try:
            return key_lines(self.settings.config_path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            return {}  # config.py already reported what is wrong with the file

    def get(self, key: str, default: int) -> int:
        """The line of a dotted key ("extra.practice.colors.primary"), or ``default``."""
        return self._lines.get(key, default)


def _brand_colors(settings: Settings, lines: _Lines) -> Iterator[Problem]:
    for name, value in settings.practice.colors.items():
        key = f"extra.practice.colors.{name}"
        try:
            color = parse_color(value)
        except ValueError:
            yield Problem(path=settings.config_path, line=lines.get(key, 1), severity="warning",
                          code="brand-color", message=f"'{value}' in {key} is not a colour",
                          hint='Write it as a hex colour in quotes, e.g. "#1f5f5b"')
            continue
        ratio = contrast_ratio(color, WHITE)
        if ratio >= AA_TEXT:
            continue
        better = darkened_to(color, WHITE)
        suggestion = f', e.g. "{hex_color(better)}"' if better else ""
        yield Problem(
            path=settings.config_path, line=lines.get(key, 1), severity="warning", code="brand-contrast",
            message=f"the {name} colour {value} has a contrast of {ratio:.1f}:1 against white; white text on "
                    f"it, and links in it, need {AA_TEXT}:1 to be readable (WCAG 2.2 AA)",
            hint=f"Use a darker shade{suggestion}")


def _tracking(settings: Settings, lines: _Lines) -> Iterator[Problem]:
    extra = settings.raw.get("extra") or {}
    if not isinstance(extra, Mapping) or not extra.get("analytics"):
        return
    yield Problem(
        path=settings.config_path, line=lines.get("extra.analytics", 1), severity="warning", code="tracking",
        message="analytics is turned on (extra.analytics): on a health practice's pages, tracking what "
                "visitors read can disclose their health information, and needs a business associate "
                "agreement (BAA) with the analytics provider",
        hint=f"Remove extra.analytics, or sign a BAA with the provider first (see {TRACKING_GUIDANCE})")
    if not extra.get("consent"):
        yield Problem(
            path=settings.config_path, line=lines.get("extra.analytics", 1), severity="error", code="consent",
            message="analytics is turned on without the consent banner: visitors are tracked before they "
                    "can say no",
            hint="Add extra.consent with a title and description (the theme then asks first), "
                 "or remove extra.analytics")

