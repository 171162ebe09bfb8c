"""The posts kept between builds: a rebuild reads only the changed files, and sees every change."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from syndicate import article_index, config
from syndicate.article import Article, load_articles
from syndicate.config import Settings, load_settings
from syndicate.errors import ContentError


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The posts parsed, in order (files written just before a test count as settled)."""
    parsed: list[Path] = []
    real = article_index.read_article

    def counting(path: Path, settings: Settings, **kwargs: object) -> object:
        parsed.append(path)
        return real(path, settings, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(article_index, "read_article", counting)
    monkeypatch.setattr(article_index, "RACY_NS", 0)
    return parsed


def _settings(project: Path) -> Settings:
    config._load.cache_clear()  # read the files again, as a new build does
    return load_settings(project / "mkdocs.yml")


def _post(project: Path, name: str = "dental-sealants.md") -> Path:
    return project / "content" / "blog" / "posts" / name


def _titles(articles: list[Article]) -> list[str]:
    return [a.title for a in articles]


def test_a_second_load_reads_no_post_and_gives_the_same_articles(project: Path, reads: list[Path]) -> None:
    settings = _settings(project)
    first = article_index.load_articles_kept(settings)
    assert len(reads) == len(first) == 10
    reads.clear()
    again = article_index.load_articles_kept(_settings(project))
    assert reads == []
    assert again == first == load_articles(settings)
    assert repr(again) == repr(load_articles(settings))  # the build caches' keys are made from repr
    assert [digest for _, digest in article_index.load_kept(settings)] == \
        [article_index.article_digest(article) for article in load_articles(settings)]


def test_an_edited_post_is_read_again_and_its_new_text_is_seen(project: Path, reads: list[Path]) -> None:
    article_index.load_articles_kept(_settings(project))
    post = _post(project)
    post.write_text(post.read_text(encoding="utf-8").replace('\ntitle: "', '\ntitle: "Updated, ', 1),
                    encoding="utf-8")
    reads.clear()
    articles = article_index.load_articles_kept(_settings(project))
    assert reads == [post]
    assert articles == load_articles(_settings(project))
    assert "Updated, Dental sealants: a shield for back teeth" in _titles(articles)


def test_an_edit_that_keeps_the_size_and_time_is_still_seen(project: Path, reads: list[Path]) -> None:
    article_index.load_articles_kept(_settings(project))
    post = _post(project)
    before = post.stat()
    text = post.read_text(encoding="utf-8")
    assert "a shield" in text
    post.write_text(text.replace("a shield", "A SHIELD", 1), encoding="utf-8")
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))  # as a tool that keeps times would
    assert post.stat().st_size == before.st_size and post.stat().st_mtime_ns == before.st_mtime_ns
    reads.clear()
    articles = article_index.load_articles_kept(_settings(project))
    assert reads == [post]  # its change time moved: no program can set that one back
    assert articles == load_articles(_settings(project))
    assert "Dental sealants: A SHIELD for back teeth" in _titles(articles)


def test_a_post_touched_but_unchanged_is_read_again_and_gives_the_same_article(project: Path,
                                                                                  reads: list[Path]) -> None:
    first = article_index.load_articles_kept(_settings(project))
    os.utime(_post(project))
    reads.clear()
    assert article_index.load_articles_kept(_settings(project)) == first
    assert reads == [_post(project)]


def test_a_post_written_moments_ago_is_read_again_next_time(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                            reads: list[Path]) -> None:
    # A second write within the same tick of the file system's clock would leave the times unchanged.
    monkeypatch.setattr(article_index, "RACY_NS", 3600 * 10**9)
    article_index.load_articles_kept(_settings(project))
    reads.clear()
    article_index.load_articles_kept(_settings(project))
    assert len(reads) == 10


def test_new_and_deleted_posts_are_seen(project: Path, reads: list[Path]) -> None:
    article_index.load_articles_kept(_settings(project))
    _post(project).unlink()
    copy = _post(project, "zz-copy.md")
    copy.write_text(_post(project, "dry-mouth.md").read_text(encoding="utf-8"), encoding="utf-8")
    reads.clear()
    articles = article_index.load_articles_kept(_settings(project))
    assert reads == [copy]
    assert [a.source for a in articles] == [a.source for a in load_articles(_settings(project))]
    assert copy in [a.source for a in articles] and _post(project) not in [a.source for a in articles]


def test_a_change_to_the_settings_or_the_authors_reads_every_post_again(project: Path, reads: list[Path]) -> None:
    article_index.load_articles_kept(_settings(project))
    authors = _settings(project).authors_path
    authors.write_text(authors.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # the same authors
    reads.clear()
    article_index.load_articles_kept(_settings(project))
    assert reads == []  # nothing the articles depend on changed
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: ", "site_name: The ", 1),
                      encoding="utf-8")
    article_index.load_articles_kept(_settings(project))
    assert len(reads) == 10


def test_a_post_with_errors_is_reported_by_every_load(project: Path, reads: list[Path]) -> None:
    broken = _post(project)
    broken.write_text(broken.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitel: ", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ContentError) as raised:
            article_index.load_articles_kept(_settings(project))
        assert {p.path for p in raised.value.problems} == {broken}
    assert reads.count(broken) == 2
    assert len(reads) == 11  # the others were kept by the first load, errors or not


def test_a_cache_file_from_elsewhere_cannot_run_code(project: Path, tmp_path: Path) -> None:
    witness = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.mkdir, (str(witness),)

    kept = project / article_index.KEPT
    kept.parent.mkdir(parents=True)
    kept.write_bytes(pickle.dumps(("key", {"x": Payload()})))
    assert article_index.load_articles_kept(_settings(project)) == load_articles(_settings(project))
    assert not witness.exists()
