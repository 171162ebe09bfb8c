"""Serve a built site on 127.0.0.1 and look at it in Debian's headless Chromium.

Shared by the tests that need a real browser (screenshots, accessibility,
"no request leaves the site"). Python ``playwright`` drives the Chromium that
``scripts/peers`` installs from Debian; ``playwright install`` is never run.

    with serve(site) as base_url, chromium() as browser:
        with open_page(browser, base_url + "blog/", PHONE) as visit:
            visit.page.screenshot(path=...)
            assert not visit.foreign_requests
"""

from __future__ import annotations

import http.server
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fakes.server import serving

# Where Debian's package puts it; scripts/peers installs it.
CHROMIUM = Path("/usr/bin/chromium")

# Flags that work as root in a container (see ../shared/recipes.md). Playwright
# adds --headless and a fresh profile itself.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@dataclass(frozen=True)
class Viewport:
    """A browser window size in CSS pixels."""

    name: str
    width: int
    height: int
    is_mobile: bool = False


DESKTOP = Viewport("desktop", 1366, 900)
PHONE = Viewport("phone", 390, 844, is_mobile=True)  # an iPhone 12-15 in portrait


def chromium_or_skip() -> Path:
    """The Chromium binary, or skip the test saying how to install it."""
    found = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        pytest.skip("Debian chromium is not installed: run scripts/peers (or apt-get install chromium)")
    return Path(found)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve the folder ``site`` on 127.0.0.1 at a free port; yield its base URL (ending in "/")."""
    with serving(partial(_QuietHandler, directory=str(site)), name="site-server") as base_url:
        yield base_url


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by playwright (a ``playwright.sync_api.Browser``)."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright  # imported late: only browser tests need it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """One page opened in its own browser context, with every request it made."""

    page: Any  # playwright.sync_api.Page
    origin: str
    requests: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        """Requests to any host but the local server (fonts, CDNs, trackers...)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and _origin(url) != self.origin
        ]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def open_page(browser: Any, url: str, viewport: Viewport = DESKTOP) -> Iterator[Visit]:
    """Open ``url`` at ``viewport`` and wait until it has loaded.

    Requests to other hosts are recorded and blocked, so a test never reaches
    the internet and can assert that the page did not try to.
    """
    context = browser.new_context(
        viewport={"width": viewport.width, "height": viewport.height},
        is_mobile=viewport.is_mobile,
        has_touch=viewport.is_mobile,
        device_scale_factor=1,
        reduced_motion="reduce",
    )
    visit = Visit(page=context.new_page(), origin=_origin(url))

    def route(route: Any) -> None:
        visit.requests.append(route.request.url)
        if _origin(route.request.url) == visit.origin:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    try:
        visit.page.goto(url, wait_until="load")
        yield visit
    finally:
        context.close()
