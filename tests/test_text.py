"""Counting as each platform counts, and cutting that never breaks a word, link, hashtag or grapheme."""

from __future__ import annotations

import unicodedata
import warnings

import pytest
import regex
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import article_urls, teaser_sentences, teaser_tags, teaser_titles

from syndicate import text as textlib
from syndicate.config import PLATFORMS
from syndicate.platforms import REGISTRY
from syndicate.platforms.compose import measure
from syndicate.text import ELLIPSIS, count, cut_points, fit, little_text, shorten, shortenings, tidy

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # 7 code points, 25 UTF-8 bytes, one grapheme
FLAG = "🇺🇸"  # two regional indicators
THUMB = "👍🏽"  # skin tone modifier
HEART = "❤\ufe0f"  # variation selector
KEYCAP = "1\ufe0f\u20e3"
LONG_URL = "https://www.example.com/" + "a" * 100  # 124 characters
IDN_URL = "https://例え.jp/パス"  # 16 characters

# text, then its length on: x, bluesky, mastodon, threads, linkedin, and the four that count characters
# (facebook, instagram, pinterest, google_business). Worked out by hand from each platform's rules.
COUNTS = [
    pytest.param("Hello", 5, 5, 5, 5, 5, 5, id="ascii"),
    pytest.param(FAMILY, 2, 1, 1, 25, 7, 7, id="zwj-family"),
    pytest.param(FLAG, 2, 1, 1, 8, 2, 2, id="flag"),
    pytest.param(THUMB, 2, 1, 1, 8, 2, 2, id="skin-tone"),
    pytest.param(HEART, 2, 1, 1, 6, 2, 2, id="heart-with-variation-selector"),
    pytest.param(KEYCAP, 2, 1, 1, 7, 3, 3, id="keycap"),
    pytest.param("日本語", 6, 3, 3, 3, 3, 3, id="cjk"),
    pytest.param("שלום", 4, 4, 4, 4, 4, 4, id="rtl-hebrew"),
    pytest.param("مرحبا", 5, 5, 5, 5, 5, 5, id="rtl-arabic"),
    # X normalises to NFC first (one é); Bluesky and Mastodon see one grapheme; the rest two code points.
    pytest.param("e\u0301", 1, 1, 1, 2, 2, 2, id="combining-mark"),
    pytest.param(LONG_URL, 23, 124, 23, 124, 124, 124, id="long-url"),
    # X's link rules stop at the katakana path (23 + 2 characters of weight 2); Mastodon's take it whole.
    pytest.param(IDN_URL, 27, 16, 23, 16, 16, 16, id="idn-url"),
    # Mastodon counts a remote mention as its local part; LinkedIn escapes both "@".
    pytest.param("@maplegrove@health.social.example", 33, 33, 11, 33, 35, 33, id="remote-mention"),
    pytest.param("Brush (twice) a day_", 20, 20, 20, 20, 23, 20, id="linkedin-reserved-characters"),
    pytest.param("#OralHealth", 11, 11, 11, 11, 23, 11, id="hashtag"),
    pytest.param("Hi 👋🏽 日本語 https://example.com/x", 36, 30, 32, 37, 31, 31, id="mixed"),
]


@pytest.mark.parametrize(("text", "x", "bluesky", "mastodon", "threads", "linkedin", "characters"), COUNTS)
def test_each_platform_counts_as_it_does(text: str, x: int, bluesky: int, mastodon: int, threads: int,
                                         linkedin: int, characters: int) -> None:
    expected = {"x": x, "bluesky": bluesky, "mastodon": mastodon, "threads": threads, "linkedin": linkedin,
                "facebook": characters, "instagram": characters, "pinterest": characters,
                "google_business": characters}
    assert {name: count(name, text) for name in PLATFORMS} == expected


def test_counting_an_unknown_platform_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown platform 'myspace'"):
        count("myspace", "hello")


def test_bluesky_refuses_300_graphemes_that_take_more_than_3000_bytes() -> None:
    text = FAMILY * 300
    checked = measure(REGISTRY["bluesky"].SPEC, text)
    assert checked.length == 300
    assert not checked.ok
    assert checked.problems == ("7500 of 3000 bytes (4500 too many)",)


