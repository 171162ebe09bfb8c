"""``site/syndication/preview.html``: every teaser as a card that looks like its network.

One self-contained page (inline CSS, no scripts, nothing fetched from
elsewhere; images are the site's own) so a person can look instead of read.
The cards are our own simple imitations: recognisable, no logos copied.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from .config import PLATFORMS, Settings
from .platforms import REGISTRY
from .platforms.compose import handle_for, measure

# Links, hashtags and mentions show in the network's link colour, as they would there.
_ENTITIES = re.compile(
    r"(?P<link>https?://[^\s]+)|(?P<tag>(?<![\w#])[#＃]\w*[^\W\d]\w*)|(?P<mention>(?<![\w@/])@[\w.\-]+(?:@[\w.\-]+\w)?)"
)

CALL_TO_ACTION_LABELS = {"LEARN_MORE": "Learn more", "BOOK": "Book", "CALL": "Call now"}


def _shown_link(url: str, keep: int) -> str:
    """A link as X, Mastodon and Threads show it: no scheme, no "www.", cut after ``keep`` characters."""
    shown = re.sub(r"^https?://(www\.)?", "", url)
    return shown if len(shown) <= keep else shown[:keep] + "\u2026"


# How many characters of a link each network shows (the rest is hidden, the link still whole).
SHOWN_LINK_LENGTH = {"x": 26, "mastodon": 30, "threads": 30}


def highlight(text: str, *, link_length: int | None = None) -> Markup:
    """The text as HTML with links, hashtags and mentions marked (line breaks kept by CSS).

    ``link_length`` shortens links as the network shows them (the link itself stays whole).
    """
    parts: list[str] = []
    last = 0
    for match in _ENTITIES.finditer(text):
        parts.append(str(escape(text[last:match.start()])))
        kind = match.lastgroup or "link"
        shown = match.group(0)
        if kind == "link" and link_length:
            shown = _shown_link(shown, link_length)
        parts.append(f'<span class="{kind}" title="{escape(match.group(0))}">{escape(shown)}</span>'
                     if kind == "link" else f'<span class="{kind}">{escape(shown)}</span>')
        last = match.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("syndicate", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("preview.html")


def _site_relative(settings: Settings, docs_path: str | None) -> str | None:
    """A docs-relative file as a link from ``site/syndication/`` (None when the site lacks it)."""
    if not docs_path or docs_path.startswith(("http://", "https://")):
        return docs_path or None
    target = settings.site_dir / docs_path
    if not target.exists():
        return None
    return os.path.relpath(target, settings.site_dir / "syndication").replace(os.sep, "/")


def _initials(name: str) -> str:
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w[:1].isupper()] or name.split()
    return "".join(w[0] for w in words[:2]).upper()


def card(name: str, entry: Mapping[str, Any], article: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """What one card shows: the text with its entities marked, the length badge, the link card."""
    spec = REGISTRY[name].SPEC
    # An entry says whether its platform takes it; only a refused one is counted again, for the reasons.
    problems = () if entry["ok"] else measure(spec, entry["text"], settings).problems
    fields = entry["fields"]
    action = fields.get("call_to_action", {}).get("action_type", "")
    return {
        "name": name,
        "title": spec.title,
        "text": highlight(entry["text"], link_length=SHOWN_LINK_LENGTH.get(name)),
        "length": entry["length"],
        "limit": entry["limit"],
        "unit": spec.unit,
        "ok": entry["ok"],
        "problems": problems,
        "handle": handle_for(settings, name),
        "domain": urlsplit(article["url"]).hostname or "",
        "link_title": fields.get("title") or article["title"],
        "link_description": article["description"],
        "image": article["image_link"],
        "image_alt": entry.get("image_alt") or "",
        "image_required": bool(fields.get("image_required")),
        "cta": CALL_TO_ACTION_LABELS.get(action, ""),
    }


# The page shows the newest articles (those about to be posted); index.json has them all.
# A practice may change the number with extra.syndication.preview_articles.
PREVIEW_ARTICLES = 30


def _shown(settings: Settings) -> int:
    shown = settings.syndication.get("preview_articles", PREVIEW_ARTICLES)
    if isinstance(shown, int) and not isinstance(shown, bool) and shown >= 1:
        return shown
    return PREVIEW_ARTICLES


def _logo(settings: Settings) -> str | None:
    theme = settings.raw.get("theme") or {}
    logo = theme.get("logo") if isinstance(theme, Mapping) else None
    return _site_relative(settings, str(logo)) if logo else None


def preview_inputs(data: Mapping[str, Any], settings: Settings) -> tuple[Any, ...]:
    """Everything the page depends on besides the settings: the shown articles and which of their files the site has.

    The build keeps the page under a key made of these, and skips rendering it
    (which counts every teaser again) when an edit touched only older articles.
    """
    shown = data["articles"][:_shown(settings)]
    files = [_site_relative(settings, a["image_path"] and os.path.relpath(settings.root / a["image_path"],
                                                                         settings.docs_dir)) for a in shown]
    return shown, len(data["articles"]), files, _logo(settings)


def render_preview(data: Mapping[str, Any], settings: Settings) -> str:
    """The preview page for the newest articles in ``index.json``'s data."""
    articles = []
    over = 0
    for article in data["articles"][:_shown(settings)]:
        src_image = article["image_path"]
        if src_image:
            src_image = os.path.relpath(settings.root / src_image, settings.docs_dir).replace(os.sep, "/")
        view = {**article, "src_image": src_image, "image_link": _site_relative(settings, src_image)}
        cards = [card(name, article["platforms"][name], view, settings)
                 for name in PLATFORMS if name in article["platforms"]]
        over += sum(not c["ok"] for c in cards)
        articles.append({**view, "cards": cards, "day": article["date"][:10]})
    return _template().render(
        site_name=settings.site_name,
        practice=settings.practice.name,
        initials=_initials(settings.practice.name),
        logo=_logo(settings),
        colors=settings.practice.colors,
        articles=articles,
        total=len(data["articles"]),
        over=over,
        teasers=sum(len(a["cards"]) for a in articles),
    )
