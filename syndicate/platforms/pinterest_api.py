"""Pinterest pins through API v5.

A pin is the article's image from the live site, a title, a description, alt
text and the link back to the article, saved to the board named in the
settings. No idempotency key: an unknown outcome is settled by reading the
board's pins for the link.

API: ``POST /v5/pins``, ``GET /v5/boards/{board_id}/pins`` (OpenAPI:
``pinterest/api-description`` ``v5/openapi.json``; ``PinCreate``: title 100,
description 800, alt_text 500, link 2048 characters).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from ..errors import AccessError, PlatformError, Unresolvable
from ..http import error_text
from . import graph_api
from .clients import Post, Progress, Remote, Setup

DEFAULT_API = "https://api.pinterest.com/v5"
TOKEN = "PINTEREST_ACCESS_TOKEN"
RECENT = 25


class Pinterest:
    """Saves pins to one board."""

    name = "pinterest"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        self.base = setup.api_base(DEFAULT_API)
        self.board = setup.setting("board_id")
        (self.token,) = setup.credentials(TOKEN)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def _check(self, response: httpx.Response, doing: str) -> None:
        if response.status_code == 401:
            raise AccessError(self.name, f"{TOKEN} was refused while {doing} ({error_text(response)})")
        if response.status_code == 403:
            raise AccessError(self.name, f"permission refused while {doing} ({error_text(response)}); the token "
                              "needs pins:write and boards:read")
        if response.status_code >= 400:
            raise PlatformError(self.name, f"{doing} failed: HTTP {response.status_code}: {error_text(response)}")

    def body(self, post: Post) -> dict[str, Any]:
        """The ``PinCreate`` body."""
        fields = post.fields
        body: dict[str, Any] = {
            "board_id": self.board,
            "title": str(fields.get("title") or post.title)[:100],
            "description": str(fields.get("description") or post.text)[:800],
            "link": str(fields.get("link") or post.link),
            "media_source": {"source_type": "image_url", "url": post.image_url},
        }
        alt = fields.get("alt_text") or post.image_alt
        if alt:
            body["alt_text"] = str(alt)[:500]
        return body

    def post(self, post: Post, progress: Progress) -> Remote:
        """Create the pin."""
        if not post.image_url:
            raise PlatformError(self.name, f"a pin needs an image: add 'image:' to {post.source}")
        response = self.sender.request("POST", f"{self.base}/pins", idempotent=False, headers=self._headers(),
                                       json=self.body(post))
        self._check(response, "saving the pin")
        pin = str(response.json()["id"])
        return Remote(id=pin, url=f"https://www.pinterest.com/pin/{pin}/")

    def find(self, post: Post, since: datetime) -> Remote | None:
        """Look for the article's link among the board's newest pins."""
        response = self.sender.request("GET", f"{self.base}/boards/{self.board}/pins", idempotent=True,
                                       headers=self._headers(), params={"page_size": RECENT})
        self._check(response, "reading the board")
        items = response.json().get("items") or []
        link = str(post.fields.get("link") or post.link)
        for pin in items:
            if pin.get("link") in (link, post.canonical_url):
                return Remote(id=str(pin["id"]), url=f"https://www.pinterest.com/pin/{pin['id']}/")
        if len(items) < RECENT:
            return None
        raise Unresolvable(self.name, f"more than {RECENT} pins on the board; cannot look far enough back")

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Never: no idempotency key."""
        return False

    def warnings(self) -> list[str]:
        """Pinterest access tokens last 30 days: PINTEREST_TOKEN_EXPIRES says when."""
        found = graph_api.expiry_warning(self.setup, TOKEN)
        return [found] if found else []


def create(setup: Setup) -> Pinterest:
    """The Pinterest client for one run."""
    return Pinterest(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    return httpx.Response(201, json={"id": "1", "items": []})
