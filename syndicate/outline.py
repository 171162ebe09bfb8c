"""An article as a slide outline: what each slide says, before any layout.

The outline is plain data (frozen dataclasses) that every slide format renders:
a title slide, the hero image, one slide per ``##`` section, the sources, and
a closing call to action. Bullets are whole list items or whole sentences:
a bullet is made shorter by choosing a shorter sentence, never by cutting one.

The body is read as an HTML tree with lxml, so lists, emphasis, links and
admonitions are understood as Markdown means them: the tree of the built page
when the site has one (``site_html.py``: the site generator has converted the
Markdown already, with the site's own extensions), else the tree the
``markdown`` package (the parser the site generator uses) makes here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import quote, urlsplit

import lxml.html
from lxml import etree

from .article import Article, SlideOutline
from .config import Settings

if TYPE_CHECKING:  # Python-Markdown loads only when an article has no built page to read
    import markdown

SlideKind = Literal["title", "image", "section", "sources", "closing"]

MAX_BULLETS = 5  # per slide: more and a slide is read, not seen
MAX_CHARS = 120  # a bullet longer than this is replaced by a shorter whole sentence when there is one
MIN_WORDS = 4  # a sentence shorter than this ("Yes.", "It:") says little on its own
# Headings that introduce a reference list: they become the sources slide.
_SOURCES_HEADING = re.compile(r"^(sources|references|further reading|citations|bibliography)\b", re.I)
# Words ending in a full stop that do not end a sentence.
_ABBREVIATIONS = frozenset({
    "dr", "mr", "mrs", "ms", "st", "vs", "etc", "e.g", "i.e", "approx", "no", "fig", "jr", "sr",
    "prof", "inc", "ltd", "u.s", "dds", "dmd", "md", "rdh", "ph.d", "mt", "ft", "oz", "min", "max",
})
# A sentence opening with one of these leans on the one before it: alone on a slide it dangles.
_PRONOUNS = frozenset({"it", "its", "they", "their", "them", "this", "these", "that", "those", "he", "she"})
_SENTENCE_END = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
_EXTENSIONS = ["extra", "admonition", "pymdownx.details", "sane_lists"]


@dataclass(frozen=True, kw_only=True)
class Point:
    """One bullet: whole words as written, an optional link, and its level (1 under an intro)."""

    text: str
    url: str = ""
    level: int = 0


@dataclass(frozen=True, kw_only=True)
class Slide:
    """One slide of the outline."""

    kind: SlideKind
    title: str
    points: tuple[Point, ...] = ()
    subtitle: str = ""  # title slide: the description; image slide: the caption
    byline: tuple[str, ...] = ()  # title slide: author with credentials, reviewer, date
    image: str = ""  # docs-relative path of a picture
    image_alt: str = ""
    notes: str = ""  # what a speaker would say: the section's full text
    part: int = 0  # 1, 2 ... when a long section is split over slides


@dataclass(frozen=True, kw_only=True)
class Outline:
    """Everything the slide formats need about one article."""

    slug: str
    title: str
    description: str
    url: str  # the article's canonical URL
    deck_url: str  # the deck page's canonical URL
    language: str
    category: str
    date: str  # ISO date of publication
    image: str = ""  # docs-relative hero image, for Open Graph
    image_alt: str = ""
    slides: tuple[Slide, ...] = field(default_factory=tuple)


def display_url(url: str) -> str:
    """A web address as printed on a slide: no scheme, no 'www.', no trailing slash."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    return (host + parts.path).rstrip("/") + (f"?{parts.query}" if parts.query else "")


