"""What search engines, link previews and patients read from every page.

On the built sample site: Open Graph and X card tags, fediverse:creator,
rel="me", the security and referrer policies, schema.org JSON-LD, and the
byline, each checked against the articles' front matter and against files that
exist in ``site/``. Then a title, description and alt text full of quotes,
``&`` and ``</script>`` in a copy of the project, and the settings check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import BIN, copy_project, run
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from PIL import Image, ImageColor

from syndicate.article import Article, load_articles
from syndicate.config import Settings, load_settings
from syndicate.contrast import contrast_ratio, parse_color
from syndicate.errors import ConfigError
from syndicate.share_image import SIZE, make_share_image
from syndicate.site import SitePage, read_site
from syndicate.trust import check_trust_settings

# The sample practice's profiles (mkdocs.yml, extra.practice.handles), as visitors open them.
SAMPLE_PROFILES = {
    "https://x.com/MapleGroveDental",
    "https://bsky.app/profile/maplegrovedental.example",
    "https://health.social.example/@maplegrove",
    "https://www.facebook.com/maplegrovedental",
    "https://www.instagram.com/maplegrovedental",
    "https://www.linkedin.com/company/maple-grove-family-dental",
    "https://www.pinterest.com/maplegrovedental",
}


@dataclass(frozen=True)
class Page:
    """One built page, parsed."""

    path: Path
    doc: lxml_html.HtmlElement

    def meta(self, key: str) -> list[str]:
        """The content of every <meta> whose property or name is ``key``, in order."""
        return [str(m.get("content")) for m in self.doc.iter("meta") if key in (m.get("property"), m.get("name"))]

    def one(self, key: str) -> str:
        """The content of the one <meta> named ``key``."""
        found = self.meta(key)
        assert len(found) == 1, f"{self.path}: expected one {key}, found {found}"
        return found[0]

    def graph(self) -> list[dict]:
        """Every node of the page's JSON-LD."""
        nodes = []
        for script in self.doc.xpath("//script[@type='application/ld+json']"):
            data = json.loads(script.text)
            nodes += data.get("@graph", [data])
        return nodes

    def node(self, kind: str) -> dict:
        """The one JSON-LD node of type ``kind``."""
        found = [node for node in self.graph() if node.get("@type") == kind]
        assert len(found) == 1, f"{self.path}: expected one {kind} node, found {len(found)}"
        return found[0]

    def text(self, xpath: str) -> str:
        """The visible text under the first match of ``xpath``, whitespace collapsed."""
        found = self.doc.xpath(xpath)
        return " ".join(found[0].text_content().split()) if found else ""


@cache
def _parse(path: Path) -> Page:
    return Page(path=path, doc=lxml_html.parse(str(path)).getroot())


@dataclass(frozen=True)
class Built:
    """An article together with its built page."""

    article: Article
    site_page: SitePage
    page: Page


@pytest.fixture(scope="module")
def settings(built_project: Path) -> Settings:
    """The sample practice's settings."""
    return load_settings(built_project / "mkdocs.yml")


@pytest.fixture(scope="module")
def built(settings: Settings) -> list[Built]:
    """Every published article of the sample with its page."""
    pages = read_site(settings)
    found = [Built(article=a, site_page=pages[a.src_uri], page=_parse(pages[a.src_uri].path))
             for a in load_articles(settings) if a.src_uri in pages]
    assert len(found) >= 6, "the sample should publish at least six articles"
    return found


def site_file(settings: Settings, url: str) -> Path:
    """The file in the built site that an absolute URL of the site points to (it must be one of ours)."""
    assert url.startswith(settings.site_url), f"{url} is not on the site ({settings.site_url})"
    path = unquote(urlsplit(url).path)[len(urlsplit(settings.site_url).path):]
    target = settings.site_dir / path
    return target / "index.html" if not path or path.endswith("/") else target


def assert_exists(settings: Settings, url: str) -> None:
    """``url`` is on the site, its file exists, and so does the element its #fragment names."""
    target = site_file(settings, url)
    assert target.is_file(), f"{url}: {target} does not exist"
    fragment = urlsplit(url).fragment
    if fragment:
        assert _parse(target).doc.xpath("//*[@id=$id]", id=fragment), f"{url}: no element with id {fragment}"


