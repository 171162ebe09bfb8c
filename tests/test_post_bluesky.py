"""End to end against a real Bluesky PDS (@atproto/pds) on 127.0.0.1: post, then read the records back."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fakes.project import SAMPLES, article, live_site, make_project, write_index
from PIL import Image

from syndicate.cli import main
from syndicate.ledger import Entry, Ledger, open_ledger
from syndicate.platforms.bluesky_api import facets

pytestmark = pytest.mark.slow  # starts a real PDS

ROOT = Path(__file__).resolve().parent.parent
PDS_DIR = ROOT / ".cache" / "pds"


@pytest.fixture(scope="module")
def pds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PDS with an in-memory PLC directory, on loopback, for this module."""
    node_path = PDS_DIR / "node-path"
    if not node_path.exists() or not (PDS_DIR / "node_modules" / "@atproto" / "pds").exists():
        pytest.skip(f"the Bluesky PDS is not installed in {PDS_DIR} (scripts/peers installs it)")
    node = node_path.read_text().strip()
    # Run from the install folder: the script loads the packages from its working directory.
    proc = subprocess.Popen([node, str(ROOT / "tests/pds/start.mjs"), str(tmp_path_factory.mktemp("pds"))], cwd=PDS_DIR,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise AssertionError("the PDS did not start: " + (proc.stderr.read() if proc.stderr else ""))
    try:
        yield json.loads(line)["url"]
    finally:
        try:
            proc.communicate(timeout=15)  # closing stdin stops both servers
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def _account(pds: str, handle: str) -> dict[str, str]:
    """A fresh account and an app password for it, as a practice would make them."""
    created = httpx.post(f"{pds}/xrpc/com.atproto.server.createAccount",
                         json={"handle": handle, "email": f"{handle}@example.test", "password": "main-pass-1234"})
    assert created.status_code == 200, created.text
    body = created.json()
    app = httpx.post(f"{pds}/xrpc/com.atproto.server.createAppPassword", json={"name": "syndicate"},
                     headers={"Authorization": f"Bearer {body['accessJwt']}"})
    app.raise_for_status()
    return {"did": body["did"], "handle": handle, "app_password": app.json()["password"]}


def _records(pds: str, did: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{pds}/xrpc/com.atproto.repo.listRecords",
                         params={"repo": did, "collection": "app.bsky.feed.post", "limit": 100})
    response.raise_for_status()
    records: list[dict[str, Any]] = response.json()["records"]
    return records


def _post(config: Path, env: dict[str, str], *args: str) -> Any:
    return CliRunner().invoke(main, ["-f", str(config), "--now", "2026-11-20T12:00:00+00:00", "post", *args],
                              env=env)


def test_posts_read_back_with_exact_facets_link_card_and_thumbnail(pds: str, tmp_path: Path) -> None:
    account = _account(pds, "maplegrove.test")
    env = {"BLUESKY_HANDLE": account["handle"], "BLUESKY_APP_PASSWORD": account["app_password"]}
    with live_site() as site_url:
        config = make_project(tmp_path / "practice", site_url=site_url, platforms={"bluesky": {"api_base": pds}})
        result = _post(config, env)
        assert result.exit_code == 0, result.output
        assert result.output.count("posted") == 3
        assert account["app_password"] not in result.output

        records = _records(pds, account["did"])
        assert len(records) == 3
        index = json.loads((tmp_path / "practice/site/syndication/index.json").read_text())
        by_text = {r["value"]["text"]: r for r in records}
        for entry in index["articles"]:
            teaser = entry["platforms"]["bluesky"]
            record = by_text[teaser["text"]]["value"]
            raw = record["text"].encode("utf-8")
            selected = {f["features"][0]["$type"].rsplit("#", 1)[1]: [] for f in record["facets"]}
            for facet in record["facets"]:
                feature = facet["features"][0]
                text = raw[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode("utf-8")
                kind = feature["$type"].rsplit("#", 1)[1]
                selected[kind].append(text)
                if kind == "link":
                    assert feature["uri"] == text == teaser["url"]
                else:
                    assert text == "#" + feature["tag"]
            tags = [w for w in teaser["text"].split() if w.startswith("#")]
            assert selected["tag"] == tags
            assert record["langs"] == ["en"]
            card = record["embed"]["external"]
            assert card["uri"] == teaser["url"]
            assert card["title"] == entry["title"]
            blob = httpx.get(f"{pds}/xrpc/com.atproto.sync.getBlob",
                             params={"did": account["did"], "cid": card["thumb"]["ref"]["$link"]})
            assert blob.status_code == 200
            assert len(blob.content) <= 1_000_000
            assert Image.open(io.BytesIO(blob.content)).size[0] > 0
        # The first sample's image is over 1 MB on disk: it was made smaller, not refused.
        assert (tmp_path / "practice" / index["articles"][0]["image_path"]).stat().st_size > 1_000_000

        ledger = Ledger.read(tmp_path / "practice/syndication-ledger.json")
        urls = sorted(ledger.entry(k, "bluesky").remote_url for k in ledger.articles)  # type: ignore[union-attr]
        assert all(u.startswith(f"https://bsky.app/profile/{account['did']}/post/") for u in urls)
        assert sorted(r["uri"].rsplit("/", 1)[1] for r in records) == sorted(u.rsplit("/", 1)[1] for u in urls)

        again = _post(config, env)
        assert again.exit_code == 0
        assert "Nothing to post." in again.output
        assert len(_records(pds, account["did"])) == 3


@pytest.mark.parametrize(("status", "expected"), [("pending", "found"), ("failed", "posted")])
def test_an_earlier_create_is_never_duplicated_the_record_key_collides_or_is_read(
        pds: str, tmp_path: Path, status: str, expected: str) -> None:
    """Killed after sending (pending): the record is read. Sent again anyway (failed): the create collides."""
    account = _account(pds, f"settle{status}.test")
    env = {"BLUESKY_HANDLE": account["handle"], "BLUESKY_APP_PASSWORD": account["app_password"]}
    with live_site() as site_url:
        config = make_project(tmp_path / "p", site_url=site_url, platforms={"bluesky": {"api_base": pds}},
                              articles=[article(site_url, *SAMPLES[1], platforms=("bluesky",), root=tmp_path / "p")])
        assert _post(config, env).exit_code == 0
        # As if the run had been killed after sending but before recording the answer.
        with open_ledger(tmp_path / "p/syndication-ledger.json") as ledger:
            key = next(iter(ledger.articles))
            entry = ledger.entry(key, "bluesky")
            assert entry is not None
            ledger.set(key, "bluesky", Entry(status=status, key=entry.key, attempts=1,  # type: ignore[arg-type]
                                             intent_at="2026-11-20T11:59:00+00:00"))
        result = _post(config, env)
        assert result.exit_code == 0, result.output
        assert f" {expected} " in result.output
        assert len(_records(pds, account["did"])) == 1
        assert Ledger.read(tmp_path / "p/syndication-ledger.json").entry(key, "bluesky").status == "posted"  # type: ignore[union-attr]


def test_bad_app_password_is_one_clear_line_and_posts_nothing(pds: str, tmp_path: Path) -> None:
    account = _account(pds, "wrongpass.test")
    with live_site() as site_url:
        config = make_project(tmp_path / "p", site_url=site_url, platforms={"bluesky": {"api_base": pds}})
        result = _post(config, {"BLUESKY_HANDLE": account["handle"], "BLUESKY_APP_PASSWORD": "nope-nope-nope"})
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "BLUESKY_HANDLE / BLUESKY_APP_PASSWORD were refused" in result.output
    assert "nope-nope-nope" not in result.output
    assert _records(pds, account["did"]) == []


def test_a_teaser_over_the_limit_is_refused_by_us_before_the_pds_sees_it(pds: str, tmp_path: Path) -> None:
    account = _account(pds, "toolong.test")
    env = {"BLUESKY_HANDLE": account["handle"], "BLUESKY_APP_PASSWORD": account["app_password"]}
    with live_site() as site_url:
        entry = article(site_url, *SAMPLES[0], platforms=("bluesky",), root=tmp_path / "p")
        entry["platforms"]["bluesky"].update(ok=False, length=301, limit=300)
        config = make_project(tmp_path / "p", site_url=site_url, platforms={"bluesky": {"api_base": pds}},
                              articles=[entry])
        result = _post(config, env)
        assert result.exit_code == 1
        assert "over the limit of 300" in result.output
        assert _records(pds, account["did"]) == []
        # Fixed and built again: posted on the next run.
        entry["platforms"]["bluesky"].update(ok=True, length=200)
        write_index(tmp_path / "p", site_url, [entry])
        assert _post(config, env).exit_code == 0
        assert len(_records(pds, account["did"])) == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("Café ☕ https://a.example/x?y=1 #Santé", [("link", "https://a.example/x?y=1"), ("tag", "#Santé")]),
    ("👩‍⚕️ tip: https://a.example/p. #Teeth, #2026 #a1", [("link", "https://a.example/p"), ("tag", "#Teeth"),
                                                       ("tag", "#a1")]),
    ("no links here #", []),
], ids=["accents-emoji", "zwj-trailing-punctuation", "none"])
def test_facet_byte_ranges_select_exactly_the_link_or_tag(text: str, expected: list[tuple[str, str]]) -> None:
    raw = text.encode()
    got = [(f["features"][0]["$type"].rsplit("#", 1)[1],
            raw[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode()) for f in facets(text)]
    assert got == expected


def test_the_built_sample_articles_post_and_read_back_exactly(pds: str, built_project: Path, tmp_path: Path) -> None:
    """The teasers the real build wrote (accents, emoji, long links) as records, facets and cards."""
    index = json.loads((built_project / "site/syndication/index.json").read_text())
    articles = [{**a, "platforms": {"bluesky": a["platforms"]["bluesky"]}} for a in index["articles"]
                if "bluesky" in a["platforms"]]
    assert len(articles) >= 3
    assert any(not a["platforms"]["bluesky"]["text"].isascii() for a in articles)  # accents or emoji before the link
    root = tmp_path / "sample"
    shutil.copytree(built_project / "content/blog/images", root / "content/blog/images")
    config = make_project(root, site_url=index["site_url"], platforms={"bluesky": {"api_base": pds}},
                          articles=articles, syndication={"check_live": False, "max_posts_per_run": 20})
    account = _account(pds, "sampleposts.test")
    env = {"BLUESKY_HANDLE": account["handle"], "BLUESKY_APP_PASSWORD": account["app_password"]}
    result = _post(config, env)
    assert result.exit_code == 0, result.output

    records = {r["value"]["text"]: r["value"] for r in _records(pds, account["did"])}
    assert len(records) == len(articles)
    for entry in articles:
        teaser = entry["platforms"]["bluesky"]
        record = records[teaser["text"]]
        raw = record["text"].encode()
        links = [f for f in record["facets"] if f["features"][0]["$type"].endswith("#link")]
        assert len(links) == 1
        (link,) = links
        assert raw[link["index"]["byteStart"]:link["index"]["byteEnd"]].decode() == teaser["url"]
        assert link["features"][0]["uri"] == teaser["url"]
        for tag in (f for f in record["facets"] if f["features"][0]["$type"].endswith("#tag")):
            assert raw[tag["index"]["byteStart"]:tag["index"]["byteEnd"]].decode() == "#" + tag["features"][0]["tag"]
        card = record["embed"]["external"]
        assert card["uri"] == teaser["fields"]["card"]["uri"]
        assert card["title"] == entry["title"]
        assert record["langs"] == teaser["fields"]["langs"]
        blob = httpx.get(f"{pds}/xrpc/com.atproto.sync.getBlob",
                         params={"did": account["did"], "cid": card["thumb"]["ref"]["$link"]})
        assert blob.status_code == 200
        assert blob.content == (root / entry["image_path"]).read_bytes()  # small enough: sent as it is
