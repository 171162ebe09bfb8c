"""Teasers: what each platform gets for an article, the JSON the build writes, the preview, the commands."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import BIN, copy_project, run
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from strategies import article_urls, teaser_sentences, teaser_tags, teaser_titles

from syndicate.article import Article, Social, load_articles
from syndicate.cli import main
from syndicate.config import PLATFORMS, Settings, load_settings
from syndicate.errors import ConfigError
from syndicate.links import expected_url
from syndicate.platforms import REGISTRY
from syndicate.platforms.compose import measure
from syndicate.site import read_site
from syndicate.teasers import Planned, check_overrides, render_teasers
from syndicate.text import count

URL = "https://www.maplegrove.com/blog/2026/11/02/floss-once-a-day/"
SYNDICATION = {
    "utm_campaign": "blog",
    "utm": True,
    "hashtags_max": 3,
    "platforms": {name: {} for name in PLATFORMS},
}
HANDLES = {"x": "MapleGroveDental", "bluesky": "maplegrovedental.example",
           "mastodon": "@maplegrove@health.social.example", "instagram": "maplegrovedental",
           "linkedin": "maple-grove-family-dental", "facebook": "maplegrovedental"}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The sample practice's settings with syndication pinned (every platform on, the sample's handles)."""
    loaded = load_settings(copy_project(tmp_path_factory.mktemp("teasers") / "practice") / "mkdocs.yml")
    return dataclasses.replace(loaded, syndication=SYNDICATION,
                               practice=dataclasses.replace(loaded.practice, handles=HANDLES))


def configured(settings: Settings, platforms: dict[str, Any] | None = None, **syndication: Any) -> Settings:
    """``settings`` with other syndication settings (platform blocks merged over every platform on)."""
    blocks = {name: {} for name in PLATFORMS} | (platforms or {})
    return dataclasses.replace(settings, syndication={**SYNDICATION, **syndication, "platforms": blocks})


def article(settings: Settings, **changes: Any) -> Article:
    """A post as ``load_article`` would make it (built directly: these tests are about teasers)."""
    base = Article(
        source=settings.posts_dir / "floss-once-a-day.md",
        src_uri="blog/posts/floss-once-a-day.md",
        title="Floss once a day",
        description="How to clean between your teeth, and why it matters.",
        date=datetime(2026, 11, 2, tzinfo=settings.practice.timezone),
        authors=("drlee",),
        tags=("flossing", "gum health"),
        image="blog/images/flossing-and-interdental-cleaning.jpg",
        image_alt="A hand holding dental floss",
        language="en",
        lines={"title": 2, "social": 10, "social.x": 11, "social.instagram": 12, "social.bluesky": 13},
    )
    return dataclasses.replace(base, **changes)


def teasers_for(settings: Settings, **changes: Any) -> dict[str, Any]:
    return render_teasers(Planned(article=article(settings, **changes), url=URL), settings)  # type: ignore[arg-type]


def utm(platform: str) -> str:
    return f"{URL}?utm_source={platform}&utm_medium=social&utm_campaign=blog"


LEAD = "Floss once a day\n\nHow to clean between your teeth, and why it matters."
DEFAULT_TEXTS = [
    pytest.param("x", f"{LEAD}\n\n#Flossing #GumHealth\n{utm('x')}", id="x"),
    pytest.param("bluesky", f"{LEAD}\n\n#Flossing #GumHealth\n{utm('bluesky')}", id="bluesky"),
    pytest.param("mastodon", f"{LEAD}\n\n{utm('mastodon')}\n\n#Flossing #GumHealth", id="mastodon-tags-last"),
    pytest.param("threads", f"{LEAD}\n\n#Flossing\n{utm('threads')}", id="threads-one-topic-tag"),
    pytest.param("linkedin", f"{LEAD}\n\n#Flossing #GumHealth", id="linkedin-link-in-card"),
    pytest.param("facebook", f"{LEAD}\n\n#Flossing #GumHealth", id="facebook-link-in-card"),
    pytest.param("instagram", f"{LEAD}\n\nRead the full article: link in bio (@maplegrovedental).\n\n"
                              "#Flossing #GumHealth", id="instagram-link-in-bio"),
    pytest.param("pinterest", "How to clean between your teeth, and why it matters.", id="pinterest-description"),
    pytest.param("google_business", LEAD, id="google-business-summary"),
]