def split_sentences(text: str) -> list[str]:
    """Whole sentences of a paragraph (abbreviations such as 'Dr.' and 'e.g.' do not end one)."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].rstrip("\"'”’)]")
        word = before.rsplit(None, 1)[-1].lstrip("(\"'“‘").rstrip(".").lower() if before.strip() else ""
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue
        sentences.append(text[start:match.start()].strip())
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


# -- reading the body ----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _Item:
    text: str
    lead: str = ""  # a bold phrase that opens the item ("Numbing.")
    url: str = ""


@dataclass(kw_only=True)
class _Section:
    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)  # ("p", str) | ("list", [_Item]) | ("h", str)

    def text(self) -> str:
        parts = []
        for kind, value in self.blocks:
            if kind == "list":
                parts.append("\n".join(f"- {item.text}" for item in value))  # type: ignore[attr-defined]
            else:
                parts.append(str(value))
        return "\n\n".join(parts)


def _clean(text: str) -> str:
    return " ".join(text.split())


def _own_text(element: etree._Element) -> str:
    """The text of an element without its nested lists and footnote markers."""
    if not len(element):  # no markup inside, as in most paragraphs and list items
        return _clean(element.text or "")
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and not _skipped(child):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return _clean("".join(parts))


def _skipped(element: etree._Element) -> bool:
    """Nested lists (read as items of their own) and footnote numbers and back-links."""
    classes = (element.get("class") or "").split()
    return (element.tag in ("ul", "ol") or "footnote-backref" in classes
            or (element.tag == "sup" and (element.get("id") or "").startswith("fnref")))


def _item(li: etree._Element) -> _Item:
    text = _own_text(li)
    if not len(li):  # plain text: no lead, no link
        return _Item(text=text)
    lead = ""
    first = next((child for child in li if isinstance(child.tag, str)), None)
    if first is not None and first.tag == "p":  # a "loose" list wraps each item in a paragraph
        first = next((child for child in first if isinstance(child.tag, str)), None)
    if first is not None and first.tag in ("strong", "b") and text.startswith(_clean("".join(first.itertext()))):
        bold = _clean("".join(first.itertext()))
        # Only a lead that stands alone ("**Numbing.** We numb ..."): the bold start of a
        # sentence ("**Interdental brushes** are ...") alone would be a sentence cut short.
        if bold.endswith((".", ":")) or text[len(bold):len(bold) + 1] in (".", ":"):
            lead = bold.rstrip(".:")
    # The first link inside, as ".//a[@href]" finds it (iterating: an XPath is compiled on every call).
    url = next((href for a in li.iter("a") if a is not li and (href := a.get("href")) is not None), "")
    return _Item(text=text, lead=lead, url=url)


def _blocks(elements: Iterable[etree._Element]) -> Iterator[tuple[str, object]]:
    """Paragraphs, lists and subheadings in order, looking inside admonitions and quotes."""
    for child in elements:
        if not isinstance(child.tag, str):
            continue  # comments such as <!-- more -->
        classes = (child.get("class") or "").split()
        if child.tag == "p":
            if "admonition-title" in classes:
                continue
            text = _own_text(child)
            if text:
                yield "p", text
        elif child.tag in ("ul", "ol"):
            items = [_item(li) for li in child if li.tag == "li"]
            items = [i for i in items if i.text]
            if items:
                yield "list", items
        elif child.tag in ("h3", "h4", "h5", "h6"):
            yield "h", _own_text(child)
        elif child.tag in ("div", "blockquote", "details", "section") and "footnote" not in classes:
            yield from _blocks(child)


@functools.lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One converter for the whole build: loading the extensions costs more than converting a post."""
    import markdown

    return markdown.Markdown(extensions=_EXTENSIONS)


def _converted(body: str) -> etree._Element | None:
    """The Markdown body as an HTML tree, for an article whose built page cannot be read."""
    html = _converter().reset().convert(body)
    return lxml.html.fragment_fromstring(html, create_parent="div") if html.strip() else None


def _read_body(root: etree._Element | None) -> tuple[_Section, list[_Section], list[_Item]]:
    """The introduction, the ``##`` sections, and footnotes (used as sources when there is no list)."""
    intro = _Section(title="")
    sections: list[_Section] = []
    footnotes: list[_Item] = []
    if root is None:
        return intro, sections, footnotes
    current = intro
    for child in list(root):
        if not isinstance(child.tag, str):
            continue
        if child.tag == "h1":
            continue
        if child.tag == "h2":
            current = _Section(title=_own_text(child))
            sections.append(current)
            continue
        if child.tag == "div" and "footnote" in (child.get("class") or "").split():
            footnotes = [_item(li) for li in child.xpath(".//li")]
            continue
        current.blocks.extend(_blocks([child]))
    return intro, sections, footnotes


# -- choosing bullets ------------------------------------------------------------


def _leans_back(sentence: str) -> bool:
    """Whether a sentence opens with a pronoun ("They come in sizes"), so needs the one before it."""
    first = sentence.split(None, 1)[0].strip("\"'“‘(").lower() if sentence.strip() else ""
    return first in _PRONOUNS


def _short_sentence(text: str) -> str:
    """The text when short, else its first sentence when short, else another short sentence that
    stands on its own, else the first sentence whole (always whole sentences, never cut)."""
    if len(text) <= MAX_CHARS:
        return text
    sentences = split_sentences(text) or [text]
    if len(sentences[0]) <= MAX_CHARS:
        return sentences[0]
    for sentence in sentences[1:]:
        if len(sentence) <= MAX_CHARS and _words(sentence) >= MIN_WORDS and not _leans_back(sentence):
            return sentence
    return sentences[0]


