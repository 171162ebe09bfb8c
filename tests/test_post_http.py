"""How long a rate limit says to wait, and what redaction takes out of anything shown."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from syndicate.http import redact, redact_json, register_secret, retry_after

NOW = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("headers", "expected"), [
    ({"Retry-After": "30"}, 30.0),
    ({"Retry-After": "Fri, 20 Nov 2026 12:02:00 GMT"}, 120.0),
    ({"X-RateLimit-Reset": "2026-11-20T12:05:00.000Z"}, 300.0),  # Mastodon: an ISO time
    ({"x-rate-limit-reset": str(int(NOW.timestamp()) + 900)}, 900.0),  # X: Unix seconds
    ({"RateLimit-Reset": str(int(NOW.timestamp()) + 60)}, 60.0),  # Bluesky: Unix seconds
    ({"X-RateLimit-Reset": "2026-11-20T11:00:00Z"}, 0.0),  # already past
    ({}, None),
], ids=["seconds", "http-date", "mastodon-iso", "x-epoch", "bluesky-epoch", "past", "none"])
def test_retry_after_reads_each_platforms_header(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after(httpx.Response(429, headers=headers), NOW) == expected


def test_redaction_takes_out_registered_secrets_and_token_fields() -> None:
    register_secret("s3cr3t-page-token-value")
    shown = redact("GET https://graph.facebook.com/v26.0/me?access_token=s3cr3t-page-token-value&fields=id "
                   "failed; also refresh_token=abc123 and password: hunter2")
    assert "s3cr3t-page-token-value" not in shown
    assert "abc123" not in shown and "hunter2" not in shown
    assert "fields=id" in shown
    assert redact_json({"identifier": "practice.example", "password": "pw-123456",
                        "nested": [{"accessJwt": "eyJ.x.y", "text": "s3cr3t-page-token-value in text"}]}) == {
        "identifier": "practice.example", "password": "***",
        "nested": [{"accessJwt": "***", "text": "*** in text"}]}
