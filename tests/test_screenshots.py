"""The sample practice in headless Chromium at desktop and phone widths.

Each test takes a full-page screenshot (the folder is printed, or set
SCREENSHOTS_DIR to choose it) and checks what a person would notice: the
header in the brand colour, a visible logo, readable colours, nothing wider
than the screen, no broken image, the footer, and on articles the booking
call to action and the disclaimer.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browser import DESKTOP, PHONE, Viewport, Visit, chromium, open_page, serve
from PIL import Image

from syndicate.config import Settings, load_settings
from syndicate.site import read_site

VIEWPORTS = (DESKTOP, PHONE)
WCAG_AA_TEXT = 4.5  # minimum contrast of normal text, https://www.w3.org/TR/WCAG22/#contrast-minimum


@pytest.fixture(scope="module")
def settings(built_project: Path) -> Settings:
    """The sample practice's settings."""
    return load_settings(built_project / "mkdocs.yml")


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    """The built sample served on 127.0.0.1."""
    with serve(built_site) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module (skips when Debian chromium is missing)."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the PNGs go: $SCREENSHOTS_DIR, or a fresh temporary folder."""
    chosen = os.environ.get("SCREENSHOTS_DIR")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _article_path(settings: Settings) -> str:
    """The URL path of the newest published article."""
    newest = max(read_site(settings).values(), key=lambda page: page.url)
    return quote(newest.path.parent.relative_to(settings.site_dir).as_posix()) + "/"


def _rgb(css_color: str) -> tuple[float, float, float]:
    """A computed CSS colour (``rgb(…)`` or ``color(srgb …)``) as 0-255 channels."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css_color)]
    if css_color.startswith("color(srgb"):
        return numbers[0] * 255, numbers[1] * 255, numbers[2] * 255
    return numbers[0], numbers[1], numbers[2]


def _hex_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _contrast(one: tuple[float, float, float], two: tuple[float, float, float]) -> float:
    """WCAG 2.2 contrast ratio, https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio."""

    def luminance(rgb: tuple[float, float, float]) -> float:
        linear = [(c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _tell(request: pytest.FixtureRequest, line: str) -> None:
    """Print past pytest's output capture, so a person finds the screenshots."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")  # noqa: T201 - for the person running the tests


# Reads, in the page, the colours and boxes the assertions need.
_MEASURE = """() => {
  const style = (selector) => { const e = document.querySelector(selector); return e && getComputedStyle(e); };
  const box = (selector) => {
    const e = document.querySelector(selector);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  };
  const logo = document.querySelector(".md-header .md-logo img");
  const link = document.querySelector("article a:not(.md-button):not(.headerlink):not(.md-tag)");
  return {
    scrollWidth: document.documentElement.scrollWidth,
    header: box(".md-header"),
    headerColor: style(".md-header").color,
    headerBackground: style(".md-header").backgroundColor,
    logo: box(".md-header .md-logo img"),
    logoLoaded: !!logo && logo.complete && logo.naturalWidth > 0,
    bodyBackground: getComputedStyle(document.body).backgroundColor,
    linkColor: link && getComputedStyle(link).color,
    brokenImages: [...document.images].filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.src),
  };
}"""


@dataclass(frozen=True)
class Shown:
    """One page open at one width: its screenshot and what was measured in it."""

    name: str  # "home" or "article"
    viewport: Viewport
    visit: Visit
    png: Image.Image
    measured: dict[str, Any]
    shot: Path  # where the screenshot was written

    @property
    def page(self) -> Any:
        """The playwright page, to ask it more."""
        return self.visit.page