@pytest.mark.parametrize(("platform", "expected"), DEFAULT_TEXTS)
def test_each_platform_gets_its_own_default_teaser(settings: Settings, platform: str, expected: str) -> None:
    teaser = teasers_for(settings)[platform]
    assert teaser.text == expected
    assert teaser.length == count(platform, expected, settings)
    assert teaser.ok
    assert teaser.url == utm(platform)
    assert teaser.image_url == settings.site_url + "blog/images/flossing-and-interdental-cleaning.jpg"
    assert teaser.image_alt == "A hand holding dental floss"


def test_platform_fields_carry_what_each_api_needs(settings: Settings) -> None:
    teasers = teasers_for(settings)
    assert teasers["linkedin"].fields == {
        "commentary": "Floss once a day\n\nHow to clean between your teeth, and why it matters.\n\n"
                      "{hashtag|\\#|Flossing} {hashtag|\\#|GumHealth}",
        "article": {"source": utm("linkedin"), "title": "Floss once a day",
                    "description": "How to clean between your teeth, and why it matters.",
                    "thumbnail": teasers["linkedin"].image_url},
    }
    assert teasers["facebook"].fields == {"link": utm("facebook")}
    assert teasers["threads"].fields == {"link_attachment": utm("threads")}
    assert teasers["pinterest"].fields == {
        "title": "Floss once a day", "description": teasers["pinterest"].text,
        "alt_text": "A hand holding dental floss", "link": utm("pinterest"), "image_required": True}
    assert teasers["google_business"].fields["call_to_action"] == {"action_type": "LEARN_MORE",
                                                                  "url": utm("google_business")}
    assert teasers["bluesky"].fields["card"]["uri"] == utm("bluesky")
    assert teasers["instagram"].fields["image_required"] is True


# An article that breaks naive counting, for every platform: it must still fit as the platform counts it.
TRICKY = {
    "emoji": dict(title="Family brushing night 👨\u200d👩\u200d👧\u200d👦🇺🇸👍🏽",
                  description="Make brushing a family habit 🪥 " * 12),
    "cjk": dict(title="歯科検診のすすめ", tags=("歯科", "予防"),
                description="定期的な歯科検診は、虫歯や歯周病を早く見つけるために大切です。" * 6),
    "rtl": dict(title="בריאות השן", description="צחצוח שיניים פעמיים ביום עם משחה עם פלואוריד " * 8),
    "combining": dict(title="Cafe\u0301 and teeth",
                      description="Cre\u0300me bru\u0302le\u0301e and your enamel. " * 20),
}


@pytest.mark.parametrize("platform", PLATFORMS)
@pytest.mark.parametrize("kind", list(TRICKY))
def test_tricky_text_fits_every_platform_as_it_counts(settings: Settings, platform: str, kind: str) -> None:
    teaser = teasers_for(settings, **TRICKY[kind])[platform]
    assert measure(REGISTRY[platform].SPEC, teaser.text, settings).ok, teaser.text
    assert teaser.length == count(platform, teaser.text, settings) <= teaser.limit
    if REGISTRY[platform].SPEC.link_in_text:
        assert utm(platform) in teaser.text
    assert "\ufffd" not in teaser.text


