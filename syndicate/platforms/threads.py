"""Threads: a 500-character post; an emoji counts as many characters as its UTF-8 bytes.

The first link in the text becomes the preview card; ``link_attachment`` names
it explicitly. The renderer is pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "threads"

SPEC = Spec(
    name=NAME,
    title="Threads",
    # text: at most 500 characters, emoji counted by their UTF-8 byte length;
    # a post with more than 5 links is refused (THREADS_API__LINK_LIMIT_EXCEEDED).
    # https://developers.facebook.com/docs/threads/create-posts
    # https://developers.facebook.com/docs/threads/reference/publishing
    limit=500,
    max_links=5,
    # A post carries one topic tag: the first hashtag; more are plain text.
    # https://developers.facebook.com/docs/threads/create-posts (topic_tag)
    hashtags_used=1,
    unit="characters",
    template="{{ title }}\n\n{{ description }}\n\n{{ hashtags }}\n{{ url }}",
    override_template="{{ text }}\n\n{{ hashtags }}\n{{ url }}",
)


def render(article: Linked, settings: Settings) -> Teaser:
    """The post for one published article."""
    draft = compose(SPEC, article, settings)
    return teaser(SPEC, draft, fields={"link_attachment": draft.url})
