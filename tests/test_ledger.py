"""The ledger: identity across renames and retitles, migrations, locking, and surviving SIGKILL."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from syndicate.errors import ConfigError
from syndicate.ledger import SCHEMA, Entry, Ledger, LedgerBusy, open_ledger


def _posted(n: int) -> Entry:
    return Entry(status="posted", key=f"k{n}", attempts=1, remote_id=str(n), remote_url=f"https://m.example/{n}")


def test_missing_file_is_an_empty_ledger_and_reading_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    ledger = Ledger.read(path)
    assert ledger.articles == {}
    assert not path.exists()


def test_state_round_trips_through_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    with open_ledger(path) as ledger:
        ledger.remember("2026-11-02/toothbrush", src_uri="blog/posts/a.md", url="https://s.example/a/", title="A")
        ledger.set("2026-11-02/toothbrush", "mastodon", _posted(1))
    again = Ledger.read(path)
    assert again.entry("2026-11-02/toothbrush", "mastodon") == _posted(1)
    assert again.entry("2026-11-02/toothbrush", "bluesky") is None
    assert json.loads(path.read_text())["schema"] == SCHEMA


def test_renamed_file_and_edited_title_are_the_same_article(tmp_path: Path) -> None:
    with open_ledger(tmp_path / "ledger.json") as ledger:
        key = ledger.new_key(date="2026-11-02T09:00:00-06:00", slug="why-brush")
        assert key == "2026-11-02/why-brush"
        ledger.remember(key, src_uri="blog/posts/brush.md", url="https://s.example/2026/11/02/why-brush/", title="T")
        ledger.set(key, "x", _posted(1))
        # Renamed file, same title: the URL is unchanged.
        assert ledger.identify(src_uri="blog/posts/renamed.md", url="https://s.example/2026/11/02/why-brush/") == key
        ledger.remember(key, src_uri="blog/posts/renamed.md", url="https://s.example/2026/11/02/why-brush/", title="T")
        # Then the title edited: a new URL, but the (new) file name is known.
        assert ledger.identify(src_uri="blog/posts/renamed.md", url="https://s.example/2026/11/02/brushing/") == key
        assert ledger.identify(src_uri="blog/posts/other.md", url="https://s.example/other/") is None
        assert ledger.new_key(date="2026-11-02", slug="why-brush") == "2026-11-02/why-brush-2"


def test_a_version_0_file_is_migrated_and_a_newer_one_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_text("{}")
    assert Ledger.read(path).articles == {}
    path.write_text(json.dumps({"schema": SCHEMA + 1, "articles": {}}))
    with pytest.raises(ConfigError, match="newer version"):
        Ledger.read(path)


def test_a_merge_conflict_gets_a_message_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    path.write_text('{\n  "schema": 1,\n<<<<<<< HEAD\n  "articles": {}\n}\n')
    with pytest.raises(ConfigError) as info:
        Ledger.read(path)
    assert "ledger.json:3:" in str(info.value)
    assert "conflict markers" in str(info.value)


def test_a_second_run_is_turned_away_while_the_first_holds_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    with open_ledger(path), pytest.raises(LedgerBusy, match="another 'syndicate post'"), open_ledger(path):
        pass
    with open_ledger(path):  # released
        pass


_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from syndicate.ledger import Entry, open_ledger
    with open_ledger(Path(sys.argv[1])) as ledger:
        start = len(ledger.articles)
        for n in range(start, start + 100000):
            key = f"2026-01-01/a{n}"
            ledger.remember(key, src_uri=f"a{n}.md", url=f"https://s.example/a{n}/", title="x" * 200)
            ledger.set(key, "mastodon", Entry(status="pending", key=f"k{n}"))
            ledger.set(key, "mastodon", Entry(status="posted", key=f"k{n}", remote_id=str(n)))
            print(n, flush=True)
""")


def test_sigkill_at_random_instants_never_corrupts_or_loses_a_completed_write(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    rng = random.Random(7)
    confirmed: set[int] = set()
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        first = proc.stdout.readline()  # started writing: from here on, kill at a random instant
        time.sleep(rng.random() * 0.3)
        os.kill(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        confirmed |= {int(line) for line in (first + out).split()}
        ledger = Ledger.read(path)  # always complete JSON
        posted = {int(k.rsplit("a", 1)[1]) for k in ledger.articles
                  if (e := ledger.entry(k, "mastodon")) and e.status == "posted"}
        assert confirmed <= posted
    with open_ledger(path):
        assert not list(tmp_path.glob(".ledger.json.tmp-*"))  # what a killed run left is removed
    assert len(confirmed) > 12
