"""A rebuild from the build cache writes exactly what a build from nothing writes, and redoes only what changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import BIN, copy_project, run

from syndicate import parallel
from syndicate.build_cache import StepCache, _Index
from syndicate.config import Settings, load_settings
from syndicate.slides_cache import DeckCache

KEEP = ("brushing-and-toothbrushes.md", "coffee-tea-and-your-teeth.md", "dental-sealants.md")


def _files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def _build(project: Path, *, cold: bool) -> dict[str, bytes]:
    """mkdocs build, then syndicate build (from nothing when ``cold``); every file of the site."""
    if cold:
        shutil.rmtree(project / ".cache", ignore_errors=True)
    run(BIN / "mkdocs", "build", "--quiet", cwd=project)
    run(BIN / "syndicate", "build", cwd=project)
    return _files(project / "site")


def _kept(project: Path, step: str, suffix: str) -> set[str]:
    return {path.name for path in (project / ".cache" / "syndicate" / step).glob(f"*{suffix}")}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Three sample posts with every slide format: built cold, rebuilt warm, one post edited, then cold again."""
    project = copy_project(tmp_path_factory.mktemp("cache") / "practice")
    for post in (project / "content" / "blog" / "posts").glob("*.md"):
        if post.name not in KEEP:
            post.unlink()
    cold = _build(project, cold=True)
    teasers, slides = _kept(project, "teasers", ".json"), _kept(project, "slides", ".html")
    warm = _build(project, cold=False)
    edited = project / "content" / "blog" / "posts" / KEEP[1]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("\ndescription: ", "\ndescription: Briefly, ", 1), encoding="utf-8")
    after_edit = _build(project, cold=False)
    return {
        "cold": cold, "warm": warm, "after_edit": after_edit,
        "new_teasers": _kept(project, "teasers", ".json") - teasers,
        "new_slides": _kept(project, "slides", ".html") - slides,
        "edited_cold": _build(project, cold=True),
    }


def test_a_rebuild_after_mkdocs_build_writes_the_same_files_as_a_cold_build(builds: dict[str, object]) -> None:
    cold, warm = builds["cold"], builds["warm"]
    assert isinstance(cold, dict) and isinstance(warm, dict)
    assert any(name.endswith(".pptx") for name in cold) and any(name.endswith("carousel.pdf") for name in cold)
    assert sorted(warm) == sorted(cold)
    assert [name for name in cold if warm[name] != cold[name]] == []


def test_after_editing_one_post_only_its_teasers_and_slides_are_made_again(builds: dict[str, object]) -> None:
    assert len(builds["new_teasers"]) == 1  # type: ignore[arg-type]
    assert len(builds["new_slides"]) == 1  # type: ignore[arg-type]


def test_the_rebuild_after_an_edit_equals_a_build_from_nothing(builds: dict[str, object]) -> None:
    after_edit, edited_cold, cold = builds["after_edit"], builds["edited_cold"], builds["cold"]
    assert isinstance(after_edit, dict) and isinstance(edited_cold, dict) and isinstance(cold, dict)
    assert sorted(after_edit) == sorted(edited_cold)
    assert [name for name in edited_cold if after_edit[name] != edited_cold[name]] == []
    changed = {name for name in cold if cold[name] != after_edit.get(name)}
    assert any(name.startswith("slides/") for name in changed)  # the edit reached the deck, teasers and feeds
    assert any(name.startswith("syndication/") for name in changed) and "feed.xml" in changed


def _pid(_: int) -> int:
    return os.getpid()


def test_work_spread_over_processes_comes_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATE_JOBS", "2")
    assert parallel.run(str, list(range(20))) == [str(n) for n in range(20)]
    assert set(parallel.run(_pid, list(range(20)))) - {os.getpid()}  # not all made here
    monkeypatch.setenv("SYNDICATE_JOBS", "1")
    assert set(parallel.run(_pid, list(range(20)))) == {os.getpid()}


