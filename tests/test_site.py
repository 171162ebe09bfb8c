"""The built sample practice, read page by page as a visitor's browser would.

``built_site`` is built once per session with ``mkdocs build --strict`` (see
conftest), so a template that breaks the strict build fails every test here.
The Zensical tests build the same sample with the successor generator.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import BIN, copy_project, run
from lxml import html as lxml_html

from syndicate.article import Article, load_articles
from syndicate.config import Settings, load_settings
from syndicate.site import read_site

# Elements whose URL the browser fetches by itself while showing the page.
# Anchors, canonical and alternate links are not fetched: a reader clicks them.
_FETCHED = (
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("input", "src"),
)
_FETCHED_LINK_RELS = {
    "stylesheet",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "mask-icon",
    "manifest",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "prerender",
}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")

# What a page may weigh on first load (HTML, styles, scripts, images), and one
# image. The theme's own CSS and JavaScript are about 265 KB.
PAGE_BUDGET_BYTES = 700_000
IMAGE_BUDGET_BYTES = 250_000


@dataclass(frozen=True)
class Page:
    """One built HTML page, parsed."""

    path: Path
    doc: lxml_html.HtmlElement

    def text(self, xpath: str = ".") -> str:
        """The visible text under the first match of ``xpath``, whitespace collapsed."""
        found = self.doc.xpath(xpath)
        return " ".join(found[0].text_content().split()) if found else ""


@cache
def _parse(path: Path) -> Page:
    return Page(path=path, doc=lxml_html.parse(str(path)).getroot())


def _html_pages(site: Path) -> list[Page]:
    return [_parse(path) for path in sorted(site.rglob("*.html"))]


def _theme_pages(site: Path) -> list[Page]:
    """The pages the site generator made with our templates (not the slide decks beside them)."""
    return [
        page
        for page in _html_pages(site)
        if page.doc.xpath(
            "//meta[@name='generator' and (starts-with(@content, 'mkdocs') or starts-with(@content, 'zensical'))]"
        )
    ]


def _article_pages(settings: Settings) -> list[Page]:
    pages = [_parse(page.path) for page in read_site(settings).values()]
    assert pages, "no article page was found in the built site"
    return pages


def _settings(project: Path) -> Settings:
    return load_settings(project / "mkdocs.yml")


def _articles(project: Path) -> list[Article]:
    return load_articles(_settings(project))


def _local_file(page: Path, site: Path, url: str) -> Path:
    """The file in ``site`` that a same-site URL on ``page`` points to."""
    path = unquote(urlsplit(url).path)
    target = site / path.lstrip("/") if path.startswith("/") else page.parent / path
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def _fetched_urls(page: Page) -> list[tuple[str, str]]:
    """(element, URL) for everything the browser loads to show ``page``."""
    found = []
    for tag, attribute in _FETCHED:
        for element in page.doc.iter(tag):
            value = element.get(attribute)
            if not value:
                continue
            urls = [part.split()[0] for part in value.split(",") if part.strip()] if attribute == "srcset" else [value]
            found += [(f"<{tag} {attribute}>", url) for url in urls]
    for link in page.doc.iter("link"):
        rels = set((link.get("rel") or "").lower().split())
        if rels & _FETCHED_LINK_RELS and link.get("href"):
            found.append((f"<link rel={link.get('rel')}>", link.get("href")))
    css = [style.text or "" for style in page.doc.iter("style")]
    css += [element.get("style") for element in page.doc.xpath("//*[@style]")]
    found += [("inline CSS", url) for text in css for url in _CSS_URL.findall(text)]
    return found


def _is_foreign(url: str, own_host: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) and parts.netloc != own_host


def test_the_home_page_and_one_page_per_published_post_are_built(built_project: Path, built_site: Path) -> None:
    settings = _settings(built_project)
    now = datetime.now(UTC)
    published = {article.src_uri for article in _articles(built_project) if article.is_published(now)}
    pages = read_site(settings)

    assert (built_site / "index.html").is_file()
    assert len(published) >= 6, "the sample practice shows at least six published posts"
    assert set(pages) == published
    assert len({page.path for page in pages.values()}) == len(pages), "two posts were built to the same page"
    for page in pages.values():
        assert page.url.startswith(settings.site_url + "blog/"), page.url


def test_a_post_dated_in_the_future_is_not_published(project: Path) -> None:
    """The sample's scheduled post, and one scheduled a year from today (the sample's date will pass)."""
    sample = sorted((project / "content" / "blog" / "posts").glob("*.md"))[0]
    next_year = (datetime.now(UTC) + timedelta(days=365)).date().isoformat()
    text = sample.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^date: .*$", f"date: {next_year}", text, count=1)
    text = re.sub(r"(?m)^(updated|reviewed_by|last_reviewed): .*\n", "", text)  # not reviewed yet
    text = re.sub(r"(?m)^title: .*$", "title: A visit we scheduled for next year", text, count=1)
    sample.with_name("scheduled-for-next-year.md").write_text(text, encoding="utf-8")
    run(BIN / "mkdocs", "build", "--strict", "--quiet", cwd=project)

    now = datetime.now(UTC)
    future = [article for article in _articles(project) if article.date > now]
    published = [article for article in _articles(project) if article.is_published(now)]
    built = read_site(_settings(project))
    assert {article.src_uri for article in published} <= set(built)
    for article in future:
        assert article.src_uri not in built
        shown_on = [
            page.path.relative_to(project / "site").as_posix()
            for page in _theme_pages(project / "site")
            if article.title in page.text()
        ]
        assert not shown_on, f"the scheduled post {article.title!r} already appears on {shown_on}"
    assert "blog/posts/scheduled-for-next-year.md" in {article.src_uri for article in future}


def test_every_page_has_the_practice_footer(built_project: Path, built_site: Path) -> None:
    practice = _settings(built_project).practice
    address = practice.address
    expected = [
        practice.name,
        address["street"],
        address["city"],
        address["region"],
        address["postal_code"],
        practice.phone_display,
        practice.email,
    ]
    missing = {}
    pages = _theme_pages(built_site)
    assert len(pages) > 10
    for page in pages:
        footer = page.text("//footer")
        lacks = [text for text in expected if text not in footer]
        phones = page.doc.xpath("//footer//a[@href=$href]", href=f"tel:{practice.phone}")
        mails = page.doc.xpath("//footer//a[@href=$href]", href=f"mailto:{practice.email}")
        lacks += [] if phones else [f"a link to tel:{practice.phone}"]
        lacks += [] if mails else [f"a link to mailto:{practice.email}"]
        if lacks:
            missing[page.path.relative_to(built_site).as_posix()] = lacks
    assert not missing


def test_every_article_offers_booking_and_the_phone(built_project: Path) -> None:
    settings = _settings(built_project)
    practice = settings.practice
    for page in _article_pages(settings):
        article = page.doc.xpath("//article")[0]
        booking = article.xpath(".//a[@href=$href]", href=practice.booking_url)
        assert [link for link in booking if "Book an appointment" in link.text_content()], page.path
        assert article.xpath(".//a[@href=$href]", href=f"tel:{practice.phone}"), page.path


def test_every_article_carries_the_medical_disclaimer(built_project: Path, built_site: Path) -> None:
    settings = _settings(built_project)
    disclaimer_page = (built_site / "disclaimer" / "index.html").resolve()
    assert disclaimer_page.is_file()
    for page in _article_pages(settings):
        notes = page.doc.xpath("//article//*[@aria-label='Medical disclaimer']")
        assert notes, f"{page.path}: no medical disclaimer"
        text = " ".join(notes[0].text_content().split())
        assert "not advice about your own health" in text
        targets = {_local_file(page.path, built_site, link.get("href")).resolve() for link in notes[0].iter("a")}
        assert disclaimer_page in targets, f"{page.path}: the disclaimer does not link to the full page"


def test_no_page_loads_anything_from_another_host(built_project: Path, built_site: Path) -> None:
    own_host = urlsplit(_settings(built_project).site_url).netloc
    foreign = [
        f"{page.path.relative_to(built_site)}: {where} {url}"
        for page in _html_pages(built_site)
        for where, url in _fetched_urls(page)
        if _is_foreign(url, own_host)
    ]
    for sheet in sorted(built_site.rglob("*.css")):
        urls = _CSS_URL.findall(sheet.read_text(encoding="utf-8"))
        foreign += [f"{sheet.relative_to(built_site)}: {url}" for url in urls if _is_foreign(url, own_host)]
    assert not foreign


def test_pages_stay_light(built_project: Path, built_site: Path) -> None:
    own_host = urlsplit(_settings(built_project).site_url).netloc
    too_heavy = []
    for page in _html_pages(built_site):
        files = {
            _local_file(page.path, built_site, url)
            for _, url in _fetched_urls(page)
            if not _is_foreign(url, own_host) and not url.startswith("data:")
        }
        missing = sorted(str(f.relative_to(built_site)) for f in files if not f.is_file())
        assert not missing, f"{page.path.relative_to(built_site)} loads files that do not exist: {missing}"
        weight = page.path.stat().st_size + sum(f.stat().st_size for f in files)
        if weight > PAGE_BUDGET_BYTES:
            too_heavy.append(f"{page.path.relative_to(built_site)}: {weight // 1000} KB")
        too_heavy += [
            f"{f.relative_to(built_site)}: {f.stat().st_size // 1000} KB"
            for f in files
            if f.suffix.lower() in {".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg"}
            and f.stat().st_size > IMAGE_BUDGET_BYTES
        ]
    assert not too_heavy


def test_the_brand_comes_from_mkdocs_yml(built_project: Path, built_site: Path) -> None:
    settings = _settings(built_project)
    home = _parse(built_site / "index.html")
    style = " ".join(element.text or "" for element in home.doc.iter("style"))
    assert f"--practice-primary:{settings.practice.colors['primary']}" in style
    assert f"--practice-accent:{settings.practice.colors['accent']}" in style

    icon = home.doc.xpath("//link[@rel='icon']/@href")[0]
    assert _local_file(home.path, built_site, icon).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    logo = home.doc.xpath("//header//*[contains(@class, 'md-logo')]//img/@src")[0]
    assert b"<svg" in _local_file(home.path, built_site, logo).read_bytes()


# Zensical, the successor of Material for MkDocs, reads the same mkdocs.yml
# and overrides/. These tests build the sample with it and say what holds.

# Author keys the material blog plugin lets through and Zensical 0.0.73 knows
# (it stops on any other key, see README "Zensical").
ZENSICAL_AUTHOR_KEYS = ("name", "description", "avatar", "url", "email", "slug")


@dataclass(frozen=True)
class ZensicalBuild:
    """The sample built with Zensical: first as it is, then with the authors file trimmed."""

    as_is_ok: bool
    as_is_error: str  # the last line Zensical printed, its error message
    trimmed_ok: bool
    trimmed_error: str
    site: Path


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[-1] if lines else ""


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> ZensicalBuild:
    """Build the sample with Zensical (about a second each)."""
    project = copy_project(tmp_path_factory.mktemp("zensical") / "practice")
    as_is = run(BIN / "zensical", "build", "--clean", cwd=project, check=False)

    authors_file = project / "content" / "blog" / ".authors.yml"
    data = yaml.safe_load(authors_file.read_text(encoding="utf-8"))
    for author in data["authors"].values():
        for key in set(author) - set(ZENSICAL_AUTHOR_KEYS):
            del author[key]
    authors_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    trimmed = run(BIN / "zensical", "build", "--clean", cwd=project, check=False)
    return ZensicalBuild(
        as_is_ok=as_is.returncode == 0,
        as_is_error=_last_line(as_is),
        trimmed_ok=trimmed.returncode == 0,
        trimmed_error=_last_line(trimmed),
        site=project / "site",
    )


def _post_urls(site: Path) -> set[str]:
    """Canonical URLs of the pages rendered as blog posts."""
    return {
        page.doc.xpath("//link[@rel='canonical']/@href")[0]
        for page in _theme_pages(site)
        if page.doc.xpath("//*[contains(@class, 'md-content--post')]")
    }


def test_zensical_stops_on_author_keys_the_blog_plugin_lets_through(zensical: ZensicalBuild) -> None:
    """A known difference. When this fails, Zensical builds the sample as is: update README "Zensical"."""
    assert not zensical.as_is_ok
    assert "blog/.authors.yml' has unknown option(s): credentials" in zensical.as_is_error


def test_zensical_builds_the_same_post_urls(zensical: ZensicalBuild, built_site: Path) -> None:
    assert zensical.trimmed_ok, f"Zensical could not build the sample: {zensical.trimmed_error}"
    assert _post_urls(zensical.site) == _post_urls(built_site)
    assert len(_post_urls(built_site)) >= 6


def test_zensical_renders_our_footer_booking_and_disclaimer(zensical: ZensicalBuild, built_project: Path) -> None:
    practice = _settings(built_project).practice
    assert zensical.trimmed_ok, f"Zensical could not build the sample: {zensical.trimmed_error}"
    articles = [
        page for page in _theme_pages(zensical.site) if page.doc.xpath("//*[contains(@class, 'md-content--post')]")
    ]
    assert articles
    for page in articles:
        assert practice.phone_display in page.text("//footer"), page.path
        assert page.doc.xpath("//article//a[@href=$href]", href=practice.booking_url), page.path
        assert page.doc.xpath("//article//*[@aria-label='Medical disclaimer']"), page.path


def test_zensical_gives_templates_no_source_file(zensical: ZensicalBuild) -> None:
    """A known gap: without ``page.file`` our templates cannot write ``syndicate:source``,
    so ``syndicate build`` finds no article in a Zensical site. When this fails, update README "Zensical"."""
    assert zensical.trimmed_ok, f"Zensical could not build the sample: {zensical.trimmed_error}"
    marked = [page.path for page in _theme_pages(zensical.site) if page.doc.xpath("//meta[@name='syndicate:source']")]
    assert not marked