def absolute(settings: Settings, link: str) -> str:
    """A link as the theme and .authors.yml write it ("/about/#x"), made absolute on the site."""
    return link if urlsplit(link).scheme else settings.site_url + link.lstrip("/")


def sources(page: Page) -> list[str]:
    """The web addresses listed in the article's "Sources" section, read from the page itself."""
    headings = page.doc.xpath("//article//h2[starts-with(normalize-space(), 'Sources')]")
    assert len(headings) == 1, f"{page.path}: expected one Sources section"
    links = []
    for element in headings[0].itersiblings():
        if element.tag == "h2" or "practice-" in (element.get("class") or ""):
            break  # the next section, or our own blocks after the article's text (booking, disclaimer)
        links += [str(href) for href in element.xpath(".//a/@href") if str(href).startswith(("https://", "http://"))]
    return links


def day(value: date) -> str:
    return value.isoformat()


# -- link previews --------------------------------------------------------------------


def test_every_article_has_open_graph_tags_that_point_at_real_files(settings: Settings, built: list[Built]) -> None:
    for item in built:
        article, page = item.article, item.page
        canonical = page.doc.xpath("//link[@rel='canonical']/@href")
        assert canonical == [item.site_page.url], page.path  # the theme's one canonical link, not two
        assert_exists(settings, canonical[0])
        assert page.one("og:type") == "article"
        assert page.one("og:title") == article.title
        assert page.one("og:description") == article.description
        assert page.one("og:url") == canonical[0]
        assert page.one("og:site_name") == settings.site_name
        assert page.one("article:published_time") == day(article.date.date())
        assert page.one("article:modified_time") == day((article.updated or article.date).date())
        authors = page.meta("article:author")
        assert authors == [absolute(settings, settings.authors[key].url) for key in article.authors]
        for url in authors:
            assert_exists(settings, url)
        assert page.meta("article:tag") == list(article.tags)
        assert page.meta("article:section") == list(article.categories[:1])


def test_the_preview_image_is_on_the_site_at_the_size_the_page_states(settings: Settings,
                                                                     built: list[Built]) -> None:
    for item in built:
        page = item.page
        assert item.article.image, f"{item.article.source}: the sample articles all have a hero image"
        image_url = page.one("og:image")
        assert_exists(settings, image_url)
        with Image.open(site_file(settings, image_url)) as image:
            assert image.format == "JPEG"
            assert page.one("og:image:type") == "image/jpeg"
            assert (int(page.one("og:image:width")), int(page.one("og:image:height"))) == image.size == SIZE
            assert not image.getexif(), f"{image_url} carries EXIF data"
        assert page.one("og:image:alt") == item.article.image_alt


def test_x_cards_use_name_attributes_and_the_same_image(built: list[Built]) -> None:
    for item in built:
        page = item.page
        assert not page.doc.xpath("//meta[starts-with(@property, 'twitter:')]"), page.path
        assert page.one("twitter:card") == "summary_large_image"
        assert page.one("twitter:site") == "@MapleGroveDental"
        assert page.one("twitter:title") == item.article.title
        assert page.one("twitter:description") == item.article.description
        assert page.one("twitter:image") == page.one("og:image")
        assert page.one("twitter:image:alt") == item.article.image_alt


def test_mastodon_credits_the_writer_and_profiles_link_back(settings: Settings, built: list[Built]) -> None:
    with_handle = 0
    for item in built:
        expected = [settings.authors[key].mastodon for key in item.article.authors if settings.authors[key].mastodon]
        assert item.page.meta("fediverse:creator") == expected, item.page.path
        with_handle += bool(expected)
        assert set(item.page.doc.xpath("//link[@rel='me']/@href")) == SAMPLE_PROFILES
    assert with_handle, "no sample article is written by an author with a Mastodon handle"


@pytest.mark.parametrize("path", ["index.html", "blog/index.html", "about/index.html"])
def test_pages_that_are_not_articles_describe_the_website(settings: Settings, path: str) -> None:
    page = _parse(settings.site_dir / path)
    assert page.one("og:type") == "website"
    assert page.one("og:url") == page.doc.xpath("//link[@rel='canonical']/@href")[0]
    assert_exists(settings, page.one("og:url"))
    assert page.one("og:site_name") == settings.site_name
    assert page.one("twitter:card") == "summary"
    assert not page.doc.xpath("//meta[starts-with(@property, 'article:')]")
    assert page.node(settings.practice.type)["name"] == settings.practice.name
    assert page.node("WebSite")["url"] == settings.site_url
    assert page.node("WebPage")["url"] == page.one("og:url")
    assert set(page.doc.xpath("//link[@rel='me']/@href")) == SAMPLE_PROFILES