def test_instagram_refuses_a_31st_hashtag_and_threads_a_6th_link() -> None:
    tags = " ".join(f"#Tag{chr(97 + i)}" for i in range(31))
    assert measure(REGISTRY["instagram"].SPEC, tags).problems == ("31 hashtags, at most 30 allowed",)
    links = " ".join(f"https://example.com/{i}" for i in range(6))
    assert measure(REGISTRY["threads"].SPEC, links).problems == ("6 links, at most 5 allowed",)
    assert measure(REGISTRY["threads"].SPEC, " ".join(f"https://example.com/{i}" for i in range(5))).ok


def test_little_text_escapes_every_reserved_character_and_keeps_hashtags_linked() -> None:
    assert little_text("a|b{c}d@e[f]g(h)i<j>k\\l*m_n~o") == "a\\|b\\{c\\}d\\@e\\[f\\]g\\(h\\)i\\<j\\>k\\\\l\\*m\\_n\\~o"
    assert little_text("Floss daily #OralHealth, #日本") == "Floss daily {hashtag|\\#|OralHealth}, {hashtag|\\#|日本}"
    assert little_text("Issue #2 stays text") == "Issue \\#2 stays text"  # digits only: not a hashtag


# -- cutting ------------------------------------------------------------------------

CUTS = [
    pytest.param("How to choose", [3, 6], id="words"),
    pytest.param("see https://a.com/x y", [3, 19], id="never-inside-a-link"),
    pytest.param("日本語です", [1, 2, 3, 4], id="cjk-between-characters"),
    pytest.param("日本。です", [1, 3, 4], id="cjk-never-before-a-full-stop"),
    pytest.param("#日本語タグ です", [6, 8], id="never-inside-a-cjk-hashtag"),
    pytest.param(f"a {FAMILY} b", [1, 9], id="never-inside-an-emoji"),
    pytest.param("e\u0301te\u0301 ok", [5], id="never-before-a-combining-mark"),
    pytest.param("שלום עולם טוב", [4, 9], id="rtl"),
]


@pytest.mark.parametrize(("text", "points"), CUTS)
def test_cut_points_fall_between_words(text: str, points: list[int]) -> None:
    assert cut_points(text) == points


SHORTENINGS = [
    pytest.param("How to choose, and care", 13, "How to choose\u2026", id="dangling-comma-goes"),
    pytest.param("Brush twice. Floss once.", 12, "Brush twice.", id="sentence-end-needs-no-ellipsis"),
    pytest.param("日本語の文章です。とても", 9, "日本語の文章です。", id="cjk-sentence-end"),
    pytest.param("Caf\u00e9 au lait (with milk)", 13, "Caf\u00e9 au lait\u2026", id="open-parenthesis-goes"),
]


@pytest.mark.parametrize(("text", "at", "expected"), SHORTENINGS)
def test_a_cut_ends_cleanly(text: str, at: int, expected: str) -> None:
    assert shorten(text, at) == expected


def _make(kept: int, description: str, title: str, *, tags: tuple[str, ...] = ("Floss", "Gums"),
          url: str = "https://maplegrove.com/blog/floss/") -> str:
    return tidy(f"{title}\n\n{description}\n\n{' '.join('#' + t for t in tags[:kept])}\n{url}")


def test_hashtags_go_before_the_description_is_cut() -> None:
    description = "Clean between your teeth once a day with floss or small brushes."
    full = _make(2, description, "Floss")
    one_tag = _make(1, description, "Floss")
    fitted = fit(_make, lambda t: len(t) <= len(one_tag), hashtags=2, description=description, title="Floss")
    assert (fitted.text, fitted.hashtags, fitted.description_cut) == (one_tag, 1, False)
    assert len(full) > len(one_tag)


def test_the_description_is_cut_at_a_word_with_an_ellipsis_and_the_link_survives() -> None:
    description = "Clean between your teeth once a day with floss or small brushes, gently."
    limit = len(_make(0, "Clean between your teeth once a day with floss", "Floss")) + 3
    fitted = fit(_make, lambda t: len(t) <= limit, hashtags=2, description=description, title="Floss")
    assert fitted.text == _make(0, "Clean between your teeth once a day with floss\u2026", "Floss")
    assert fitted.description_cut and fitted.hashtags == 0


def test_a_cut_prefers_not_to_end_on_a_little_word() -> None:
    description = "Which sports call for a mouthguard, the three kinds to choose from and more."
    limit = len(_make(0, "Which sports call for a mouthguard, the three kinds to\u2026", "Guards"))
    fitted = fit(_make, lambda t: len(t) <= limit, hashtags=0, description=description, title="Guards",
                 language="en")
    assert fitted.text == _make(0, "Which sports call for a mouthguard, the three kinds\u2026", "Guards")


