"""The built sample practice, read page by page as a visitor's browser would.

``built_site`` is built once per session with ``mkdocs build --strict`` (see
conftest), so a template that breaks the strict build fails every test here.
The Zensical tests build the same sample with the successor generator.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import BIN, copy_project, run
from lxml import html as lxml_html

from syndicate.article import Article, load_articles
from syndicate.config import Settings, load_settings
from syndicate.errors import SiteError
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


@dataclass(frozen=True)
class ZensicalBuild:
    """The sample, unchanged, built with Zensical and then ``syndicate build``."""

    ok: bool
    error: str  # the last line Zensical printed, its error message
    project: Path

    @property
    def site(self) -> Path:
        """The built site, once the build is known to have worked."""
        assert self.ok, f"Zensical could not build the sample: {self.error}"
        return self.project / "site"


def _last_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[-1] if lines else ""


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> ZensicalBuild:
    """Build the sample with Zensical (about a second), then its feeds, teasers and HTML decks (two seconds)."""
    project = copy_project(tmp_path_factory.mktemp("zensical") / "practice")
    result = run(BIN / "zensical", "build", "--clean", cwd=project, check=False)
    if result.returncode == 0:
        run(BIN / "syndicate", "build", "--slide-format", "html", cwd=project)
    return ZensicalBuild(ok=result.returncode == 0, error=_last_line(result), project=project)


def _post_pages(site: Path) -> list[Page]:
    """The pages rendered as blog posts."""
    return [page for page in _theme_pages(site) if page.doc.xpath("//*[contains(@class, 'md-content--post')]")]


def _post_urls(site: Path) -> set[str]:
    """Canonical URLs of the pages rendered as blog posts."""
    return {page.doc.xpath("//link[@rel='canonical']/@href")[0] for page in _post_pages(site)}


def _by_title(site: Path) -> dict[str, Page]:
    """The post pages of ``site`` by their title (og:title, the front matter's title)."""
    return {page.doc.xpath("//meta[@property='og:title']/@content")[0]: page for page in _post_pages(site)}


def _json_ld(page: Page, kind: str) -> dict:
    nodes = [node for script in page.doc.xpath("//script[@type='application/ld+json']")
             for node in json.loads(script.text)["@graph"] if node["@type"] == kind]
    assert len(nodes) == 1, f"{page.path}: expected one {kind}"
    return nodes[0]


def test_zensical_builds_the_sample_as_it_is(zensical: ZensicalBuild) -> None:
    assert zensical.ok, f"Zensical could not build the sample: {zensical.error}"


def test_zensical_builds_the_same_post_urls(zensical: ZensicalBuild, built_site: Path) -> None:
    assert _post_urls(zensical.site) == _post_urls(built_site)
    assert len(_post_urls(built_site)) >= 6


def test_zensical_renders_our_footer_booking_and_disclaimer(zensical: ZensicalBuild, built_project: Path) -> None:
    practice = _settings(built_project).practice
    articles = _post_pages(zensical.site)
    assert articles
    for page in articles:
        assert practice.phone_display in page.text("//footer"), page.path
        assert page.doc.xpath("//article//a[@href=$href]", href=practice.booking_url), page.path
        assert page.doc.xpath("//article//*[@aria-label='Medical disclaimer']"), page.path


def _syndicated(site: Path) -> dict[str, str]:
    """``src_uri`` -> URL of each article ``syndicate build`` wrote teasers for."""
    index = json.loads((site / "syndication" / "index.json").read_text(encoding="utf-8"))
    return {article["src_uri"]: article["url"] for article in index["articles"]}


def test_syndicate_build_finds_the_same_articles_in_a_zensical_site(zensical: ZensicalBuild, built_project: Path,
                                                                   built_site: Path) -> None:
    """Teasers, feeds and slide decks for the same articles, at the same URLs, whichever engine built the site."""
    now = datetime.now(UTC)
    articles = [article for article in _articles(built_project) if article.is_published(now)]
    published = {article.src_uri for article in articles}
    from_mkdocs = _syndicated(built_site)
    assert set(from_mkdocs) == published
    assert _syndicated(zensical.site) == from_mkdocs

    def feed_urls(site: Path) -> set[str]:
        return {item["url"] for item in json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]}

    def decks(site: Path) -> set[str]:
        return {deck.parent.name for deck in (site / "slides").glob("*/index.html")}

    assert feed_urls(zensical.site) == feed_urls(built_site) == set(from_mkdocs.values())
    assert decks(zensical.site) == decks(built_site)
    assert len(decks(built_site)) == len([article for article in articles if article.slides is not False])


def test_zensical_pages_carry_only_the_date_and_title_mark(zensical: ZensicalBuild, built_site: Path) -> None:
    """A known difference: Zensical gives templates no ``page.file``, so no ``syndicate:source``; the
    ``syndicate:article`` mark (date and title) finds the articles. When this fails, update README "Zensical"."""
    def marks(site: Path, name: str) -> list[str]:
        return [str(content) for page in _post_pages(site)
                for content in page.doc.xpath("//meta[@name=$name]/@content", name=name)]

    assert not marks(zensical.site, "syndicate:source")
    assert len(marks(built_site, "syndicate:source")) == len(_post_pages(built_site))
    assert sorted(marks(zensical.site, "syndicate:article")) == sorted(marks(built_site, "syndicate:article"))


