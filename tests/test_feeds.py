"""Feeds: every reader parses them, and what feedparser forgives is checked here by hand.

The sample practice is built once for the session (``built_site``); a variant
with a draft, a future post, a title full of markup characters, links of every
kind and a reviewer is built once for this module, rebuilt unchanged (the
bytes must not move) and rebuilt after an edit (the ids must not move).
"""

from __future__ import annotations

import dataclasses
import email.utils
import html
import json
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import jsonschema
import lxml.etree
import lxml.html
import pytest
import yaml
from conftest import BIN, ROOT, copy_project, run
from rfc3339_validator import validate_rfc3339

from syndicate.build import Published, published_articles
from syndicate.config import Settings, load_settings
from syndicate.errors import ConfigError
from syndicate.feeds import article_id, feed_options, first_sources, write_feeds

SCHEMA = json.loads((ROOT / "tests" / "schemas" / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
MEDIA = "{http://search.yahoo.com/mrss/}"
# RFC 822 as RSS 2.0 uses it (four-digit year, as the RSS Advisory Board recommends), with a numeric zone.
RFC822 = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}")
TAG_URI = re.compile(r"tag:[a-z0-9.-]+,\d{4}-\d{2}-\d{2}:[A-Za-z0-9._~%-]+")

TRICKY_TITLE = 'Braces & "retainers" <explained> for teens'
TRICKY_DESCRIPTION = "What braces & retainers do <and don't>, in plain words."


def feed_files(site: Path) -> list[Path]:
    """Every feed the build writes: site-wide, per category, per platform."""
    files = [site / "feed.xml", site / "atom.xml", site / "feed.json"]
    files += sorted(site.glob("blog/category/*/feed.xml"))
    files += sorted((site / "feeds").glob("*.xml"))
    return files


def xml_feeds(site: Path) -> list[Path]:
    return [p for p in feed_files(site) if p.suffix == ".xml"]


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", url)


def html_urls(fragment: str) -> list[str]:
    """Every href and src in a piece of HTML, as a browser reads them."""
    if not fragment.strip():
        return []
    tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    return [value for element in tree.iter() for key, value in element.attrib.items() if key in ("href", "src")]


def xml_urls(path: Path) -> Iterator[tuple[str, str]]:
    """(where, URL) for every URL an RSS or Atom file holds, including those inside its HTML."""
    tree = lxml.etree.parse(str(path))
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        name = lxml.etree.QName(element).localname
        for attribute in ("href", "url", "uri", "domain"):
            if attribute in element.attrib:
                yield f"{name}@{attribute}", element.attrib[attribute]
        if name in ("link", "url", "uri", "icon", "logo", "docs") and element.text and element.text.strip():
            yield name, element.text.strip()
        if name in ("encoded", "content") and element.text:
            for url in html_urls(element.text):
                yield f"{name} html", url


def json_urls(feed: dict) -> Iterator[tuple[str, str]]:
    for key in ("home_page_url", "feed_url", "icon", "favicon"):
        if key in feed:
            yield key, feed[key]
    for person in feed.get("authors", []):
        yield from (("author", person[k]) for k in ("url", "avatar") if k in person)
    for item in feed["items"]:
        yield from ((k, item[k]) for k in ("url", "image", "external_url") if k in item)
        for person in item.get("authors", []):
            yield from (("item author", person[k]) for k in ("url", "avatar") if k in person)
        reviewer = item.get("_practice", {}).get("reviewed_by", {})
        yield from (("reviewer", reviewer[k]) for k in ("url", "avatar") if k in reviewer)
        for url in html_urls(item.get("content_html", "")):
            yield "content_html", url


def site_page(site: Path, settings: Settings, url: str) -> Path:
    """The built file a URL of the site serves."""
    assert url.startswith(settings.site_url), url
    path = urlsplit(url[len(settings.site_url) - 1:]).path
    target = site / unquote(path).lstrip("/")
    return target / "index.html" if url.endswith("/") else target


def canonical_of(page: Path) -> str:
    match = re.search(r'<link rel="canonical" href="([^"]+)"', page.read_text(encoding="utf-8"))
    assert match, f"{page} has no canonical link"
    return html.unescape(match.group(1))


def ids_of(site: Path) -> dict[str, list[str]]:
    """Item ids of every feed, in order."""
    ids = {}
    for path in feed_files(site):
        if path.suffix == ".json":
            ids[path.name] = [item["id"] for item in json.loads(path.read_bytes())["items"]]
        else:
            ids[str(path.relative_to(site))] = [entry.id for entry in feedparser.parse(path.read_bytes()).entries]
    return ids


# -- the sample practice -------------------------------------------------------


@pytest.fixture(scope="module")
def sample(built_project: Path) -> tuple[Settings, list[Published]]:
    settings = load_settings(built_project / "mkdocs.yml")
    return settings, published_articles(settings)


def test_every_feed_is_written_and_parses_without_errors(built_site: Path) -> None:
    files = feed_files(built_site)
    assert all(p.is_file() for p in files[:3])
    assert len(list(built_site.glob("blog/category/*/index.html"))) == len(list(built_site.glob(
        "blog/category/*/feed.xml")))
    for path in xml_feeds(built_site):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
        assert parsed.version in ("rss20", "atom10"), path
        assert parsed.entries, f"{path} has no items"


def test_json_feed_is_valid_json_feed_1_1(built_site: Path) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    # The format checks really run (they silently do nothing without rfc3339-validator / rfc3986-validator).
    assert not validator.is_valid({"version": "https://jsonfeed.org/version/1.1", "title": "t",
                                   "items": [{"id": "1", "content_text": "x", "date_published": "2026-11-02"}]})
    assert not validator.is_valid({"version": "https://jsonfeed.org/version/1.1", "title": "t",
                                   "home_page_url": "/blog/", "items": []})
    feed = json.loads((built_site / "feed.json").read_bytes())
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(feed)]
    assert errors == []
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"]


