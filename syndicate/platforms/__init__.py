"""One module per platform; this registry names them (no discovery magic).

Each module holds its limits as data (``SPEC``) and a pure
``render(article, settings) -> Teaser``; clients that post to the platform's
API live beside the renderer in the same module.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

from . import bluesky, facebook, google_business, instagram, linkedin, mastodon, pinterest, threads, x

REGISTRY: Mapping[str, ModuleType] = {
    "x": x,
    "bluesky": bluesky,
    "mastodon": mastodon,
    "threads": threads,
    "linkedin": linkedin,
    "facebook": facebook,
    "instagram": instagram,
    "pinterest": pinterest,
    "google_business": google_business,
}