def test_zensical_bylines_and_structured_data_credit_the_writers(zensical: ZensicalBuild, built_project: Path,
                                                                built_site: Path) -> None:
    """Credentials, job title, profiles and Mastodon handle come from extra.providers in both engines."""
    settings = _settings(built_project)
    articles = {article.title: article for article in _articles(built_project)}
    from_mkdocs = _by_title(built_site)
    pages = _by_title(zensical.site)
    assert pages.keys() == from_mkdocs.keys()
    for title, page in pages.items():
        writers = [settings.authors[key] for key in articles[title].authors]
        byline = page.text("//div[@class='practice-byline']/p[1]")
        assert byline == "Written by " + " and ".join(f"{w.name}, {w.credentials}" for w in writers)
        assert byline == from_mkdocs[title].text("//div[@class='practice-byline']/p[1]")
        creators = page.doc.xpath("//meta[@name='fediverse:creator']/@content")
        assert creators == [w.mastodon for w in writers if w.mastodon], page.path
        people = _json_ld(page, "BlogPosting")["author"]
        assert people == _json_ld(from_mkdocs[title], "BlogPosting")["author"]
        practice = settings.practice.type
        assert _json_ld(page, practice)["sameAs"] == _json_ld(from_mkdocs[title], practice)["sameAs"]  # same order
        for person, writer in zip(people, writers, strict=True):
            assert (person["name"], person["honorificSuffix"], person["jobTitle"], person["sameAs"]) == (
                writer.name, writer.credentials, writer.job_title, list(writer.same_as))
    assert any(w.mastodon for a in articles.values() for w in map(settings.authors.get, a.authors) if w)


def test_zensical_names_the_reviewer_from_extra_providers_only(zensical: ZensicalBuild, tmp_path: Path) -> None:
    """Zensical gives templates no list of all authors: a reviewer who is not a writer of the page is named
    only when extra.providers repeats the name (and bio link) of .authors.yml."""
    settings = _settings(zensical.project)
    reviewed = [a for a in _articles(zensical.project) if a.reviewed_by and a.reviewed_by not in a.authors]
    assert reviewed, "no sample article has a reviewer who is not its writer"
    article = reviewed[0]
    reviewer = settings.authors[article.reviewed_by]
    day = f"{article.last_reviewed:%B} {article.last_reviewed.day}, {article.last_reviewed.year}"

    as_is = _by_title(zensical.site)[article.title]
    assert as_is.text("//div[@class='practice-byline']/p[2]") == f"Medically reviewed on {day}"
    assert "reviewedBy" not in _json_ld(as_is, "MedicalWebPage")

    project = copy_project(tmp_path / "practice")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    entry = f"    {reviewer.key}:\n"
    assert entry in text
    config.write_text(text.replace(entry, f"{entry}      name: {reviewer.name}\n      url: {reviewer.url}\n", 1),
                      encoding="utf-8")
    assert _settings(project).authors[reviewer.key] == reviewer  # the repeated name and link are accepted
    run(BIN / "zensical", "build", "--clean", cwd=project)
    named = _by_title(project / "site")[article.title]
    assert named.text("//div[@class='practice-byline']/p[2]") == (
        f"Medically reviewed by {reviewer.name}, {reviewer.credentials} on {day}")
    assert [urljoin(named.doc.xpath("//link[@rel='canonical']/@href")[0], href)
            for href in named.doc.xpath("//div[@class='practice-byline']/p[2]/a/@href")] == [
        settings.site_url + reviewer.url.lstrip("/")]
    person = _json_ld(named, "MedicalWebPage")["reviewedBy"]
    assert (person["name"], person["honorificSuffix"], person["jobTitle"]) == (
        reviewer.name, reviewer.credentials, reviewer.job_title)


def test_zensical_articles_link_their_slide_decks(zensical: ZensicalBuild, built_site: Path) -> None:
    def links(site: Path) -> dict[str, list[str]]:
        return {title: [str(href) for href in page.doc.xpath("//p[@class='practice-slides-link']/a/@href")]
                for title, page in _by_title(site).items()}

    found = links(zensical.site)
    assert found == links(built_site)
    settings = _settings(zensical.project)
    slides = {article.title: article.slides for article in _articles(zensical.project)}
    for title, hrefs in found.items():
        assert len(hrefs) == (0 if slides[title] is False else 1), title
        for href in hrefs:
            assert (settings.site_dir / href[len(settings.site_url):] / "index.html").is_file(), href
    assert any(found.values())


