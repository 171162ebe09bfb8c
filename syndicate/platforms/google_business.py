"""Google Business Profile: an update with a summary and a button ("Learn more" or "Book").

The button carries the link: ``call_to_action`` under
``extra.syndication.platforms.google_business`` picks LEARN_MORE (to the
article), BOOK (to the practice's booking_url) or CALL (the profile's phone).
The renderer is pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from .base import Teaser
from .compose import Linked, Spec, compose, teaser

if TYPE_CHECKING:
    from ..config import Settings

NAME = "google_business"

SPEC = Spec(
    name=NAME,
    title="Google Business Profile",
    # summary: at most 1,500 characters; about the first 100 show in search.
    # https://developers.google.com/my-business/reference/rest/v4/accounts.locations.localPosts
    # https://support.google.com/business/answer/7662907
    limit=1500,
    unit="characters",
    link_in_text=False,
    hashtags=False,  # hashtags mean nothing on Google and read as spam there
    template="{{ title }}\n\n{{ description }}",
    override_template="{{ text }}",
)

CALLS_TO_ACTION = ("LEARN_MORE", "BOOK", "CALL")


def call_to_action(settings: Settings, url: str) -> dict[str, Any]:
    """The button under the update, as the practice configured it."""
    action = str(settings.platform_settings(NAME).get("call_to_action") or "LEARN_MORE").upper()
    if action not in CALLS_TO_ACTION:
        raise ConfigError(f"unknown call_to_action '{action}' for google_business", path=settings.config_path,
                          hint="Use LEARN_MORE (the article), BOOK (your booking_url) or CALL (your phone)")
    if action == "CALL":
        return {"action_type": action}
    if action == "BOOK":
        if not settings.practice.booking_url:
            raise ConfigError("call_to_action BOOK needs extra.practice.booking_url", path=settings.config_path,
                              hint="Add booking_url: https://… under extra.practice, or use LEARN_MORE")
        return {"action_type": action, "url": settings.practice.booking_url}
    return {"action_type": action, "url": url}


def render(article: Linked, settings: Settings) -> Teaser:
    """The update for one published article."""
    draft = compose(SPEC, article, settings)
    return teaser(SPEC, draft, fields={
        "summary": draft.text,
        "topic_type": "STANDARD",
        "language_code": article.article.language,
        "call_to_action": call_to_action(settings, draft.url),
    })