def test_a_cut_prefers_a_clause_when_it_costs_little() -> None:
    description = "Sealants are thin coatings on back teeth, painted on in minutes without drilling at all."
    limit = len(_make(0, "Sealants are thin coatings on back teeth, painted on\u2026", "Sealants"))
    fitted = fit(_make, lambda t: len(t) <= limit, hashtags=0, description=description, title="Sealants")
    assert fitted.text == _make(0, "Sealants are thin coatings on back teeth\u2026", "Sealants")


def test_a_stub_of_a_description_is_left_out_and_then_the_title_is_cut() -> None:
    description = "Clean between your teeth once a day with floss or small brushes."
    title = "Why cleaning between your teeth matters"
    stub_limit = len(_make(0, "Clean between\u2026", title))
    fitted = fit(_make, lambda t: len(t) <= stub_limit, hashtags=2, description=description, title=title)
    assert fitted.text == _make(0, "", title)  # "Clean between…" would read as a stub
    tight = len(_make(0, "", "Why cleaning between\u2026"))
    fitted = fit(_make, lambda t: len(t) <= tight, hashtags=2, description=description, title=title)
    assert fitted.text == _make(0, "", "Why cleaning between\u2026")
    assert fitted.title_cut and fitted.fits


def test_when_the_link_alone_is_too_long_the_text_is_flagged_not_broken() -> None:
    fitted = fit(_make, lambda t: len(t) <= 10, hashtags=2, description="Some words here", title="Title")
    assert not fitted.fits
    assert "https://maplegrove.com/blog/floss/" in fitted.text


def test_tidy_leaves_no_double_spaces_or_empty_paragraphs() -> None:
    assert tidy("Title  \n\n\n\n  words   and  more \n\n \n#Tag\r\nhttps://x.com") == \
        "Title\n\nwords and more\n\n#Tag\nhttps://x.com"


def _tidy_line_by_line(text: str) -> str:
    """What tidy must give: every line's spaces and tabs collapsed and its ends stripped, blank runs one."""
    lines = [" ".join(regex.split(r"[ \t]+", line)).strip() for line in text.replace("\r\n", "\n")
             .replace("\r", "\n").split("\n")]
    return regex.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(st.sampled_from(list("ab #\n\r\t\u00a0\u3000\u2028\x0b\x1c\x85.")), max_size=30),
                 st.text(st.sampled_from(list("ab #\n.")), max_size=30)))  # plain ASCII: checked another way
def test_tidy_changes_a_text_exactly_when_a_line_would_change(text: str) -> None:
    assert tidy(text) == _tidy_line_by_line(text)
    assert tidy(tidy(text)) == tidy(text)


# -- properties -----------------------------------------------------------------------

_HAN_KANA = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}]")
_ENTITY = regex.compile(r"^(?:https?://|www\.|[#＃@＠])")


def _kept_part(description: str, kept: str) -> None:
    """Assert ``kept`` is ``description`` cut between words, at a grapheme boundary, with an ellipsis or a full stop."""
    if kept == description:
        return
    body = kept[:-1] if kept.endswith(ELLIPSIS) else kept
    assert body and description.startswith(body.rstrip()), (description, kept)
    at = len(body)
    rest = description[at:]
    words, kept_words = description.split(), body.split()
    if rest[:1].isspace() or rest.lstrip(textlib._TRAILING_JOINERS) != rest or not rest:
        # Cut between whitespace-separated words: every kept word is whole.
        assert kept_words == words[:len(kept_words)] or kept_words[-1].rstrip(textlib._TRAILING_JOINERS) == \
            words[len(kept_words) - 1].rstrip(textlib._TRAILING_JOINERS), (description, kept)
    else:
        # Cut inside a run of Chinese or Japanese, between two of its characters, never in a link or tag.
        assert _HAN_KANA.match(rest[0]) or rest[0] in "、。！，？" or body[-1] in "、。！，？", (description, kept)
        assert not _ENTITY.match(kept_words[-1]), (description, kept)
    boundaries = {0}
    offset = 0
    for cluster in textlib.graphemes(description):
        offset += len(cluster)
        boundaries.add(offset)
    assert len(body.rstrip()) in boundaries or at in boundaries, (description, kept)