def test_a_long_unicode_link_still_fits_and_stays_whole(settings: Settings) -> None:
    long_url = "https://例え.jp/ブログ/" + "歯" * 60 + "/"
    planned = Planned(article=article(settings, description="Long words here " * 30), url=long_url)
    for name, teaser in render_teasers(planned, settings).items():  # type: ignore[arg-type]
        assert measure(REGISTRY[name].SPEC, teaser.text, settings).ok, name
        if REGISTRY[name].SPEC.link_in_text:
            assert teaser.url in teaser.text and teaser.url.startswith(long_url)


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=teaser_titles, description=teaser_sentences, tags=teaser_tags, url=article_urls)
def test_every_rendered_teaser_fits_and_links_to_the_article(settings: Settings, title: str, description: str,
                                                            tags: list[str], url: str) -> None:
    planned = Planned(article=article(settings, title=title, description=description, tags=tuple(tags)), url=url)
    for name, teaser in render_teasers(planned, settings).items():  # type: ignore[arg-type]
        spec = REGISTRY[name].SPEC
        assert measure(spec, teaser.text, settings).ok, (name, teaser.text)
        assert teaser.length == count(name, teaser.text, settings) <= teaser.limit
        assert teaser.url.startswith(url + "?utm_source=" + name + "&")
        if spec.link_in_text:
            assert teaser.url in teaser.text, (name, teaser.text)
        else:
            assert teaser.url not in teaser.text
            linked = json.dumps(teaser.fields, ensure_ascii=False)
            assert teaser.url in linked or name == "instagram", name  # the card, button or pin carries it


# -- hashtags, handles, links -------------------------------------------------------


def test_tags_become_camel_case_hashtags_without_repeats_or_numbers(settings: Settings) -> None:
    teaser = teasers_for(settings, tags=("root canal", "children's teeth", "Root Canal", "2026", "x-ray"))["x"]
    assert "#RootCanal #ChildrensTeeth #XRay\n" in teaser.text


def test_social_hashtags_replace_the_tags_and_hashtags_max_caps_them(settings: Settings) -> None:
    teaser = teasers_for(settings, social=Social(hashtags=("DentalHealth", "#Kids", "Smiles", "More")))["x"]
    assert "#DentalHealth #Kids #Smiles\n" in teaser.text
    capped = render_teasers(Planned(article=article(settings), url=URL),  # type: ignore[arg-type]
                            configured(settings, hashtags_max=1))["x"]
    assert "\n#Flossing\n" in capped.text and "#GumHealth" not in capped.text


def test_utm_can_be_switched_off_everywhere_or_for_one_platform(settings: Settings) -> None:
    off = render_teasers(Planned(article=article(settings), url=URL), configured(settings, utm=False))  # type: ignore[arg-type]
    assert {t.url for t in off.values()} == {URL}
    one = render_teasers(Planned(article=article(settings), url=URL),  # type: ignore[arg-type]
                         configured(settings, {"x": {"utm": False}}))
    assert one["x"].url == URL and one["x"].text.endswith("\n" + URL)
    assert one["bluesky"].url == utm("bluesky")


def test_only_enabled_platforms_and_not_the_skipped_ones(settings: Settings) -> None:
    chosen = configured(settings)
    chosen = dataclasses.replace(chosen, syndication={**chosen.syndication, "platforms": {
        "x": {}, "mastodon": {}, "pinterest": {}, "linkedin": {"enabled": False}}})
    teasers = render_teasers(Planned(article=article(settings, social=Social(skip=frozenset({"pinterest"}))),
                                     url=URL), chosen)  # type: ignore[arg-type]
    assert list(teasers) == ["x", "mastodon"]


def test_mastodon_limit_follows_the_instance_setting(settings: Settings) -> None:
    teaser = render_teasers(Planned(article=article(settings), url=URL),  # type: ignore[arg-type]
                            configured(settings, {"mastodon": {"max_characters": 11000}}))["mastodon"]
    assert teaser.limit == 11000


