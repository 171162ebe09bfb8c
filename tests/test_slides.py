"""Slides as a person gets them: the deck page, the PPTX, the carousel and the Marp file."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import copy_project
from lxml import html as lxml_html
from PIL import Image
from pptx import Presentation

from syndicate import fonts
from syndicate.article import load_articles
from syndicate.build import Published
from syndicate.config import Settings, load_settings
from syndicate.outline import Outline, build_outline, display_url
from syndicate.site import SitePage
from syndicate.slides import Deck, brand_for, contrast, make_deck, write_slides
from syndicate.slides_layout import PORTRAIT, WIDE, Canvas, Frame, TextBox

NOW = datetime(2027, 1, 1, tzinfo=UTC)
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis"
STRESS = f"""---
title: "A very long title that goes on and on about brushing, flossing, fluoride, sealants, checkups
  and what to do when a tooth hurts at night"
description: A test article with long text everywhere, to prove that nothing overflows its box.
date: 2026-01-05
authors: [drlee]
categories: [Preventive care]
---

Intro sentence for the notes.

## One very long sentence

This single sentence has no full stop for a very long time because it keeps adding clauses about
brushing and flossing and rinsing and visiting and asking and booking and remembering and the
{LONG_WORD} that nobody can spell and it finally ends here

## Other scripts and emoji

Smile 😁 and say 健康的牙齿 to your dentist, with a coffee ☕ after the visit.

## A long list

Bring these to your visit:

{"".join(f"- Item number {n} with a few words about {LONG_WORD if n == 3 else 'the visit'}{chr(10)}"
         for n in range(1, 12))}
{"".join(f"## Section {n}{chr(10)*2}A short sentence about topic {n} for the slide. Another one follows.{chr(10)*2}"
         for n in range(3, 13))}

## Sources

