"""Instagram posts (a business or creator account) through the Instagram Graph API.

Three steps: create a media container from the image on the live site (with
caption and alt text), wait until the container is ``FINISHED``, publish it.
The container's id is recorded in the ledger between the steps, so an
interrupted publish is settled by asking the container whether it was
``PUBLISHED``. Links in captions are not clickable: the caption says where.

API: https://developers.facebook.com/docs/instagram-platform/content-publishing
(containers, ``status_code``: EXPIRED, ERROR, FINISHED, IN_PROGRESS, PUBLISHED;
``alt_text`` on image containers; 100 API-published posts per 24 hours).
"""

from __future__ import annotations

from datetime import datetime

import httpx

from ..errors import PlatformError, RateLimited
from . import graph_api
from .clients import Post, Progress, Remote, Setup

DEFAULT_API = "https://graph.facebook.com/v26.0"
TOKEN = "INSTAGRAM_ACCESS_TOKEN"
POLLS = 20  # about a minute: Meta asks to poll once a minute at most for up to five minutes
POLL_SECONDS = 3.0


class Instagram:
    """Publishes an image post to one Instagram professional account."""

    name = "instagram"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        self.base = setup.api_base(DEFAULT_API)
        self.user = setup.setting("user_id")
        (self.token,) = setup.credentials(TOKEN)
        self.graph = graph_api.Graph(name=self.name, sender=self.sender, base=self.base, token=self.token,
                                     token_var=TOKEN)

    def _quota(self) -> None:
        usage = self.graph.get(f"{self.user}/content_publishing_limit", "quota_usage,config", "reading the quota")
        data = (usage.get("data") or [{}])[0]
        total = (data.get("config") or {}).get("quota_total")
        if total is not None and data.get("quota_usage", 0) >= total:
            raise RateLimited(self.name, f"the account has used its {total} posts for the last 24 hours",
                              until=None)

    def post(self, post: Post, progress: Progress) -> Remote:
        """Container, wait until it is ready, publish, read the permalink."""
        if not post.image_url:
            raise PlatformError(self.name, f"Instagram needs an image: add 'image:' to {post.source}")
        self._quota()
        fields = post.fields
        container = self.graph.post(
            f"{self.user}/media", {"image_url": post.image_url, "caption": str(fields.get("caption") or post.text),
                                   "alt_text": str(fields.get("alt_text") or post.image_alt or "")},
            "creating the media container", idempotent=True)
        progress({"container": container})
        for attempt in range(POLLS):
            status = self.graph.get(container, "status_code,status", "waiting for the image").get("status_code")
            if status == "FINISHED":
                break
            if status in ("ERROR", "EXPIRED"):
                raise PlatformError(self.name, f"Instagram could not use the image {post.image_url} ({status}); "
                                    "check it is a JPEG between 4:5 and 1.91:1 on the live site")
            self.sender.sleep(POLL_SECONDS * (1 + attempt // 5))
        else:
            raise PlatformError(self.name, "the image was still being processed after waiting; tried again next run")
        return graph_api.publish(self.graph, f"{self.user}/media_publish", container)

    def find(self, post: Post, since: datetime) -> Remote | None:
        """The container an earlier attempt recorded says whether it was published."""
        return graph_api.find_published(self.graph, post.progress.get("container"), status="status_code",
                                        listing=f"{self.user}/media", text_field="caption",
                                        text=str(post.fields.get("caption") or post.text))

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Settled by ``find`` instead: the container's status is authoritative."""
        return False

    def warnings(self) -> list[str]:
        """The token's expiry, from the Graph API when it can say, else from INSTAGRAM_TOKEN_EXPIRES."""
        found = graph_api.debug_token_warning(self.setup, self.base, self.token, TOKEN) \
            if "graph.facebook.com" in self.base else None
        found = found or graph_api.expiry_warning(self.setup, TOKEN)
        return [found] if found else []


def create(setup: Setup) -> Instagram:
    """The Instagram client for one run."""
    return Instagram(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    path = request.url.path
    if path.endswith("/content_publishing_limit"):
        return httpx.Response(200, json={"data": [{"quota_usage": 0, "config": {"quota_total": 100}}]})
    if path.endswith("/media") and request.method == "POST":
        return httpx.Response(200, json={"id": "dry-run-container"})
    if path.endswith("/media_publish"):
        return httpx.Response(200, json={"id": "dry-run-media"})
    return httpx.Response(200, json={"status_code": "FINISHED", "permalink": "https://www.instagram.com/p/dry-run/"})
