"""Facebook Page: a post whose link card Facebook builds from the page's Open Graph tags.

The link goes in the ``link`` parameter, not the message, so the card shows
without a raw URL above it. The renderer is pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "facebook"

SPEC = Spec(
    name=NAME,
    title="Facebook",
    # A post's text may hold 63,206 characters; the feed shows the first few lines.
    # https://developers.facebook.com/docs/graph-api/reference/page/feed/
    limit=63206,
    unit="characters",
    link_in_text=False,
    template="{{ title }}\n\n{{ description }}\n\n{{ hashtags }}",
    override_template="{{ text }}\n\n{{ hashtags }}",
)


def render(article: Linked, settings: Settings) -> Teaser:
    """The post for one published article, with its link for the card."""
    draft = compose(SPEC, article, settings)
    return teaser(SPEC, draft, fields={"link": draft.url})