# -- policies -----------------------------------------------------------------------


def test_every_page_forbids_other_hosts_and_keeps_the_referrer(settings: Settings) -> None:
    pages = [page for page in map(_parse, sorted(settings.site_dir.rglob("*.html")))
             if page.doc.xpath("//meta[@name='generator']")]  # made with our templates, 404 page included
    assert len(pages) > 10
    for page in pages:
        path = page.path
        policy = page.doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert len(policy) == 1, path
        directives = dict((part.split()[0], part.split()[1:]) for part in policy[0].split(";") if part.strip())
        assert directives["default-src"] == ["'self'"]
        for name in ("script-src", "img-src", "connect-src", "style-src", "font-src"):
            hosts = [source for source in directives[name] if not source.startswith("'") and source != "data:"]
            assert hosts == [], f"{path}: {name} allows {hosts}"
        assert directives["object-src"] == ["'none'"] and directives["frame-src"] == ["'none'"]
        assert page.meta("referrer") == ["same-origin"], path


# -- structured data ----------------------------------------------------------------


def test_structured_data_describes_the_practice(settings: Settings, built: list[Built]) -> None:
    practice = settings.practice
    raw = settings.raw["extra"]["practice"]
    node = built[0].page.node(practice.type)
    assert node["@type"] == "Dentist"
    assert node["name"] == practice.name
    assert node["url"] == settings.site_url
    assert node["telephone"] == practice.phone
    assert node["address"] == {
        "@type": "PostalAddress",
        "streetAddress": practice.address["street"],
        "addressLocality": practice.address["city"],
        "addressRegion": practice.address["region"],
        "postalCode": practice.address["postal_code"],
        "addressCountry": practice.address["country"],
    }
    assert node["openingHours"] == raw["opening_hours"]
    assert set(node["sameAs"]) == SAMPLE_PROFILES
    assert_exists(settings, node["logo"])


def test_structured_data_describes_each_article_and_its_review(settings: Settings, built: list[Built]) -> None:
    for item in built:
        article, page = item.article, item.page
        canonical = item.site_page.url
        webpage, posting, practice = page.node("MedicalWebPage"), page.node("BlogPosting"), page.node("Dentist")
        assert webpage["@id"] == webpage["url"] == canonical
        assert webpage["mainEntity"] == {"@id": posting["@id"]}
        assert posting["mainEntityOfPage"] == {"@id": canonical}
        assert webpage["medicalAudience"] == {"@type": "MedicalAudience", "audienceType": "Patient"}
        assert [topic["name"] for topic in webpage["about"]] == list(article.categories)
        assert posting["headline"] == article.title
        assert posting["description"] == article.description
        assert posting["datePublished"] == webpage["datePublished"] == day(article.date.date())
        assert posting["dateModified"] == day((article.updated or article.date).date())
        assert posting["publisher"] == webpage["publisher"] == {"@id": practice["@id"]}
        assert posting["image"]["url"] == page.one("og:image")
        assert (posting["image"]["width"], posting["image"]["height"]) == SIZE
        writers = posting["author"]
        assert [person["name"] for person in writers] == [settings.authors[k].name for k in article.authors]
        for person, key in zip(writers, article.authors, strict=True):
            assert person["@type"] == "Person"
            assert person["honorificSuffix"] == settings.authors[key].credentials
            assert_exists(settings, person["url"])
        if article.reviewed_by:
            reviewer = settings.authors[article.reviewed_by]
            assert webpage["reviewedBy"]["name"] == reviewer.name
            assert webpage["reviewedBy"]["honorificSuffix"] == reviewer.credentials
            assert_exists(settings, webpage["reviewedBy"]["url"])
        if article.last_reviewed:
            assert webpage["lastReviewed"] == day(article.last_reviewed)
        cited = [work["url"] for work in posting["citation"]]
        assert cited and cited == sources(page), f"{page.path}: citations differ from the Sources section"
        assert all(work["name"] and work["@type"] == "CreativeWork" for work in posting["citation"])


