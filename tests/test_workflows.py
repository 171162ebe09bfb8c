"""The GitHub Actions workflows: they lint clean, pass the right secrets, and their own scripts,
run in the workflow's order on a scratch clone, share a merged article exactly once and a
scheduled one on its day.

The "live site" is the clone's ``site/`` served on 127.0.0.1 (what deploying to GitHub Pages
gives), and Mastodon is the loopback server in ``fakes/mastodon.py``. Other dates are injected
with libfaketime, so ``mkdocs build`` (the blog plugin reads the clock) and ``syndicate`` both
live on the day the test chooses.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import yaml
from conftest import BIN, ROOT, copy_project
from fakes.mastodon import State, mastodon_server
from fakes.project import live_site, make_project

from syndicate.config import load_settings
from syndicate.ledger import Entry, Ledger, open_ledger
from syndicate.live import due_urls, wait_until_live
from syndicate.summary import pull_request_summary, run_summary

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
LEDGER = "syndication-ledger.json"
# The sample posts the site's pages link to, and the one scheduled for 2027-01-12: enough
# for an archive, small enough to build in seconds.
KEPT_POSTS = ("brushing-and-toothbrushes", "first-dental-visit", "gum-disease-overall-health",
              "root-canal-what-to-expect", "sensitive-teeth")
SCHEDULED = "content/blog/posts/sensitive-teeth.md"
IDENTITY = ("-c", "user.name=Office Manager", "-c", "user.email=office@example.test")


def _workflow(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


# -- the workflow files ---------------------------------------------------------------


def test_the_workflows_pass_actionlint() -> None:
    result = subprocess.run([str(BIN / "actionlint"), "-no-color", str(PUBLISH), str(PULL_REQUEST)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _strings(arg: ast.expr, constants: dict[str, Any], path: Path) -> list[str]:
    """The variable names an argument stands for: a literal, a module constant, or ``*CONSTANT``."""
    if isinstance(arg, ast.Starred):
        return _strings(arg.value, constants, path)
    value = arg.value if isinstance(arg, ast.Constant) else constants.get(arg.id) if isinstance(arg, ast.Name) else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise AssertionError(f"{path.name}: cannot tell which variable {ast.unparse(arg)} names; use a literal or a "
                         "module constant so the workflow can be checked against it")


def _expiry_variable(platform: str) -> str:
    """The variable graph_api.expiry_warning reads for ``platform`` (asked, not assumed)."""
    from syndicate.platforms import graph_api

    class Recording(dict[str, str]):
        def __init__(self) -> None:
            super().__init__()
            self.read: list[str] = []

        def get(self, key: str, default: Any = None) -> Any:
            self.read.append(key)
            return super().get(key, default)

    env = Recording()
    graph_api.expiry_warning(SimpleNamespace(name=platform, env=env, now=datetime.now(UTC)), "TOKEN")
    assert len(env.read) == 1
    return env.read[0]


def _environment_read_by_the_clients() -> tuple[set[str], set[str]]:
    """(secrets, variables): what the platform clients read from the environment."""
    secrets: set[str] = set()
    variables: set[str] = set()
    for path in sorted((ROOT / "syndicate" / "platforms").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants: dict[str, Any] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                with contextlib.suppress(ValueError):
                    constants[node.targets[0].id] = ast.literal_eval(node.value)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if called in ("credentials", "optional_credential"):
                for arg in node.args:
                    secrets.update(_strings(arg, constants, path))
            elif called == "expiry_warning":
                variables.add(_expiry_variable(path.stem.removesuffix("_api")))
    return secrets, variables


def _share_step(workflow: dict[str, Any]) -> dict[str, Any]:
    return next(step for step in workflow["jobs"]["share"]["steps"] if step.get("run") == "scripts/share")


def test_the_sharing_step_gets_exactly_what_the_clients_read_and_the_readme_names_it() -> None:
    env = _share_step(_workflow(PUBLISH))["env"]
    passed = {kind: {name for name, value in env.items() if f"{kind}." in str(value)} for kind in ("secrets", "vars")}
    for kind, names in passed.items():
        for name in names:
            assert env[name] == f"${{{{ {kind}.{name} }}}}", f"{name} must come from the {kind} of the same name"
    secrets, variables = _environment_read_by_the_clients()
    assert {"BLUESKY_HANDLE", "BLUESKY_APP_PASSWORD", "MASTODON_ACCESS_TOKEN"} <= secrets
    assert passed["secrets"] == secrets
    assert passed["vars"] == variables
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name in sorted(secrets | variables) if f"`{name}`" not in readme] == []


def test_publishing_is_one_run_at_a_time_least_privilege_and_never_retriggered_by_the_ledger() -> None:
    workflow = _workflow(PUBLISH)
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    ledger = str(load_settings(ROOT / "mkdocs.yml").syndication.get("ledger") or LEDGER)
    assert ledger in triggers["push"]["paths-ignore"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["share"]["permissions"] == {"contents": "write"}
    assert _workflow(PULL_REQUEST)["permissions"] == {"contents": "read"}


def test_every_action_is_pinned_to_a_commit_with_its_version_named() -> None:
    for path in (PUBLISH, PULL_REQUEST):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "uses:" in line:
                assert re.search(r"uses: [\w-]+/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), line


def test_every_step_has_a_name_a_person_can_read() -> None:
    for path in (PUBLISH, PULL_REQUEST):
        for job in _workflow(path)["jobs"].values():
            assert job.get("name")
            for step in job["steps"]:
                assert step.get("name") and not step["name"].startswith(("Run ", "scripts/")), step


# -- waiting for the live site ---------------------------------------------------------


@dataclass
class _Clock:
    """A clock that moves only when the code under test sleeps."""

    now: float = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def __call__(self) -> float:
        return self.now


def test_waiting_ends_when_the_new_pages_answer_and_checks_past_any_cache() -> None:
    clock = _Clock()
    with live_site(missing=("/blog/new/",)) as site_url:
        seen: list[str] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(str(request.url))
            return httpx.Response(200 if clock.now >= 30 or "/old/" in request.url.path else 404)

        with httpx.Client(transport=httpx.MockTransport(handler)) as client:
            waited = wait_until_live([f"{site_url}blog/new/", f"{site_url}blog/old/"], timeout=600,
                                     client=client, sleep=clock.sleep, clock=clock)
    assert waited.missing == ()
    assert set(waited.live) == {f"{site_url}blog/new/", f"{site_url}blog/old/"}
    assert clock.now == 30  # three waits of 10 s, then it stopped
    assert all("live-check=" in url for url in seen)
    assert len({url for url in seen if "/new/" in url}) == 4  # each check of the new page asked anew


def test_waiting_gives_up_at_the_timeout_and_names_the_pages_still_missing() -> None:
    clock = _Clock()
    said: list[str] = []
    with live_site(missing=("/blog/new/",)) as site_url:
        waited = wait_until_live([f"{site_url}blog/new/", f"{site_url}blog/old/"], timeout=45,
                                 sleep=clock.sleep, clock=clock, say=said.append)
    assert waited.missing == (f"{site_url}blog/new/",)
    assert waited.live == (f"{site_url}blog/old/",)
    assert clock.now <= 45
    assert said and "1 page not live yet" in said[0]


def test_only_pages_that_some_network_still_needs_are_waited_for(tmp_path: Path) -> None:
    config = make_project(tmp_path, site_url="https://practice.example/",
                          platforms={"mastodon": {}, "bluesky": {}})
    settings = load_settings(config)
    index = json.loads((tmp_path / "site/syndication/index.json").read_text())
    newest, middle, oldest = index["articles"][2], index["articles"][1], index["articles"][0]
    with open_ledger(tmp_path / LEDGER) as ledger:
        for article, statuses in ((oldest, ("posted", "posted")), (middle, ("posted", "failed"))):
            key = ledger.new_key(date=article["date"], slug=article["slug"])
            ledger.remember(key, src_uri=article["src_uri"], url=article["url"], title=article["title"])
            for name, status in zip(("mastodon", "bluesky"), statuses, strict=True):
                ledger.set(key, name, Entry(status=status))
    now = datetime.fromisoformat(newest["date"]) + timedelta(days=30)
    assert sorted(due_urls(settings, now=now)) == sorted([middle["url"], newest["url"]])
    assert due_urls(settings, now=now, platforms=["mastodon"]) == [newest["url"]]
    before_the_newest = datetime.fromisoformat(newest["date"]) - timedelta(hours=1)
    assert due_urls(settings, now=before_the_newest) == [middle["url"]]


# -- summaries -------------------------------------------------------------------------


def test_the_sharing_summary_says_what_to_do_about_each_kind_of_trouble() -> None:
    outcomes = [
        {"platform": "mastodon", "source": "a.md", "title": "Flu | shots", "result": "posted",
         "url": "https://social.example/@p/1", "message": ""},
        {"platform": "bluesky", "source": "a.md", "title": "Flu | shots", "result": "held", "url": None,
         "message": "run 'syndicate mark-posted --platform bluesky --only a.md' if it is there"},
    ]
    text = run_summary(outcomes)
    assert "| Mastodon | Flu \\| shots | ✅ posted | <https://social.example/@p/1> |" in text
    assert "✋ needs you" in text and "syndicate mark-not-posted" in text
    assert "Failed" not in text  # advice only for what happened
    assert "Nothing new to share" in run_summary([])
    assert "stopped before it could report" in run_summary(None)
    dry = run_summary([{"platform": "mastodon", "source": "a.md", "method": "POST",
                        "url": "https://social.example/api/v1/statuses", "body": {"status": "Hello ``` world"}}])
    assert "Dry run: nothing was posted" in dry
    assert "````text" in dry  # a fence longer than any backticks in the post


def test_the_pull_request_summary_predicts_addresses_when_the_site_is_not_built(project: Path) -> None:
    settings = load_settings(project / "mkdocs.yml")
    now = datetime(2026, 11, 26, tzinfo=UTC)
    text = pull_request_summary(settings, [Path(SCHEDULED), Path("content/index.md"), Path("gone.md")], now=now)
    assert text.count("\n### ") == 1
    assert "Scheduled for Tuesday 12 January 2027" in text
    assert "blog/2027/01/12/" in text
    assert "| X | " in text and "| Mastodon | " in text
    nothing = pull_request_summary(settings, [Path("content/index.md")], now=now)
    assert "No blog post was added or changed" in nothing


# -- the workflows' scripts on a scratch clone -------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@functools.cache
def _faketime_env() -> dict[str, str]:
    import libfaketime

    _, env = libfaketime.get_reload_information()
    return dict(env)


@dataclass
class Practice:
    """A practice's repository as the workflows see it: a clone of a remote, a live site, Mastodon."""

    clone: Path
    remote: Path
    site_url: str
    mastodon: State
    summary: Path  # what GITHUB_STEP_SUMMARY collects

    def env(self, at: str | None = None) -> dict[str, str]:
        """The environment of a workflow step on this machine, at the fake date ``at`` (UTC) if given."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "SYNDICATE_", "FAKETIME"))}
        env.update(NO_MKDOCS_2_WARNING="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
                   GITHUB_STEP_SUMMARY=str(self.summary), MASTODON_ACCESS_TOKEN=self.mastodon.token, TZ="UTC")
        if at:
            env.update(_faketime_env(), FAKETIME=f"@{at}")
        return env

    def run(self, command: str, *, at: str | None = None, env: dict[str, str] | None = None,
            check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run one step's ``run:`` text as GitHub's runner does (bash -eo pipefail), in the clone."""
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
                                cwd=self.clone, capture_output=True, text=True,
                                env={**self.env(at), **(env or {})}, timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"{command!r} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def git(self, *args: str, cwd: Path | None = None) -> str:
        """Git in the clone (or ``cwd``), output stripped."""
        return subprocess.run(["git", *IDENTITY, *args], cwd=cwd or self.clone, capture_output=True, text=True,
                              check=True, env=self.env()).stdout.strip()

    def posted_texts(self) -> list[str]:
        """The text of every status on the Mastodon server."""
        return [status["text"] for status in self.mastodon.statuses]


