"""What Meta's Graph APIs (Facebook Pages, Instagram, Threads) share: calls, errors, containers, token expiry.

Tokens travel in the ``Authorization`` header, never in the query string,
so they cannot leak through a logged URL; the one call that must name a token
in its query (``debug_token``) goes through the same redaction as every URL.

Errors: https://developers.facebook.com/docs/graph-api/guides/error-handling
(code 190: the token is invalid or expired; 4, 17, 32, 613: rate limits).

Instagram and Threads publish through containers: create one, wait until it
is ``FINISHED``, publish it; a container that says ``PUBLISHED`` settles an
interrupted publish. They differ only in names (edges and fields).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from ..errors import AccessError, PlatformError, RateLimited
from ..http import Sender, error_text
from .clients import Remote, Setup

TOKEN_CODES = {102, 190}
RATE_CODES = {4, 17, 32, 613}
WARN_BEFORE = timedelta(days=14)


def check(name: str, response: httpx.Response, doing: str, token_var: str) -> None:
    """Raise the error a Graph API response stands for, if any."""
    if response.status_code < 400:
        return
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    code = error.get("code") if isinstance(error, dict) else None
    if code in TOKEN_CODES or response.status_code == 401:
        raise AccessError(name, f"{token_var} was refused while {doing} ({error_text(response)}). Make a new "
                          "long-lived token (README: Posting)")
    if code in RATE_CODES or response.status_code == 429:
        raise RateLimited(name, f"rate limited while {doing} ({error_text(response)}); the rest is posted on "
                          "the next run", until=None)
    if response.status_code == 403:
        raise AccessError(name, f"permission refused while {doing} ({error_text(response)})")
    raise PlatformError(name, f"{doing} failed: HTTP {response.status_code}: {error_text(response)}")


def expiry_warning(setup: Setup, token_var: str) -> str | None:
    """A warning when ``<PLATFORM>_TOKEN_EXPIRES`` (a date the person noted when making the token) is near."""
    variable = f"{setup.name.upper()}_TOKEN_EXPIRES"
    value = setup.env.get(variable, "").strip()
    if not value:
        return None
    try:
        expires = date.fromisoformat(value[:10])
    except ValueError:
        return f"{variable} should be a date like 2027-01-31, not '{value}'"
    return expires_message(token_var, datetime.combine(expires, datetime.min.time(), UTC), setup.now)


def expires_message(token_var: str, expires: datetime, now: datetime) -> str | None:
    """A warning when ``expires`` is within two weeks of ``now`` (or past)."""
    if expires - now > WARN_BEFORE:
        return None
    if expires <= now:
        return f"{token_var} expired on {expires.date().isoformat()}: make a new one"
    return f"{token_var} expires on {expires.date().isoformat()}: make a new one before then"


def debug_token_warning(setup: Setup, base: str, token: str, token_var: str) -> str | None:
    """Ask the Graph API when the token expires (``GET /debug_token``); None when it never does or cannot tell."""
    try:
        response = setup.sender.request("GET", f"{base}/debug_token", idempotent=True,
                                        params={"input_token": token},
                                        headers={"Authorization": f"Bearer {token}"})
    except PlatformError:
        return None
    if response.status_code != 200:
        return None
    data: dict[str, Any] = (response.json() or {}).get("data") or {}
    expires = data.get("expires_at") or 0  # 0: never (page tokens from a long-lived user token)
    if not expires:
        return None
    return expires_message(token_var, datetime.fromtimestamp(int(expires), UTC), setup.now)


@dataclass(frozen=True, kw_only=True)
class Graph:
    """One account's calls to a Graph API: the token in the header, every answer checked."""

    name: str
    sender: Sender
    base: str
    token: str
    token_var: str

    def headers(self) -> dict[str, str]:
        """The token, in the header rather than the URL."""
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, fields: str, doing: str, **params: str | int) -> dict[str, Any]:
        """``GET /{path}?fields=...`` (and any further ``params``): the object's fields."""
        response = self.sender.request("GET", f"{self.base}/{path}", idempotent=True, headers=self.headers(),
                                       params={"fields": fields, **params})
        check(self.name, response, doing, self.token_var)
        body: dict[str, Any] = response.json()
        return body

    def post(self, path: str, data: dict[str, str], doing: str, *, idempotent: bool) -> str:
        """``POST /{path}`` with a form; the id of what it made."""
        response = self.sender.request("POST", f"{self.base}/{path}", idempotent=idempotent, headers=self.headers(),
                                       data=data)
        check(self.name, response, doing, self.token_var)
        return str(response.json()["id"])


def publish(graph: Graph, path: str, container: str) -> Remote:
    """Publish a finished container (``POST /{path}``) and read the new post's permalink."""
    media_id = graph.post(path, {"creation_id": container}, "publishing", idempotent=False)
    return Remote(id=media_id, url=graph.get(media_id, "permalink", "reading the post's link").get("permalink"))


def find_published(graph: Graph, container: object, *, status: str, listing: str, text_field: str,
                   text: str) -> Remote | None:
    """The post an earlier attempt published from ``container``; None when it was never published.

    ``status`` names the container's status field; the recent posts at
    ``listing`` are searched for one whose ``text_field`` is ``text``.
    """
    if not container:
        return None  # no container yet: nothing can have been published
    if graph.get(str(container), status, "checking the earlier attempt").get(status) != "PUBLISHED":
        return None
    recent = graph.get(listing, f"id,{text_field},permalink,timestamp", "reading recent posts")
    for item in recent.get("data") or []:
        if item.get(text_field) == text:
            return Remote(id=str(item["id"]), url=item.get("permalink"))
    return Remote(id=str(container), url=None)
