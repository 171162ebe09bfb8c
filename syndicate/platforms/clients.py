"""What every platform's API client offers, and the registry of clients.

A client turns one ``Post`` (a teaser from ``site/syndication/index.json``)
into the platform's requests. It is given a ``Sender`` (an ``httpx.Client`` with
our retry rules), the platform's block of ``extra.syndication.platforms`` and
the environment, from which alone it reads credentials.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from ..errors import AccessError
from ..http import Sender, register_secret

__all__ = ["Client", "Post", "Remote", "Setup", "REGISTRY", "make_client"]


@dataclass(frozen=True, kw_only=True)
class Post:
    """One teaser to publish on one platform, with everything a client may send."""

    platform: str
    article: str  # the ledger's key of the article
    key: str  # stable for this article, platform and attempt generation: idempotency / record key
    source: str  # the Markdown file, relative to the project root
    title: str
    description: str
    date: datetime
    canonical_url: str
    link: str  # the canonical URL with this platform's UTM parameters
    text: str
    language: str
    image_url: str | None = None
    image_alt: str | None = None
    image_path: Path | None = None  # the hero image on disk (absolute)
    fields: Mapping[str, Any] = field(default_factory=dict)
    progress: Mapping[str, Any] = field(default_factory=dict)  # what an interrupted attempt recorded


@dataclass(frozen=True, kw_only=True)
class Remote:
    """A post as it exists on the platform."""

    id: str | None
    url: str | None


Progress = Callable[[Mapping[str, Any]], None]


class Client(Protocol):
    """A platform's publishing API."""

    name: str

    def post(self, post: Post, progress: Progress) -> Remote:
        """Publish ``post``; ``progress`` records ids between calls so a crash can be resolved."""
        ...

    def find(self, post: Post, since: datetime) -> Remote | None:
        """The post if an earlier attempt (started at ``since``) made it, None if provably not; or Unresolvable."""
        ...

    def replay_safe(self, since: datetime, now: datetime) -> bool:
        """Whether sending the same attempt again cannot make a second post."""
        ...

    def warnings(self) -> list[str]:
        """Things a person should know, e.g. a token that expires soon."""
        ...


@dataclass
class Setup:
    """What a client is built from."""

    name: str
    settings: Mapping[str, Any]
    env: Mapping[str, str]
    sender: Sender
    now: datetime
    dry_run: bool = False
    practice_handles: Mapping[str, str] = field(default_factory=dict)

    def credentials(self, *names: str, public: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The values of these environment variables; all missing ones named in one AccessError.

        Each value is registered for redaction, except ``public`` ones (a Bluesky handle is often the
        practice's own domain, which must stay readable).
        """
        missing = [n for n in names if not self.env.get(n, "").strip()]
        if missing and not self.dry_run:
            listed = " and ".join(missing)
            verb, them = ("is", "it") if len(missing) == 1 else ("are", "them")
            raise AccessError(self.name, f"{listed} {verb} not set, so nothing was posted here. Add {them} as "
                              "repository secrets (README: Posting)")
        values = tuple(self.env[n].strip() if n not in missing else f"<{n}>" for n in names)
        for name, value in zip(names, values, strict=True):
            if name not in public and name not in missing:
                register_secret(value)
        return values

    def optional_credential(self, name: str) -> str | None:
        """An environment variable that may be absent."""
        value = self.env.get(name, "").strip()
        return register_secret(value) if value else None

    def setting(self, key: str, default: str | None = None) -> str:
        """A required setting of ``extra.syndication.platforms.<name>``."""
        value = self.settings.get(key, default)
        if value in (None, ""):
            raise AccessError(self.name, f"extra.syndication.platforms.{self.name}.{key} is not set in "
                              "mkdocs.yml, so nothing was posted here")
        return str(value)

    def api_base(self, default: str | None) -> str:
        """``api_base`` from the settings (tests and proxies point it anywhere), else the public API."""
        value = str(self.settings.get("api_base") or default or "")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise AccessError(self.name, f"extra.syndication.platforms.{self.name}.api_base must be a URL like "
                              f"https://…, not '{value}'")
        return value.rstrip("/")


# Explicit registry: platform name -> module that defines ``create(setup) -> Client``.
REGISTRY: dict[str, str] = {
    "bluesky": "bluesky_api",
    "mastodon": "mastodon_api",
    "x": "x_api",
    "linkedin": "linkedin_api",
    "facebook": "facebook_api",
    "instagram": "instagram_api",
    "threads": "threads_api",
    "pinterest": "pinterest_api",
    "google_business": "google_business_api",
}


def make_client(setup: Setup) -> Client:
    """The client for ``setup.name``; raises AccessError for missing credentials or settings."""
    module = importlib.import_module(f"{__package__}.{REGISTRY[setup.name]}")
    client: Client = module.create(setup)
    return client


def dry_run_response(name: str, request: httpx.Request) -> httpx.Response:
    """A plausible answer to ``request`` so a dry run can walk a client's whole sequence of calls."""
    module = importlib.import_module(f"{__package__}.{REGISTRY[name]}")
    response: httpx.Response = module.dry_run_response(request)
    return response