def _publish_steps() -> list[tuple[str, dict[str, str]]]:
    """The publishing workflow's own ``run:`` steps, in order, with their plain (non-secret) env values."""
    workflow = _workflow(PUBLISH)
    steps = []
    for job in ("build", "deploy", "share"):
        for step in workflow["jobs"][job]["steps"]:
            if "run" in step:
                env = {k: str(v) for k, v in (step.get("env") or {}).items() if "${{" not in str(v)}
                steps.append((step["run"], env))
    return steps


def _publish(practice: Practice, *, at: str | None = None, before: dict[str, Any] | None = None,
             after_build: bool = False) -> dict[str, subprocess.CompletedProcess[str]]:
    """One run of the publishing workflow: each ``run:`` step in order (deploying is serving site/).

    ``after_build``: only the steps after the build, when the site just built is still current.
    """
    results = {}
    for command, env in _publish_steps()[1 if after_build else 0:]:
        if before and command in before:
            before[command]()
        # The live site answers at once here; a short bound keeps a failing test from waiting 10 minutes.
        results[command] = practice.run(command, at=at, env={**env, "DRY_RUN": "false", "WAIT_LIVE": "20"})
    return results


def _trim_to_a_small_archive(project: Path) -> None:
    for path in (project / "content/blog/posts").glob("*.md"):
        if path.stem not in KEPT_POSTS:
            path.unlink()


