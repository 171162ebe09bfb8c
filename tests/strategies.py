"""Hypothesis strategies shared by the tests: article files, front matter, YAML."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import yaml
from hypothesis import strategies as st

from syndicate.article import KNOWN_KEYS, SOCIAL_KEYS

# Characters that mean something to YAML, so random text hits its corners.
YAML_ALPHABET = st.sampled_from(list(":-#[]{}&*!|>'\"%@`,?~=\\ \t\n") + list("abcdeno019xyzTÉ🦷\u00a0\x07"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(min_value=date(1, 1, 1)),
    st.datetimes(timezones=st.sampled_from([None, UTC])),
    st.sampled_from(["9:30", "no", "yes", "01234", "1.10", "0x1F", "2026-02-30", "~", "", "auto",
                     "2026-11-02 09:30", ".inf", "1_000"]),
)

keys = st.one_of(st.sampled_from(KNOWN_KEYS + SOCIAL_KEYS + ("created", "updated", "title", "bullets")),
                 st.text(min_size=1, max_size=12))

values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(keys, children, max_size=5)),
    max_leaves=20,
)

# Front matter as a mapping: mostly known keys, with values of any shape.
front_matter = st.dictionaries(keys, values, max_size=10)


def _dump(data: Any, flow: bool) -> str:
    try:
        return yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:  # a value safe_dump cannot write (none today; keep the strategy total)
        return ""


def dumped(data_strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[str]:
    """YAML text written by PyYAML from random data, block or flow style."""
    return st.builds(_dump, data_strategy, st.booleans())


# Values as a person might type them after 'key: ', including what YAML reads in surprising ways.
typed_values = st.one_of(
    st.text(YAML_ALPHABET, max_size=30),
    st.sampled_from(["9:30", "no", "01234", "1.10", "2026-02-30", "2026-13-01 10:00:00", "2026-11-02 09:30",
                     "!!bool maybe", "!!timestamp soon", "!!int x", "!!float x", "!!binary ===",
                     "!!python/object/apply:os.system [echo]", "&a [*a, *a]", "*nowhere", "[a, [b, {c: d}]]",
                     "{created: 2026-01-01, updated: 2025-01-01}", "'unclosed", '"\\x"', "#1 tip", "|\n  block"]),
)

yaml_text = st.one_of(
    dumped(front_matter),
    dumped(values),  # not always a mapping
    st.text(YAML_ALPHABET, max_size=200),
    st.lists(st.tuples(keys, typed_values), max_size=8).map(
        lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs)),
)

body_text = st.text(max_size=200)

# A whole article file as bytes: random bytes, or front matter of random YAML between fences.
article_bytes = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda fm, body, crlf: ("---\n" + fm + "\n---\n" + body).replace("\n", "\r\n" if crlf else "\n")
              .encode("utf-8", "surrogatepass"), yaml_text, body_text, st.booleans()),
    st.builds(lambda fm, body: ("\ufeff---\n" + fm + "---\n" + body).encode("utf-8", "surrogatepass"),
              yaml_text, body_text),
    st.builds(lambda fm: ("---\n" + fm).encode("utf-8", "surrogatepass"), yaml_text),  # never closed
)


def valid_front_matter(today: date = date(2026, 11, 2)) -> dict[str, Any]:
    """A front matter mapping the sample practice accepts."""
    return {"title": "Why your toothbrush matters", "description": "How to choose and care for a toothbrush.",
            "date": today, "authors": ["drlee"], "categories": ["Preventive care"]}


def now() -> datetime:
    """A fixed 'now' for tests that compare with today."""
    return datetime(2026, 12, 1, tzinfo=UTC)


# -- Teasers: text that breaks naive counting and cutting -----------------------

# One "word" each: ZWJ families, flags, skin tones, CJK, right-to-left scripts,
# combining marks, keycaps, variation selectors, a hashtag and a mention.
TRICKY_WORDS = (
    "👨\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "🇺🇸", "🇯🇵", "👍🏽", "🧑🏿\u200d⚕\ufe0f", "1\ufe0f\u20e3", "❤\ufe0f", "🦷",
    "日本語", "歯医者さん", "牙齿健康", "한국어", "שלום", "مرحبا", "e\u0301te\u0301", "Z\u0351\u0307a\u0308",
    "naïve", "Ørsted", "ß", "—", "…", "“quoted”", "#DentalHealth", "@drlee", "don't", "x-ray",
)

_plain_words = st.from_regex(r"[A-Za-z]{1,10}[,.;:!?]?", fullmatch=True)
teaser_words = st.one_of(_plain_words, _plain_words, st.sampled_from(TRICKY_WORDS),
                         st.text(st.characters(blacklist_categories=("Z", "C")), min_size=1, max_size=6))

# A sentence of up to 60 words, spaced as people write (sometimes two spaces, never a leading one).
teaser_sentences = st.lists(teaser_words, min_size=1, max_size=60).map(" ".join)
teaser_titles = st.lists(teaser_words, min_size=1, max_size=12).map(" ".join)

# Tags as writers type them: several words, capitals, apostrophes, non-Latin scripts.
teaser_tags = st.lists(
    st.one_of(st.sampled_from(["root canal", "children's teeth", "oral health", "歯科", "café", "COVID vaccine",
                               "2026", "gum disease", "x-ray"]),
              st.from_regex(r"[a-z]{2,8}( [a-z]{2,8}){0,2}", fullmatch=True)),
    max_size=6,
)

_hosts = st.sampled_from(["www.maplegrove.com", "maplegrove.example", "bücher.de", "例え.jp", "xn--wgv71a119e.jp",
                          "dental.clinic", "smile.co.uk"])
_segments = st.lists(st.one_of(st.from_regex(r"[a-z0-9-]{1,16}", fullmatch=True),
                               st.sampled_from(["straße", "歯", "caf%C3%A9", "a_b", "(paren)"])), min_size=1, max_size=6)

# Canonical article URLs: short and long, ASCII and internationalised (IDN), with odd path characters.
article_urls = st.builds(lambda host, parts: f"https://{host}/blog/" + "/".join(parts) + "/", _hosts, _segments)
