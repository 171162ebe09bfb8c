"""Mastodon's REST API on the practice's own instance.

Every status is sent with an ``Idempotency-Key`` (the attempt's key): the
server remembers it for an hour and answers a repeat with the status it made
the first time, so a lost answer may be retried safely within that hour.
After it, an uncertain attempt is settled by looking through the account's
recent statuses for the article's link. Limits come from the instance itself.

API: https://docs.joinmastodon.org/methods/statuses/#create,
https://docs.joinmastodon.org/methods/media/#v2, https://docs.joinmastodon.org/methods/instance/#v2;
the server side: ``mastodon/mastodon`` ``app/services/post_status_service.rb``.
"""

from __future__ import annotations

import html
import mimetypes
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import AccessError, OutcomeUnknown, PlatformError, Unresolvable
from ..http import error_text
from ..text import mastodon_length
from .clients import Post, Progress, Remote, Setup

# The server keeps an idempotency key for 3,600 s (PostStatusService); leave a margin for clock skew.
IDEMPOTENCY_WINDOW = timedelta(minutes=50)
# Defaults when /api/v2/instance does not say: StatusLengthValidator::MAX_CHARS and URL_PLACEHOLDER_CHARS,
# MediaAttachment description limit (app/validators/status_length_validator.rb, app/models/media_attachment.rb).
MAX_CHARACTERS = 500
URL_CHARACTERS = 23
DESCRIPTION_LIMIT = 1500
RECENT = 40  # statuses per page of GET /api/v1/accounts/:id/statuses (its maximum)
MEDIA_POLLS = 10

def _default_base(setup: Setup) -> str | None:
    handle = setup.practice_handles.get("mastodon", "")
    parts = handle.lstrip("@").split("@")
    return f"https://{parts[1]}" if len(parts) == 2 and parts[1] else None