def test_dates_carry_time_zones_in_each_formats_own_syntax(built_site: Path) -> None:
    rss = lxml.etree.parse(str(built_site / "feed.xml"))
    rss_dates = [e.text for e in rss.iter("pubDate", "lastBuildDate")]
    assert len(rss_dates) > 2
    for value in rss_dates:
        assert RFC822.fullmatch(value), value
        assert email.utils.parsedate_to_datetime(value).tzinfo is not None
    atom = lxml.etree.parse(str(built_site / "atom.xml"))
    atom_dates = [e.text for e in atom.iter(f"{ATOM}updated", f"{ATOM}published")]
    assert len(atom_dates) > 2
    assert all(validate_rfc3339(value) for value in atom_dates), atom_dates
    feed = json.loads((built_site / "feed.json").read_bytes())
    json_dates = [item[k] for item in feed["items"] for k in ("date_published", "date_modified")]
    assert all(validate_rfc3339(value) for value in json_dates), json_dates


def test_every_url_in_every_feed_is_absolute(built_site: Path) -> None:
    found = []
    for path in xml_feeds(built_site):
        found += [(path.name, where, url) for where, url in xml_urls(path)]
    feed = json.loads((built_site / "feed.json").read_bytes())
    found += [("feed.json", where, url) for where, url in json_urls(feed)]
    assert any(where.endswith("html") for _, where, _ in found), "no URL inside content HTML was checked"
    relative = [entry for entry in found if not is_absolute(entry[2])]
    assert relative == []


def test_ids_are_unique_stable_tag_uris_shared_by_every_format(built_site: Path) -> None:
    ids = ids_of(built_site)
    for name, values in ids.items():
        assert len(values) == len(set(values)), f"{name} repeats an id"
        assert all(TAG_URI.fullmatch(v) for v in values), values
    assert ids["feed.xml"] == ids["atom.xml"] == ids["feed.json"]
    rss = lxml.etree.parse(str(built_site / "feed.xml"))
    assert {g.get("isPermaLink") for g in rss.iter("guid")} == {"false"}


def test_items_link_to_the_built_pages_newest_first(built_site: Path, sample: tuple[Settings, list[Published]]
                                                    ) -> None:
    settings, published = sample
    feed = json.loads((built_site / "feed.json").read_bytes())
    options = feed_options(settings)
    expected = [p.url for p in published][: options.max_items]
    assert [item["url"] for item in feed["items"]] == expected
    for item in feed["items"]:
        page = site_page(built_site, settings, item["url"])
        assert page.is_file(), item["url"]
        assert canonical_of(page) == item["url"]
    dates = [datetime.fromisoformat(item["date_published"]) for item in feed["items"]]
    assert dates == sorted(dates, reverse=True)
    rss_links = [e.link for e in feedparser.parse((built_site / "feed.xml").read_bytes()).entries]
    atom_links = [e.link for e in feedparser.parse((built_site / "atom.xml").read_bytes()).entries]
    assert rss_links == atom_links == expected