def test_google_business_button_books_calls_or_refuses_an_unknown_action(settings: Settings) -> None:
    planned = Planned(article=article(settings), url=URL)
    book = render_teasers(planned, configured(settings, {"google_business": {"call_to_action": "BOOK"}}))  # type: ignore[arg-type]
    assert book["google_business"].fields["call_to_action"] == {
        "action_type": "BOOK", "url": settings.practice.booking_url}
    call = render_teasers(planned, configured(settings, {"google_business": {"call_to_action": "call"}}))  # type: ignore[arg-type]
    assert call["google_business"].fields["call_to_action"] == {"action_type": "CALL"}
    with pytest.raises(ConfigError, match="unknown call_to_action 'SIGN_UP'.*LEARN_MORE"):
        render_teasers(planned, configured(settings, {"google_business": {"call_to_action": "SIGN_UP"}}))  # type: ignore[arg-type]


def test_pinterest_title_is_cut_to_100_at_a_word(settings: Settings) -> None:
    title = "Everything you always wanted to know about flossing, interdental brushes, water flossers and picks"
    title += " explained"
    fields = teasers_for(settings, title=title)["pinterest"].fields
    assert len(title) > 100 and len(fields["title"]) <= 100
    assert fields["title"] == ("Everything you always wanted to know about flossing, interdental brushes, "
                               "water flossers and picks\u2026")


# -- templates and overrides -----------------------------------------------------------


def test_a_practice_template_shapes_the_teaser(settings: Settings) -> None:
    template = "New from {{ practice }}: {{ title }} {{ url }} {{ hashtags }}"
    teaser = render_teasers(Planned(article=article(settings), url=URL),  # type: ignore[arg-type]
                            configured(settings, {"x": {"template": template}}))["x"]
    assert teaser.text == f"New from {settings.practice.name}: Floss once a day {utm('x')} #Flossing #GumHealth"


def test_a_template_without_the_link_still_gets_it(settings: Settings) -> None:
    teaser = render_teasers(Planned(article=article(settings), url=URL),  # type: ignore[arg-type]
                            configured(settings, {"bluesky": {"template": "{{ title }}"}}))["bluesky"]
    assert teaser.text == f"Floss once a day\n\n{utm('bluesky')}"


def test_a_template_that_does_not_fit_is_cut_like_the_default(settings: Settings) -> None:
    template = "{{ title }} — {{ description }} {{ hashtags }} {{ url }}"
    planned = Planned(article=article(settings, description="Plaque hides between teeth. " * 30), url=URL)
    teaser = render_teasers(planned, configured(settings, {"x": {"template": template}}))["x"]  # type: ignore[arg-type]
    assert teaser.ok and "#" not in teaser.text and teaser.text.endswith(utm("x"))


def test_a_misspelt_template_variable_is_a_config_error_with_a_suggestion(settings: Settings, tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Demo\nsite_url: https://demo.example/\nextra:\n  syndication:\n    platforms:\n"
                      "      x:\n        template: '{{ titel }} {{ url }}'\n", encoding="utf-8")
    broken = dataclasses.replace(configured(settings, {"x": {"template": "{{ titel }} {{ url }}"}}), config_path=config)
    with pytest.raises(ConfigError) as caught:
        render_teasers(Planned(article=article(settings), url=URL), broken)  # type: ignore[arg-type]
    assert str(caught.value).startswith(f"{config}:7: error: extra.syndication.platforms.x.template uses 'titel', "
                                        "which is not a teaser variable. Did you mean 'title'?")


def test_a_template_that_does_not_parse_is_a_config_error(settings: Settings) -> None:
    broken = configured(settings, {"x": {"template": "{{ title }"}})
    with pytest.raises(ConfigError, match="does not read as a template.*double braces"):
        render_teasers(Planned(article=article(settings), url=URL), broken)  # type: ignore[arg-type]


