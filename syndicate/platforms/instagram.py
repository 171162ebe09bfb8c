"""Instagram: an image with a caption; links in captions are not clickable, so the caption says where.

An image is required. The renderer is pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "instagram"

# Where the article is, since the caption cannot link to it.
LINK_IN_BIO = "Read the full article: link in bio{% if handle %} ({{ handle }}){% endif %}."

SPEC = Spec(
    name=NAME,
    title="Instagram",
    # caption: at most 2,200 characters, 30 hashtags and 20 @ tags.
    # https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media
    limit=2200,
    max_hashtags=30,
    unit="characters",
    link_in_text=False,
    template="{{ title }}\n\n{{ description }}\n\n" + LINK_IN_BIO + "\n\n{{ hashtags }}",
    override_template="{{ text }}\n\n" + LINK_IN_BIO + "\n\n{{ hashtags }}",
)


def render(article: Linked, settings: Settings) -> Teaser:
    """The caption for one published article (its image is posted with it)."""
    draft = compose(SPEC, article, settings)
    return teaser(SPEC, draft, fields={
        "caption": draft.text,
        "alt_text": draft.image_alt,
        "image_required": True,
    })