def test_items_carry_authors_categories_tags_image_and_reviewer(
        built_site: Path, sample: tuple[Settings, list[Published]]) -> None:
    settings, published = sample
    by_url = {p.url: p.article for p in published}
    feed = json.loads((built_site / "feed.json").read_bytes())
    atom = {e.link: e for e in feedparser.parse((built_site / "atom.xml").read_bytes()).entries}
    reviewed = 0
    for item in feed["items"]:
        article = by_url[item["url"]]
        assert item["title"] == article.title
        assert item["summary"] == article.description
        assert [a["name"] for a in item["authors"]] == [settings.authors[k].name for k in article.authors]
        assert item["tags"] == list(dict.fromkeys([*article.categories, *article.tags]))
        assert {t.term for t in atom[item["url"]].tags} == {*article.categories, *article.tags}
        if article.image:
            image = built_site / article.image
            assert item["image"] == settings.site_url + article.image and image.is_file()
            enclosure = [link for link in atom[item["url"]].links if link.rel == "enclosure"]
            assert [(e.href, int(e.length)) for e in enclosure] == [(item["image"], image.stat().st_size)]
        if article.reviewed_by:
            reviewed += 1
            reviewer = settings.authors[article.reviewed_by]
            assert item["_practice"]["reviewed_by"]["name"] == reviewer.name
            assert "Medically reviewed by" in item["content_html"] and reviewer.name in item["content_html"]
            assert [c.name for c in atom[item["url"]].get("contributors", [])] == [reviewer.name]
        else:
            assert "reviewed_by" not in item.get("_practice", {})
            assert "contributors" not in atom[item["url"]]
    assert reviewed, "no sample article has a medical reviewer: the reviewer is untested"


def test_rss_items_have_enclosures_with_length_and_type(built_site: Path) -> None:
    rss = lxml.etree.parse(str(built_site / "feed.xml"))
    enclosures = list(rss.iter("enclosure"))
    assert enclosures
    for enclosure in enclosures:
        url = enclosure.get("url")
        assert is_absolute(url) and enclosure.get("type", "").startswith("image/")
        assert int(enclosure.get("length")) > 0


def test_each_category_has_a_feed_beside_its_page(built_site: Path, sample: tuple[Settings, list[Published]]
                                                 ) -> None:
    settings, published = sample
    categories = sorted({c for p in published for c in p.article.categories})
    feeds = sorted(built_site.glob("blog/category/*/feed.xml"))
    assert len(feeds) == len(categories) > 1
    max_items = feed_options(settings).max_items
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        page = path.parent / "index.html"
        assert page.is_file() and parsed.feed.link == canonical_of(page)
        name = parsed.feed.title.split(": ", 1)[1]
        assert name in categories
        expected = [p.url for p in published if name in p.article.categories][:max_items]
        assert [e.link for e in parsed.entries] == expected


def test_platform_feeds_carry_each_platforms_teaser(built_site: Path, sample: tuple[Settings, list[Published]]
                                                   ) -> None:
    from syndicate.teasers import render_teasers

    settings, published = sample
    max_items = feed_options(settings).max_items
    assert settings.enabled_platforms
    teasers = [(p, render_teasers(p, settings)) for p in published]
    for platform in settings.enabled_platforms:
        path = built_site / "feeds" / f"{platform}.xml"
        rss = lxml.etree.parse(str(path))
        items = [(i.findtext("description"), i.findtext("link")) for i in rss.iter("item")]
        expected = [(t[platform].text, t[platform].url) for _, t in teasers if platform in t and t[platform].ok]
        assert items == expected[:max_items], platform
        assert items, f"{platform} has no items"


