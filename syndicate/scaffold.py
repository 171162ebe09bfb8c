"""``syndicate new``: a new post with today's date, a slug file name and every key explained."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from .config import Settings
from .errors import SyndicateError

TEMPLATE = """\
---
# The headline. Shown on the page, in search results and in every teaser.
title: {title}
# The last part of the web address. Keeping it here means editing the title later never
# changes the address (and never breaks links people have shared).
slug: {slug}
# One or two sentences (under 160 characters) for search results and link previews.
description: TODO one or two sentences that tell a patient what they will learn.
# Publishing date (year-month-day). A date in the future keeps the post hidden until that day.
date: {today}
# Who wrote it: keys from {authors_file}.
authors: [{author}]
# Who checked it medically (a key from the same file), and when.
# reviewed_by: {author}
# last_reviewed: {today}
# One or more of the categories listed under categories_allowed in mkdocs.yml.
categories: [{category}]
# Words patients search for; they also become hashtags (oral health -> #OralHealth).
tags: []
# The hero picture (1200x630 or larger, JPEG or PNG) under content/, and what it shows.
# image: blog/images/{slug}.jpg
# image_alt: A short description of the picture for people who cannot see it
# Optional: your own text per network, hashtags, or networks to leave out.
# social:
#   x: A shorter text for X (the link is added for you).
#   hashtags: [DentalHealth]
#   skip: [pinterest]
# Slides made from the article: auto, or false to turn them off.
slides: auto
---

# {title}

Write a short opening paragraph here: what the reader will learn.

<!-- more -->

## First section

Explain one idea per section. Lists work well in slides:

- A short point
- Another short point

## Sources

- [Name of the page, organisation](https://www.cdc.gov/)
"""


def slugify(title: str) -> str:
    """A file name from a title: lower case ASCII words joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-") or "new-post"


def new_post(settings: Settings, title: str, *, today: date) -> Path:
    """Write the scaffold of a new post and return its path; never overwrite."""
    if not title.strip():
        raise SyndicateError('the title is empty. Give one: syndicate new "What to expect at a cleaning"')
    slug = slugify(title)
    path = settings.posts_dir / f"{slug}.md"
    if path.exists():
        raise SyndicateError(f"{path} already exists. Choose another title, or edit that file")
    author = next(iter(settings.authors), "your-key")
    category = settings.categories_allowed[0] if settings.categories_allowed else "News"
    safe_title = title.strip().replace('"', '\\"')
    if re.search(r"[:#\[\]{}&*!|>'%@`]", safe_title) or safe_title[:1] in "-?":
        safe_title = f'"{safe_title}"'
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE.format(title=safe_title, today=today.isoformat(), author=author,
                                    category=category, slug=slug,
                                    authors_file=settings.authors_path.name), encoding="utf-8")
    return path