def test_a_zensical_site_is_matched_to_posts_whatever_their_title_holds(project: Path) -> None:
    """Quotes, ``&``, ``</script>`` and doubled spaces in a title (MiniJinja escapes ``/`` too), and a date
    written as created and updated: the page is still found for its post."""
    post = project / "content" / "blog" / "posts" / "brushing-and-toothbrushes.md"
    title = 'Braces & "clear"  aligners: what\'s true? </script><b>x</b>'
    text = post.read_text(encoding="utf-8")
    text, titles = re.subn(r"(?m)^title: .*$", f"title: {json.dumps(title)}", text, count=1)
    text, dates = re.subn(r"(?m)^date: (\S+)$", r"date:\n  created: \1\n  updated: 2026-12-01", text, count=1)
    assert titles == dates == 1
    post.write_text(text, encoding="utf-8")
    run(BIN / "zensical", "build", "--clean", cwd=project)

    settings = _settings(project)
    pages = read_site(settings)
    now = datetime.now(UTC)
    assert set(pages) == {article.src_uri for article in _articles(project) if article.is_published(now)}
    page = _parse(pages["blog/posts/brushing-and-toothbrushes.md"].path)
    assert page.doc.xpath("//meta[@property='og:title']/@content") == [title]


def test_two_posts_alike_in_date_and_title_are_an_error_in_a_zensical_site(project: Path) -> None:
    """Without source file names a page is matched by its post's date and title: two posts alike in both
    (at different addresses) cannot be told apart, and the build says so rather than guess."""
    posts = project / "content" / "blog" / "posts"
    original = posts / "brushing-and-toothbrushes.md"
    text = original.read_text(encoding="utf-8")
    twin, count = re.subn(r"(?m)^(title: .*)$", r"\1\nslug: brushing-again", text, count=1)
    assert count == 1 and "\nslug:" not in text
    (posts / "brushing-again.md").write_text(twin, encoding="utf-8")
    run(BIN / "zensical", "build", "--clean", cwd=project)

    result = run(BIN / "syndicate", "build", "--only", "teasers", cwd=project, check=False)
    assert result.returncode == 1
    assert "content/blog/posts/brushing-again.md or content/blog/posts/brushing-and-toothbrushes.md" in result.stderr
    assert "Give one of them another title or date" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_page_left_from_an_earlier_build_is_an_error(zensical: ZensicalBuild, tmp_path: Path) -> None:
    """A post whose address changed, built without --clean, leaves its old page behind: the new one is not guessed."""
    project = tmp_path / "practice"
    project.mkdir()
    shutil.copy(zensical.project / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(zensical.project / "content", project / "content")
    site = zensical.site
    (project / "site").mkdir()
    shutil.copy(site / "index.html", project / "site" / "index.html")
    shutil.copytree(site / "blog", project / "site" / "blog")
    settings = _settings(project)
    page = read_site(settings)["blog/posts/brushing-and-toothbrushes.md"].path
    shutil.copytree(page.parent, page.parent.with_name("an-older-address"))

    with pytest.raises(SiteError, match="are both pages of blog/posts/brushing-and-toothbrushes.md"):
        read_site(settings)


def test_a_post_is_found_behind_a_long_head(built_project: Path, tmp_path: Path) -> None:
    """Scripts, styles or structured data may fill the head before the marks: 24 KB of them (12,000
    characters) still leave the page found for its post."""
    project = tmp_path / "practice"
    shutil.copytree(built_project, project, ignore=shutil.ignore_patterns(".cache"))
    before = read_site(_settings(project))
    page = before["blog/posts/dental-sealants.md"].path
    text = page.read_text(encoding="utf-8")
    assert text.count("<head>") == 1
    page.write_text(text.replace("<head>", "<head><script>/* " + "é" * 12000 + " */</script>"), encoding="utf-8")
    assert read_site(_settings(project)) == before


def test_links_to_posts_replace_the_page_and_leave_a_linked_copy_of_the_site_alone(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild may start from a site put back as hard links to a kept copy (as the benchmarks do): adding
    the links to the posts gives the page a new file, and the kept copy stays as the site generator wrote it."""
    from syndicate import syndication_links
    from syndicate.build import Published
    from syndicate.site import SitePage

    settings = _settings(project)
    article = _articles(project)[0]
    kept = project / "kept.html"
    kept.write_text("<article><!-- syndication-links --></article>", encoding="utf-8")
    page = project / "site" / "index.html"
    page.parent.mkdir()
    os.link(kept, page)
    url = "https://www.maplegrovedental.example/blog/a-post/"
    monkeypatch.setattr(syndication_links, "syndication_links",
                        lambda _: {url: [("mastodon", "https://mastodon.example/@maplegrove/1")]})
    published = Published(article=article, page=SitePage(src_uri=article.src_uri, url=url, path=page))
    assert syndication_links.write_links(settings, [published], datetime.now(UTC)) == [page]
    assert 'href="https://mastodon.example/@maplegrove/1">Mastodon</a>' in page.read_text(encoding="utf-8")
    assert kept.read_text(encoding="utf-8") == "<article><!-- syndication-links --></article>"