def test_every_page_links_the_feeds_in_its_head_and_shows_a_subscribe_link(
        built_site: Path, sample: tuple[Settings, list[Published]]) -> None:
    settings, _ = sample
    pages = [p for p in built_site.rglob("*.html") if 'name="generator" content="mkdocs' in p.read_text("utf-8")]
    assert len(pages) > 5
    wanted = {("application/rss+xml", "feed.xml"), ("application/atom+xml", "atom.xml"),
              ("application/feed+json", "feed.json")}
    for page in pages:
        tree = lxml.html.parse(str(page))
        links = {(link.get("type"), link.get("href")) for link in tree.xpath("//head/link[@rel='alternate']")}
        assert {(kind, settings.site_url + name) for kind, name in wanted} <= links, page
        for _, href in links:
            assert site_page(built_site, settings, href).is_file(), (page, href)
        subscribe = tree.xpath("//footer//a[contains(@href, 'feed.xml')]")
        assert subscribe and "Subscribe" in subscribe[0].text_content(), page
    category_page = next(built_site.glob("blog/category/*/index.html"))
    head = lxml.html.parse(str(category_page)).xpath("//head/link[@rel='alternate']/@href")
    assert canonical_of(category_page) + "feed.xml" in head


# -- a variant: drafts, future posts, markup in titles, links, rebuilds --------


@dataclasses.dataclass
class Variant:
    project: Path
    settings: Settings
    first: dict[str, bytes]
    again: dict[str, bytes]
    edited: dict[str, bytes]
    first_ids: dict[str, list[str]]
    edited_ids: dict[str, list[str]]
    renamed_url_before: str
    renamed_url_after: str


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in feed_files(site)}


def post(path: Path, front: dict, body: str) -> None:
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body,
                    encoding="utf-8")


def build_feeds(project: Path, now: datetime) -> None:
    run(BIN / "mkdocs", "build", "--strict", "--quiet", cwd=project)
    run(BIN / "syndicate", "--now", now.isoformat(), "build", "--only", "feeds", cwd=project)


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> Variant:
    project = copy_project(tmp_path_factory.mktemp("feeds") / "practice")
    settings = load_settings(project / "mkdocs.yml")
    first_author, second_author, *_ = list(settings.authors)
    category = settings.categories_allowed[0]
    posts = settings.posts_dir
    images = project / "content" / "blog" / "images"
    images.mkdir(parents=True, exist_ok=True)
    shutil.copy(project / "content" / "assets" / "favicon.png", images / "feeds-test-hero.png")
    common = {"authors": [first_author], "categories": [category]}
    post(posts / "feeds-test-linked.md", {"title": "A post other posts link to", "description": "Linked.",
                                          "date": date(2026, 11, 4), **common}, "# A post other posts link to\n\nHi.\n")
    post(posts / "feeds-test-tricky.md", {
        "title": TRICKY_TITLE, "description": TRICKY_DESCRIPTION, "date": date(2026, 11, 5),
        "authors": [first_author], "categories": [category], "tags": ["braces", "retainers & aligners"],
        "image": "blog/images/feeds-test-hero.png", "image_alt": "The practice's logo",
        "reviewed_by": second_author, "last_reviewed": date(2026, 11, 6),
    }, "\n".join([
        f"# {TRICKY_TITLE}", "",
        "See [the linked post](feeds-test-linked.md), [our services](../../services.md#top),",
        "[a section below](#caring-for-them) and [the CDC](https://www.cdc.gov/oral-health/).", "",
        "![A hero](../images/feeds-test-hero.png)", "",
        '<p><img src="/assets/favicon.png" alt="raw HTML image"></p>', "",
        "## Caring for them", "", "Brush them gently.", ""]))
    post(posts / "feeds-test-draft.md", {"title": "Secret draft about whitening", "description": "Not yet.",
                                         "date": date(2026, 11, 3), "draft": True, **common}, "Draft.\n")
    post(posts / "feeds-test-future.md", {"title": "Post from the far future", "description": "Later.",
                                          "date": date(2099, 1, 5), **common}, "Future.\n")
    now = datetime.now(UTC)
    build_feeds(project, now)
    first = snapshot(project / "site")
    first_ids = ids_of(project / "site")
    linked_before = published_url(settings, "feeds-test-linked.md")
    build_feeds(project, now + timedelta(days=3, hours=5))  # another day: nothing may change
    again = snapshot(project / "site")
    tricky = posts / "feeds-test-tricky.md"
    tricky.write_text(tricky.read_text(encoding="utf-8") + "\nA paragraph added after publication.\n",
                      encoding="utf-8")
    linked = posts / "feeds-test-linked.md"
    linked.write_text(linked.read_text(encoding="utf-8").replace("title: A post other posts link to",
                                                                 "title: A retitled post"), encoding="utf-8")
    build_feeds(project, now)
    return Variant(project=project, settings=settings, first=first, again=again, edited=snapshot(project / "site"),
                   first_ids=first_ids, edited_ids=ids_of(project / "site"), renamed_url_before=linked_before,
                   renamed_url_after=published_url(settings, "feeds-test-linked.md"))