- A source with a long address: [Guide](https://www.example.org/{"very-long-path-segment/" * 8}page.html)
"""


class Built(NamedTuple):
    project: Path
    settings: Settings
    published: list[Published]
    written: list[Path]


def _published(settings: Settings, stems: set[str] | None = None) -> list[Published]:
    found = []
    for article in load_articles(settings):
        if not article.is_published(NOW) or (stems is not None and article.source.stem not in stems):
            continue
        url = f"{settings.site_url}blog/2026/01/05/{article.source.stem}/"
        page = SitePage(src_uri=article.src_uri, url=url, path=settings.site_dir / "x.html")
        found.append(Published(article=article, page=page))
    return found


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Three sample articles, one with slides: false, and the stress article, with every format."""
    project = copy_project(tmp_path_factory.mktemp("slides") / "practice")
    settings = load_settings(project / "mkdocs.yml")
    posts = settings.posts_dir
    (posts / "stress-test.md").write_text(STRESS, encoding="utf-8")
    (posts / "no-slides.md").write_text("---\ntitle: No slides\ndescription: An article without a deck.\n"
                                        "date: 2026-01-05\nauthors: [drlee]\nslides: false\n---\n\n## Part\n\n"
                                        "A sentence of the part.\n", encoding="utf-8")
    samples = {p.stem for p in sorted(posts.glob("*.md")) if p.stem not in ("stress-test", "no-slides")}
    stems = set(sorted(samples)[:3]) | {"stress-test", "no-slides"}
    settings.site_dir.mkdir(parents=True, exist_ok=True)
    published = _published(settings, stems)
    written = write_slides(settings, published, NOW)
    return Built(project, settings, published, written)


def _decks(built: Built) -> list[tuple[Outline, Deck]]:
    brand = brand_for(built.settings)
    decks = []
    for item in built.published:
        outline = build_outline(item.article, built.settings, url=item.url, slug=item.slug)
        if outline is not None:
            decks.append((outline, make_deck(outline, brand)))
    return decks


def _folder(built: Built, outline: Outline) -> Path:
    return built.settings.site_dir / "slides" / outline.slug


def test_every_published_article_gets_every_format(built: Built) -> None:
    for outline, _ in _decks(built):
        folder = _folder(built, outline)
        for name in ("index.html", f"{outline.slug}.pptx", f"{outline.slug}.md",
                     f"{outline.slug}-carousel.pdf", "carousel/01.png"):
            assert (folder / name).is_file(), name
    assert not (built.settings.site_dir / "slides" / "no-slides").exists()


def test_pptx_is_16_9_with_the_outline_slides_text_and_notes(built: Built) -> None:
    for outline, deck in _decks(built):
        presentation = Presentation(str(_folder(built, outline) / f"{outline.slug}.pptx"))
        assert (presentation.slide_width or 0) * 9 == (presentation.slide_height or 0) * 16 > 0
        slides = list(presentation.slides)
        assert len(slides) == len(deck.wide) >= len(outline.slides)
        frames_by_slide = {id(s): [f for f in deck.wide if f.slide is s] for s in outline.slides}
        for slide, frame in zip(slides, deck.wide, strict=True):
            assert slide.notes_slide.notes_text_frame.text == frame.slide.notes
            if frame.slide.kind in ("section", "sources"):
                assert slide.shapes.title.text_frame.text.startswith(frame.slide.title)
        for source in outline.slides:  # every bullet of the outline is on one of its slides
            shown = "\n".join(shape.text_frame.text for i, s in enumerate(slides)
                              if deck.wide[i] in frames_by_slide[id(source)]
                              for shape in s.shapes if shape.has_text_frame)
            for point in source.points:
                assert point.text in shown, (source.title, point.text)


def test_every_pptx_slide_shows_the_practice_name_and_web_address(built: Built) -> None:
    name = built.settings.practice.name
    web = display_url(built.settings.site_url)
    for outline, _ in _decks(built):
        for number, slide in enumerate(Presentation(str(_folder(built, outline) / f"{outline.slug}.pptx")).slides):
            texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
            assert name in texts and web in texts, (outline.slug, number)


def test_pptx_text_is_real_text_in_the_measured_font(built: Built) -> None:
    outline, _ = _decks(built)[0]
    presentation = Presentation(str(_folder(built, outline) / f"{outline.slug}.pptx"))
    runs = [run for slide in presentation.slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs for run in paragraph.runs]
    assert runs and {run.font.name for run in runs} == {fonts.FAMILY}


def test_carousel_is_at_most_ten_portrait_pages_and_a_pdf_of_them(built: Built) -> None:
    for outline, deck in _decks(built):
        folder = _folder(built, outline)
        pages = sorted((folder / "carousel").glob("*.png"))
        assert 1 <= len(pages) <= 10
        assert len(pages) == len(deck.portrait)
        for page in pages:
            with Image.open(page) as image:
                assert image.size == (1080, 1350)
        pdf = (folder / f"{outline.slug}-carousel.pdf").read_bytes()
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(pages)


def test_a_long_article_is_merged_into_ten_carousel_pages(built: Built) -> None:
    outline, deck = next(d for d in _decks(built) if d[0].slug == "stress-test")
    assert len(outline.slides) > 10
    assert len(deck.portrait) == 10
    assert deck.portrait[0].slide.kind == "title" and deck.portrait[-1].slide.kind == "closing"
    assert any(frame.slide.title == "More in the full article" for frame in deck.portrait)


def _text_boxes(built: Built) -> list[tuple[str, Canvas, Frame, TextBox]]:
    found: list[tuple[str, Canvas, Frame, TextBox]] = []
    for outline, deck in _decks(built):
        for canvas, frames in ((WIDE, deck.wide), (PORTRAIT, deck.portrait)):
            for frame in frames:
                found.extend((f"{outline.slug}/{canvas.name}/{frame.number}", canvas, frame, box)
                             for box in frame.boxes())
    return found


def test_no_text_is_wider_or_taller_than_its_box(built: Built) -> None:
    boxes = _text_boxes(built)
    assert len(boxes) > 100
    for where, canvas, _, box in boxes:
        for index, lines in enumerate(box.lines):
            indent = box.indents[index] * box.size if box.indents else 0.0
            for line in lines:
                # The font's own layout (shaped and kerned), at the size the box uses.
                assert fonts.exact_width(line, box.size, bold=box.bold) <= box.w - indent, (where, box.role, line)
        assert box.height <= box.h + 0.01, (where, box.role)
        assert 0 <= box.x and box.x + box.w <= canvas.width + 0.01, (where, box.role)
        assert 0 <= box.y and box.y + box.h <= canvas.height + 0.01, (where, box.role)
        # Lines hold every word of the text (a web address may be broken inside, but nothing is lost).
        assert ["".join(" ".join(lines).split()) for lines in box.lines] == \
            ["".join(text.split()) for text in box.texts], (where, box.role)


def test_characters_the_font_lacks_are_measured_wide_and_drawn_from_a_fallback_or_left_out() -> None:
    text = "Smile 😁 and 健康 ☕"
    assert fonts.width(text, 40) >= fonts.exact_width(text, 40)
    drawn = "".join(run for run, _ in fonts.runs(text))
    assert drawn.startswith("Smile ") and all(fonts.covered(c) or fonts.fallback_path(c) for c in drawn)


def test_no_two_text_boxes_overlap(built: Built) -> None:
    by_frame: dict[str, list[TextBox]] = {}
    for where, _, _, box in _text_boxes(built):
        by_frame.setdefault(where, []).append(box)
    for where, boxes in by_frame.items():
        for a, b in itertools.combinations(boxes, 2):
            apart = (a.x + a.w <= b.x + 0.01 or b.x + b.w <= a.x + 0.01 or
                     a.y + a.h <= b.y + 0.01 or b.y + b.h <= a.y + 0.01)
            assert apart, (where, a.role, b.role)


def test_html_deck_stands_alone_with_canonical_and_open_graph(built: Built) -> None:
    for outline, _ in _decks(built):
        source = (_folder(built, outline) / "index.html").read_text(encoding="utf-8")
        page = lxml_html.fromstring(source)
        assert page.get("lang") == outline.language
        assert page.xpath("//link[@rel='canonical']/@href") == [outline.deck_url]
        assert outline.deck_url == f"{built.settings.site_url}slides/{outline.slug}/"
        for prop in ("og:title", "og:description", "og:url", "og:image", "og:type"):
            assert page.xpath(f"//meta[@property='{prop}']/@content"), prop
        assert page.xpath("//meta[@property='og:url']/@content") == [outline.deck_url]
        # Nothing is loaded from another site: no external scripts, styles, images or fonts.
        assert not page.xpath("//script[@src] | //link[@rel='stylesheet'] | //iframe")
        for src in page.xpath("//@src"):
            assert src.startswith(("data:", "../")) or "://" not in src, src
        assert not re.search(r"url\(\s*[\"']?https?:", source)
        # Without JavaScript every slide and every bullet is in the page, in reading order.
        assert len(page.xpath("//h1")) == 1
        text = " ".join(page.text_content().split())
        for slide in outline.slides:
            assert slide.title in text
            for point in slide.points:
                assert point.text in text
        assert all(img.get("alt") for img in page.xpath("//img"))
        assert len(page.xpath("//section[@aria-roledescription='slide']")) == len(outline.slides)


def test_marp_file_has_front_matter_header_footer_and_every_slide(built: Built) -> None:
    brand = brand_for(built.settings)
    for outline, _ in _decks(built):
        text = (_folder(built, outline) / f"{outline.slug}.md").read_text(encoding="utf-8")
        front, body = text.split("\n---\n", 1)
        assert front.startswith("---\nmarp: true\n")
        assert "\npaginate: true" in front and "\ntheme: default" in front
        assert f'\nheader: "{brand.name}"' in front and f'\nfooter: "{brand.web}"' in front
        assert len(body.split("\n---\n")) == len(outline.slides)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (scripts/peers installs it)")
def test_libreoffice_renders_one_page_per_slide(built: Built, tmp_path: Path) -> None:
    outline, deck = next(d for d in _decks(built) if d[0].slug == "stress-test")
    pptx = _folder(built, outline) / f"{outline.slug}.pptx"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(pptx)],
                   check=True, capture_output=True, timeout=180)
    pdf = (tmp_path / f"{outline.slug}.pdf").read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(deck.wide)


