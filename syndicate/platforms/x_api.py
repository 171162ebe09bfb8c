"""X (formerly Twitter) posts through API v2, signed with OAuth 1.0a user context.

OAuth 1.0a tokens do not expire, which suits an unattended CI job (OAuth 2.0
user tokens last two hours and rotate their refresh token, which a CI secret
cannot follow). oauthlib signs the requests.

X bills posts that carry a URL at a higher rate and has no idempotency key:
a create is never retried blindly. An unknown outcome is settled by reading
the account's posts since the attempt and looking for the article's link;
X also refuses a duplicate text, which confirms an earlier post.

API: ``POST /2/tweets``, ``GET /2/users/me``, ``GET /2/users/{id}/tweets``
(OpenAPI: ``xdevplatform/xdk`` ``specs/openapi.json``). The link card comes from
the page's ``twitter:card`` tags; attaching media would replace it.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from oauthlib import oauth1

from ..errors import AccessError, PlatformError, Unresolvable
from ..http import error_text
from .clients import Post, Progress, Remote, Setup

DEFAULT_API = "https://api.x.com"
WEB = "https://x.com"
CREDENTIALS = ("X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET")
RECENT = 20


class OAuth1(httpx.Auth):
    """OAuth 1.0a signatures for httpx requests (a form body is signed, a JSON body is not, per RFC 5849)."""

    def __init__(self, key: str, secret: str, token: str, token_secret: str) -> None:
        self.client = oauth1.Client(key, client_secret=secret, resource_owner_key=token,
                                    resource_owner_secret=token_secret)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the Authorization header."""
        content_type = request.headers.get("content-type", "")
        form = "application/x-www-form-urlencoded" in content_type
        _, headers, _ = self.client.sign(str(request.url), request.method,
                                         body=request.content.decode() if form else None,
                                         headers={"Content-Type": content_type} if form else None)
        request.headers["Authorization"] = headers["Authorization"]
        yield request


class X:
    """Posts to one X account."""

    name = "x"

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.sender = setup.sender
        self.base = setup.api_base(DEFAULT_API)
        self.auth = OAuth1(*setup.credentials(*CREDENTIALS))
        self._user: str | None = None

    def _check(self, response: httpx.Response, doing: str) -> None:
        if response.status_code == 401:
            raise AccessError(self.name, f"the X_* keys and tokens were refused while {doing} "
                              f"({error_text(response)}). Check the four values in the app's Keys and tokens")
        if response.status_code >= 400:
            raise PlatformError(self.name, f"{doing} failed: HTTP {response.status_code}: {error_text(response)}")

    def post(self, post: Post, progress: Progress) -> Remote:
        """Create the post."""
        response = self.sender.request("POST", f"{self.base}/2/tweets", idempotent=False, auth=self.auth,
                                       json={"text": post.text})
        if response.status_code == 403 and "duplicate" in response.text.lower():
            found = self.find(post, datetime.now(UTC) - timedelta(days=7))
            if found is not None:
                return found
        if response.status_code == 403:
            raise AccessError(self.name, f"X refused to post ({error_text(response)}). The app needs "
                              "'Read and write' permission; make new access tokens after changing it")
        self._check(response, "posting")
        post_id = str(response.json()["data"]["id"])
        return Remote(id=post_id, url=f"{WEB}/i/web/status/{post_id}")

    def _user_id(self) -> str:
        if self._user is None:
            response = self.sender.request("GET", f"{self.base}/2/users/me", idempotent=True, auth=self.auth)
            self._check(response, "reading the account")
            self._user = str(response.json()["data"]["id"])
        return self._user

    def find(self, post: Post, since: datetime) -> Remote | None:
        """Look for the article's link among the account's posts since the attempt."""
        start = (since - timedelta(minutes=5)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        response = self.sender.request(
            "GET", f"{self.base}/2/users/{self._user_id()}/tweets", idempotent=True, auth=self.auth,
            params={"max_results": RECENT, "start_time": start, "tweet.fields": "created_at,entities",
                    "exclude": "replies,retweets"})
        self._check(response, "reading recent posts")
        body: dict[str, Any] = response.json()
        tweets = body.get("data") or []
        for tweet in tweets:
            urls = [u.get("expanded_url", "") for u in (tweet.get("entities") or {}).get("urls", [])]
            if any(u in (post.link, post.canonical_url) for u in urls):
                return Remote(id=str(tweet["id"]), url=f"{WEB}/i/web/status/{tweet['id']}")
        if len(tweets) < RECENT:
            return None
        raise Unresolvable(self.name, f"more than {RECENT} posts since the attempt")

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Never: X has no idempotency key."""
        return False

    def warnings(self) -> list[str]:
        """OAuth 1.0a tokens do not expire."""
        return []


def create(setup: Setup) -> X:
    """The X client for one run."""
    return X(setup)


def dry_run_response(request: httpx.Request) -> httpx.Response:
    """Plausible answers for a dry run."""
    if request.url.path.endswith("/2/tweets"):
        return httpx.Response(201, json={"data": {"id": "0", "text": ""}})
    return httpx.Response(200, json={"data": {"id": "0"}})
