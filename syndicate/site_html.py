"""An article's body as the built site shows it, read back from its page.

The site generator has already turned every article into HTML. Reading that
back costs a file read, where converting the Markdown again costs milliseconds
per article, for the feeds and again for the slides. The article template
(``overrides/blog-post.html``) marks the body, and the end of the byline it
places right after the title (the page's, not the article's)::

    <!-- syndicate:body --><h1>…</h1><div class="practice-byline">…</div><!-- /syndicate:byline -->
    <p>…</p> … <!-- /syndicate:body -->

What the syndication-links step adds to the page later lies outside the marks.
A page without them (built before they existed, or minified without comments)
gives None: the callers then convert the Markdown as before (``render.py``).

The page's own additions are left out: the "¶" permalinks beside headings
(``a.headerlink``), the title (every reader shows it already) and comments
such as the blog's ``<!-- more -->``. Links on the page are relative to it;
away from it (a feed reader, a deck at another address) they are made
absolute against the page's canonical URL, exactly as a browser on the page
resolves them.
"""

from __future__ import annotations

import functools
import html
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:  # lxml loads only for a tree (the slides); feeds work on the text
    from lxml import etree

START = "<!-- syndicate:body -->"
END = "<!-- /syndicate:body -->"
BYLINE_END = "<!-- /syndicate:byline -->"
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)  # Python-Markdown's toc permalink
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_TITLE = re.compile(r"\s*<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)
# A start tag, its quoted attribute values whole (text between tags never holds a raw "<": it is escaped).
_TAG = re.compile(r"""<[A-Za-z][^\s/>]*(?:[^>"']|"[^"]*"|'[^']*')*>""")
_LINK = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def read_body(page: Path) -> str | None:
    """The article's body as the built page holds it (title included, byline left out), or None unmarked."""
    try:
        text = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    start = text.find(START)
    end = text.rfind(END)
    if start < 0 or end < start:
        return None
    body = text[start + len(START):end]
    byline_end = body.find(BYLINE_END)
    if byline_end < 0:
        return body
    title_end = body.rfind("</h1>", 0, byline_end)  # the byline starts right after the title
    cut = title_end + len("</h1>") if title_end >= 0 else byline_end
    return body[:cut] + body[byline_end + len(BYLINE_END):]


def _absolute(value: str, url: str) -> str:
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return value
    return urljoin(url, value)


def feed_html(body: str, url: str) -> str:
    """The body for a feed: without the title, permalinks and comments, every link and image absolute."""
    body = _COMMENT.sub("", _HEADERLINK.sub("", body))
    title = _TITLE.match(body)
    if title:
        body = body[title.end():]

    def absolute_links(tag: re.Match[str]) -> str:
        def replace(match: re.Match[str]) -> str:
            before, quote_char, value = match.groups()
            raw = html.unescape(value)
            resolved = _absolute(raw, url)
            if resolved == raw:  # absolute already: left as the page writes it
                return match.group(0)
            return f"{before}{quote_char}{html.escape(resolved, quote=True)}{quote_char}"

        return _LINK.sub(replace, tag.group(0))

    return _TAG.sub(absolute_links, body).strip()


@functools.cache
def _parser() -> etree.HTMLParser:
    from lxml import etree

    return etree.HTMLParser()


def body_tree(body: str, url: str) -> etree._Element:
    """The body as a tree under one ``<div>``, for reading (the slide outline): permalinks gone, links absolute.

    Plain lxml elements, parsed as ``lxml.html`` parses a fragment: without its
    element classes, which cost a lookup for every element visited.
    """
    from lxml import etree

    document = etree.fromstring(f"<html><body>{_HEADERLINK.sub('', body)}</body></html>", _parser())
    root = document.find("body")
    root.tag = "div"
    for element in root.iter("a", "img"):
        key = "href" if element.tag == "a" else "src"
        value = element.get(key)
        if value is not None:
            element.set(key, _absolute(value, url))
    return root
