"""The slide outline of an article: golden articles beside their expected outlines, and its rules."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from conftest import ROOT

from syndicate.article import load_article, load_articles
from syndicate.build import published_articles
from syndicate.config import load_settings
from syndicate.outline import MAX_BULLETS, Outline, Point, build_outline, split_sentences
from syndicate.site_html import body_tree, read_body

GOLDEN = Path(__file__).parent / "golden" / "outline"
NAMES = sorted(p.stem for p in GOLDEN.glob("*.md"))


def _outline(name: str) -> Outline:
    settings = load_settings(GOLDEN / "mkdocs.yml")
    article = load_article(GOLDEN / f"{name}.md", settings)
    outline = build_outline(article, settings, url=f"https://birchstreet.example/blog/2026/{name}/", slug=name)
    assert outline is not None
    return outline


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_outline_matches_golden(name: str) -> None:
    outline = json.loads(json.dumps(dataclasses.asdict(_outline(name))))
    expected_path = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":  # regenerate, then read the diff before committing
        expected_path.write_text(json.dumps(outline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert outline == json.loads(expected_path.read_text(encoding="utf-8"))


def test_the_outline_read_from_the_built_page_is_the_one_read_from_the_markdown(built_project: Path) -> None:
    settings = load_settings(built_project / "mkdocs.yml")
    published = published_articles(settings)
    assert published
    for item in published:
        body = read_body(item.page.path)
        assert body is not None, item.page.path  # the article template marks every post's body
        from_page = build_outline(item.article, settings, url=item.url, slug=item.slug,
                                  body=body_tree(body, item.url))
        assert from_page == build_outline(item.article, settings, url=item.url, slug=item.slug)


def test_a_page_body_loses_its_permalinks_and_its_links_become_absolute() -> None:
    settings = load_settings(GOLDEN / "mkdocs.yml")
    article = load_article(GOLDEN / "lists.md", settings)
    url = "https://birchstreet.example/blog/2026/03/04/fever-in-children/"
    permalink = '<a class="headerlink" href="#{0}" title="Permanent link">&para;</a>'
    body = (f'<h1 id="fever">Fever{permalink.format("fever")}</h1>\n'
            f'<h2 id="when-to-call">When to call{permalink.format("when-to-call")}</h2>\n'
            '<ul>\n<li><a href="../../../../../book/">Book a visit online</a></li>\n'
            '<li>Call us on any weekday</li>\n</ul>\n')
    outline = build_outline(article, settings, url=url, slug="fever", body=body_tree(body, url))
    assert outline is not None
    section = next(s for s in outline.slides if s.kind == "section")
    assert section.title == "When to call"
    assert section.points == (Point(text="Book a visit online", url="https://birchstreet.example/book/"),
                              Point(text="Call us on any weekday"))


def test_slides_false_gives_no_outline(project: Path) -> None:
    settings = load_settings(project / "mkdocs.yml")
    post = settings.posts_dir / "no-slides.md"
    post.write_text("---\ntitle: A note\ndescription: Short.\ndate: 2026-01-05\nauthors: [drlee]\n"
                    "slides: false\n---\n\n## Part\n\nSome text here for the part.\n", encoding="utf-8")
    article = load_article(post, settings)
    assert build_outline(article, settings, url="https://x.example/a/", slug="a") is None


def test_explicit_outline_replaces_the_sections_but_keeps_title_sources_and_call_to_action() -> None:
    kinds_titles = [(s.kind, s.title) for s in _outline("explicit").slides]
    assert kinds_titles[1:3] == [("section", "Saturday mornings"), ("section", "Weekdays")]
    assert ("section", "Details") not in kinds_titles
    assert [k for k, _ in kinds_titles] == ["title", "section", "section", "sources", "closing"]


def test_title_slide_names_authors_with_credentials_and_reviewer() -> None:
    title = _outline("lists").slides[0]
    assert title.byline[:2] == ("Dr. Ada Okafor, MD, FAAP", "Reviewed by Sam Kim")


def test_closing_slide_has_booking_phone_and_article_address() -> None:
    closing = _outline("lists").slides[-1]
    texts = " ".join(p.text for p in closing.points)
    assert "birchstreet.example/book" in texts
    assert "(555) 010-0199" in texts
    assert "birchstreet.example/blog/2026/lists" in texts


def test_abbreviations_and_decimals_do_not_end_a_sentence() -> None:
    text = "Ask Dr. Lee, e.g. at 9 a.m. today. Take 2.5 mL twice a day. Done!"
    assert split_sentences(text) == ["Ask Dr. Lee, e.g. at 9 a.m. today.", "Take 2.5 mL twice a day.", "Done!"]


def _sample_outlines() -> list[Outline]:
    settings = load_settings(ROOT / "mkdocs.yml")
    outlines = []
    for article in load_articles(settings):
        outline = build_outline(article, settings, url=settings.site_url + "blog/x/", slug=article.source.stem)
        if outline is not None:
            outlines.append(outline)
    return outlines


@pytest.mark.parametrize("outline", [*_sample_outlines(), *(_outline(n) for n in NAMES)],
                         ids=lambda o: o.slug)
def test_bullets_are_whole_items_or_sentences_of_the_section(outline: Outline) -> None:
    for slide in outline.slides:
        if slide.kind != "section":
            continue
        assert 1 <= len(slide.points) <= MAX_BULLETS, slide.title
        for point in slide.points:
            assert _is_whole(point.text, slide.notes), (slide.title, point.text)


def _is_whole(text: str, notes: str) -> bool:
    """The text occurs in the section word for word, starting and ending where a sentence or an item does."""
    start = notes.find(text)
    while start >= 0:
        end = start + len(text)
        before = notes[max(start - 2, 0):start]
        after = notes[end:end + 1]
        starts = start == 0 or before.endswith("\n") or before in (". ", "! ", "? ", ": ", "- ", '" ', "” ")
        # A bold lead ("Numbing" in "Numbing. We numb ...") ends at its own full stop or colon.
        ends = after in ("", "\n") or (after == " " and text[-1] in ".!?:\"”)") or after in (".", ":")
        if starts and ends:
            return True
        start = notes.find(text, start + 1)
    return False
