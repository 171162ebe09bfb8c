"""Each platform client's requests against the platform's documented contract (httpx.MockTransport),
and against the published OpenAPI descriptions for Mastodon, X and Pinterest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from click.testing import CliRunner
from fakes.api import FakeAPI, body
from fakes.openapi import validate
from fakes.project import SAMPLES, article, make_project

from syndicate.cli import main
from syndicate.config import load_settings
from syndicate.ledger import Ledger
from syndicate.publish import Report, post

SITE = "https://practice.example/"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SETTINGS: dict[str, dict[str, Any]] = {
    "x": {},
    "linkedin": {"author": "urn:li:organization:2414183"},
    "facebook": {"page_id": "1029384756"},
    "instagram": {"user_id": "17841400000000000"},
    "threads": {},
    "pinterest": {"board_id": "549755885175"},
    "google_business": {"account_id": "111", "location_id": "222"},
    "mastodon": {"api_base": "https://mastodon.example"},
}
ENV = {
    "X_API_KEY": "x-key-1111", "X_API_SECRET": "x-secret-2222", "X_ACCESS_TOKEN": "x-token-3333",
    "X_ACCESS_TOKEN_SECRET": "x-token-secret-4444",
    "LINKEDIN_ACCESS_TOKEN": "li-token-5555", "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-token-6666",
    "INSTAGRAM_ACCESS_TOKEN": "ig-token-7777", "THREADS_ACCESS_TOKEN": "th-token-8888",
    "PINTEREST_ACCESS_TOKEN": "pin-token-9999", "GOOGLE_BUSINESS_CLIENT_ID": "gb-client-aaaa",
    "GOOGLE_BUSINESS_CLIENT_SECRET": "gb-secret-bbbb", "GOOGLE_BUSINESS_REFRESH_TOKEN": "gb-refresh-cccc",
    "MASTODON_ACCESS_TOKEN": "md-token-dddd",
}


def _project(tmp_path: Path, *names: str, lead: str | None = None) -> Path:
    sample = list(SAMPLES[1])
    if lead:
        sample[2] = lead
    entry = article(SITE, *sample, platforms=names, root=tmp_path)  # type: ignore[arg-type]
    return make_project(tmp_path, site_url=SITE, platforms={n: SETTINGS[n] for n in names}, articles=[entry])


def _run(config: Path, api: FakeAPI, *, now: datetime = NOW, env: dict[str, str] | None = None) -> Report:
    return post(load_settings(config), now=now, env=ENV if env is None else env, transport=api.transport(),
                sleep=lambda _: None)


def _teaser(config: Path, name: str) -> dict[str, Any]:
    index = json.loads((config.parent / "site/syndication/index.json").read_text())
    teaser: dict[str, Any] = index["articles"][0]["platforms"][name]
    return teaser


def _no_secrets(report: Report, config: Path) -> None:
    shown = json.dumps([vars(o) for o in report.outcomes]) + json.dumps(report.warnings)
    ledger = (config.parent / "syndication-ledger.json").read_text()
    for secret in ENV.values():
        assert secret not in shown
        assert secret not in ledger


# -- X -----------------------------------------------------------------------------------


def test_x_posts_the_text_signed_with_oauth1_as_the_openapi_description_says(tmp_path: Path) -> None:
    config = _project(tmp_path, "x")
    created = httpx.Response(201, json={"data": {"id": "1850", "text": "t"}})
    api = FakeAPI().on("POST", r"api\.x\.com/2/tweets$", created)
    report = _run(config, api)
    assert [(o.result, o.url) for o in report.outcomes] == [("posted", "https://x.com/i/web/status/1850")]
    (sent,) = api.sent("POST", r"/2/tweets$")
    validate("x", sent)
    assert body(sent) == {"text": _teaser(config, "x")["text"]}
    authorization = sent.headers["Authorization"]
    assert authorization.startswith("OAuth ")
    assert 'oauth_consumer_key="x-key-1111"' in authorization
    assert 'oauth_token="x-token-3333"' in authorization
    assert "oauth_signature=" in authorization
    assert 'oauth_signature_method="HMAC-SHA1"' in authorization
    _no_secrets(report, config)


def test_x_never_resends_after_a_lost_answer_and_finds_the_post_by_its_link(tmp_path: Path) -> None:
    config = _project(tmp_path, "x")
    link = _teaser(config, "x")["url"]
    api = (FakeAPI()
           .on("POST", r"/2/tweets$", httpx.Response(503, json={"title": "Service Unavailable"}))
           .on("GET", r"/2/users/me$", httpx.Response(200, json={"data": {"id": "42", "username": "practice"}}))
           .on("GET", r"/2/users/42/tweets", httpx.Response(200, json={
               "data": [{"id": "1851", "text": "… https://t.co/abc", "created_at": "2026-11-20T12:00:01Z",
                         "entities": {"urls": [{"url": "https://t.co/abc", "expanded_url": link}]}}],
               "meta": {"result_count": 1}})))
    first = _run(config, api)
    assert [o.result for o in first.outcomes] == ["unknown"]
    assert len(api.sent("POST", r"/2/tweets$")) == 1  # a 503 on a create is not retried
    second = _run(config, api, now=NOW + timedelta(hours=2))
    assert [(o.result, o.url) for o in second.outcomes] == [("found", "https://x.com/i/web/status/1851")]
    assert len(api.sent("POST", r"/2/tweets$")) == 1
    for request in api.sent("GET", r"/2/users/"):
        validate("x", request)
    query = parse_qs(urlsplit(str(api.sent("GET", r"/tweets")[0].url)).query)
    assert query["start_time"] == ["2026-11-20T11:55:00Z"]


# -- LinkedIn ----------------------------------------------------------------------------


def test_linkedin_sends_escaped_commentary_and_an_article_card_with_uploaded_thumbnail(tmp_path: Path) -> None:
    config = _project(tmp_path, "linkedin", lead="Brushing (twice a day) matters for kids_teeth @home:")
    api = (FakeAPI()
           .on("POST", r"/rest/images\?action=initializeUpload$", httpx.Response(200, json={"value": {
               "uploadUrl": "https://www.linkedin.com/dms-uploads/abc?sig=1", "image": "urn:li:image:C4D"}}))
           .on("PUT", r"dms-uploads/abc", httpx.Response(201))
           .on("POST", r"/rest/posts$", httpx.Response(201, headers={"x-restli-id": "urn:li:share:7001"})))
    report = _run(config, api)
    assert [(o.result, o.url) for o in report.outcomes] == [
        ("posted", "https://www.linkedin.com/feed/update/urn:li:share:7001/")]
    (init,) = api.sent("POST", r"/rest/images")
    assert body(init) == {"initializeUploadRequest": {"owner": "urn:li:organization:2414183"}}
    (upload,) = api.sent("PUT", r"dms-uploads")
    assert "Authorization" not in upload.headers  # the upload URL is pre-signed
    assert upload.content == (tmp_path / "content/blog/images/fluor-for-kids.jpg").read_bytes()
    (created,) = api.sent("POST", r"/rest/posts$")
    for request in (init, created):
        assert request.headers["LinkedIn-Version"].isdigit() and len(request.headers["LinkedIn-Version"]) == 6
        assert request.headers["X-Restli-Protocol-Version"] == "2.0.0"
        assert request.headers["Authorization"] == "Bearer li-token-5555"
    sent = body(created)
    teaser = _teaser(config, "linkedin")
    assert sent["author"] == "urn:li:organization:2414183"
    assert sent["commentary"].startswith(r"Brushing \(twice a day\) matters for kids\_teeth \@home:")
    assert "{hashtag|\\#|KidsTeeth}" in sent["commentary"]
    assert sent["visibility"] == "PUBLIC"
    assert sent["distribution"]["feedDistribution"] == "MAIN_FEED"
    assert sent["lifecycleState"] == "PUBLISHED"
    assert sent["content"]["article"] == {
        "source": teaser["url"], "title": SAMPLES[1][1],
        "description": f"{SAMPLES[1][1]}: a short guide from our dentists.",
        "thumbnail": "urn:li:image:C4D", "thumbnailAltText": f"Illustration for {SAMPLES[1][1]}"}


# -- Facebook ----------------------------------------------------------------------------


def test_facebook_posts_message_and_link_with_the_token_never_in_a_url(tmp_path: Path) -> None:
    config = _project(tmp_path, "facebook")
    expires = int((NOW + timedelta(days=5)).timestamp())
    api = (FakeAPI()
           .on("POST", r"/v26\.0/1029384756/feed$", httpx.Response(200, json={"id": "1029384756_555"}))
           .on("GET", r"/1029384756_555\?fields=permalink_url", httpx.Response(200, json={
               "permalink_url": "https://www.facebook.com/maplegrove/posts/555"}))
           .on("GET", r"/debug_token", httpx.Response(200, json={"data": {"expires_at": expires}})))
    report = _run(config, api)
    assert [(o.result, o.url) for o in report.outcomes] == [
        ("posted", "https://www.facebook.com/maplegrove/posts/555")]
    (created,) = api.sent("POST", r"/feed$")
    assert body(created) == {"message": _teaser(config, "facebook")["text"], "link": _teaser(config, "facebook")["url"]}
    assert created.headers["Authorization"] == "Bearer fb-token-6666"
    for request in api.requests:
        if "debug_token" not in str(request.url):
            assert "fb-token-6666" not in str(request.url)
    assert report.warnings == ["facebook: FACEBOOK_PAGE_ACCESS_TOKEN expires on 2026-11-25: make a new one before then"]
    _no_secrets(report, config)


def test_a_platform_error_that_echoes_the_token_is_shown_redacted(tmp_path: Path) -> None:
    config = _project(tmp_path, "facebook")
    api = FakeAPI().on("POST", r"/feed$", httpx.Response(400, json={"error": {
        "message": "Invalid parameter for https://graph.facebook.com/v26.0/1/feed?access_token=fb-token-6666",
        "code": 100}}))
    report = _run(config, api)
    assert [o.result for o in report.outcomes] == ["failed"]
    assert "access_token=***" in report.outcomes[0].message
    _no_secrets(report, config)


# -- Instagram ---------------------------------------------------------------------------


def _instagram(api: FakeAPI, *statuses: str) -> FakeAPI:
    return (api
            .on("GET", r"/content_publishing_limit", httpx.Response(200, json={
                "data": [{"quota_usage": 3, "config": {"quota_total": 100, "quota_duration": 86400}}]}))
            .on("POST", r"/17841400000000000/media$", httpx.Response(200, json={"id": "c-900"}))
            .on("GET", r"/c-900\?fields=status_code", *[httpx.Response(200, json={"status_code": s}) for s in statuses])
            .on("GET", r"/m-901\?fields=permalink", httpx.Response(200, json={
                "permalink": "https://www.instagram.com/p/ABC/"})))


def test_instagram_creates_a_container_waits_until_finished_then_publishes(tmp_path: Path) -> None:
    config = _project(tmp_path, "instagram")
    api = _instagram(FakeAPI(), "IN_PROGRESS", "IN_PROGRESS", "FINISHED").on(
        "POST", r"/media_publish$", httpx.Response(200, json={"id": "m-901"}))
    report = _run(config, api)
    assert [(o.result, o.url) for o in report.outcomes] == [("posted", "https://www.instagram.com/p/ABC/")]
    (container,) = api.sent("POST", r"/media$")
    teaser = _teaser(config, "instagram")
    assert body(container) == {"image_url": teaser["image"], "caption": teaser["text"],
                               "alt_text": teaser["image_alt"]}
    assert len(api.sent("GET", r"/c-900\?fields=status_code")) == 3
    (published,) = api.sent("POST", r"/media_publish$")
    assert body(published) == {"creation_id": "c-900"}
    assert all(r.headers["Authorization"] == "Bearer ig-token-7777" for r in api.requests)


def test_instagram_publish_lost_is_settled_by_the_container_status_not_a_second_publish(tmp_path: Path) -> None:
    config = _project(tmp_path, "instagram")
    api = _instagram(FakeAPI(), "FINISHED").on("POST", r"/media_publish$", httpx.Response(500, json={}))
    first = _run(config, api)
    assert [o.result for o in first.outcomes] == ["unknown"]
    ledger = Ledger.read(tmp_path / "syndication-ledger.json")
    key = next(iter(ledger.articles))
    assert ledger.entry(key, "instagram").progress == {"container": "c-900"}  # type: ignore[union-attr]
    teaser = _teaser(config, "instagram")
    api.routes.clear()
    api.on("GET", r"/c-900\?fields=status_code", httpx.Response(200, json={"status_code": "PUBLISHED"}))
    api.on("GET", r"/17841400000000000/media\?fields=", httpx.Response(200, json={"data": [
        {"id": "m-777", "caption": "something else", "permalink": "https://www.instagram.com/p/OLD/"},
        {"id": "m-901", "caption": teaser["text"], "permalink": "https://www.instagram.com/p/ABC/"}]}))
    second = _run(config, api)
    assert [(o.result, o.url) for o in second.outcomes] == [("found", "https://www.instagram.com/p/ABC/")]
    assert len(api.sent("POST", r"/media_publish$")) == 1


# -- Threads -----------------------------------------------------------------------------


def test_threads_posts_text_with_a_link_attachment_then_publishes(tmp_path: Path) -> None:
    config = _project(tmp_path, "threads")
    api = (FakeAPI()
           .on("POST", r"graph\.threads\.net/v1\.0/me/threads$", httpx.Response(200, json={"id": "t-1"}))
           .on("GET", r"/t-1\?fields=status", httpx.Response(200, json={"status": "FINISHED"}))
           .on("POST", r"/me/threads_publish$", httpx.Response(200, json={"id": "t-2"}))
           .on("GET", r"/t-2\?fields=permalink", httpx.Response(200, json={
               "permalink": "https://www.threads.net/@practice/post/XYZ"})))
    report = _run(config, api)
    assert [(o.result, o.url) for o in report.outcomes] == [("posted", "https://www.threads.net/@practice/post/XYZ")]
    teaser = _teaser(config, "threads")
    (container,) = api.sent("POST", r"/me/threads$")
    assert body(container) == {"media_type": "TEXT", "text": teaser["text"], "link_attachment": teaser["url"]}
    assert body(api.sent("POST", r"/threads_publish$")[0]) == {"creation_id": "t-1"}


# -- Pinterest ---------------------------------------------------------------------------


def test_pinterest_creates_a_pin_as_the_openapi_description_says(tmp_path: Path) -> None:
    config = _project(tmp_path, "pinterest")
    api = FakeAPI().on("POST", r"api\.pinterest\.com/v5/pins$", httpx.Response(201, json={"id": "813"}))
    report = _run(config, api)
    assert [(o.result, o.url) for o in report.outcomes] == [("posted", "https://www.pinterest.com/pin/813/")]
    (created,) = api.sent("POST", r"/pins$")
    validate("pinterest", created)
    teaser = _teaser(config, "pinterest")
    assert body(created) == {"board_id": "549755885175", "title": SAMPLES[1][1], "description": teaser["text"],
                             "link": teaser["url"], "alt_text": teaser["image_alt"],
                             "media_source": {"source_type": "image_url", "url": teaser["image"]}}
    assert created.headers["Authorization"] == "Bearer pin-token-9999"


# -- Google Business Profile ---------------------------------------------------------------


def _set_fields(config: Path, name: str, fields: dict[str, Any]) -> None:
    index_file = config.parent / "site/syndication/index.json"
    index = json.loads(index_file.read_text())
    index["articles"][0]["platforms"][name]["fields"] = fields
    index_file.write_text(json.dumps(index))


def test_google_business_mints_an_access_token_then_posts_with_a_call_to_action(tmp_path: Path) -> None:
    config = _project(tmp_path, "google_business")
    # As the renderer writes it (syndicate/platforms/google_business.py).
    _set_fields(config, "google_business", {"call_to_action": {"action_type": "BOOK", "url": SITE + "contact/"},
                                            "language_code": "en", "topic_type": "STANDARD"})
    api = (FakeAPI()
           .on("POST", r"oauth2\.googleapis\.com/token$", httpx.Response(200, json={
               "access_token": "ya29.minted-eeee", "expires_in": 3599, "token_type": "Bearer"}))
           .on("POST", r"/v4/accounts/111/locations/222/localPosts$", httpx.Response(200, json={
               "name": "accounts/111/locations/222/localPosts/9", "searchUrl": "https://local.google.com/place?p=9"})))
    report = _run(config, api)
    assert [(o.result, o.url) for o in report.outcomes] == [("posted", "https://local.google.com/place?p=9")]
    (token,) = api.sent("POST", r"/token$")
    assert body(token) == {"client_id": "gb-client-aaaa", "client_secret": "gb-secret-bbbb",
                           "refresh_token": "gb-refresh-cccc", "grant_type": "refresh_token"}
    (created,) = api.sent("POST", r"/localPosts$")
    assert created.headers["Authorization"] == "Bearer ya29.minted-eeee"
    teaser = _teaser(config, "google_business")
    assert body(created) == {"languageCode": "en", "summary": teaser["text"], "topicType": "STANDARD",
                             "callToAction": {"actionType": "BOOK", "url": SITE + "contact/"},
                             "media": [{"mediaFormat": "PHOTO", "sourceUrl": teaser["image"]}]}
    assert "ya29.minted-eeee" not in json.dumps([vars(o) for o in report.outcomes])


# -- Mastodon against its OpenAPI description -------------------------------------------------


def test_mastodon_requests_follow_the_openapi_description(tmp_path: Path) -> None:
    config = _project(tmp_path, "mastodon")
    api = (FakeAPI()
           .on("GET", r"/api/v2/instance$", httpx.Response(200, json={"configuration": {
               "statuses": {"max_characters": 500, "characters_reserved_per_url": 23}}}))
           .on("POST", r"/api/v2/media$", httpx.Response(200, json={"id": "77", "url": "https://m.example/77.jpg"}))
           .on("POST", r"/api/v1/statuses$", httpx.Response(200, json={"id": "109", "url": "https://mastodon.example/@p/109"})))
    report = _run(config, api)
    assert [(o.result, o.url) for o in report.outcomes] == [("posted", "https://mastodon.example/@p/109")]
    for request in api.requests:
        validate("mastodon", request)
    (status,) = api.sent("POST", r"/api/v1/statuses$")
    assert body(status)["media_ids"] == ["77"]
    assert len(status.headers["Idempotency-Key"]) == 32


# -- failures across platforms ---------------------------------------------------------------


def test_one_platform_refusing_does_not_stop_the_others_and_the_run_fails(tmp_path: Path) -> None:
    config = _project(tmp_path, "x", "pinterest")
    api = (FakeAPI()
           .on("POST", r"/2/tweets$", httpx.Response(401, json={"title": "Unauthorized", "detail": "Unauthorized"}))
           .on("POST", r"/v5/pins$", httpx.Response(201, json={"id": "813"})))
    report = _run(config, api)
    assert sorted((o.platform, o.result) for o in report.outcomes) == [("pinterest", "posted"), ("x", "failed")]
    assert report.failed
    again = _run(config, api)  # the next run retries X only
    assert [(o.platform, o.result) for o in again.outcomes] == [("x", "failed")]
    assert len(api.sent("POST", r"/v5/pins$")) == 1


def test_bad_configuration_is_one_clear_line_per_platform_and_nothing_is_sent(tmp_path: Path) -> None:
    entry = article(SITE, *SAMPLES[0], platforms=("facebook", "linkedin", "pinterest", "mastodon"), root=tmp_path)
    config = make_project(tmp_path, site_url=SITE, articles=[entry], platforms={
        "facebook": {}, "linkedin": {"author": "maple-grove"}, "pinterest": {"board_id": "1", "api_base": "ftp://x"},
        "mastodon": {}})
    result = CliRunner().invoke(main, ["-f", str(config), "--now", NOW.isoformat(), "post"], env=ENV)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert "extra.syndication.platforms.facebook.page_id is not set" in lines["facebook"]
    assert "linkedin.author must be urn:li:person:" in lines["linkedin"]
    assert "pinterest.api_base must be a URL" in lines["pinterest"]
    assert "mastodon.api_base to your instance's address" in lines["mastodon"]
    assert not (tmp_path / "syndication-ledger.json").exists()  # nothing tried, nothing recorded


@pytest.mark.parametrize("name", ["x", "linkedin", "facebook", "instagram", "threads", "pinterest",
                                  "google_business", "mastodon"])
def test_missing_credentials_name_the_variables_and_nothing_is_sent(tmp_path: Path, name: str) -> None:
    config = _project(tmp_path, name)
    api = FakeAPI()
    report = _run(config, api, env={})
    assert [o.result for o in report.outcomes] == ["failed"]
    assert "not set" in report.outcomes[0].message
    assert "README: Posting" in report.outcomes[0].message
    assert api.requests == []


def test_a_connection_refused_before_sending_is_retried_with_growing_waits(tmp_path: Path) -> None:
    config = _project(tmp_path, "pinterest")

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    api = FakeAPI().on("POST", r"/v5/pins$", refuse, refuse, httpx.Response(201, json={"id": "813"}))
    waits: list[float] = []
    report = post(load_settings(config), now=NOW, env=ENV, transport=api.transport(), sleep=waits.append)
    assert [o.result for o in report.outcomes] == ["posted"]
    assert len(api.sent("POST", r"/v5/pins$")) == 3
    assert len(waits) == 2 and waits[1] > waits[0]


def test_a_long_rate_limit_ends_that_platform_for_this_run_and_the_next_run_posts(tmp_path: Path) -> None:
    entries = [article(SITE, *SAMPLES[i], platforms=("x",), root=tmp_path) for i in (0, 1)]
    config = make_project(tmp_path, site_url=SITE, platforms={"x": {}}, articles=entries)
    reset = str(int((datetime.now(UTC) + timedelta(hours=1)).timestamp()))  # X: Unix seconds
    api = FakeAPI().on("POST", r"/2/tweets$", httpx.Response(429, headers={"x-rate-limit-reset": reset}, json={}))
    waits: list[float] = []
    report = post(load_settings(config), now=NOW, env=ENV, transport=api.transport(), sleep=waits.append)
    assert [o.result for o in report.outcomes] == ["failed", "failed"]
    assert "rate limited" in report.outcomes[0].message
    assert report.outcomes[1].message == "not tried after the error above"
    assert waits == []  # never sleeps through an hour
    assert len(api.sent("POST", r"/2/tweets$")) == 1
    api.routes.clear()
    api.on("POST", r"/2/tweets$", httpx.Response(201, json={"data": {"id": "1", "text": "t"}}))
    later = post(load_settings(config), now=NOW + timedelta(hours=2), env=ENV, transport=api.transport(),
                 sleep=waits.append)
    assert [o.result for o in later.outcomes] == ["posted", "posted"]


def test_max_posts_per_day_holds_the_rest_for_the_next_day(tmp_path: Path) -> None:
    entries = [article(SITE, *SAMPLES[i], platforms=("pinterest",), root=tmp_path) for i in (0, 1)]
    config = make_project(tmp_path, site_url=SITE, platforms={"pinterest": {"board_id": "549755885175"}},
                          articles=entries, syndication={"max_posts_per_day": 1})
    pins = iter(range(800, 900))
    api = FakeAPI().on("POST", r"/v5/pins$", lambda _: httpx.Response(201, json={"id": str(next(pins))}))
    first = _run(config, api)
    assert sorted(o.result for o in first.outcomes) == ["posted", "skipped"]
    assert not first.failed
    assert [o.result for o in _run(config, api, now=NOW + timedelta(hours=3)).outcomes] == ["skipped"]
    assert [o.result for o in _run(config, api, now=NOW + timedelta(days=1)).outcomes] == ["posted"]
    assert len(api.sent("POST", r"/v5/pins$")) == 2


def test_only_must_name_a_published_article(tmp_path: Path) -> None:
    config = _project(tmp_path, "x")
    result = CliRunner().invoke(main, ["-f", str(config), "--now", NOW.isoformat(), "post", "--only",
                                       str(tmp_path / "content/blog/posts/nope.md")], env=ENV)
    assert result.exit_code == 2
    assert "nope.md is not a published article of the last build" in result.output
    assert "Traceback" not in result.output


def test_bluesky_signs_in_once_per_run_and_shrinks_a_large_card_image(tmp_path: Path) -> None:
    entries = [article(SITE, *SAMPLES[i], platforms=("bluesky",), root=tmp_path, large_image=(i == 0))
               for i in (0, 1, 2)]
    config = make_project(tmp_path, site_url=SITE, platforms={"bluesky": {}}, articles=entries)
    rkeys: list[str] = []

    def create(request: httpx.Request) -> httpx.Response:
        rkeys.append(body(request)["rkey"])
        return httpx.Response(200, json={"uri": f"at://did:plc:abc/app.bsky.feed.post/{rkeys[-1]}", "cid": "c"})

    api = (FakeAPI()
           .on("POST", r"bsky\.social/xrpc/com\.atproto\.server\.createSession$", httpx.Response(200, json={
               "did": "did:plc:abc", "handle": "maplegrove.example", "accessJwt": "jwt-1", "refreshJwt": "r"}))
           .on("POST", r"/xrpc/com\.atproto\.repo\.uploadBlob$", lambda r: httpx.Response(200, json={"blob": {
               "$type": "blob", "ref": {"$link": "bafk"}, "mimeType": r.headers["content-type"],
               "size": len(r.content)}}))
           .on("POST", r"/xrpc/com\.atproto\.repo\.createRecord$", create)
           .on("GET", r"/xrpc/com\.atproto\.repo\.getRecord\?", lambda r: httpx.Response(200, json={
               "uri": f"at://did:plc:abc/app.bsky.feed.post/{r.url.params['rkey']}", "value": {}})))
    env = {"BLUESKY_HANDLE": "maplegrove.example", "BLUESKY_APP_PASSWORD": "app-pass-word-1234"}
    report = _run(config, api, env=env)
    assert [o.result for o in report.outcomes] == ["posted"] * 3
    assert len(api.sent("POST", r"createSession$")) == 1
    uploads = api.sent("POST", r"uploadBlob$")
    assert len(uploads) == 3 and all(len(u.content) <= 1_000_000 for u in uploads)
    assert (tmp_path / entries[0]["image_path"]).stat().st_size > 1_000_000
    assert all(len(k) == 13 for k in rkeys) and len(set(rkeys)) == 3
    assert {o.url for o in report.outcomes} == {f"https://bsky.app/profile/did:plc:abc/post/{k}" for k in rkeys}
    rerun = FakeAPI()
    fresh = make_project(tmp_path / "again", site_url=SITE, platforms={"bluesky": {}},
                         articles=[article(SITE, *SAMPLES[i], platforms=("bluesky",)) for i in (0, 1, 2)])
    api2 = (rerun.on("POST", r"createSession$", httpx.Response(200, json={"did": "did:plc:abc", "accessJwt": "j"}))
            .on("POST", r"createRecord$", create)
            .on("GET", r"getRecord\?", httpx.Response(200, json={"uri": "at://x/app.bsky.feed.post/y"})))
    _run(fresh, api2, env=env)
    assert rkeys[3:] == rkeys[:3]  # the same articles get the same record keys in any checkout


def test_an_answer_in_an_unknown_shape_is_an_unknown_outcome_not_a_crash(tmp_path: Path) -> None:
    config = _project(tmp_path, "pinterest")
    api = FakeAPI().on("POST", r"/v5/pins$", httpx.Response(201, text="<html>Welcome to the proxy</html>"))
    report = _run(config, api)
    assert [o.result for o in report.outcomes] == ["unknown"]
    assert "not what its API documents" in report.outcomes[0].message
    dry = post(load_settings(config), now=NOW, env=ENV, dry_run=True)
    assert [(o.result, o.message) for o in dry.outcomes] == [
        ("would post", "after checking whether an earlier attempt posted it")]
    # Next run: the board is read before anything is sent again.
    api.on("GET", r"/v5/boards/549755885175/pins", httpx.Response(200, json={"items": [
        {"id": "813", "link": _teaser(config, "pinterest")["url"]}]}))
    again = _run(config, api)
    assert [(o.result, o.url) for o in again.outcomes] == [("found", "https://www.pinterest.com/pin/813/")]
    assert len(api.sent("POST", r"/v5/pins$")) == 1
    assert post(load_settings(config), now=NOW, env=ENV, dry_run=True).outcomes == []  # nothing left to do
