"""X (formerly Twitter): a short post with the link, weighed the way twitter-text weighs it.

The renderer is pure: ``render`` makes the post and sends nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..text import x_config
from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "x"

SPEC = Spec(
    name=NAME,
    title="X",
    # 280 weighted characters; CJK and emoji weigh 2, every link 23.
    # https://docs.x.com/fundamentals/counting-characters and twitter-text config/v3.json
    limit=int(x_config()["max_weighted_tweet_length"]),
    unit="weighted characters",
    template="{{ title }}\n\n{{ description }}\n\n{{ hashtags }}\n{{ url }}",
    override_template="{{ text }}\n\n{{ hashtags }}\n{{ url }}",
)


def render(article: Linked, settings: Settings) -> Teaser:
    """The post for one published article (its URL from the built site)."""
    return teaser(SPEC, compose(SPEC, article, settings))
