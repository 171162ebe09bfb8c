"""The benchmark's generated articles are valid and varied, and the benchmark runs from start to end."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import BIN, ROOT, run

from benchmarks.generate import generate


def test_generated_articles_pass_the_check_and_vary_like_real_ones(tmp_path: Path) -> None:
    project = generate(16, tmp_path / "site")
    result = run(BIN / "syndicate", "check", cwd=project)
    assert result.stdout == ""
    assert "No problems in 16 articles." in result.stderr

    posts = sorted((project / "content" / "blog" / "posts").glob("*.md"))
    texts = [post.read_text(encoding="utf-8") for post in posts]
    images = {re.search(r"^image: (.+)$", text, re.M).group(1) for text in texts}  # type: ignore[union-attr]
    assert len(images) == 16 and all((project / "content" / image).is_file() for image in images)
    assert all(5 <= len(re.findall(r"^## ", text, re.M)) - 1 <= 10 for text in texts)  # sections, and Sources
    assert all(re.search(r"^- ", text, re.M) for text in texts)
    assert any("language: es" in text for text in texts)
    assert any(re.search(r"[\u2600-\u27bf\U0001F300-\U0001FAFF]", text) for text in texts)
    assert len({re.search(r"^categories: (.+)$", text, re.M).group(1) for text in texts}) > 1  # type: ignore[union-attr]
    assert any("\n  x: " in text for text in texts) and any("\n  created: " in text for text in texts)


def test_the_same_seed_generates_the_same_articles(tmp_path: Path) -> None:
    first = generate(3, tmp_path / "a")
    second = generate(3, tmp_path / "b")
    for post in (first / "content" / "blog" / "posts").glob("*"):
        assert post.read_bytes() == (second / "content" / "blog" / "posts" / post.name).read_bytes()


def test_the_benchmark_runs_end_to_end_and_prints_every_stage(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "3", "--repeat", "1", "--rounds", "1",
         "--slides-sample", "1", "--skip-rss", "--work", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    table = result.stdout
    for stage in ("floor", "`syndicate check`", "`mkdocs build`", "--only teasers", "--only feeds", "--only slides",
                  "the site feed alone",
                  "share-images", "pptx only", "carousel only", "post --dry-run", "newest post edited"):
        assert stage in table
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 17  # the header and every stage (no mkdocs-rss-plugin row: skipped)
    assert "- check at most 2x the floor:" in table and "- a rebuild after editing one article" in table
    assert (tmp_path / "results-3.json").is_file()