def test_a_second_build_restores_the_same_files_from_the_cache(built: Built) -> None:
    outline, _ = _decks(built)[0]
    folder = _folder(built, outline)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    item = next(p for p in built.published if p.slug == outline.slug)
    for path in before:
        path.unlink()
    write_slides(built.settings, [item], NOW)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def _html_and_marp_only(project: Path) -> Settings:
    """The project's settings with ``slides.formats: [html, marp]`` written into its mkdocs.yml."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  syndication:\n", "  syndication:\n    slides:\n      formats: [html, marp]\n", 1), encoding="utf-8")
    return load_settings(config)


def test_formats_setting_writes_only_those(project: Path) -> None:
    settings = _html_and_marp_only(project)
    item = _published(settings)[0]
    written = write_slides(settings, [item], NOW)
    folder = settings.site_dir / "slides" / item.slug
    assert {p.name for p in written if p.parent == folder} == {"index.html", f"{item.slug}.md"}


def test_the_deck_reads_the_built_page_and_follows_a_linked_post_to_its_new_address(project: Path) -> None:
    settings = _html_and_marp_only(project)
    item = _published(settings)[0]
    page = settings.site_dir / "blog" / "2026" / "01" / "05" / item.slug / "index.html"
    page.parent.mkdir(parents=True)
    item = Published(article=item.article, page=SitePage(src_uri=item.article.src_uri, url=item.url, path=page))
    permalink = '<a class="headerlink" href="#before-your-visit" title="Permanent link">&para;</a>'

    def build(linked: str) -> str:
        """The page as the site generator writes it (relative links, permalinks); the deck made from it."""
        page.write_text(
            "<html><body><article><!-- syndicate:body --><h1>Title</h1>"
            '<div class="practice-byline"><p>Written by Dr. Lee</p></div><!-- /syndicate:byline -->\n'
            f'<h2 id="before-your-visit">Before your visit{permalink}</h2>\n<ul>\n'
            f'<li><a href="../../../../{linked}/">Read how to prepare for the visit</a></li>\n'
            "<li>Bring a list of the medicines you take</li>\n</ul>\n"
            "<!-- /syndicate:body --><!-- syndication-links --></article></body></html>", encoding="utf-8")
        write_slides(settings, [item], NOW)
        return (settings.site_dir / "slides" / item.slug / "index.html").read_text(encoding="utf-8")

    deck = build("2026/01/01/getting-ready")
    assert f'href="{settings.site_url}blog/2026/01/01/getting-ready/"' in deck  # absolute: the deck is elsewhere
    assert "Before your visit</h2>" in deck and "Bring a list of the medicines you take" in deck
    assert "Written by Dr. Lee" not in deck and "\u00b6" not in deck
    # The linked post got a new address: the rebuild must not restore the deck kept with the old one.
    assert f'href="{settings.site_url}blog/2026/01/01/get-ready/"' in build("2026/01/01/get-ready")


def test_light_brand_colours_still_give_readable_text(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r'primary: "#[0-9a-f]{6}"', 'primary: "#f2d43a"', text)
    text = re.sub(r'accent: "#[0-9a-f]{6}"', 'accent: "#9fd8f0"', text)
    config.write_text(text, encoding="utf-8")
    brand = brand_for(load_settings(config))
    assert contrast(brand.on_primary, "#f2d43a") >= 4.5
    assert contrast(brand.primary_ink, brand.paper) >= 4.5  # titles on white
    assert contrast(brand.accent, brand.paper) >= 4.5  # kickers and page numbers on white


@pytest.mark.slow
def test_deck_page_in_a_browser_presents_one_slide_at_a_time_and_prints_all(built: Built) -> None:
    from browser import DESKTOP, PHONE, chromium, open_page, serve

    outline, _ = next(d for d in _decks(built) if d[0].slug != "stress-test")
    count = len(outline.slides)
    axe = Path(__file__).resolve().parent.parent / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    with serve(built.settings.site_dir) as base, chromium() as browser:
        for viewport in (DESKTOP, PHONE):
            with open_page(browser, f"{base}slides/{outline.slug}/", viewport) as visit:
                page = visit.page
                assert visit.foreign_requests == []
                visible = "() => [...document.querySelectorAll('.slide')].filter(s => s.offsetParent).map(s => s.id)"
                assert page.evaluate(visible) == ["slide-1"]
                page.keyboard.press("ArrowRight")
                assert page.evaluate(visible) == ["slide-2"]
                assert page.locator(".controls output").inner_text() == f"2 / {count}"
                page.locator("#slide-2").click(position={"x": 5, "y": 5})  # the left third goes back
                assert page.evaluate(visible) == ["slide-1"]
                page.keyboard.press("End")
                assert page.evaluate(visible) == [f"slide-{count}"]
                if axe.is_file():  # installed by scripts/peers with the other npm test tools
                    page.add_script_tag(path=str(axe))
                    tags = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']"
                    options = f"{{runOnly: {{type: 'tag', values: {tags}}}}}"
                    result = page.evaluate(f"async () => await axe.run(document, {options})")
                    assert [v["id"] for v in result["violations"]] == []
                page.emulate_media(media="print")
                page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
                assert len(page.evaluate(visible)) == count
