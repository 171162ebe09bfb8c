"""LinkedIn: the commentary in "little text", and the article card the API does not fetch itself.

Posts made through the API get no link preview: the post must carry
``content.article`` (source, title, description, thumbnail), so the link
travels in the card, not in the text. The renderer is pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import little_text
from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "linkedin"

SPEC = Spec(
    name=NAME,
    title="LinkedIn",
    # commentary: at most 3000 characters, counted here after little-text escaping (as sent).
    # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api
    # https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format
    limit=3000,
    unit="characters",
    link_in_text=False,
    template="{{ title }}\n\n{{ description }}\n\n{{ hashtags }}",
    override_template="{{ text }}\n\n{{ hashtags }}",
)


def render(article: Linked, settings: Settings) -> Teaser:
    """The post for one published article: readable text, the escaped commentary, the card."""
    draft = compose(SPEC, article, settings)
    return teaser(SPEC, draft, fields={
        "commentary": little_text(draft.text),
        "article": {
            "source": draft.url,
            "title": article.article.title,
            "description": article.article.description,
            "thumbnail": draft.image_url,
        },
    })
