"""LinkedIn posts (a member or an organization page) through the versioned Posts API.

LinkedIn does not fetch a link card for API posts, so the post carries
``content.article`` with the title, description and an uploaded thumbnail.
The commentary is "little text": reserved characters are escaped by the
renderer (``fields.commentary``), or LinkedIn cuts the post silently at the
first one.

API: https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
(``POST /rest/posts``, headers ``LinkedIn-Version`` and ``X-Restli-Protocol-Version: 2.0.0``;
the new post's URN in ``x-restli-id``), images:
https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api
(``POST /rest/images?action=initializeUpload``, then ``PUT`` the bytes to ``uploadUrl``).
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from typing import Any

import httpx

from ..errors import AccessError, OutcomeUnknown, PlatformError, Unresolvable
from ..http import error_text
from ..text import little_text
from . import graph_api
from .clients import Post, Progress, Remote, Setup

DEFAULT_API = "https://api.linkedin.com"
# Versions are supported for a year: https://learn.microsoft.com/en-us/linkedin/marketing/versioning
DEFAULT_VERSION = "202511"
TOKEN = "LINKEDIN_ACCESS_TOKEN"
RECENT = 20


class LinkedIn:
    """Posts to one LinkedIn member or organization."""

    name = "linkedin"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        self.base = setup.api_base(DEFAULT_API)
        self.author = setup.setting("author")
        if not self.author.startswith(("urn:li:person:", "urn:li:organization:")):
            raise AccessError(self.name, "extra.syndication.platforms.linkedin.author must be "
                              "urn:li:person:… or urn:li:organization:…")
        self.version = str(setup.settings.get("version") or DEFAULT_VERSION)
        (self.token,) = setup.credentials(TOKEN)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "LinkedIn-Version": self.version,
                "X-Restli-Protocol-Version": "2.0.0"}

    def _check(self, response: httpx.Response, doing: str) -> None:
        if response.status_code == 401:
            raise AccessError(self.name, f"{TOKEN} was refused while {doing} ({error_text(response)}); "
                              "LinkedIn tokens last 60 days: make a new one")
        if response.status_code == 403:
            raise AccessError(self.name, f"permission refused while {doing} ({error_text(response)}); the token "
                              "needs w_member_social (or w_organization_social for a page)")
        if response.status_code == 426:
            raise AccessError(self.name, f"LinkedIn-Version {self.version} is no longer served; set "
                              "extra.syndication.platforms.linkedin.version to a recent YYYYMM")
        if response.status_code >= 400:
            raise PlatformError(self.name, f"{doing} failed: HTTP {response.status_code}: {error_text(response)}")

    def _thumbnail(self, post: Post) -> str | None:
        if post.image_path is None:
            return None
        response = self.sender.request(
            "POST", f"{self.base}/rest/images", idempotent=True, headers=self._headers(),
            params={"action": "initializeUpload"}, json={"initializeUploadRequest": {"owner": self.author}})
        self._check(response, "preparing the image upload")
        value = response.json()["value"]
        mime = mimetypes.guess_type(post.image_path.name)[0] or "image/jpeg"
        try:  # the upload URL is pre-signed: no token goes with it
            upload = self.sender.request("PUT", value["uploadUrl"], idempotent=True,
                                         headers={"Content-Type": mime}, content=post.image_path.read_bytes())
        except OutcomeUnknown as exc:
            raise PlatformError(self.name, f"uploading the image failed, nothing was posted ({exc})") from None
        self._check(upload, "uploading the image")
        return str(value["image"])

    def body(self, post: Post, thumbnail: str | None) -> dict[str, Any]:
        """The ``POST /rest/posts`` body."""
        card = post.fields.get("article") or {}
        article: dict[str, Any] = {"source": str(card.get("source") or post.link),
                                   "title": str(card.get("title") or post.title),
                                   "description": str(card.get("description") or post.description)}
        if thumbnail:
            article["thumbnail"] = thumbnail
            if post.image_alt:
                article["thumbnailAltText"] = post.image_alt
        return {
            "author": self.author,
            "commentary": str(post.fields.get("commentary") or little_text(post.text)),
            "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "content": {"article": article},
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }

    def post(self, post: Post, progress: Progress) -> Remote:
        """Upload the thumbnail, then create the post; its URN comes back in ``x-restli-id``."""
        body = self.body(post, self._thumbnail(post))
        response = self.sender.request("POST", f"{self.base}/rest/posts", idempotent=False,
                                       headers=self._headers(), json=body)
        self._check(response, "posting")
        urn = response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id") or ""
        if not urn:
            raise OutcomeUnknown(self.name, "LinkedIn accepted the post but did not say its id")
        return Remote(id=urn, url=f"https://www.linkedin.com/feed/update/{urn}/")

    def find(self, post: Post, since: datetime) -> Remote | None:
        """Look for the article among the author's recent posts (needs read permission, else a person decides)."""
        headers = {**self._headers(), "X-RestLi-Method": "FINDER"}
        response = self.sender.request("GET", f"{self.base}/rest/posts", idempotent=True, headers=headers,
                                       params={"q": "author", "author": self.author, "count": RECENT,
                                               "sortBy": "LAST_MODIFIED"})
        if response.status_code in (401, 403):
            raise Unresolvable(self.name, "the token may not read posts")
        self._check(response, "reading recent posts")
        elements = response.json().get("elements") or []
        for element in elements:
            source = ((element.get("content") or {}).get("article") or {}).get("source")
            if source in (post.link, post.canonical_url):
                return Remote(id=element["id"], url=f"https://www.linkedin.com/feed/update/{element['id']}/")
        if len(elements) < RECENT:
            return None
        raise Unresolvable(self.name, f"more than {RECENT} posts since the attempt")

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Never: no idempotency key."""
        return False

    def warnings(self) -> list[str]:
        """Tokens last 60 days: LINKEDIN_TOKEN_EXPIRES (or LinkedIn's introspection, given the app's keys) says when."""
        found = self._introspect() or graph_api.expiry_warning(self.setup, TOKEN)
        return [found] if found else []

    def _introspect(self) -> str | None:
        client_id = self.setup.optional_credential("LINKEDIN_CLIENT_ID")
        secret = self.setup.optional_credential("LINKEDIN_CLIENT_SECRET")
        if not client_id or not secret:
            return None
        # https://learn.microsoft.com/en-us/linkedin/shared/authentication/token-introspection
        try:
            response = self.sender.request(
                "POST", str(self.setup.settings.get("oauth_base") or "https://www.linkedin.com") +
                "/oauth/v2/introspectToken", idempotent=True,
                data={"client_id": client_id, "client_secret": secret, "token": self.token})
        except PlatformError:
            return None
        expires = response.json().get("expires_at") if response.status_code == 200 else None
        if not expires:
            return None
        return graph_api.expires_message(TOKEN, datetime.fromtimestamp(int(expires), UTC), self.setup.now)


def create(setup: Setup) -> LinkedIn:
    """The LinkedIn client for one run."""
    return LinkedIn(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    if request.url.path.endswith("/rest/images"):
        return httpx.Response(200, json={"value": {"uploadUrl": "https://upload.dry.run/image",
                                                   "image": "urn:li:image:dry-run"}})
    if request.url.path.endswith("/rest/posts"):
        return httpx.Response(201, headers={"x-restli-id": "urn:li:share:0"})
    return httpx.Response(201)
