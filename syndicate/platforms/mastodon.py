"""Mastodon: a post counted in graphemes, links as 23, the limit set by the practice's instance.

Each server decides its own limit; the default is Mastodon's own. A practice
on a server with a higher limit sets ``max_characters`` under
``extra.syndication.platforms.mastodon`` (its ``/api/v2/instance`` says
``configuration.statuses.max_characters``). The renderer is pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "mastodon"

SPEC = Spec(
    name=NAME,
    title="Mastodon",
    # StatusLengthValidator::MAX_CHARS = 500, URL_PLACEHOLDER_CHARS = 23
    # https://github.com/mastodon/mastodon/blob/main/app/validators/status_length_validator.rb
    # https://docs.joinmastodon.org/entities/Instance/#max_characters
    limit=500,
    limit_setting="max_characters",
    unit="characters",
    # Hashtags on the last line: Mastodon 4.3+ shows a trailing line of tags as a tag bar.
    template="{{ title }}\n\n{{ description }}\n\n{{ url }}\n\n{{ hashtags }}",
    override_template="{{ text }}\n\n{{ url }}\n\n{{ hashtags }}",
)


def render(article: Linked, settings: Settings) -> Teaser:
    """The post for one published article."""
    draft = compose(SPEC, article, settings)
    return teaser(SPEC, draft, fields={
        "language": article.article.language,
        "visibility": "public",
    })