def test_an_override_gets_the_link_and_the_hashtags_that_fit_never_twice(settings: Settings) -> None:
    own = "Flossing takes a minute a day. Your #GumHealth will thank you."
    teasers = teasers_for(settings, social=Social(texts={"x": own, "instagram": own, "linkedin": own}))
    assert teasers["x"].text == f"{own}\n\n#Flossing\n{utm('x')}"
    assert teasers["instagram"].text == f"{own}\n\nRead the full article: link in bio (@maplegrovedental).\n\n#Flossing"
    assert teasers["linkedin"].text == f"{own}\n\n#Flossing"
    assert teasers["bluesky"].text.startswith(LEAD)  # other platforms keep their default


def test_an_override_is_never_cut_only_its_hashtags_go(settings: Settings) -> None:
    own = "Plaque hardens into tartar within days. " * 6 + "Clean daily."  # 252: no room for a hashtag on X
    teaser = teasers_for(settings, social=Social(texts={"x": own.strip()}))["x"]
    assert teaser.text == f"{own.strip()}\n\n{utm('x')}"
    assert teaser.ok


def test_overrides_that_do_not_fit_are_errors_at_their_line(settings: Settings) -> None:
    too_long = "Plaque hardens into tartar within days, so clean between your teeth daily. " * 4
    tags = " ".join(f"#Tag{chr(97 + i)}" for i in range(31))
    problems = check_overrides(article(settings, social=Social(texts={
        "x": too_long.strip(), "instagram": tags, "bluesky": "Fine and short."})), settings, url=URL)
    assert [(p.line, p.severity, p.code) for p in problems] == [(11, "error", "teaser-too-long"),
                                                                (12, "error", "teaser-too-long")]
    x, instagram = problems
    x_length = count("x", f"{too_long.strip()}\n\n{utm('x')}")
    assert x.message == (f"the X text in social.x does not fit with the link: {x_length} of 280 weighted characters "
                         f"({x_length - 280} too many)")
    assert x.hint == (f"Shorten it by at least {x_length - 280} weighted characters, or delete 'social.x' to use "
                      "the automatic teaser, which is cut to fit")
    assert instagram.message.startswith("the Instagram text in social.instagram does not fit with the 'link in bio' "
                                        "line: 31 hashtags, at most 30 allowed")
    assert x.format().startswith(f"{settings.posts_dir / 'floss-once-a-day.md'}:11:1: error: the X text")


def test_overrides_for_skipped_or_disabled_platforms_are_not_checked(settings: Settings) -> None:
    too_long = "word " * 400
    social = Social(texts={"x": too_long, "bluesky": too_long}, skip=frozenset({"x"}))
    only_x = configured(settings)
    only_x = dataclasses.replace(only_x, syndication={**only_x.syndication, "platforms": {"x": {}}})
    assert check_overrides(article(settings, social=social), only_x, url=URL) == []


def test_the_expected_url_is_the_one_the_blog_plugin_gives(built_project: Path) -> None:
    settings = load_settings(built_project / "mkdocs.yml")
    pages = read_site(settings)
    articles = [a for a in load_articles(settings) if a.src_uri in pages]
    assert articles
    for item in articles:
        assert expected_url(item, settings) == pages[item.src_uri].url


# -- the build: JSON and preview -------------------------------------------------------

ARTICLE_KEYS = {"source", "src_uri", "slug", "url", "title", "description", "date", "image", "image_alt",
                "image_path", "platforms"}
PLATFORM_KEYS = {"text", "length", "limit", "ok", "url", "image", "image_alt", "fields"}