def published_url(settings: Settings, name: str) -> str:
    return next(p.url for p in published_articles(settings) if p.article.src_uri.endswith(name))


def test_drafts_and_future_posts_never_appear(variant: Variant) -> None:
    for name, data in variant.first.items():
        text = data.decode("utf-8")
        assert "Secret draft" not in text and "feeds-test-draft" not in text, name
        assert "far future" not in text and "feeds-test-future" not in text, name
    assert "feeds-test-tricky" in variant.first["feed.json"].decode("utf-8")  # the published one is there


def test_titles_and_summaries_with_markup_characters_survive_every_format(variant: Variant) -> None:
    rss_raw = variant.first["feed.xml"].decode("utf-8")
    assert "<title>Braces &amp; \"retainers\" &lt;explained&gt; for teens</title>" in rss_raw
    category_feeds = [name for name in variant.first if "/category/" in name]
    for name in ["feed.xml", "atom.xml", *category_feeds]:
        parsed = feedparser.parse(variant.first[name])
        assert not parsed.bozo, name
        entries = [e for e in parsed.entries if "feeds-test-tricky" in e.id]
        if name in category_feeds and not entries:
            continue
        assert entries[0].title == TRICKY_TITLE, name
        # RSS descriptions are HTML to readers; Atom's summary is declared text.
        summary = entries[0].summary if name == "atom.xml" else html.unescape(entries[0].summary)
        assert summary == TRICKY_DESCRIPTION, name
    assert any(b"feeds-test-tricky" in variant.first[name] for name in category_feeds)
    item = tricky_item(variant.first)
    assert item["title"] == TRICKY_TITLE and item["summary"] == TRICKY_DESCRIPTION


def tricky_item(files: dict[str, bytes]) -> dict:
    return next(i for i in json.loads(files["feed.json"])["items"] if "feeds-test-tricky" in i["id"])


def test_links_and_images_inside_the_content_resolve_as_on_the_page(variant: Variant) -> None:
    site = variant.project / "site"
    base = variant.settings.site_url
    item = tricky_item(variant.first)
    urls = html_urls(item["content_html"])
    assert variant.renamed_url_before in urls  # the linked post, at its built URL (before its retitling)
    assert base + "services/#top" in urls
    assert item["url"] + "#caring-for-them" in urls
    assert "https://www.cdc.gov/oral-health/" in urls
    assert base + "blog/images/feeds-test-hero.png" in urls and (site / "blog/images/feeds-test-hero.png").is_file()
    assert base + "assets/favicon.png" in urls  # raw HTML, resolved against the page like a browser does
    assert all(is_absolute(u) for u in urls)
    assert "<h1" not in item["content_html"]  # the title is not repeated inside the item
    assert item["content_html"].rstrip().endswith("</p>") and "Medically reviewed by" in item["content_html"]


def _contents(site: Path) -> dict[str, str]:
    """Each item's content in feed.json, by id."""
    return {i["id"]: i["content_html"] for i in json.loads((site / "feed.json").read_bytes())["items"]}


def _without_heading_ids(fragment: str) -> str:
    tree = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for heading in tree.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        heading.attrib.pop("id", None)
    return lxml.html.tostring(tree, encoding="unicode")


def test_content_comes_from_the_built_page_and_equals_the_markdown_of_a_site_without_marks(
        variant: Variant, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(variant.project / "site", site)
    settings = dataclasses.replace(variant.settings, site_dir=site, root=tmp_path)
    write_feeds(settings, published_articles(settings), datetime.now(UTC))
    from_pages = _contents(site)
    for page in site.rglob("index.html"):  # as a site built by a template without the body marks
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("<!-- syndicate:body -->", "").replace("<!-- /syndicate:body -->", ""),
                        encoding="utf-8")
    write_feeds(settings, published_articles(settings), datetime.now(UTC))
    from_markdown = _contents(site)
    tricky = next(key for key in from_pages if key.endswith(":feeds-test-tricky"))
    assert 'id="caring-for-them"' in from_pages[tricky]  # the page's heading ids: read from the page
    assert 'id="caring-for-them"' not in from_markdown[tricky]  # converted here, without the page-only toc
    assert "headerlink" not in from_pages[tricky] and "&para;" not in from_pages[tricky]
    assert from_pages.keys() == from_markdown.keys()
    for key, content in from_pages.items():
        assert _without_heading_ids(content) == _without_heading_ids(from_markdown[key]), key