def _words(text: str) -> int:
    return len(text.split())


def _item_point(item: _Item, level: int) -> Point:
    """A list item whole when short, else its first sentence, else its bold lead ("Numbing")."""
    if len(item.text) <= MAX_CHARS:
        return Point(text=item.text, url=item.url, level=level)
    first = split_sentences(item.text)[0]
    if len(first) <= MAX_CHARS and _words(first) >= MIN_WORDS or not item.lead:
        return Point(text=_short_sentence(item.text), url=item.url, level=level)
    return Point(text=item.lead, url=item.url, level=level)


def _balanced(points: list[Point], size: int) -> list[list[Point]]:
    """Points over as few slides as hold ``size`` each, evenly (six at five a slide become three and three)."""
    count = -(-len(points) // size)
    each = -(-len(points) // count)
    return [points[i:i + each] for i in range(0, len(points), each)]


def _list_slides(section: _Section) -> list[list[Point]]:
    """Each list's items with the sentence that leads into them ("Call us if you have:").

    The lead-in goes where it fits: with a short list on one slide, or at the top
    of each slide of a long one; it is left out when it alone would push a list
    of five onto a second slide. Small lists that follow each other share a slide.
    """
    slides: list[list[Point]] = []
    current: list[Point] = []
    previous = ""
    for kind, value in section.blocks:
        if kind == "list":
            items: list[_Item] = value  # type: ignore[assignment]
            intro = split_sentences(previous)[-1] if previous else ""
            has_intro = (intro.endswith(":") and len(intro) <= MAX_CHARS and _words(intro) >= MIN_WORDS
                         and not _leans_back(intro))
            if has_intro and len(items) < MAX_BULLETS:
                chunks = [[Point(text=intro), *(_item_point(item, 1) for item in items)]]
            elif len(items) <= MAX_BULLETS:
                chunks = [[_item_point(item, 0) for item in items]]
            elif has_intro:
                chunks = [[Point(text=intro), *chunk]
                          for chunk in _balanced([_item_point(item, 1) for item in items], MAX_BULLETS - 1)]
            else:
                chunks = _balanced([_item_point(item, 0) for item in items], MAX_BULLETS)
            for chunk in chunks:
                if current and len(current) + len(chunk) <= MAX_BULLETS:
                    current.extend(chunk)
                else:
                    if current:
                        slides.append(current)
                    current = chunk
        previous = str(value) if kind == "p" else ""
    if current:
        slides.append(current)
    return slides


def _sentence_points(paragraphs: list[str], *, fallback: bool = True) -> list[Point]:
    """Key sentences: each paragraph's first short sentence, then more short ones for at least three.

    A sentence that leans on the one before it ("It flows into the grooves") is
    only taken right after that one.
    """
    sentences = [(p, s, sentence) for p, paragraph in enumerate(paragraphs)
                 for s, sentence in enumerate(split_sentences(paragraph))]
    short = [entry for entry in sentences if len(entry[2]) <= MAX_CHARS and not entry[2].endswith(":")
             and _words(entry[2]) >= MIN_WORDS]
    chosen: list[tuple[int, int, str]] = []

    def usable(entry: tuple[int, int, str]) -> bool:
        p, s, sentence = entry
        return not _leans_back(sentence) or any(c[0] == p and c[1] == s - 1 for c in chosen)

    for entry in short:  # the first usable sentence of each paragraph: usually its topic
        if not any(c[0] == entry[0] for c in chosen) and usable(entry):
            chosen.append(entry)
    chosen = chosen[:MAX_BULLETS]
    for entry in short:
        if len(chosen) >= 3:
            break
        if entry not in chosen and usable(entry):
            chosen.append(entry)
            chosen.sort()
    if not chosen and sentences and fallback:  # every sentence is long: the shortest one, whole
        chosen = [min(sentences, key=lambda e: len(e[2]))]
    chosen.sort()
    return [Point(text=sentence) for _, _, sentence in chosen]


def _section_slides(section: _Section) -> list[list[Point]]:
    """The bullets of a section, one list per slide: its lists, else its subheadings, else key sentences."""
    items = sum(len(v) for k, v in section.blocks if k == "list" and isinstance(v, list))
    if items >= 2:
        slides = _list_slides(section)
        paragraphs = [str(v) for k, v in section.blocks if k == "p"]
        if section.blocks[0][0] == "p" and len(slides[0]) < MAX_BULLETS:
            # The section's opening sentence, when there is room: it says what the list is about.
            lead = _sentence_points(paragraphs[:1], fallback=False)[:1]
            if lead and lead[0].text != slides[0][0].text:
                slides[0] = lead + slides[0]
        return slides
    headings = [Point(text=str(v)) for k, v in section.blocks if k == "h"]
    if len(headings) >= 2:
        return _balanced(headings, MAX_BULLETS)
    points = _sentence_points([str(v) for k, v in section.blocks if k == "p"])
    return [points] if points else []


# -- the outline -----------------------------------------------------------------


def _person(settings: Settings, key: str) -> str:
    author = settings.authors.get(key)
    if author is None:
        return key
    if author.credentials and author.credentials not in author.name:
        return f"{author.name}, {author.credentials}"
    return author.name


def _byline(article: Article, settings: Settings) -> tuple[str, ...]:
    lines = []
    if article.authors:
        lines.append(" and ".join(_person(settings, key) for key in article.authors))
    if article.reviewed_by:
        lines.append(f"Reviewed by {_person(settings, article.reviewed_by)}")
    day = article.date.astimezone(settings.practice.timezone).date()
    lines.append(f"{day:%B} {day.day}, {day.year}")
    return tuple(lines)


def _closing(settings: Settings, article_url: str) -> Slide:
    practice = settings.practice
    points = []
    if practice.booking_url:
        points.append(Point(text=f"Book online: {display_url(practice.booking_url)}", url=practice.booking_url))
    if practice.phone_display:
        points.append(Point(text=f"Call us: {practice.phone_display}",
                            url="tel:" + re.sub(r"[^\d+]", "", practice.phone or practice.phone_display)))
    points.append(Point(text=f"Read the full article: {display_url(article_url)}", url=article_url))
    return Slide(kind="closing", title="Questions? We are here to help.", points=tuple(points),
                 subtitle=practice.name,
                 notes="Invite questions, and tell people how to book and where to read the full article.")


def _explicit(outline: tuple[SlideOutline, ...]) -> list[Slide]:
    return [Slide(kind="section", title=s.title, points=tuple(Point(text=b) for b in s.bullets),
                  notes="\n".join(s.bullets)) for s in outline]


def build_outline(article: Article, settings: Settings, *, url: str, slug: str,
                  body: etree._Element | None = None) -> Outline | None:
    """The slide outline of one published article (None when its front matter says ``slides: false``).

    ``body`` is the article's body as its built page shows it (``site_html.body_tree``);
    without it the Markdown is converted here.
    """
    if article.slides is False:
        return None
    intro, sections, footnotes = _read_body(body if body is not None else _converted(article.body))
    intro_text = intro.text()
    slides = [Slide(kind="title", title=article.title, subtitle=article.description,
                    byline=_byline(article, settings), notes=intro_text or article.description)]
    if article.image and (settings.docs_dir / article.image).is_file():  # a missing picture: no empty slide
        slides.append(Slide(kind="image", title=article.title, subtitle=article.description,
                            image=article.image, image_alt=article.image_alt or "",
                            notes=f"The picture shows: {article.image_alt}." if article.image_alt else ""))
    sources = [s for s in sections if _SOURCES_HEADING.match(s.title)]
    content = [s for s in sections if s not in sources]
    if isinstance(article.slides, tuple):
        slides.extend(_explicit(article.slides))
    else:
        if not content and intro.blocks:  # a short article without sections: its key points
            content = [_Section(title="In brief", blocks=intro.blocks)]
        for section in content:
            chunks = _section_slides(section)
            notes = section.text()
            for number, chunk in enumerate(chunks, start=1):
                slides.append(Slide(kind="section", title=section.title, points=tuple(chunk),
                                    notes=notes, part=number if len(chunks) > 1 else 0))
    references = [_Item(text=i.text, url=i.url) for s in sources for k, v in s.blocks if k == "list"
                  for i in v] or footnotes  # type: ignore[attr-defined]
    if references:
        title = sources[0].title if sources else "Sources"
        slides.append(Slide(kind="sources", title=title,
                            points=tuple(Point(text=i.text, url=i.url) for i in references),
                            notes="\n".join(f"{i.text} {i.url}".strip() for i in references)))
    slides.append(_closing(settings, url))
    return Outline(
        slug=slug,
        title=article.title,
        description=article.description,
        url=url,
        deck_url=f"{settings.site_url}slides/{quote(slug)}/",
        language=article.language or settings.practice.language,
        category=article.categories[0] if article.categories else "",
        date=article.date.astimezone(settings.practice.timezone).date().isoformat(),
        image=article.image or "",
        image_alt=article.image_alt or "",
        slides=tuple(slides),
    )