def test_index_json_lists_every_built_article_newest_first(built_project: Path, built_site: Path) -> None:
    settings = load_settings(built_project / "mkdocs.yml")
    pages = read_site(settings)
    index = json.loads((built_site / "syndication" / "index.json").read_text(encoding="utf-8"))
    assert set(index) == {"site_url", "articles"}
    assert index["site_url"] == settings.site_url
    articles = index["articles"]
    assert {a["src_uri"] for a in articles} == set(pages)
    dates = [datetime.fromisoformat(a["date"]) for a in articles]
    assert dates == sorted(dates, reverse=True) and all(d.tzinfo for d in dates)
    for entry in articles:
        assert set(entry) == ARTICLE_KEYS
        assert entry["url"] == pages[entry["src_uri"]].url  # the built site's canonical URL
        assert (built_project / entry["source"]).is_file()
        assert entry["image_path"] is None or (built_project / entry["image_path"]).is_file()
        assert set(entry["platforms"]) == set(settings.enabled_platforms) - set(_skipped(built_project, entry))
        for name, teaser in entry["platforms"].items():
            assert set(teaser) == PLATFORM_KEYS
            assert teaser["url"].startswith(entry["url"] + "?utm_source=" + name + "&")
            assert teaser["ok"], (entry["slug"], name, teaser["text"])
            assert teaser["length"] == count(name, teaser["text"], settings) <= teaser["limit"]
            if REGISTRY[name].SPEC.link_in_text:
                assert teaser["url"] in teaser["text"]
        per_article = json.loads((built_site / "syndication" / f"{entry['slug']}.json").read_text(encoding="utf-8"))
        assert per_article == entry


def _skipped(project: Path, entry: dict[str, Any]) -> list[str]:
    settings = load_settings(project / "mkdocs.yml")
    return [a for a in load_articles(settings) if a.src_uri == entry["src_uri"]][0].social.skip  # type: ignore[return-value]


def test_the_sample_teasers_read_well(built_site: Path) -> None:
    index = json.loads((built_site / "syndication" / "index.json").read_text(encoding="utf-8"))
    for entry in index["articles"]:
        for name, teaser in entry["platforms"].items():
            text = teaser["text"]
            assert "  " not in text and "\n\n\n" not in text and text == text.strip(), (name, text)
            tags = re.findall(r"#\w+", text)
            assert len(tags) == len({t.casefold() for t in tags}), (name, text)  # no hashtag twice
            assert not re.search(r"\S(https?://)", text), (name, text)  # a space or line before every link
            assert not re.search(r"\b(?:the|a|an|to|of|and|or|for)\u2026", text), (name, text)


def test_a_rebuild_writes_the_same_bytes(built_site: Path, tmp_path: Path) -> None:
    again = copy_project(tmp_path / "again")
    run(BIN / "mkdocs", "build", "--strict", "--quiet", cwd=again)
    run(BIN / "syndicate", "build", "--only", "teasers", cwd=again)
    first = sorted(p.name for p in (built_site / "syndication").iterdir())
    second = sorted(p.name for p in (again / "site" / "syndication").iterdir())
    assert first == second and "index.json" in first and "preview.html" in first
    for name in first:
        assert (again / "site" / "syndication" / name).read_bytes() == \
            (built_site / "syndication" / name).read_bytes(), name


def test_preview_html_is_self_contained_and_not_in_the_site_navigation(built_site: Path) -> None:
    page = (built_site / "syndication" / "preview.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<link" not in page and "@import" not in page and "url(" not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    for source in re.findall(r'src="([^"]+)"', page):
        assert not source.startswith(("http:", "https:", "//")), source
        assert (built_site / "syndication" / html.unescape(source)).resolve().is_file(), source
    index = json.loads((built_site / "syndication" / "index.json").read_text(encoding="utf-8"))
    for entry in index["articles"]:
        assert f'id="{html.escape(entry["slug"])}"' in page
        assert page.count(f'<section class="article" id="{html.escape(entry["slug"])}"') == 1
    assert page.count('<article class="card net-') == sum(len(e["platforms"]) for e in index["articles"])
    for built in built_site.rglob("*.html"):
        if built.parent.name != "syndication":
            assert "syndication/preview.html" not in built.read_text(encoding="utf-8"), built


def test_preview_html_flags_a_teaser_over_its_limit(built_project: Path, tmp_path: Path) -> None:
    project = tmp_path / "copy"
    shutil.copytree(built_project, project)
    post = project / "content" / "blog" / "posts" / "dry-mouth.md"
    long_text = "Plaque hardens into tartar within days, so clean between your teeth daily. " * 5
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("\ntags:", f"\nsocial:\n  x: \"{long_text.strip()}\"\ntags:", 1), encoding="utf-8")
    run(BIN / "syndicate", "build", "--only", "teasers", cwd=project)
    page = (project / "site" / "syndication" / "preview.html").read_text(encoding="utf-8")
    assert "1 teaser would be refused" in page
    assert re.search(r'<article class="card net-x over"', page)
    assert re.search(r"over by \d+", page)


