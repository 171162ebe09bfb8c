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
        self.user = str(setup.settings.get("user_id") or "me")
        (token,) = setup.credentials(TOKEN)
        self.graph = graph_api.Graph(name=self.name, sender=self.sender, base=setup.api_base(DEFAULT_API),
                                     token=token, token_var=TOKEN)

    def post(self, post: Post, progress: Progress) -> Remote:
        """Container, wait until it is ready, publish, read the permalink."""
        container = self.graph.post(
            f"{self.user}/threads", {"media_type": "TEXT", "text": post.text,
                                     "link_attachment": str(post.fields.get("link_attachment") or post.link)},
            "creating the post container", idempotent=True)
        progress({"container": container})
        for _ in range(POLLS):
            status = self.graph.get(container, "status,error_message", "waiting for the post").get("status")
            if status in ("FINISHED", None):
                break
            if status in ("ERROR", "EXPIRED"):
                raise PlatformError(self.name, f"Threads refused the post container ({status})")
            self.sender.sleep(POLL_SECONDS)
        else:
            raise PlatformError(self.name, "the post was still being prepared after waiting; tried again next run")
        return graph_api.publish(self.graph, f"{self.user}/threads_publish", container)

    def find(self, post: Post, since: datetime) -> Remote | None:
        """The container an earlier attempt recorded says whether it was published."""
        return graph_api.find_published(self.graph, post.progress.get("container"), status="status",
                                        listing=f"{self.user}/threads", text_field="text", text=post.text)

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
