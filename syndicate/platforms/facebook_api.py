"""Facebook Page posts through the Graph API.

``POST /{page-id}/feed`` with ``message`` and ``link``: Facebook builds the
link card from the article page's Open Graph tags. There is no idempotency
key, so a lost answer is settled by reading the page's recent posts.

API: https://developers.facebook.com/docs/pages-api/posts
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from ..errors import OutcomeUnknown, Unresolvable
from . import graph_api
from .clients import Post, Progress, Remote, Setup

DEFAULT_API = "https://graph.facebook.com/v26.0"
TOKEN = "FACEBOOK_PAGE_ACCESS_TOKEN"
RECENT = 25


class Facebook:
    """Posts to one Facebook Page."""

    name = "facebook"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        self.base = setup.api_base(DEFAULT_API)
        self.page = setup.setting("page_id")
        (self.token,) = setup.credentials(TOKEN)
        self.graph = graph_api.Graph(name=self.name, sender=self.sender, base=self.base, token=self.token,
                                     token_var=TOKEN)

    def post(self, post: Post, progress: Progress) -> Remote:
        """Create the page post; its URL is the post's permalink."""
        post_id = self.graph.post(f"{self.page}/feed", {"message": post.text,
                                                        "link": str(post.fields.get("link") or post.link)},
                                  "posting", idempotent=False)
        return Remote(id=post_id, url=self._permalink(post_id))

    def _permalink(self, post_id: str) -> str:
        try:
            response = self.sender.request("GET", f"{self.base}/{post_id}", idempotent=True,
                                           headers=self.graph.headers(), params={"fields": "permalink_url"})
            if response.status_code == 200 and response.json().get("permalink_url"):
                return str(response.json()["permalink_url"])
        except OutcomeUnknown:
            pass
        return f"https://www.facebook.com/{post_id}"

    def find(self, post: Post, since: datetime) -> Remote | None:
        """Look for the same message among the page's posts since the attempt."""
        recent = self.graph.get(f"{self.page}/posts", "id,message,permalink_url,created_time",
                                "reading the page's posts", limit=RECENT,
                                since=int((since - timedelta(minutes=5)).timestamp()))
        posts: list[dict[str, Any]] = recent.get("data") or []
        for item in posts:
            if item.get("message") == post.text:
                return Remote(id=str(item["id"]), url=item.get("permalink_url"))
        if len(posts) < RECENT:
            return None
        raise Unresolvable(self.name, "too many page posts since the attempt to be sure")

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Never: the Graph API has no idempotency key."""
        return False

    def warnings(self) -> list[str]:
        """The page token's expiry, as the Graph API reports it."""
        found = graph_api.debug_token_warning(self.setup, self.base, self.token, TOKEN)
        return [found] if found else []


def create(setup: Setup) -> Facebook:
    """The Facebook Page client for one run."""
    return Facebook(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    if request.url.path.endswith("/feed"):
        return httpx.Response(200, json={"id": "1_2"})
    return httpx.Response(200, json={"permalink_url": "https://www.facebook.com/dry-run", "data": {}})