# -- what patients see --------------------------------------------------------------


def long_date(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def test_each_article_says_who_wrote_it_who_reviewed_it_and_when(settings: Settings, built: list[Built]) -> None:
    reviewed = 0
    for item in built:
        article, page = item.article, item.page
        byline = page.doc.xpath("//article//div[@class='practice-byline']")
        assert len(byline) == 1, page.path
        h1 = page.doc.xpath("//article//h1")[0]
        assert h1.getnext() is byline[0], f"{page.path}: the byline is not right under the title"
        writers = [settings.authors[key] for key in article.authors]
        written = page.text("//div[@class='practice-byline']/p[1]")
        assert written == "Written by " + " and ".join(f"{w.name}, {w.credentials}" for w in writers)
        for link, writer in zip(byline[0].xpath("./p[1]/a"), writers, strict=True):
            assert_exists(settings, urljoin(item.site_page.url, link.get("href")))
            assert urljoin(item.site_page.url, link.get("href")) == absolute(settings, writer.url)
        dates = page.text("//div[@class='practice-byline']/p[last()]")
        assert dates.startswith(f"Published {long_date(article.date.date())}")
        if article.reviewed_by and article.last_reviewed:
            reviewer = settings.authors[article.reviewed_by]
            assert page.text("//div[@class='practice-byline']/p[2]") == (
                f"Medically reviewed by {reviewer.name}, {reviewer.credentials} on {long_date(article.last_reviewed)}")
            reviewed += 1
    assert reviewed, "no sample article has a medical review to show"


# -- escaping -----------------------------------------------------------------------

HOSTILE_TITLE = 'Braces & "clear" aligners: what\'s true? </script><script>hostile()</script>'
HOSTILE_DESCRIPTION = 'Fixed "braces" & aligners compared </script><script>hostile()</script> fairly'
HOSTILE_ALT = 'A "clear" aligner & a brace </script>'


def test_quotes_ampersands_and_script_ends_in_front_matter_break_nothing(project: Path) -> None:
    """A title, description and alt text full of markup characters come out as the same text everywhere."""
    post = sorted((project / "content" / "blog" / "posts").glob("*.md"))[0]
    text = post.read_text(encoding="utf-8")
    for key, value in (("title", HOSTILE_TITLE), ("description", HOSTILE_DESCRIPTION), ("image_alt", HOSTILE_ALT)):
        text, count = re.subn(rf"(?m)^{key}: .*$", f"{key}: {json.dumps(value)}", text, count=1)
        assert count == 1, f"{post} has no {key}"
    # An update date too, so the byline's and the tags' "updated" appear.
    text = re.sub(r"(?m)^date: (\S+)$", r"date:\n  created: \1\n  updated: 2026-12-01", text, count=1)
    post.write_text(text, encoding="utf-8")
    run(BIN / "mkdocs", "build", "--strict", "--quiet", cwd=project)

    settings = load_settings(project / "mkdocs.yml")
    site_page = read_site(settings)[f"blog/posts/{post.name}"]
    page = _parse(site_page.path)
    assert page.one("og:title") == page.one("twitter:title") == HOSTILE_TITLE
    assert page.one("og:description") == page.one("twitter:description") == page.one("description") \
        == HOSTILE_DESCRIPTION
    assert page.one("og:image:alt") == page.one("twitter:image:alt") == HOSTILE_ALT
    assert page.doc.findtext(".//title") == f"{HOSTILE_TITLE} - {settings.site_name}"
    assert page.one("article:modified_time") == "2026-12-01"
    assert "Updated December 1, 2026" in page.text("//div[@class='practice-byline']")
    posting, webpage = page.node("BlogPosting"), page.node("MedicalWebPage")
    assert posting["headline"] == webpage["name"] == HOSTILE_TITLE
    assert posting["description"] == HOSTILE_DESCRIPTION
    assert posting["image"]["caption"] == HOSTILE_ALT
    assert posting["dateModified"] == "2026-12-01"
    for path in sorted(settings.site_dir.rglob("*.html")):
        doc = _parse(path).doc
        scripts = [s.text or "" for s in doc.iter("script") if s.get("type") not in ("application/ld+json",
                                                                                  "application/json")]
        assert not [s for s in scripts if "hostile()" in s], f"{path}: a script came out of the front matter"
        for script in doc.xpath("//script[@type='application/ld+json']"):
            json.loads(script.text)


# -- the preview image, made to measure ---------------------------------------------


def test_share_image_is_cropped_to_size_and_keeps_no_metadata(tmp_path: Path) -> None:
    source = tmp_path / "portrait.png"
    image = Image.new("RGBA", (800, 1600), (31, 95, 91, 0))
    image.paste((181, 71, 47, 255), (0, 700, 800, 900))  # a band across the middle survives the crop
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    image.save(source, exif=exif)
    dest = tmp_path / "out" / "share.jpg"
    make_share_image(source, dest)
    with Image.open(dest) as result:
        assert result.format == "JPEG" and result.size == SIZE
        assert not result.getexif()
        red, green, blue = result.convert("RGB").getpixel((600, 315))
        assert red > 150 and green < 110 and blue < 90  # the middle band, not the transparent edges
        assert min(result.convert("RGB").getpixel((600, 5))) > 240  # transparency became white


# -- providers: the blog's keys in .authors.yml, ours in mkdocs.yml -----------------

AUTHORS_FILE = "content/blog/.authors.yml"

# (file changed, text replaced, replacement, the line the error names (its text), what the error says)
PROVIDER_MISTAKES = [
    pytest.param("mkdocs.yml", "    drpatel:\n      credentials:", "    drpatell:\n      credentials:", "    drpatell:",
                 "'drpatell' under extra.providers is not an author in .authors.yml. Did you mean 'drpatel'?",
                 id="provider-not-in-authors-file"),
    pytest.param("mkdocs.yml", "      credentials: DMD", "      credential: DMD", "      credential: DMD",
                 "unknown key 'credential' under extra.providers.drpatel. Did you mean 'credentials'?",
                 id="unknown-provider-key"),
    pytest.param("mkdocs.yml", "    drpatel:\n", "    drpatel:\n      name: Dr. A. Patel\n", "      name: Dr. A. Patel",
                 "extra.providers.drpatel.name is 'Dr. A. Patel' but .authors.yml says 'Dr. Arjun Patel'",
                 id="name-differs-from-authors-file"),
    pytest.param(AUTHORS_FILE, "    url: /about/#dr-maya-lee\n", "    url: /about/#dr-maya-lee\n    credentials: DDS\n",
                 "    credentials: DDS",
                 "'credentials' of author 'drlee' belongs in mkdocs.yml, not here (Zensical refuses it in this file). "
                 "Move it under extra.providers.drlee in mkdocs.yml", id="provider-key-left-in-authors-file"),
]


def test_providers_join_the_blog_keys_and_ours(settings: Settings) -> None:
    ours = settings.raw["extra"]["providers"]
    assert set(ours) == set(settings.authors)
    for key, author in settings.authors.items():
        assert (author.credentials, author.job_title, author.mastodon, list(author.same_as)) == (
            ours[key]["credentials"], ours[key]["job_title"], ours[key].get("mastodon", ""), ours[key]["same_as"])
        assert author.name and author.url.startswith("/about/#")  # from .authors.yml


@pytest.mark.parametrize(("changed", "old", "new", "where", "says"), PROVIDER_MISTAKES)
def test_provider_mistakes_name_the_file_and_line(project: Path, changed: str, old: str, new: str, where: str,
                                                  says: str) -> None:
    path = project / changed
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    line = next(n for n, text_line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                if text_line == where)
    with pytest.raises(ConfigError) as caught:
        load_settings(project / "mkdocs.yml")
    assert (caught.value.path, caught.value.line) == (path, line)
    assert says in str(caught.value)

    result = run(BIN / "syndicate", "check", cwd=project, check=False)
    assert result.returncode == 2
    assert f"{changed}:{line}: error: {says}" in result.stderr
    assert "Traceback" not in result.stderr


# -- the settings check -------------------------------------------------------------


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    white, black = parse_color("#fff"), parse_color("black")
    assert contrast_ratio(white, black) == pytest.approx(21)
    assert contrast_ratio(parse_color("#777777"), white) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(parse_color("#1f5f5b"), white) > 4.5
    assert contrast_ratio(parse_color("rgb(31, 95, 91)"), parse_color("#1f5f5b")) == pytest.approx(1)
    with pytest.raises(ValueError):
        parse_color("not a colour")


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text("0123456789abcdefABCDEF", min_size=3, max_size=6).filter(lambda d: len(d) in (3, 6)),
       st.sampled_from(["", " ", "\n"]))
