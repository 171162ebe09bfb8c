"""Bluesky: a post of 300 graphemes (and 3000 bytes) with its link card.

The client (``bluesky_api``) marks the links and hashtags as facets, since
Bluesky does not find them in the text itself. The renderer is pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "bluesky"

SPEC = Spec(
    name=NAME,
    title="Bluesky",
    # app.bsky.feed.post text: maxGraphemes 300, maxLength 3000 (bytes).
    # https://github.com/bluesky-social/atproto/blob/main/lexicons/app/bsky/feed/post.json
    limit=300,
    max_bytes=3000,
    unit="characters",
    template="{{ title }}\n\n{{ description }}\n\n{{ hashtags }}\n{{ url }}",
    override_template="{{ text }}\n\n{{ hashtags }}\n{{ url }}",
)

def render(article: Linked, settings: Settings) -> Teaser:
    """The post for one published article, with its link card."""
    draft = compose(SPEC, article, settings)
    return teaser(SPEC, draft, fields={
        "langs": [article.article.language],
        "card": {
            "uri": draft.url,
            "title": article.article.title,
            "description": article.article.description,
            "thumb": draft.image_url,
        },
    })