def test_pictures_and_decks_made_on_two_processors_are_those_made_on_one(built_project: Path,
                                                                         tmp_path: Path) -> None:
    project = tmp_path / "practice"
    shutil.copytree(built_project, project, ignore=shutil.ignore_patterns(".cache"))
    built: list[dict[str, bytes]] = []
    for jobs in ("1", "2"):
        shutil.rmtree(project / ".cache", ignore_errors=True)
        run(BIN / "syndicate", "build", "--only", "share-images", "--only", "slides", "--slide-format", "html",
            cwd=project, env={"SYNDICATE_JOBS": jobs})
        built.append(_files(project / "site"))
    assert len(list((project / "content" / "blog" / "posts").glob("*.md"))) >= parallel.MIN_ITEMS
    assert built[0] == built[1]


def _settings(project: Path) -> Settings:
    return load_settings(project / "mkdocs.yml")


def test_a_site_file_written_into_after_a_rebuild_leaves_the_cache_as_it_was(project: Path) -> None:
    """Outputs go back into the site as links to the cache's files: a tool that later writes into one in the
    site (a minifier, an editor) must not change what the next build puts back."""
    settings, site = _settings(project), project / "site"
    site.mkdir()
    (site / "made.html").write_text("<p>made</p>", encoding="utf-8")
    cache = StepCache(settings, "pages")
    cache.store("key", site / "made.html", ".html")
    cache.prune()
    restored = site / "restored.html"
    assert StepCache(settings, "pages").restore("key", restored, ".html")
    assert restored.read_text(encoding="utf-8") == "<p>made</p>"
    with restored.open("r+", encoding="utf-8") as handle:  # written into, not replaced
        handle.write("<p>changed by hand</p>")
    later = StepCache(settings, "pages")
    again = site / "again.html"
    assert not later.restore("key", again, ".html") or again.read_text(encoding="utf-8") == "<p>made</p>"
    assert later.read("key", ".html") in (None, b"<p>made</p>")


def test_putting_an_entry_back_over_another_leaves_the_other_entry_whole(project: Path) -> None:
    settings, dest = _settings(project), project / "site" / "teaser.json"
    cache = StepCache(settings, "pages")
    cache.write("one", b"first", ".json")
    cache.write("two", b"the second", ".json")
    assert cache.restore("one", dest, ".json") and cache.restore("two", dest, ".json")
    assert dest.read_bytes() == b"the second"
    assert cache.read("one", ".json") == b"first"
    assert cache.restore("two", dest, ".json")  # already there: nothing to do
    assert dest.read_bytes() == b"the second"


_IN_WORKERS: StepCache | None = None


def _keep(name: str) -> str:
    assert _IN_WORKERS is not None
    _IN_WORKERS.write(name, name.encode(), ".txt")
    return name + ".txt"


def test_entries_kept_by_worker_processes_are_found_by_the_next_build(project: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    global _IN_WORKERS
    monkeypatch.setenv("SYNDICATE_JOBS", "2")
    settings = _settings(project)
    names = [f"deck{n}" for n in range(parallel.MIN_ITEMS)]
    _IN_WORKERS = cache = StepCache(settings, "decks")
    try:
        cache.used |= set(parallel.run(_keep, names))  # as the slides step gathers its workers' entries
    finally:
        _IN_WORKERS = None
    cache.prune()
    monkeypatch.setattr(_Index, "_loaded", {})  # the next build: a new process
    later = StepCache(settings, "decks")
    assert [later.read(name, ".txt") for name in names] == [name.encode() for name in names]


def test_a_drawn_deck_changed_in_the_site_is_drawn_again_rather_than_put_back(tmp_path: Path) -> None:
    drawn = tmp_path / "site" / "flossing"
    files = [drawn / "flossing.pptx", drawn / "carousel" / "01.png"]
    files[1].parent.mkdir(parents=True)
    files[0].write_bytes(b"the deck")
    files[1].write_bytes(b"the first page")
    DeckCache(tmp_path / "cache").store("key", drawn, files)
    rebuilt = tmp_path / "rebuilt"
    assert DeckCache(tmp_path / "cache").restore("key", rebuilt) == [rebuilt / "flossing.pptx",
                                                                      rebuilt / "carousel" / "01.png"]
    assert (rebuilt / "carousel" / "01.png").read_bytes() == b"the first page"
    with (rebuilt / "flossing.pptx").open("ab") as handle:  # written into where it was put back
        handle.write(b", changed by hand")
    again = tmp_path / "again"
    restored = DeckCache(tmp_path / "cache").restore("key", again)
    assert restored is None or (again / "flossing.pptx").read_bytes() == b"the deck"
