"""Google Business Profile updates ("local posts") through the My Business API v4.

A post has a summary, a call to action (``LEARN_MORE`` to the article, or
``BOOK`` / ``CALL``) and the article's image. Access tokens last an hour, so
the client can mint one from a refresh token (``GOOGLE_BUSINESS_CLIENT_ID``,
``GOOGLE_BUSINESS_CLIENT_SECRET``, ``GOOGLE_BUSINESS_REFRESH_TOKEN``), or use
``GOOGLE_BUSINESS_ACCESS_TOKEN`` as given.

API: https://developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts
(``summary``, ``topicType: STANDARD``, ``callToAction{actionType, url}``,
``media[{mediaFormat: PHOTO, sourceUrl}]``, ``languageCode``; the response's
``name`` and ``searchUrl``). Tokens: https://developers.google.com/identity/protocols/oauth2/web-server#offline
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from ..errors import AccessError, PlatformError, Unresolvable
from ..http import error_text, register_secret
from .clients import Post, Progress, Remote, Setup

DEFAULT_API = "https://mybusiness.googleapis.com/v4"
TOKEN_URL = "https://oauth2.googleapis.com/token"
REFRESH = ("GOOGLE_BUSINESS_CLIENT_ID", "GOOGLE_BUSINESS_CLIENT_SECRET", "GOOGLE_BUSINESS_REFRESH_TOKEN")
RECENT = 20


class GoogleBusiness:
    """Posts updates to one Business Profile location."""

    name = "google_business"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        self.base = setup.api_base(DEFAULT_API)
        self.location = f"accounts/{setup.setting('account_id')}/locations/{setup.setting('location_id')}"
        self.token_url = str(setup.settings.get("token_url") or TOKEN_URL)
        self._token = setup.optional_credential("GOOGLE_BUSINESS_ACCESS_TOKEN")
        self._refresh: tuple[str, ...] | None = None
        if self._token is None or any(setup.env.get(n) for n in REFRESH):
            missing = [n for n in REFRESH if not setup.env.get(n, "").strip()]
            if missing and not setup.dry_run:
                raise AccessError(self.name, f"{', '.join(missing)} (or GOOGLE_BUSINESS_ACCESS_TOKEN) not set, "
                                  "so nothing was posted here. Add them as repository secrets (README: Posting)")
            self._refresh = setup.credentials(*REFRESH)

    def _headers(self) -> dict[str, str]:
        if self._refresh is not None:  # mint an access token once per run
            client_id, secret, refresh = self._refresh
            response = self.sender.request("POST", self.token_url, idempotent=True, data={
                "client_id": client_id, "client_secret": secret, "refresh_token": refresh,
                "grant_type": "refresh_token"})
            if response.status_code >= 400:
                raise AccessError(self.name, f"the GOOGLE_BUSINESS_* refresh token was refused "
                                  f"({error_text(response)}). Authorize the app again to get a new one")
            self._token = register_secret(str(response.json()["access_token"]))
            self._refresh = None
        return {"Authorization": f"Bearer {self._token}"}

    def _check(self, response: httpx.Response, doing: str) -> None:
        if response.status_code == 401:
            raise AccessError(self.name, f"the access token was refused while {doing} ({error_text(response)})")
        if response.status_code == 403:
            raise AccessError(self.name, f"permission refused while {doing} ({error_text(response)}); the "
                              "account must manage this location and the API must be enabled")
        if response.status_code >= 400:
            raise PlatformError(self.name, f"{doing} failed: HTTP {response.status_code}: {error_text(response)}")

    def body(self, post: Post) -> dict[str, Any]:
        """The ``LocalPost`` body."""
        fields = post.fields
        given = fields.get("call_to_action") or {}
        kind = str(given.get("actionType") or given.get("action_type") or "LEARN_MORE")
        action = {"actionType": kind}
        if kind != "CALL":  # CALL uses the profile's phone number and takes no URL
            action["url"] = str(given.get("url") or post.link)
        body: dict[str, Any] = {
            "languageCode": str(fields.get("language_code") or post.language),
            "summary": str(fields.get("summary") or post.text),
            "topicType": str(fields.get("topic_type") or "STANDARD"),
            "callToAction": action,
        }
        if post.image_url:
            body["media"] = [{"mediaFormat": "PHOTO", "sourceUrl": post.image_url}]
        return body

    def post(self, post: Post, progress: Progress) -> Remote:
        """Create the local post."""
        headers = self._headers()
        response = self.sender.request("POST", f"{self.base}/{self.location}/localPosts", idempotent=False,
                                       headers=headers, json=self.body(post))
        self._check(response, "posting")
        created = response.json()
        return Remote(id=str(created["name"]), url=created.get("searchUrl"))

    def find(self, post: Post, since: datetime) -> Remote | None:
        """Look for the same summary among the location's recent posts."""
        response = self.sender.request("GET", f"{self.base}/{self.location}/localPosts", idempotent=True,
                                       headers=self._headers(), params={"pageSize": RECENT})
        self._check(response, "reading recent posts")
        items = response.json().get("localPosts") or []
        summary = str(post.fields.get("summary") or post.text)
        for item in items:
            if item.get("summary") == summary:
                return Remote(id=str(item["name"]), url=item.get("searchUrl"))
        if len(items) < RECENT:
            return None
        raise Unresolvable(self.name, f"more than {RECENT} posts; cannot look far enough back")

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Never: no idempotency key."""
        return False

    def warnings(self) -> list[str]:
        """Refresh tokens do not expire while used; nothing to say."""
        return []


def create(setup: Setup) -> GoogleBusiness:
    """The Google Business Profile client for one run."""
    return GoogleBusiness(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    if request.url.path.endswith("/token"):
        return httpx.Response(200, json={"access_token": "dry-run"})
    return httpx.Response(200, json={"name": "accounts/0/locations/0/localPosts/0", "localPosts": []})