def test_hex_colours_read_without_pillow_read_as_pillow_reads_them(digits: str, space: str) -> None:
    assert parse_color(f"{space}#{digits}{space}") == ImageColor.getrgb(f"#{digits}")


def _config(project: Path, edit: str, replacement: str) -> Settings:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert edit in text
    path.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    return load_settings(path)


def _line(project: Path, needle: str) -> int:
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def test_sample_settings_pass_the_trust_check(settings: Settings) -> None:
    assert check_trust_settings(settings) == []


def test_a_pale_brand_colour_is_a_warning_at_its_line(project: Path) -> None:
    settings = _config(project, 'primary: "#1f5f5b"', 'primary: "#7fb3ad"')
    problems = check_trust_settings(settings)
    assert [(p.severity, p.code, p.line) for p in problems] == [
        ("warning", "brand-contrast", _line(project, 'primary: "#7fb3ad"'))]
    message = problems[0].format()
    assert "the primary colour #7fb3ad has a contrast of 2.3:1 against white" in message
    suggested = re.search(r'"(#[0-9a-f]{6})"', message)
    assert suggested and contrast_ratio(parse_color(suggested.group(1)), parse_color("#fff")) >= 4.5


def test_a_brand_colour_that_is_no_colour_is_a_warning(project: Path) -> None:
    settings = _config(project, 'accent: "#b5472f"', 'accent: "rust"')
    problems = check_trust_settings(settings)
    assert [(p.severity, p.code, p.line) for p in problems] == [
        ("warning", "brand-color", _line(project, 'accent: "rust"'))]


