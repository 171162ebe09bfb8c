"""Pinterest: a pin with a title, a description, alt text and the link to the article.

An image is required (portrait 2:3 shows best). The text of the teaser is the
pin's description. The renderer is pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import cut_to
from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "pinterest"

# PinCreate: title maxLength 100, description 800, alt_text 500, link 2048
# (https://github.com/pinterest/api-description v5/openapi.json). Pinterest's
# help pages say 500 for descriptions; we keep to 500 to be safe.
TITLE_MAX = 100
ALT_TEXT_MAX = 500

SPEC = Spec(
    name=NAME,
    title="Pinterest",
    limit=500,
    unit="characters",
    link_in_text=False,
    hashtags=False,  # Pinterest no longer uses hashtags for discovery; they only take room
    template="{{ description }}",
    override_template="{{ text }}",
)


def render(article: Linked, settings: Settings) -> Teaser:
    """The pin for one published article."""
    draft = compose(SPEC, article, settings)
    return teaser(SPEC, draft, fields={
        "title": cut_to(article.article.title, TITLE_MAX),
        "description": draft.text,
        "alt_text": cut_to(draft.image_alt or "", ALT_TEXT_MAX) or None,
        "link": draft.url,
        "image_required": True,
    })