def _borrow_the_test_environment(clone: Path) -> None:
    """Give the clone a .venv whose commands are this test run's, so scripts/_setup installs nothing."""
    bin_dir = clone / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "syndicate", "mkdocs"):
        wrapper = bin_dir / name
        # Never let a set-up change reinstall the project into the shared environment from here.
        guard = 'case " $* " in *" -m pip "*) echo "test: refusing to install" >&2; exit 3;; esac\n' \
            if name == "python" else ""
        wrapper.write_text(f'#!/bin/sh\n{guard}exec "{BIN / name}" "$@"\n')
        wrapper.chmod(0o755)
    stamp = hashlib.sha256((clone / "pyproject.toml").read_bytes() + (clone / "scripts/_setup").read_bytes())
    (clone / ".venv" / f".installed-{stamp.hexdigest()[:16]}").touch()


@pytest.fixture
def practice(tmp_path: Path) -> Iterator[Practice]:
    """A remote with the sample practice (trimmed), a fresh clone, its site on 127.0.0.1, a Mastodon server."""
    clone = tmp_path / "clone"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(clone / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site_url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with mastodon_server() as mastodon:
            template = copy_project(tmp_path / "template")
            for name in ("scripts", ".github"):
                shutil.copytree(ROOT / name, template / name)
            for name in ("pyproject.toml", ".gitignore"):
                shutil.copy(ROOT / name, template / name)
            _trim_to_a_small_archive(template)
            config = yaml.safe_load((template / "mkdocs.yml").read_text(encoding="utf-8"))
            config["site_url"] = site_url
            config["extra"]["syndication"]["platforms"] = {"mastodon": {"api_base": mastodon.base}}
            config["extra"]["syndication"]["timeout"] = 5
            config["extra"]["syndication"]["slides"] = False  # slides are not what these tests are about
            (template / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")
            practice = Practice(clone=clone, remote=tmp_path / "remote.git", site_url=site_url, mastodon=mastodon,
                                summary=tmp_path / "step-summary.md")
            practice.git("init", "--quiet", "--initial-branch=main", cwd=template)
            practice.git("add", "--all", cwd=template)
            practice.git("commit", "--quiet", "-m", "Our practice blog", cwd=template)
            practice.git("clone", "--quiet", "--bare", str(template), str(practice.remote), cwd=tmp_path)
            practice.git("clone", "--quiet", str(practice.remote), str(clone), cwd=tmp_path)
            _borrow_the_test_environment(clone)
            yield practice
    finally:
        server.shutdown()
        server.server_close()


def _record_the_archive(practice: Practice, *, at: str | None = None) -> None:
    """README, first steps: build, mark every published article as already shared, save the ledger."""
    practice.run("scripts/build", at=at)
    practice.run(".venv/bin/syndicate mark-posted", at=at)
    practice.run("scripts/commit-ledger", at=at)
    assert practice.posted_texts() == []


def _new_article(practice: Practice, day: str) -> tuple[str, str]:
    """Write a new post (from a sample one) dated ``day``; returns its path and its expected URL path."""
    sample = (practice.clone / "content/blog/posts/first-dental-visit.md").read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", "title: \"Teething: how to soothe sore gums\"", sample, count=1, flags=re.M)
    text = re.sub(r"^date: .*$", f"date: {day}\nslug: teething", text, count=1, flags=re.M)
    text = re.sub(r"^last_reviewed: .*$", f"last_reviewed: {day}", text, count=1, flags=re.M)
    path = "content/blog/posts/teething.md"
    (practice.clone / path).write_text(text, encoding="utf-8")
    return path, f"blog/{day.replace('-', '/')}/teething/"


def _ledger_entry(practice: Practice, url: str) -> Entry | None:
    ledger = Ledger.read(practice.clone / LEDGER)
    key = ledger.identify(src_uri="", url=url)
    return ledger.entry(key, "mastodon") if key else None


def _remote_head(practice: Practice) -> str:
    return practice.git("rev-parse", "main", cwd=practice.remote)


@pytest.mark.slow
def test_a_merged_article_is_shared_once_and_the_ledger_is_the_only_change(practice: Practice) -> None:
    assert [command for command, _ in _publish_steps()] == ["scripts/build", "scripts/share",
                                                            "scripts/commit-ledger"]
    _record_the_archive(practice)
    assert practice.git("status", "--porcelain") == ""

    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    path, url_path = _new_article(practice, yesterday)
    practice.git("checkout", "--quiet", "-b", "teething")
    practice.git("add", path)
    practice.git("commit", "--quiet", "-m", "New article: teething")
    practice.git("checkout", "--quiet", "main")
    practice.git("merge", "--quiet", "--no-ff", "-m", "Merge pull request: teething", "teething")
    practice.git("push", "--quiet", "origin", "main")
    merged = _remote_head(practice)
    url = practice.site_url + url_path

    def only_the_ledger_changed() -> None:
        assert practice.git("status", "--porcelain") == f"M {LEDGER}"

    first = _publish(practice, before={"scripts/commit-ledger": only_the_ledger_changed})
    assert len(practice.posted_texts()) == 1
    assert url + "?utm_source=mastodon" in practice.posted_texts()[0]
    entry = _ledger_entry(practice, url)
    assert entry is not None and entry.status == "posted"
    assert entry.remote_url == practice.mastodon.statuses[0]["url"]
    assert "✅ posted" in first["scripts/share"].stdout
    assert "✅ posted" in practice.summary.read_text(encoding="utf-8")
    # Saved: one commit on top of the merge, touching only the ledger, and nothing left over.
    assert practice.git("status", "--porcelain") == ""
    saved = _remote_head(practice)
    assert practice.git("rev-parse", f"{saved}~1") == merged
    assert practice.git("diff", "--name-only", merged, saved) == LEDGER
    assert "[skip ci]" in practice.git("log", "-1", "--format=%s", saved)

    second = _publish(practice)
    assert len(practice.posted_texts()) == 1
    assert "Nothing new to share" in second["scripts/share"].stdout
    assert "unchanged" in second["scripts/commit-ledger"].stderr
    assert practice.git("status", "--porcelain") == ""
    assert _remote_head(practice) == saved


@pytest.mark.slow
def test_a_scheduled_article_is_neither_built_nor_shared_before_its_day_and_both_on_it(practice: Practice) -> None:
    page = practice.clone / "site/blog/2027/01/12/why-do-my-teeth-feel-sensitive/index.html"
    url = practice.site_url + "blog/2027/01/12/why-do-my-teeth-feel-sensitive/"

    the_day_before = "2027-01-11 12:00:00"
    _record_the_archive(practice, at=the_day_before)  # builds the site as it is that day
    _publish(practice, at=the_day_before, after_build=True)
    assert not page.exists()
    assert httpx.get(url).status_code == 404
    index = json.loads((practice.clone / "site/syndication/index.json").read_text(encoding="utf-8"))
    assert SCHEDULED not in {a["source"] for a in index["articles"]}
    assert practice.posted_texts() == []

    on_the_day = "2027-01-12 18:00:00"  # noon in the practice's time zone (America/Chicago)
    _publish(practice, at=on_the_day)
    assert page.exists()
    assert httpx.get(url).status_code == 200
    assert len(practice.posted_texts()) == 1
    assert url + "?utm_source=mastodon" in practice.posted_texts()[0]
    entry = _ledger_entry(practice, url)
    assert entry is not None and entry.status == "posted"
    assert entry.intent_at is not None and entry.intent_at.startswith("2027-01-12T18:")
    assert practice.git("status", "--porcelain") == ""


@pytest.mark.slow
def test_the_pull_request_check_annotates_problems_and_shows_the_changed_articles_teasers(
        practice: Practice) -> None:
    command = next(step["run"] for step in _workflow(PULL_REQUEST)["jobs"]["check"]["steps"] if "run" in step)
    practice.git("checkout", "--quiet", "-b", "new-articles")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    path, url_path = _new_article(practice, yesterday)
    broken = practice.clone / "content/blog/posts/gum-disease-overall-health.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("image_alt:", "image_alternative:", 1),
                      encoding="utf-8")
    practice.git("add", "--all", "content")
    practice.git("commit", "--quiet", "-m", "Two articles")

    result = practice.run(command, env={"GITHUB_ACTIONS": "true", "BASE_REF": "main"}, check=False)
    assert result.returncode != 0
    assert re.search(r"^::error file=content/blog/posts/gum-disease-overall-health\.md,line=\d+", result.stdout,
                     re.M), result.stdout
    summary = practice.summary.read_text(encoding="utf-8")
    assert "### Teething: how to soothe sore gums" in summary
    assert practice.site_url + url_path + "?utm_source=mastodon" in summary
    assert "| Mastodon | " in summary and "✅ yes" in summary
    assert "gum-disease-overall-health.md" in summary and "error" in summary
    assert "first-dental-visit" not in summary  # unchanged articles are not shown
    assert practice.posted_texts() == []
