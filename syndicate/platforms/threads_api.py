"""Threads posts through the Threads API.

Two steps, like Instagram: create a container (a text post whose
``link_attachment`` becomes the preview card from the article's Open Graph
tags), then publish it. The container id is recorded between the steps, and
an interrupted publish is settled by asking the container for its status.

API: https://developers.facebook.com/docs/threads/posts (``media_type=TEXT``,
``link_attachment``, ``threads_publish``; 250 posts a day; container ``status``:
EXPIRED, ERROR, FINISHED, IN_PROGRESS, PUBLISHED).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from ..errors import PlatformError
from . import graph_api
from .clients import Post, Progress, Remote, Setup

DEFAULT_API = "https://graph.threads.net/v1.0"
TOKEN = "THREADS_ACCESS_TOKEN"
POLLS = 10
POLL_SECONDS = 3.0


class Threads:
    """Publishes a text post with a link card to one Threads profile."""

    name = "threads"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        self.base = setup.api_base(DEFAULT_API)
        self.user = str(setup.settings.get("user_id") or "me")
        (self.token,) = setup.credentials(TOKEN)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def _get(self, path: str, fields: str, doing: str) -> dict[str, Any]:
        response = self.sender.request("GET", f"{self.base}/{path}", idempotent=True, headers=self._headers(),
                                       params={"fields": fields})
        graph_api.check(self.name, response, doing, TOKEN)
        body: dict[str, Any] = response.json()
        return body

    def post(self, post: Post, progress: Progress) -> Remote:
        """Container, wait until it is ready, publish, read the permalink."""
        response = self.sender.request(
            "POST", f"{self.base}/{self.user}/threads", idempotent=True, headers=self._headers(),
            data={"media_type": "TEXT", "text": post.text,
                  "link_attachment": str(post.fields.get("link_attachment") or post.link)})
        graph_api.check(self.name, response, "creating the post container", TOKEN)
        container = str(response.json()["id"])
        progress({"container": container})
        for _ in range(POLLS):
            status = self._get(container, "status,error_message", "waiting for the post").get("status")
            if status in ("FINISHED", None):
                break
            if status in ("ERROR", "EXPIRED"):
                raise PlatformError(self.name, f"Threads refused the post container ({status})")
            self.sender.sleep(POLL_SECONDS)
        else:
            raise PlatformError(self.name, "the post was still being prepared after waiting; tried again next run")
        response = self.sender.request("POST", f"{self.base}/{self.user}/threads_publish", idempotent=False,
                                       headers=self._headers(), data={"creation_id": container})
        graph_api.check(self.name, response, "publishing", TOKEN)
        media_id = str(response.json()["id"])
        return Remote(id=media_id, url=self._get(media_id, "permalink", "reading the post's link").get("permalink"))

    def find(self, post: Post, since: datetime) -> Remote | None:
        """The container an earlier attempt recorded says whether it was published."""
        container = post.progress.get("container")
        if not container:
            return None
        if self._get(str(container), "status", "checking the earlier attempt").get("status") != "PUBLISHED":
            return None
        recent = self._get(f"{self.user}/threads", "id,text,permalink,timestamp", "reading recent posts")
        for item in recent.get("data") or []:
            if item.get("text") == post.text:
                return Remote(id=str(item["id"]), url=item.get("permalink"))
        return Remote(id=str(container), url=None)

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Settled by ``find`` instead."""
        return False

    def warnings(self) -> list[str]:
        """Long-lived Threads tokens last 60 days: THREADS_TOKEN_EXPIRES says when."""
        found = graph_api.expiry_warning(self.setup, TOKEN)
        return [found] if found else []


def create(setup: Setup) -> Threads:
    """The Threads client for one run."""
    return Threads(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    path = request.url.path
    if path.endswith("/threads") and request.method == "POST":
        return httpx.Response(200, json={"id": "dry-run-container"})
    if path.endswith("/threads_publish"):
        return httpx.Response(200, json={"id": "dry-run"})
    return httpx.Response(200, json={"status": "FINISHED", "permalink": "https://www.threads.net/@dry/post/run"})
