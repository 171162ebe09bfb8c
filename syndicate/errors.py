"""Errors the syndicate package raises, each one a person can act on.

    SyndicateError
     ├── ConfigError      mkdocs.yml or .authors.yml is wrong
     ├── ContentError     one or more articles have problems (carries Problems)
     ├── SiteError        the built site is missing or does not match the sources
     └── PlatformError    a platform refused or could not be reached (nothing was posted)
          ├── AccessError     credentials or settings are wrong: that platform stops for this run
          ├── RateLimited     the platform asks to wait longer than a run should
          ├── OutcomeUnknown  the request may have taken effect: settled with the platform, never resent
          └── Unresolvable    the platform offers no way to tell whether an earlier try posted

The core never prints and never exits; ``cli.py`` turns these into messages
and exit codes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, kw_only=True, order=True)
class Problem:
    """One thing wrong in one file: where, what, and how to fix it."""

    path: Path
    line: int = 1
    col: int = 1
    severity: Severity = "error"
    message: str
    hint: str = ""
    code: str = ""

    def format(self, root: Path | None = None) -> str:
        """``path:line:col: severity: message. hint`` as compilers print it."""
        where = display_path(self.path, root)
        return f"{where}:{self.line}:{self.col}: {self.severity}: {self.text}"

    @property
    def text(self) -> str:
        """The message and the hint as sentences (``Did you mean 'title'?`` keeps its question mark)."""
        text = _sentence(self.message)
        if self.hint:
            text += " " + _sentence(self.hint)
        return text


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("?", "!", ".")) else text + "."


def display_path(path: Path, root: Path | None = None) -> str:
    """A path relative to ``root`` (or the working directory) when it is inside."""
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


class SyndicateError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 1


class ConfigError(SyndicateError):
    """The configuration is wrong; the message says where and how to fix it."""

    exit_code = 2

    def __init__(self, message: str, *, path: Path | None = None, line: int | None = None,
                 hint: str = "") -> None:
        self.path = path
        self.line = line
        self.hint = hint
        where = ""
        if path is not None:
            where = f"{display_path(path)}:{line or 1}: "
        text = _sentence(message)
        if hint:
            text += " " + _sentence(hint)  # "Did you mean 'drlee'?" keeps its question mark
        super().__init__(where + "error: " + text)


class ContentError(SyndicateError):
    """Articles have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        first = (errors or self.problems)[0].format() if self.problems else "no problems"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)


class SiteError(SyndicateError):
    """The built site is missing, stale, or does not contain an article."""


class PlatformError(SyndicateError):
    """A platform refused a request or could not be reached."""

    def __init__(self, platform: str, message: str, *, retryable: bool = False,
                 unknown_outcome: bool = False) -> None:
        self.platform = platform
        self.retryable = retryable
        self.unknown_outcome = unknown_outcome
        super().__init__(f"{platform}: {message}")


class AccessError(PlatformError):
    """Credentials or settings are wrong: nothing more is tried on this platform in this run."""


class RateLimited(PlatformError):
    """The platform asks us to wait longer than a run should: the rest waits for the next run."""

    def __init__(self, platform: str, message: str, *, until: datetime | None) -> None:
        self.until = until
        super().__init__(platform, message, retryable=True)


class OutcomeUnknown(PlatformError):
    """The request may or may not have taken effect (timeout, connection lost, 5xx on a create)."""

    def __init__(self, platform: str, message: str) -> None:
        super().__init__(platform, message, unknown_outcome=True)


class Unresolvable(PlatformError):
    """The platform offers no way to tell whether an earlier attempt was posted."""
