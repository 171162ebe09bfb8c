"""Sending requests to platforms: retries that never duplicate a post, rate limits, and secret redaction.

Retries come in two layers. Connection failures before anything was sent
(connect errors and connect timeouts) are retried by httpx's own transport
(``HTTPTransport(retries=...)``), which retries exactly those. Everything that
needs judgement about whether the platform may already have acted is here,
because it depends on the request: a 5xx or a lost response is retried only
when the request is idempotent (a read, a Mastodon post with its
``Idempotency-Key``, a Bluesky record with its own key); otherwise it becomes
``OutcomeUnknown`` and is never blindly sent again. A 429 means "not done", so
it is retried after the time the platform asks for, within a bound. A general
retry library (tenacity) would still need all three of these predicates and
the header parsing written by hand, so it would add a dependency and no code
saved.

This is also the one place where httpx's exceptions become ours, with every
secret taken out of their messages.
"""

from __future__ import annotations

import email.utils
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from .errors import OutcomeUnknown, PlatformError, RateLimited

USER_AGENT = "practice-syndicate"  # no version or address: nothing to tell the platforms
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
ATTEMPTS = 4  # tries of one request, the first included
MAX_WAIT = 120.0  # seconds: a longer Retry-After ends this platform's run instead


# -- secrets ---------------------------------------------------------------------------

_SECRETS: set[str] = set()
_SECRET_FIELDS = re.compile(
    r"""(?P<key>(?:access_token|refresh_token|client_secret|password|accessJwt|refreshJwt|oauth_signature|"""
    r"""oauth_token|input_token|token)["']?\s*[=:]\s*["']?)(?P<value>[^"'&\s,}]+)""",
    re.IGNORECASE,
)


def register_secret(value: str) -> str:
    """Remember a credential so that ``redact`` removes it from anything shown or written; returns it."""
    if len(value) >= 4:
        _SECRETS.add(value)
    return value


def redact(text: str) -> str:
    """``text`` without any registered secret or token-like field value."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return _SECRET_FIELDS.sub(lambda m: m.group("key") + "***", text)


def redact_json(value: Any) -> Any:
    """A JSON value with secret fields and registered secrets replaced by ``***``."""
    if isinstance(value, dict):
        return {k: ("***" if _SECRET_FIELDS.fullmatch(f"{k}=x") else redact_json(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_json(v) for v in value]
    if isinstance(value, str):
        return redact(value)
    return value


# -- sending ---------------------------------------------------------------------------


def new_client(transport: httpx.BaseTransport | None = None, *, timeout: float | None = None) -> httpx.Client:
    """The ``httpx.Client`` every platform client is given (connect failures retried by the transport)."""
    return httpx.Client(transport=transport or httpx.HTTPTransport(retries=2),
                        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)) if timeout else TIMEOUT,
                        headers={"User-Agent": USER_AGENT})


def retry_after(response: httpx.Response, now: datetime) -> float | None:
    """Seconds to wait from ``Retry-After`` or the platform's rate-limit reset header, if it says."""
    value = response.headers.get("retry-after")
    if value:
        if value.strip().isdigit():
            return float(value)
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is not None:
            return max(0.0, (parsed - now).total_seconds())
    # Mastodon: X-RateLimit-Reset is an ISO time; X: x-rate-limit-reset and Bluesky:
    # RateLimit-Reset are Unix seconds.
    for name in ("x-ratelimit-reset", "x-rate-limit-reset", "ratelimit-reset"):
        value = response.headers.get(name)
        if not value:
            continue
        try:
            reset = (datetime.fromtimestamp(float(value), UTC) if value.replace(".", "").isdigit()
                     else datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            continue
        return max(0.0, (reset - now).total_seconds())
    return None


def _describe(exc: httpx.HTTPError) -> str:
    kind = type(exc).__name__
    detail = redact(str(exc)) or "no detail"
    return f"{kind}: {detail}"


_SENT_MAYBE = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError,
               httpx.RemoteProtocolError)
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass
class Sender:
    """Sends one platform's requests with the retry rules above; optionally records them (dry run)."""

    platform: str
    client: httpx.Client
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    attempts: int = ATTEMPTS
    max_wait: float = MAX_WAIT
    base_delay: float = 1.0

    def request(self, method: str, url: str, *, idempotent: bool, ok: Iterable[int] = (),
                **kwargs: Any) -> httpx.Response:
        """Send a request; return its response (any status not retried here) or raise a PlatformError."""
        last = ""
        maybe_sent = False
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.client.request(method, url, **kwargs)
            except _NOT_SENT as exc:
                last = _describe(exc)
            except (*_SENT_MAYBE, httpx.TimeoutException) as exc:
                if not idempotent:
                    raise OutcomeUnknown(self.platform, f"{method} {redact(url)} got no answer ({_describe(exc)}); "
                                         "the post may exist") from None
                last = _describe(exc)
                maybe_sent = True
            except httpx.HTTPError as exc:
                raise PlatformError(self.platform, f"{method} {redact(url)} failed: {_describe(exc)}") from None
            else:
                status = response.status_code
                if status == 429:
                    wait = retry_after(response, self.now())
                    if wait is None:
                        wait = self._backoff(attempt)
                    if wait > self.max_wait or attempt == self.attempts:
                        until = self.now().timestamp() + wait
                        raise RateLimited(self.platform, f"rate limited for {wait:.0f} s; the rest is posted "
                                          "on the next run",
                                          until=datetime.fromtimestamp(until, UTC))
                    self.sleep(wait)
                    continue
                if status >= 500 and status not in ok:
                    if not idempotent:
                        raise OutcomeUnknown(self.platform, f"{method} {redact(url)} answered {status}; "
                                             "the post may exist")
                    last = f"HTTP {status}"
                    maybe_sent = True
                    if attempt < self.attempts:
                        self.sleep(self._backoff(attempt))
                    continue
                return response
            if attempt < self.attempts:
                self.sleep(self._backoff(attempt))
        message = f"{method} {redact(url)} failed {self.attempts} times ({last})"
        if maybe_sent and method != "GET":
            raise OutcomeUnknown(self.platform, message + "; it may have taken effect")
        raise PlatformError(self.platform, message, retryable=True)

    def _backoff(self, attempt: int) -> float:
        # Exponential with jitter, so that several runs do not retry in step.
        return float(self.base_delay * 2 ** (attempt - 1) * (1 + random.random() / 2))


def error_text(response: httpx.Response) -> str:
    """The platform's own error message from a response, short and without secrets."""
    try:
        body = response.json()
    except ValueError:
        return redact(response.text[:300].strip()) or f"HTTP {response.status_code}"
    if isinstance(body, dict):
        for key in ("message", "error_description", "error", "detail", "title"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message") or value.get("error_user_msg") or str(value)
            if value:
                return redact(str(value))[:300]
    return redact(str(body))[:300]