# -- commands ---------------------------------------------------------------------------


def _invoke(project: Path, *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, ["-f", str(project / "mkdocs.yml"), *args], input=stdin)


def test_preview_json_has_the_documented_shape(built_project: Path) -> None:
    result = _invoke(built_project, "preview", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    entries = json.loads(result.stdout)
    index = json.loads((built_project / "site" / "syndication" / "index.json").read_text(encoding="utf-8"))
    assert [e["source"] for e in entries] == [a["source"] for a in index["articles"]]
    for entry, built in zip(entries, index["articles"], strict=True):
        assert set(entry) == {"source", "url", "platforms"} and entry["url"] == built["url"]
        for name, teaser in entry["platforms"].items():
            assert teaser == {key: built["platforms"][name][key] for key in ("text", "length", "limit", "ok")}


def test_preview_one_article_one_platform_as_text(built_project: Path) -> None:
    index = json.loads((built_project / "site" / "syndication" / "index.json").read_text(encoding="utf-8"))
    entry = index["articles"][0]
    result = _invoke(built_project, "preview", str(built_project / entry["source"]), "--platform", "x")
    assert result.exit_code == 0 and result.stderr == ""
    teaser = entry["platforms"]["x"]
    lines = result.stdout.splitlines()
    assert lines[:3] == [entry["title"], entry["url"], f"  X: {teaser['length']}/280 weighted characters  ok"]
    assert lines[3:-1] == [f"    | {line}" if line else "    |" for line in teaser["text"].split("\n")]
    assert "Bluesky" not in result.stdout


def test_preview_flags_an_override_that_is_too_long_and_fails(project: Path) -> None:
    post = project / "content" / "blog" / "posts" / "dry-mouth.md"
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("\ntags:", "\nsocial:\n  x: \"" + "Sip water often. " * 30 + "\"\ntags:", 1),
                    encoding="utf-8")
    run(BIN / "mkdocs", "build", "--strict", "--quiet", cwd=project)
    result = _invoke(project, "preview", str(post), "--platform", "x")
    assert result.exit_code == 1
    assert "weighted characters  OVER" in result.stdout
    assert result.stderr == ("1 teaser would be refused: shorten the social: texts marked OVER, or run "
                             "'syndicate check' for where.\n")


def test_preview_before_a_build_says_to_build(project: Path) -> None:
    result = _invoke(project, "preview")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "has not been built" in result.stderr and "Run scripts/build" in result.stderr
    assert "Traceback" not in result.stderr


def test_preview_of_a_post_the_site_does_not_have_says_why(built_project: Path, tmp_path: Path) -> None:
    project = tmp_path / "copy"
    shutil.copytree(built_project, project)
    draft = project / "content" / "blog" / "posts" / "new-draft.md"
    draft.write_text("---\ntitle: A new draft\ndescription: Not built yet.\ndate: 2026-11-20\nauthors: [drlee]\n"
                     "categories: [Preventive care]\n---\n\nText.\n", encoding="utf-8")
    result = _invoke(project, "preview", str(draft))
    assert result.exit_code == 1 and result.stdout == ""
    assert "new-draft.md is not in the built site" in result.stderr and "Run scripts/build" in result.stderr


