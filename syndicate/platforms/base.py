"""What every platform module provides: its limits as data and a pure ``render``.

Rendering is pure and separate from publishing, so a dry run is "render,
don't publish". Clients that talk to a platform's API live beside the
renderer in the same module and receive an ``httpx.Client``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, kw_only=True)
class Teaser:
    """The exact post for one platform: text, its length as that platform counts it, and extra fields."""

    platform: str
    text: str
    length: int
    limit: int
    url: str  # the article's canonical URL with this platform's UTM parameters
    image_url: str | None = None  # absolute
    image_alt: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)  # e.g. title, description, call_to_action

    @property
    def ok(self) -> bool:
        """Whether the text fits the platform's limit."""
        return self.length <= self.limit


class Renderer(Protocol):
    """A platform's teaser maker."""

    name: str

    def render(self, article: Any, settings: Any) -> Teaser:
        """The teaser for one published article."""
        ...