@pytest.mark.parametrize("platform", PLATFORMS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=teaser_titles, description=teaser_sentences, tags=teaser_tags, url=article_urls)
def test_a_fitted_teaser_fits_keeps_its_link_and_cuts_only_between_words(
        platform: str, title: str, description: str, tags: list[str], url: str) -> None:
    spec = REGISTRY[platform].SPEC
    hashtags = tuple(found[0] for found in (textlib.hashtags_in("#" + t.replace(" ", "")) for t in tags) if found)

    def make(kept: int, d: str, t: str) -> str:  # labelled parts, so the test can take the text apart
        return f"{t}\n\nD:{d}\n\nT:{' '.join('#' + h for h in hashtags[:kept])}\n{url}"

    def fits(candidate: str) -> bool:
        return measure(spec, candidate).ok

    first_word = title.split()[0]
    assume(fits(make(0, "", first_word + ELLIPSIS)))  # a link that alone fills the post cannot fit
    fitted = fit(make, fits, hashtags=len(hashtags), description=description, title=title, language="en")
    assert fitted.fits and fits(fitted.text)
    assert count(platform, fitted.text) <= measure(spec, fitted.text).limit
    kept_title, rest = fitted.text.split("\n\nD:", 1)
    kept_description, rest = rest.split("\n\nT:", 1)
    kept_tags, link = rest.rsplit("\n", 1)
    assert link == url  # the whole link, untouched
    _kept_part(title, kept_title)
    if kept_description:
        _kept_part(description, kept_description)
    assert kept_tags.split() == ["#" + h for h in hashtags[:len(kept_tags.split())]]  # whole tags, from the front
    if fitted.description_cut:
        assert not kept_tags  # the hashtags went first


_ascii_urls = st.builds(lambda host, path: f"https://{host}/{path}",
                        st.sampled_from(["www.maplegrove.com", "maplegrove.example", "dental.clinic", "t.co"]),
                        st.from_regex(r"[a-zA-Z0-9_\-./?=&%()]{0,60}", fullmatch=True))


def _twitter_text_length(text: str) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from twitter_text import parse_tweet
    return int(parse_tweet(text, textlib.x_config()).weightedLength)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(max_codepoint=0xA8), max_size=120), _ascii_urls)
def test_counting_word_by_word_gives_twitter_texts_length_for_plain_text(text: str, url: str) -> None:
    sample = f"{text} {url} {text}"
    assert count("x", sample) == _twitter_text_length(sample)


@settings(max_examples=300, deadline=None)
@given(teaser_sentences, article_urls, st.text(max_size=40), st.sampled_from([" ", "\r\n", "\u3000", "\u00a0", "\t"]))
def test_counting_word_by_word_gives_twitter_texts_length(words: str, url: str, noise: str, space: str) -> None:
    sample = f"{words}{space}{url}{space}{noise}"  # emoji, CJK, RTL, combining marks, odd spaces, links
    assert count("x", sample) == _twitter_text_length(sample)


# Links whose hosts X takes or not (".example" is no top-level domain to twitter-text), with paths of
# characters that end, bracket or continue a link, or hold another link ("a.co" in the path).
_LINK_WORDS = st.builds(lambda scheme, host, path: f"{scheme}{host}/{path}",
                        st.sampled_from(["https://", "http://", "HTTPS://"]),
                        st.sampled_from(["www.maplegrove.com", "www.maplegrovedental.example", "t.co", "例え.jp",
                                         "a.co:8080", "x.com?q=1", "dental.clinic", "localhost"]),
                        st.lists(st.sampled_from([*"aZk09-_./?=&%()#@!~:;,'é日😁", "a.co", ".com", "(x)"]),
                                 max_size=20).map("".join))


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINK_WORDS, min_size=1, max_size=4))
def test_links_that_differ_only_in_letters_and_digits_after_the_host_count_alike(words: list[str]) -> None:
    # Each link's search is kept by its shape (letters and digits after the host as "a"); a shape
    # searched before must give every word of that shape twitter-text's own answer.
    for word in words:
        for variant in (word, word.swapcase(), word.replace("a", "b9")):
            sample = f"Read {variant} today"
            assert count("x", sample) == _twitter_text_length(sample), sample


def _mastodon_links_scanning_everything(text: str) -> list[tuple[int, int]]:
    """Mastodon's links found by scanning the whole text for protocols and reading each domain in place."""
    rules = textlib._twitter_links()
    spans: list[tuple[int, int]] = []
    for protocol in textlib._M_PROTOCOL.finditer(text):
        start = protocol.start()
        if (spans and start < spans[-1][1]) or (start and not rules.url_preceding.fullmatch(text[start - 1])):
            continue
        domain = rules.valid_domain.match(text, protocol.end())
        if domain is not None:
            rest = textlib._m_rest().match(text, domain.end())
            spans.append((start, rest.end() if rest else domain.end()))
    return spans


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINK_WORDS, st.sampled_from(["://", "GOPHER://x.org", "xhttps://a.co/", "ſsb://a.co",
                                                         "https://a.co:80/x", "@me@a.social", "\n", " ", "/", "a.co"])),
                max_size=6).map("".join))