def test_a_rebuild_without_changes_writes_the_same_bytes(variant: Variant) -> None:
    assert variant.first.keys() == variant.again.keys()
    changed = [name for name in variant.first if variant.first[name] != variant.again[name]]
    assert changed == []


def test_editing_an_article_keeps_its_id(variant: Variant) -> None:
    assert variant.edited["feed.json"] != variant.first["feed.json"]
    assert b"A paragraph added after publication." in variant.edited["feed.json"]
    assert variant.renamed_url_after != variant.renamed_url_before  # a new title moved the URL...
    assert variant.edited_ids == variant.first_ids  # ...and every id stayed


def test_a_renamed_file_keeps_its_id_through_the_ledger(variant: Variant, tmp_path: Path) -> None:
    from syndicate.ledger import Ledger

    settings = dataclasses.replace(variant.settings, root=tmp_path)
    published = published_articles(settings)
    entry = next(p for p in published if p.article.src_uri.endswith("feeds-test-tricky.md"))
    options = feed_options(settings)
    before = article_id(entry, settings, options)
    ledger = Ledger.read(tmp_path / "syndication-ledger.json", writable=True)
    ledger.remember("2026-11-05/braces", src_uri="blog/posts/braces-first-name.md", url=entry.url, title="t")
    ledger.remember("2026-11-05/braces", src_uri=entry.article.src_uri, url=entry.url, title="t")
    ledger.save()
    sources = first_sources(settings, published)
    assert sources == {entry.article.src_uri: "blog/posts/braces-first-name.md"}
    after = article_id(entry, settings, options, first_source=sources[entry.article.src_uri])
    assert before.endswith(":feeds-test-tricky") and after == before.replace("feeds-test-tricky", "braces-first-name")


def test_item_count_and_summary_only_follow_the_settings(variant: Variant, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(variant.project / "site", site)
    syndication = {**variant.settings.syndication, "feeds": {"max_items": 2, "full_content": False,
                                                             "platforms": False}}
    settings = dataclasses.replace(variant.settings, site_dir=site, syndication=syndication)
    shutil.rmtree(site / "feeds", ignore_errors=True)
    written = write_feeds(settings, published_articles(settings), datetime.now(UTC))
    assert not (site / "feeds").exists() and not any("feeds/" in str(p) for p in written)
    rss = lxml.etree.parse(str(site / "feed.xml"))
    assert len(list(rss.iter("item"))) == 2 and not list(rss.iter(CONTENT))
    feed = json.loads((site / "feed.json").read_bytes())
    assert len(feed["items"]) == 2
    assert all("content_html" not in i and i["content_text"] == i["summary"] for i in feed["items"])
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    assert len(atom.entries) == 2 and not any("content" in e for e in atom.entries)


@pytest.mark.parametrize(("block", "line", "message"), [
    ("max_items: twenty", 2, "max_items must be a whole number above 0, not 'twenty'. Write max_items: 20"),
    ("max_items: 0", 2, "max_items must be a whole number above 0, not 0"),
    ("max_items: 5\n      full_content: 'yes'", 3, "full_content must be true or false, not 'yes'"),
    ("max_item: 5", 2, "unknown setting 'max_item' under extra.syndication.feeds. Did you mean 'max_items'?"),
    ("id_host: https://example.org/", 2, "id_host must be a domain name"),
], ids=["words", "zero", "quoted-bool", "typo", "url-as-host"])
def test_wrong_feed_settings_say_where_and_what_to_write(project: Path, block: str, line: int, message: str
                                                         ) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start = text.index("    feeds:")
    end = text.index("\n    ledger:", start)
    config.write_text(text[:start] + "    feeds:\n      " + block + text[end:], encoding="utf-8")
    feeds_line = text[:start].count("\n") + 1
    with pytest.raises(ConfigError) as error:
        feed_options(load_settings(config))
    assert message in str(error.value)
    assert f"mkdocs.yml:{feeds_line + line - 1}: error: " in str(error.value)
