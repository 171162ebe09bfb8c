"""Posting the built sample practice: the dry run, the status, and the links on the article pages."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import BIN, run
from fakes.api import FakeAPI

from syndicate.cli import main
from syndicate.config import load_settings
from syndicate.publish import post

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
# The handle is a custom domain, the site's own (as practices often choose).
SECRETS = {"BLUESKY_HANDLE": "www.maplegrovedental.example", "BLUESKY_APP_PASSWORD": "abcd-efgh-ijkl-mnop",
           "FACEBOOK_PAGE_ACCESS_TOKEN": "EAAB-page-token-0042", "MASTODON_ACCESS_TOKEN": "md-token-0099",
           "PINTEREST_ACCESS_TOKEN": "pina_token_0077"}
PLATFORM_SETTINGS = {
    'page_id: "100000000000001"': 'page_id: "1029384756"',
    "      mastodon: {}": "      mastodon: {api_base: https://mastodon.example}",
    'board_id: "900000000000000001"': 'board_id: "549755885175"',
}


@pytest.fixture
def practice(built_project: Path, tmp_path: Path) -> Path:
    """A copy of the built sample (without its slides) whose platforms have the ids they need."""
    dest = tmp_path / "practice"
    shutil.copytree(built_project, dest, ignore=shutil.ignore_patterns("slides", "*.pptx"))
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for old, new in PLATFORM_SETTINGS.items():
        assert old in text
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    return dest


def _cli(practice: Path, *args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(main, ["-f", str(practice / "mkdocs.yml"), "--now", NOW.isoformat(), *args],
                              env=env or SECRETS)


def test_dry_run_prints_each_request_with_secrets_redacted_and_writes_nothing(practice: Path) -> None:
    result = _cli(practice, "post", "--dry-run", "--platform", "bluesky", "--platform", "facebook")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert "[bluesky] POST https://bsky.social/xrpc/com.atproto.server.createSession" in out
    assert '"password": "***"' in out
    assert out.count("[bluesky] POST https://bsky.social/xrpc/com.atproto.repo.createRecord") == 3  # max_posts_per_run
    assert out.count("[facebook] POST https://graph.facebook.com/v26.0/1029384756/feed") == 3
    assert "input_token=***" in out
    assert '"identifier": "www.maplegrovedental.example"' in out  # a handle is not a secret: the site stays readable
    assert "https://www.maplegrovedental.example/blog/" in out
    for secret in SECRETS.values():
        if secret != SECRETS["BLUESKY_HANDLE"]:
            assert secret not in result.output  # type: ignore[attr-defined]
    assert not (practice / "syndication-ledger.json").exists()


def test_dry_run_json_lists_platform_source_method_url_and_body(practice: Path) -> None:
    result = _cli(practice, "post", "--dry-run", "--json", "--platform", "mastodon")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    requests = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert {tuple(sorted(r)) for r in requests} == {("body", "method", "platform", "source", "url")}
    statuses = [r for r in requests if r["url"].endswith("/api/v1/statuses")]
    assert len(statuses) == 3
    index = json.loads((practice / "site/syndication/index.json").read_text())
    newest = sorted(index["articles"], key=lambda a: a["date"], reverse=True)[:3]
    assert [r["source"] for r in statuses] == [a["source"] for a in newest]
    assert [r["body"]["status"] for r in statuses] == [a["platforms"]["mastodon"]["text"] for a in newest]
    media = [r for r in requests if r["url"].endswith("/api/v2/media")]
    assert [m["body"]["description"] for m in media] == [a["image_alt"] for a in newest]  # alt text, as sent
    assert all(m["body"]["file"].startswith("<image/jpeg, ") for m in media)
    assert not (practice / "syndication-ledger.json").exists()


def test_after_posting_the_next_build_links_each_article_to_its_posts(practice: Path) -> None:
    site = load_settings(practice / "mkdocs.yml").site_url
    numbers = iter(range(100, 200))
    api = (FakeAPI(site=site)
           .on("GET", r"/api/v2/instance$", httpx.Response(200, json={}))
           .on("POST", r"/api/v2/media$", httpx.Response(200, json={"id": "1"}))
           .on("POST", r"/api/v1/statuses$",
               lambda _: httpx.Response(200, json={"id": (n := str(next(numbers))),
                                                   "url": f"https://mastodon.example/@maplegrove/{n}"}))
           .on("POST", r"/v5/pins$", lambda _: httpx.Response(201, json={"id": str(next(numbers))})))
    report = post(load_settings(practice / "mkdocs.yml"), now=NOW, env=SECRETS, transport=api.transport(),
                  platforms=("mastodon", "pinterest"), sleep=lambda _: None)
    assert [o.result for o in report.outcomes].count("posted") == 6

    run(BIN / "syndicate", "build", "--only", "syndication-links", cwd=practice)
    run(BIN / "syndicate", "build", "--only", "syndication-links", cwd=practice)  # twice: still one list
    index = json.loads((practice / "site/syndication/index.json").read_text())
    newest = sorted(index["articles"], key=lambda a: a["date"], reverse=True)
    for position, entry in enumerate(newest):
        page = practice / "site" / entry["url"].removeprefix(site) / "index.html"
        html = page.read_text(encoding="utf-8")
        if position < 3:
            assert html.count('class="syndication-links"') == 1
            assert '<p class="syndication-links">Discuss on <a class="u-syndication" rel="syndication" ' \
                   'href="https://mastodon.example/@maplegrove/' in html
            assert 'rel="syndication" href="https://www.pinterest.com/pin/' in html
            assert "<!-- syndication-links -->" not in html
        else:
            assert "<!-- syndication-links -->" in html
            assert 'class="syndication-links"' not in html

    status = _cli(practice, "status")
    assert status.exit_code == 0  # type: ignore[attr-defined]
    assert newest[0]["title"] in status.output  # type: ignore[attr-defined]
    assert "mastodon         posted   https://mastodon.example/@maplegrove/" in status.output  # type: ignore[attr-defined]


def test_marking_the_archive_as_posted_then_posting_sends_nothing(practice: Path) -> None:
    marked = _cli(practice, "mark-posted")
    assert marked.exit_code == 0, marked.output  # type: ignore[attr-defined]
    api = FakeAPI(site=load_settings(practice / "mkdocs.yml").site_url)
    report = post(load_settings(practice / "mkdocs.yml"), now=NOW, env=SECRETS, transport=api.transport())
    assert report.outcomes == []
    assert api.requests == []


def test_dry_run_also_says_which_platforms_could_not_post_and_why(practice: Path) -> None:
    config = practice / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    config.write_text("".join(line for line in lines if "urn:li:organization" not in line), encoding="utf-8")
    result = CliRunner().invoke(main, ["-f", str(practice / "mkdocs.yml"), "--now", NOW.isoformat(), "post",
                                       "--dry-run", "--platform", "linkedin", "--platform", "bluesky"], env=SECRETS)
    assert result.exit_code == 1
    assert "linkedin.author is not set in mkdocs.yml" in result.stderr  # type: ignore[attr-defined]
    assert "would post" in result.stderr  # type: ignore[attr-defined]
    assert "[bluesky] POST" in result.stdout  # type: ignore[attr-defined]
    assert "[linkedin]" not in result.stdout  # type: ignore[attr-defined]