def test_count_shows_every_platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no mkdocs.yml here: the platforms' own limits apply
    result = CliRunner().invoke(main, ["count", "Hi 👋🏽 日本語"])
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == len(PLATFORMS)
    assert re.fullmatch(r"X\s+12 / 280\s+weighted characters  ok", lines[0])
    assert re.fullmatch(r"Threads\s+15 / 500\s+characters  ok", lines[3])


def test_count_json_and_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["count", "--json", "-"], input="👨\u200d👩\u200d👧\u200d👦 family\n")
    assert result.exit_code == 0 and result.stderr == ""
    counted = json.loads(result.stdout)
    assert list(counted) == list(PLATFORMS)
    assert counted["x"] == {"length": 9, "limit": 280, "ok": True}
    assert counted["bluesky"] == {"length": 8, "limit": 300, "ok": True}  # the trailing newline is not counted
    assert counted["threads"] == {"length": 32, "limit": 500, "ok": True}


def test_count_fails_when_the_text_does_not_fit(built_project: Path) -> None:
    result = _invoke(built_project, "count", "--platform", "x", "--json", "日本語" * 50)
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"x": {"length": 300, "limit": 280, "ok": False}}
    result = _invoke(built_project, "count", "--platform", "bluesky", "日本語" * 50)
    assert result.exit_code == 0
    assert re.fullmatch(r"Bluesky\s+150 / 300\s+characters  ok\n", result.stdout)


NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _published(settings: Settings, slug: str, day: int) -> Any:
    from syndicate.build import Published
    from syndicate.site import SitePage

    item = article(settings, source=settings.posts_dir / f"{slug}-{day}.md", src_uri=f"blog/posts/{slug}-{day}.md",
                   date=datetime(2026, 11, day, tzinfo=settings.practice.timezone))
    url = f"{settings.site_url}blog/2026/11/{day:02d}/{slug}/"
    return Published(article=item, page=SitePage(src_uri=item.src_uri, url=url, path=settings.site_dir / "x.html"))


def test_two_articles_with_one_slug_are_an_error_not_an_overwrite(settings: Settings, tmp_path: Path) -> None:
    from syndicate.errors import ContentError
    from syndicate.teasers import build_step

    here = dataclasses.replace(settings, site_dir=tmp_path / "site")
    with pytest.raises(ContentError) as caught:
        build_step(here, [_published(here, "flu-shots", 2), _published(here, "flu-shots", 9)], NOW)
    assert "the same slug 'flu-shots'" in str(caught.value) and "slug: …" in str(caught.value)
    assert not (tmp_path / "site" / "syndication").exists()


def test_a_rebuild_removes_the_files_of_articles_gone_from_the_site(settings: Settings, tmp_path: Path) -> None:
    from syndicate.teasers import build_step

    here = dataclasses.replace(settings, site_dir=tmp_path / "site")
    build_step(here, [_published(here, "flossing", 2), _published(here, "sealants", 3)], NOW)
    build_step(here, [_published(here, "flossing", 2)], NOW)
    assert sorted(p.name for p in (tmp_path / "site" / "syndication").iterdir()) == [
        "flossing.json", "index.json", "preview.html"]


@pytest.mark.parametrize("platform", PLATFORMS)
@hypothesis_settings(max_examples=30, deadline=None)
@given(value=teaser_sentences)
def test_templates_filled_without_jinja_read_as_jinja_renders_them(platform: str, value: str) -> None:
    """Built-in templates of text and placeholders are filled in directly; Jinja would give the same text."""
    from syndicate.platforms import compose

    spec = REGISTRY[platform].SPEC
    for source in (spec.template, spec.override_template, "{{ title }}\n", "{{ title }}{{ url }}\n\n"):
        values = {name: f"{name}:{value}" for name in compose.VARIABLES}
        plain = compose._render_plain(source, values)
        if plain is not None:
            assert plain == compose._env().from_string(source).render(values)
    assert compose._render_plain(spec.template, {}) is None  # a value it lacks: Jinja decides (and refuses)