def test_mastodon_finds_the_links_it_would_find_scanning_the_whole_text(text: str) -> None:
    assert textlib._mastodon_links(text) == _mastodon_links_scanning_everything(text)


_LINKISH = st.sampled_from(["https://example.com/a", "www.example.org", "example.com", "t.co/x", "a.b.c.d", "a.co",
                            "go.jp",
                            "https://例え.jp/パス", "http://1.2.3.4/", "x.co,y.co", "©", "®️", "#️⃣", "👨\u200d👩",
                            "\r\n", "e\u0301", "\u3000", "日本"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=12), _LINKISH, teaser_sentences, article_urls), max_size=8))
def test_the_quick_bound_is_never_below_the_exact_count(parts: list[str]) -> None:
    sample = " ".join(parts)  # links, emoji, CJK, combining marks, odd spaces and line breaks, side by side
    exact = _twitter_text_length(sample)
    assert count("x", sample) == exact
    assert textlib.count_at_most("x", sample) >= exact
    for name in PLATFORMS:
        assert textlib.count_at_most(name, sample) >= count(name, sample)


@pytest.mark.parametrize("word", ["😁", "✨✨", "🦷example.com", "go🦷", "©", "™", "‼", "©️", "👍🏽", "🇺🇸", "1️⃣", "❤️",
                                  "✨\ufe0e", "🫨", "🦷\u200d", "日本🦷", "a.co😁"])
def test_words_with_emoji_weigh_what_twitter_text_weighs(word: str) -> None:
    sample = f"Brush {word} twice"
    assert count("x", sample) == _twitter_text_length(sample)


@pytest.mark.parametrize("text", [*(p.values[0] for p in COUNTS), "©", "®", "a©b", "1\u20e3", "x.co,y.co",
                                  "a.co", "t.co/a,b.co"])
def test_the_quick_bound_holds_for_each_kind_of_text(text: str) -> None:
    for name in PLATFORMS:  # © alone is an emoji to X: it weighs 2 though its code point weighs 1
        assert textlib.count_at_most(name, text) >= count(name, text), name


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.characters(max_codepoint=0x02FF),
                          st.characters(min_codepoint=0x2000, max_codepoint=0x206F),
                          st.sampled_from(["\u0301", "\u200d", "\ufe0f", "👍", "🏽", "🇺", "\r\n", "\u1100", "\u1161"])),
                max_size=60).map("".join))
def test_counting_graphemes_quickly_gives_what_the_grapheme_rules_give(text: str) -> None:
    assert textlib.grapheme_count(text) == len(textlib.graphemes(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_weighing_characters_quickly_gives_their_weights(text: str) -> None:
    default, ranges = textlib._x_ranges()
    assert textlib._x_weight(text) == sum(textlib._x_char_weight(c, default, ranges) for c in text)


def test_the_quick_bound_of_plain_text_is_the_count() -> None:
    text = "Questions about night guards? Here is what our team tells patients, step by step."
    assert textlib.count_at_most("x", text) == count("x", text) == len(text)


@settings(max_examples=200, deadline=None)
@given(teaser_sentences)
def test_little_text_escapes_everything_it_must(text: str) -> None:
    escaped = little_text(text)
    unescaped = regex.sub(r"\{hashtag\|\\#\|([^}]*)\}", r"#\1", escaped)
    unescaped = regex.sub(r"\\(.)", r"\1", unescaped)
    assert unescaped == text
    assert not regex.search(r"(?<!\\)[|\[\]()<>*_~@]", regex.sub(r"\{hashtag\|\\#\|[^}]*\}", "", escaped))


@settings(max_examples=200, deadline=None)
@given(teaser_sentences)
def test_every_shortening_is_shorter_and_ends_between_graphemes(text: str) -> None:
    text = tidy(text)
    previous = None
    for short in shortenings(text):
        body = short[:-1] if short.endswith(ELLIPSIS) else short
        assert text.startswith(body)
        assert textlib.graphemes(text)[:len(textlib.graphemes(body))] == textlib.graphemes(body)
        assert unicodedata.normalize("NFC", short)  # still text
        if previous is not None:
            assert len(body) < len(previous)
        previous = body
