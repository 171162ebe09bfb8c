"""Mastodon posting against a loopback Mastodon-like server that fails on purpose, up to SIGKILL."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fakes.mastodon import TOKEN, State, mastodon_server
from fakes.project import SAMPLES, article, make_project

from syndicate.cli import main
from syndicate.config import load_settings
from syndicate.ledger import Entry, Ledger, open_ledger
from syndicate.publish import Report, post

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ENV = {"MASTODON_ACCESS_TOKEN": TOKEN}


@pytest.fixture
def server() -> Iterator[State]:
    with mastodon_server() as state:
        yield state


def _project(root: Path, state: State, n: int = 3, **syndication: Any) -> Path:
    articles = []
    for i in range(n):
        slug, title, lead, tags, date = SAMPLES[i % len(SAMPLES)]
        day = datetime.fromisoformat(date) - timedelta(days=21 * (i // len(SAMPLES)))
        articles.append(article(state.base, f"{slug}-{i}", title, lead, tags, day.isoformat(),
                                platforms=("mastodon",), root=root))
    return make_project(root, site_url=state.base, platforms={"mastodon": {"api_base": state.base}},
                        articles=articles, syndication={"timeout": 1.0, **syndication})


def _run(config: Path, sleeps: list[float] | None = None, **kwargs: Any) -> Report:
    return post(load_settings(config), now=kwargs.pop("now", NOW), env=kwargs.pop("env", ENV),
                sleep=(sleeps if sleeps is not None else []).append, **kwargs)


def _exactly_once(state: State, config: Path) -> None:
    """Every article is on the server exactly once, and the ledger points at that status."""
    index = json.loads((config.parent / "site/syndication/index.json").read_text())
    ledger = Ledger.read(config.parent / "syndication-ledger.json")
    for entry in index["articles"]:
        text = entry["platforms"]["mastodon"]["text"]
        made = [s for s in state.statuses if s["text"] == text]
        assert len(made) == 1, f"{entry['slug']}: {len(made)} statuses"
        key = ledger.identify(src_uri=entry["src_uri"], url=entry["url"])
        assert key is not None
        recorded = ledger.entry(key, "mastodon")
        assert recorded is not None and recorded.status == "posted"
        assert recorded.remote_id == made[0]["id"]
        assert recorded.remote_url == made[0]["url"]


def test_posts_with_idempotency_key_language_and_image_alt_text(server: State, tmp_path: Path) -> None:
    config = _project(tmp_path, server)
    result = CliRunner().invoke(main, ["-f", str(config), "--now", NOW.isoformat(), "post"], env=ENV)
    assert result.exit_code == 0, result.output
    assert result.output.count(" posted ") == 3
    _exactly_once(server, config)
    posts = [r for r in server.requests if r[:2] == ("POST", "/api/v1/statuses")]
    assert len({headers["Idempotency-Key"] for _, _, headers in posts}) == 3
    assert {s["language"] for s in server.statuses} == {"en"}
    assert all(len(s["media_ids"]) == 1 for s in server.statuses)
    described = {m["description"] for m in server.media.values()}
    assert described == {f"Illustration for {title}" for _, title, *_ in SAMPLES}
    assert TOKEN not in result.output
    assert TOKEN not in (tmp_path / "syndication-ledger.json").read_text()

    again = CliRunner().invoke(main, ["-f", str(config), "--now", NOW.isoformat(), "post"], env=ENV)
    assert again.exit_code == 0
    assert "Nothing to post." in again.output
    assert len(server.statuses) == 3


@pytest.mark.parametrize("faults", [
    ["500", "500"],
    ["500-after-create"],
    ["timeout-after-create"],
    ["drop-after-create"],
    ["drop"],
    ["429"],
], ids=lambda f: "+".join(f))
def test_a_fault_is_retried_under_the_same_key_and_posts_once(server: State, tmp_path: Path,
                                                             faults: list[str]) -> None:
    config = _project(tmp_path, server, n=1)
    server.slow = 2.0  # over the client's 1 s timeout
    server.fault("POST /api/v1/statuses", *faults)
    sleeps: list[float] = []
    report = _run(config, sleeps)
    assert [o.result for o in report.outcomes] == ["posted"], report.outcomes
    _exactly_once(server, config)
    keys = {h["Idempotency-Key"] for m, p, h in server.requests if (m, p) == ("POST", "/api/v1/statuses")}
    assert len(keys) == 1
    if faults == ["429"]:
        assert sleeps == [1.0]  # Retry-After honoured


def test_an_outcome_still_unknown_after_the_retries_is_settled_next_run_without_a_second_post(
        server: State, tmp_path: Path) -> None:
    config = _project(tmp_path, server, n=1)
    server.fault("POST /api/v1/statuses", *["drop-after-create"] * 4)
    first = _run(config)
    assert [o.result for o in first.outcomes] == ["unknown"]
    assert first.failed
    assert len(server.statuses) == 1
    second = _run(config, now=NOW + timedelta(hours=3))  # the idempotency key has long expired
    assert [o.result for o in second.outcomes] == ["found"]
    _exactly_once(server, config)


def test_an_old_attempt_that_cannot_be_checked_is_held_for_a_person(server: State, tmp_path: Path) -> None:
    config = _project(tmp_path, server, n=1)
    key = "2026-11-02/why-your-toothbrush-matters-0"
    with open_ledger(tmp_path / "syndication-ledger.json") as ledger:
        ledger.remember(key, src_uri="blog/posts/why-your-toothbrush-matters-0.md",
                        url=f"{server.base}blog/2026/11/02/why-your-toothbrush-matters-0/", title="T")
        ledger.set(key, "mastodon", Entry(status="pending", key="k", attempts=1,
                                          intent_at=(NOW - timedelta(hours=5)).isoformat()))
    for i in range(45):  # more posts since the attempt than one page shows
        server.statuses.append({"id": str(i), "url": f"{server.base}@practice/{i}", "text": f"other {i}",
                                "content": f"<p>other {i}</p>", "created_at": NOW.isoformat()})
    runner = CliRunner()
    result = runner.invoke(main, ["-f", str(tmp_path / "mkdocs.yml"), "--now", NOW.isoformat(), "post"], env=ENV)
    assert result.exit_code == 1
    assert "held" in result.output
    assert "syndicate mark-posted --platform mastodon" in result.output
    assert len(server.statuses) == 45  # nothing posted
    # The person looked: it was not posted. Released, it is posted on the next run.
    released = runner.invoke(main, ["-f", str(tmp_path / "mkdocs.yml"), "--now", NOW.isoformat(),
                                    "mark-not-posted", "--platform", "mastodon"], env=ENV)
    assert released.exit_code == 0, released.output
    result = runner.invoke(main, ["-f", str(tmp_path / "mkdocs.yml"), "--now", NOW.isoformat(), "post"], env=ENV)
    assert result.exit_code == 0, result.output
    _exactly_once(server, config)


def test_a_wrong_or_missing_token_is_one_clear_line_and_posts_nothing(server: State, tmp_path: Path) -> None:
    config = _project(tmp_path, server)
    for env, expected in (({"MASTODON_ACCESS_TOKEN": "wrong-token-123"}, "MASTODON_ACCESS_TOKEN was refused"),
                          ({}, "MASTODON_ACCESS_TOKEN is not set")):
        result = CliRunner().invoke(main, ["-f", str(config), "--now", NOW.isoformat(), "post"], env={
            "MASTODON_ACCESS_TOKEN": "", **env})
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        assert expected in result.output
        assert "wrong-token-123" not in result.output
        assert server.statuses == []
        assert "wrong-token-123" not in (tmp_path / "syndication-ledger.json").read_text()


def test_the_instance_limit_is_read_and_a_longer_post_refused_before_sending(server: State, tmp_path: Path) -> None:
    config = _project(tmp_path, server, n=1)
    server.max_characters = 60
    report = _run(config)
    assert [o.result for o in report.outcomes] == ["failed"]
    assert "allows 60" in report.outcomes[0].message
    assert server.statuses == []


def test_an_article_whose_page_is_not_live_waits(server: State, tmp_path: Path) -> None:
    config = _project(tmp_path, server, n=1)
    index = config.parent / "site/syndication/index.json"
    index.write_text(index.read_text().replace(server.base + "blog/", server.base + "api/missing/"))
    report = _run(config)
    assert [o.result for o in report.outcomes] == ["waiting"]
    assert server.statuses == []


def test_the_first_run_on_an_archive_posts_at_most_max_posts_per_run_newest_first(server: State,
                                                                                 tmp_path: Path) -> None:
    config = _project(tmp_path, server, n=5, max_posts_per_run=2)
    report = _run(config)
    assert [o.result for o in report.outcomes].count("posted") == 2
    assert [o.result for o in report.outcomes].count("skipped") == 3
    assert not report.failed
    index = json.loads((tmp_path / "site/syndication/index.json").read_text())["articles"]
    newest = sorted(index, key=lambda a: a["date"], reverse=True)[:2]
    assert {s["text"] for s in server.statuses} == {a["platforms"]["mastodon"]["text"] for a in newest}


def test_mark_posted_records_the_archive_so_nothing_is_posted(server: State, tmp_path: Path) -> None:
    config = _project(tmp_path, server, n=4)
    marked = CliRunner().invoke(main, ["-f", str(config), "--now", NOW.isoformat(), "mark-posted"], env=ENV)
    assert marked.exit_code == 0, marked.output
    assert marked.output.count("marked as posted") == 4
    report = _run(config)
    assert report.outcomes == []
    assert server.statuses == []


_KILL_RUNS = 14


@pytest.mark.slow
def test_sigkill_at_random_points_leaves_every_article_posted_exactly_once(server: State, tmp_path: Path) -> None:
    config = _project(tmp_path, server, n=6)
    server.delay = 0.05  # widen the windows between intent, request and outcome
    server.slow = 1.5
    rng = random.Random(11)
    env = {**os.environ, **ENV, "SYNDICATE_NOW": NOW.isoformat()}
    command = [str(Path(sys.executable).parent / "syndicate"), "-f", str(config), "post"]
    deadline = time.monotonic() + 60
    killed = interrupted = 0
    runs = 0
    while (runs < _KILL_RUNS or interrupted < 3) and time.monotonic() < deadline:
        runs += 1
        server.faults.clear()
        server.fault("POST /api/v1/statuses", *rng.sample(
            ["500", "500-after-create", "timeout-after-create", "drop-after-create", "429", "ok", "ok"], 2))
        before = len(server.requests)
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        while len(server.requests) == before and proc.poll() is None and time.monotonic() - started < 20:
            time.sleep(0.02)  # until it talks to the server: a slow start-up must not use up the kill
        time.sleep(rng.uniform(0.0, 1.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait()
        ledger = Ledger.read(tmp_path / "syndication-ledger.json")
        interrupted += any(e.status in ("pending", "unknown") for k in ledger.articles
                           for e in ledger.entries(k).values())
    server.faults.clear()
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stdout + final.stderr
    assert killed >= 3
    assert interrupted >= 1  # some kills did land between a ledger intent and its outcome
    _exactly_once(server, config)
    assert len(server.statuses) == 6