def test_analytics_needs_the_consent_banner_and_a_business_associate_agreement(project: Path,
                                                                             tmp_path: Path) -> None:
    analytics = "  practice:\n"
    settings = _config(project, analytics, "  analytics:\n    provider: google\n    property: G-XXXXXXX\n" + analytics)
    found = [(p.severity, p.code, p.line) for p in check_trust_settings(settings)]
    line = _line(project, "  analytics:")
    assert found == [("warning", "tracking", line), ("error", "consent", line)]
    assert "business associate agreement" in check_trust_settings(settings)[0].message

    other = copy_project(tmp_path / "with-consent")  # a new file: settings are read once per file
    consented = _config(other, analytics, "  consent:\n    title: Cookies\n    description: We ask first.\n"
                        "  analytics:\n    provider: google\n    property: G-XXXXXXX\n" + analytics)
    assert [(p.severity, p.code) for p in check_trust_settings(consented)] == [("warning", "tracking")]


def test_syndicate_check_reports_the_settings_problems(project: Path) -> None:
    _config(project, "  practice:\n", "  analytics:\n    provider: google\n    property: G-XXXXXXX\n  practice:\n")
    result = run(BIN / "syndicate", "check", cwd=project, check=False)
    assert result.returncode == 1
    assert re.search(r"^mkdocs\.yml:\d+:1: error: analytics is turned on without the consent banner",
                     result.stdout, re.M), result.stdout


def test_turning_on_analytics_lets_only_its_hosts_through_the_policy(project: Path) -> None:
    """The theme's Google Analytics would be blocked by the default policy: when a practice turns it on, its hosts
    (and only those) are allowed, and the consent banner is on the page."""
    _config(project, "  practice:\n", "  analytics:\n    provider: google\n    property: G-XXXXXXX\n"
            "  consent:\n    title: Cookies\n    description: We ask first.\n  practice:\n")
    run(BIN / "mkdocs", "build", "--strict", "--quiet", cwd=project)
    page = _parse(project / "site" / "index.html")
    policy = page.doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    directives = dict((part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip())
    assert "https://www.googletagmanager.com" in directives["script-src"]
    assert "https://*.google-analytics.com" in directives["connect-src"]
    assert directives["default-src"] == ["'self'"] and directives["frame-src"] == ["'none'"]
    assert page.doc.xpath("//*[@data-md-component='consent']")
    assert "googletagmanager.com/gtag/js" in (project / "site" / "index.html").read_text(encoding="utf-8")