class Mastodon:
    """Posts to one Mastodon account."""

    name = "mastodon"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        default = _default_base(setup)
        if not setup.settings.get("api_base") and default is None:
            raise AccessError(self.name, "set extra.syndication.platforms.mastodon.api_base to your instance's "
                              "address (e.g. https://mastodon.social), or extra.practice.handles.mastodon")
        self.base = setup.api_base(default)
        (self.token,) = setup.credentials("MASTODON_ACCESS_TOKEN")
        self.attach_image = setup.settings.get("attach_image", True) is not False
        self._instance: dict[str, Any] | None = None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def _check(self, response: httpx.Response, doing: str) -> None:
        if response.status_code in (401, 403):
            raise AccessError(self.name, f"MASTODON_ACCESS_TOKEN was refused by {urlsplit(self.base).netloc} while "
                              f"{doing} ({error_text(response)}). Make a token with the write:statuses, "
                              "write:media and read:accounts scopes under Preferences, Development")
        if response.status_code >= 400:
            raise PlatformError(self.name, f"{doing} failed: HTTP {response.status_code}: {error_text(response)}")

    # -- the instance ---------------------------------------------------------------

    def instance(self) -> dict[str, Any]:
        """The instance's limits (``configuration`` of ``GET /api/v2/instance``)."""
        if self._instance is None:
            response = self.sender.request("GET", f"{self.base}/api/v2/instance", idempotent=True)
            configuration: dict[str, Any] = {}
            if response.status_code == 200:
                configuration = (response.json() or {}).get("configuration") or {}
            self._instance = configuration
        return self._instance

    def _limits(self) -> tuple[int, int, int]:
        config = self.instance()
        statuses = config.get("statuses") or {}
        media = config.get("media_attachments") or {}
        return (int(statuses.get("max_characters") or MAX_CHARACTERS),
                int(statuses.get("characters_reserved_per_url") or URL_CHARACTERS),
                int(media.get("description_limit") or DESCRIPTION_LIMIT))

    # -- posting --------------------------------------------------------------------

    def _upload(self, post: Post, description_limit: int) -> str | None:
        if not self.attach_image or post.image_path is None:
            return None
        mime = mimetypes.guess_type(post.image_path.name)[0] or "image/jpeg"
        # An unattached upload is deleted by the server later: uploading again is harmless, and
        # a lost answer here leaves no post behind.
        try:
            response = self.sender.request(
                "POST", f"{self.base}/api/v2/media", idempotent=True, headers=self._headers(),
                files={"file": (post.image_path.name, post.image_path.read_bytes(), mime)},
                data={"description": (post.image_alt or "")[:description_limit]})
        except OutcomeUnknown as exc:
            raise PlatformError(self.name, f"uploading the image failed, nothing was posted ({exc})") from None
        self._check(response, "uploading the image")
        media = response.json()
        polls = 0
        while response.status_code == 202 and polls < MEDIA_POLLS:  # still processing
            self.sender.sleep(1.0)
            polls += 1
            response = self.sender.request("GET", f"{self.base}/api/v1/media/{media['id']}", idempotent=True,
                                           headers=self._headers())
            if response.status_code == 200:
                break
        return str(media["id"])

    def post(self, post: Post, progress: Progress) -> Remote:
        """Upload the image with its alt text, then create the status under the attempt's idempotency key."""
        max_characters, url_length, description_limit = self._limits()
        length = mastodon_length(post.text, url_length)
        if length > max_characters:
            raise PlatformError(self.name, f"the post is {length} characters and {urlsplit(self.base).netloc} "
                                f"allows {max_characters}; set max_characters: {max_characters} under "
                                "extra.syndication.platforms.mastodon and build again")
        media_id = self._upload(post, description_limit)
        body: dict[str, Any] = {"status": post.text,
                                "visibility": str(post.fields.get("visibility") or "public"),
                                "language": str(post.fields.get("language") or post.language)}
        if media_id:
            body["media_ids"] = [media_id]
        response = self.sender.request(
            "POST", f"{self.base}/api/v1/statuses", idempotent=True,
            headers={**self._headers(), "Idempotency-Key": post.key}, json=body)
        self._check(response, "posting")
        status = response.json()
        return Remote(id=str(status["id"]), url=status.get("url") or status.get("uri"))

    # -- settling an uncertain attempt ------------------------------------------------

    def find(self, post: Post, since: datetime) -> Remote | None:
        """Look for the article's link among the account's statuses since the attempt."""
        response = self.sender.request("GET", f"{self.base}/api/v1/accounts/verify_credentials", idempotent=True,
                                       headers=self._headers())
        self._check(response, "reading the account")
        account_id = response.json()["id"]
        response = self.sender.request(
            "GET", f"{self.base}/api/v1/accounts/{account_id}/statuses", idempotent=True, headers=self._headers(),
            params={"limit": RECENT, "exclude_replies": "true", "exclude_reblogs": "true"})
        self._check(response, "reading recent posts")
        statuses = response.json()
        for status in statuses:
            content = html.unescape(status.get("content") or "")
            if post.link in content or post.canonical_url in content:
                return Remote(id=str(status["id"]), url=status.get("url") or status.get("uri"))
        oldest = min((datetime.fromisoformat(s["created_at"].replace("Z", "+00:00")) for s in statuses),
                     default=None)
        if len(statuses) < RECENT or (oldest is not None and oldest < since - timedelta(minutes=5)):
            return None  # every status since the attempt was looked at: it was not posted
        raise Unresolvable(self.name, f"more than {RECENT} posts since the attempt; cannot look far enough back")

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Within the hour the server remembers the idempotency key."""
        return now - since < IDEMPOTENCY_WINDOW

    def warnings(self) -> list[str]:
        """Mastodon tokens do not expire."""
        return []


def create(setup: Setup) -> Mastodon:
    """The Mastodon client for one run."""
    return Mastodon(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    path = request.url.path
    if path.endswith("/api/v2/instance"):
        return httpx.Response(200, json={"configuration": {"statuses": {"max_characters": MAX_CHARACTERS,
                                                                         "characters_reserved_per_url": 23}}})
    if path.endswith("/api/v2/media"):
        return httpx.Response(200, json={"id": "dry-run-media", "url": "https://dry.run/media.jpg"})
    if path.endswith("/api/v1/statuses"):
        return httpx.Response(200, json={"id": "dry-run", "url": "https://dry.run/@practice/1"})
    return httpx.Response(200, json={})
