"""What Meta's Graph APIs (Facebook Pages, Instagram, Threads) share: errors, token checks, expiry dates.

Tokens travel in the ``Authorization`` header, never in the query string,
so they cannot leak through a logged URL; the one call that must name a token
in its query (``debug_token``) goes through the same redaction as every URL.

Errors: https://developers.facebook.com/docs/graph-api/guides/error-handling
(code 190: the token is invalid or expired; 4, 17, 32, 613: rate limits).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from ..errors import AccessError, PlatformError, RateLimited
from ..http import error_text
from .clients import Setup

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