@pytest.fixture(
    scope="module",
    params=[(name, viewport) for name in ("home", "article") for viewport in VIEWPORTS],
    ids=lambda param: f"{param[0]}-{param[1].name}",
)
def shown(
    request: pytest.FixtureRequest, browser: Any, site_url: str, settings: Settings, screenshots: Path
) -> Iterator[Shown]:
    """A page opened at one width, screenshot taken, measurements read."""
    name, viewport = request.param
    path = "" if name == "home" else _article_path(settings)
    with open_page(browser, site_url + path, viewport) as visit:
        png = visit.page.screenshot(full_page=True)
        shot = screenshots / f"{name}-{viewport.name}-{viewport.width}x{viewport.height}.png"
        shot.write_bytes(png)
        _tell(request, f"screenshot: {shot}")
        yield Shown(
            name=name,
            viewport=viewport,
            visit=visit,
            png=Image.open(io.BytesIO(png)).convert("RGB"),
            measured=visit.page.evaluate(_MEASURE),
            shot=shot,
        )


def test_the_header_shows_the_brand_colour(shown: Shown, settings: Settings) -> None:
    header = shown.measured["header"]
    # A point of the header's top edge, above the logo and the title.
    x, y = int(header["x"] + header["width"] / 2), int(header["y"] + 3)
    pixel = shown.png.getpixel((x, y))
    brand = _hex_rgb(settings.practice.colors["primary"])
    assert all(abs(a - b) <= 2 for a, b in zip(pixel, brand, strict=True)), (
        f"header pixel {pixel} is not the brand colour {brand} in {shown.shot}"
    )


def test_the_logo_is_visible(shown: Shown) -> None:
    logo = shown.measured["logo"]
    assert shown.measured["logoLoaded"], f"the logo image did not load ({shown.shot})"
    assert logo["width"] >= 24 and logo["height"] >= 24, f"the logo is drawn at {logo} ({shown.shot})"
    header = shown.measured["header"]
    assert header["y"] <= logo["y"] and logo["y"] + logo["height"] <= header["y"] + header["height"]
    assert shown.page.locator(".md-header .md-logo img").is_visible()


def test_text_colours_are_readable(shown: Shown) -> None:
    measured = shown.measured
    header = _contrast(_rgb(measured["headerColor"]), _rgb(measured["headerBackground"]))
    assert header >= WCAG_AA_TEXT, f"header text contrast {header:.2f}"
    if measured["linkColor"]:
        links = _contrast(_rgb(measured["linkColor"]), _rgb(measured["bodyBackground"]))
        assert links >= WCAG_AA_TEXT, f"link contrast {links:.2f}"


def test_nothing_is_wider_than_the_screen(shown: Shown) -> None:
    # Compared with the screen, not window.innerWidth: a phone widens its layout
    # viewport to fit content that overflows, hiding the overflow from innerWidth.
    width, screen = shown.measured["scrollWidth"], shown.viewport.width
    assert width <= screen, f"the page scrolls sideways: {width}px wide on a {screen}px screen ({shown.shot})"


def test_no_image_is_broken_and_nothing_is_fetched_from_another_host(shown: Shown) -> None:
    assert shown.measured["brokenImages"] == []
    assert shown.visit.foreign_requests == []


def test_the_footer_shows_the_practice(shown: Shown, settings: Settings) -> None:
    footer = shown.page.locator("footer .practice-footer")
    footer.scroll_into_view_if_needed()
    assert footer.is_visible()
    text = " ".join(footer.inner_text().split())
    practice = settings.practice
    for expected in (practice.name, practice.address["street"], practice.phone_display):
        assert expected in text, f"{expected!r} is not in the footer ({shown.shot})"


@pytest.mark.parametrize(
    "shown",
    [("article", viewport) for viewport in VIEWPORTS],
    indirect=True,
    ids=[f"article-{viewport.name}" for viewport in VIEWPORTS],
)
def test_an_article_shows_booking_and_the_disclaimer(shown: Shown, settings: Settings) -> None:
    page = shown.page
    booking = page.locator(f"article a[href='{settings.practice.booking_url}']").first
    booking.scroll_into_view_if_needed()
    assert booking.is_visible() and "Book an appointment" in booking.inner_text()
    box = booking.bounding_box()
    assert box is not None and box["height"] >= 36, "the booking button is too small to tap"
    assert page.get_by_label("Medical disclaimer").is_visible()
