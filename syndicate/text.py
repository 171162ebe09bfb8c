"""Counting and cutting text the way each platform counts it.

Every platform counts differently: X weighs characters and shortens links to
23, Bluesky counts grapheme clusters (what a reader sees as one character),
Mastodon counts graphemes but links as 23 and ``@user@domain`` as ``@user``,
Threads counts an emoji as its UTF-8 bytes, LinkedIn counts the text after
its "little text" escaping. ``count`` answers for any platform by name.

Cutting never splits a word, a link, a hashtag or a grapheme: ``fit`` drops
hashtags first, then shortens the description at a word boundary with an
ellipsis, and only then the title. twitter-text stays in this module.
"""

from __future__ import annotations

import functools
import json
import re
import string
import sys
import types
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import Settings


class _Lazy:
    """A ``regex`` pattern compiled when first used."""

    # Loading regex and its Unicode tables takes tens of milliseconds that checking
    # plain English text never needs.

    _METHODS = ("findall", "finditer", "fullmatch", "match", "search", "split", "sub")

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern

    def __getattr__(self, name: str) -> Any:
        import regex  # noqa: PLC0415

        compiled = regex.compile(self._pattern)
        for method in self._METHODS:
            setattr(self, method, getattr(compiled, method))  # later calls go straight to the pattern
        return getattr(compiled, name)


def _lazy(pattern: str) -> Any:
    return _Lazy(pattern)


ELLIPSIS = "\u2026"

_GRAPHEME = _lazy(r"\X")
# Scripts written without spaces between words: a cut may fall between two of their characters.
_NO_SPACE_SCRIPT = _lazy(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}]")
# Links, hashtags and mentions are never cut (a broken link or tag is worse than none).
_PROTECTED = _lazy(r"(?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://\S+|www\.\S+|[#＃@＠][\w.@\-]+")
_SENTENCE_END = ".!?\u3002\uff01\uff1f"
# After these a Chinese or Japanese sentence or clause ends; a cut may follow them.
_CJK_STOPS = "\u3001\u3002\uff01\uff0c\uff1f"
# Left dangling before an ellipsis these read badly ("and care,…"), so they go.
_TRAILING_JOINERS = " \t\n,;:\u3001\uff0c\u2013\u2014-(/\"'\u201c\u2018&+"
# An emoji grapheme: a pictograph, a flag (regional indicators) or a keycap.
_EMOJI = _lazy(r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]")  # one class: quicker than alternatives


def graphemes(text: str) -> list[str]:
    """The text's grapheme clusters: what a reader sees as single characters."""
    found: list[str] = _GRAPHEME.findall(text)
    return found


# Characters that are each a grapheme cluster of their own, whatever surrounds them (but CR LF):
# Latin, Greek and Cyrillic letters before the combining marks at U+0300, and general punctuation
# (dashes, quotes, the ellipsis) but for the zero-width joiners U+200C and U+200D
# (https://www.unicode.org/reports/tr29/#Grapheme_Cluster_Boundary_Rules: none is Extend, ZWJ,
# SpacingMark, Prepend, Regional_Indicator or a Hangul syllable part).
_NOT_ALONE = re.compile("[^\x00-\u02ff\u2010-\u205f]")


def grapheme_count(text: str) -> int:
    """How many grapheme clusters the text has (Bluesky's and Mastodon's unit)."""
    if text.isascii() or not _NOT_ALONE.search(text):  # one cluster per character, but for CR LF
        return len(text) - text.count("\r\n")
    return len(_GRAPHEME.findall(text))


def utf8_length(text: str) -> int:
    """The text's length in UTF-8 bytes (Bluesky's second limit, Threads' emoji)."""
    return len(text.encode("utf-8"))


# -- X ------------------------------------------------------------------------


def _resource_string(module: str, name: str) -> bytes:
    """``pkg_resources.resource_string`` for a file beside a module: all that twitter-text uses of it."""
    folder = Path(str(getattr(sys.modules[module], "__file__", ""))).parent
    return (folder / name).read_bytes()


@functools.cache
def _twitter() -> Any:
    """twitter-text-parser, imported on first use (compiling its patterns takes a third of a second)."""
    # Version 3.0.0 reads its emoji list with pkg_resources.resource_string. Importing
    # pkg_resources costs as much again (it scans every installed package) and warns
    # that setuptools deprecates it, so the library gets a stand-in for its import.
    stand_in = types.ModuleType("pkg_resources")
    stand_in.resource_string = _resource_string  # type: ignore[attr-defined]
    real = sys.modules.get("pkg_resources")
    sys.modules["pkg_resources"] = real or stand_in
    try:
        import twitter_text
    finally:
        if real is None:
            del sys.modules["pkg_resources"]
    return SimpleNamespace(parse_tweet=twitter_text.parse_tweet)


@functools.cache
def _twitter_links() -> Any:
    """twitter-text-parser's link rules alone, without its emoji table (two thirds of its import time)."""
    if "twitter_text" not in sys.modules:
        # The package's __init__ imports everything; its link modules need none of that. A stand-in
        # for the package lets them load alone; the real package, loaded later, finds them loaded.
        import importlib.util  # noqa: PLC0415

        spec = importlib.util.find_spec("twitter_text")
        if spec is not None and spec.submodule_search_locations is not None:
            sys.modules["twitter_text"] = importlib.util.module_from_spec(spec)
    try:
        from twitter_text.extract_urls import extract_urls_with_indices
        from twitter_text.regexp import valid_domain, valid_url_preceding_chars
    finally:
        if not hasattr(sys.modules.get("twitter_text"), "parse_tweet"):
            sys.modules.pop("twitter_text", None)  # the stand-in leaves with its work done
    return SimpleNamespace(urls=extract_urls_with_indices, valid_domain=valid_domain.valid_domain,
                           url_preceding=valid_url_preceding_chars.valid_url_preceding_chars)


def link_rules_loaded() -> bool:
    """Whether twitter-text's link rules are loaded already (counting X exactly then costs little)."""
    return _twitter_links.cache_info().currsize > 0


# The library's option names for twitter-text's config/*.json keys.
_X_OPTION_NAMES = {
    "version": "version",
    "maxWeightedTweetLength": "max_weighted_tweet_length",
    "scale": "scale",
    "defaultWeight": "default_weight",
    "emojiParsingEnabled": "emoji_parsing_enabled",
    "transformedURLLength": "transformed_url_length",
    "ranges": "ranges",
}


def x_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """twitter-text-parser's options from a twitter-text ``config/vN.json`` mapping."""
    options = {name: config[key] for key, name in _X_OPTION_NAMES.items() if key in config}
    # v2.json predates emoji parsing and omits the key; the library requires it.
    options.setdefault("emoji_parsing_enabled", False)
    return options


@functools.cache
def x_config() -> dict[str, Any]:
    """X's counting rules: twitter-text's ``config/v3.json``, shipped in ``syndicate/data``."""
    # https://github.com/twitter/twitter-text/blob/master/config/v3.json (Apache-2.0)
    # Beside this module (importlib.resources would load zipfile, tempfile and more for one small file).
    raw = (Path(__file__).parent / "data" / "twitter-text-v3.json").read_text(encoding="utf-8")
    return x_options(json.loads(raw))


# Every emoji twitter-text knows holds one of these (checked against its whole
# emoji table, code point by code point); text without them has no emoji.
_EMOJI_PART = _lazy(
    r"[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3\ufe0f\u200d\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F]"
)


def _x_weight(text: str) -> int:
    """The scaled v3 weight of text without links or emoji: each character by the config's ranges."""
    default, ranges = _x_ranges()
    if text.isascii() and ranges[0][0] == 0 and ranges[0][1] >= 127:  # one weight for all of ASCII
        return len(text) * ranges[0][2]
    outside = _x_outside_ranges()
    if outside is not None:  # every range weighs the same: count the characters outside them
        heavy = len(outside.findall(text))
        return (len(text) - heavy) * ranges[0][2] + heavy * default
    return sum(_x_char_weight(c, default, ranges) for c in text)


@functools.cache
def _x_outside_ranges() -> re.Pattern[str] | None:
    """A pattern for the characters outside the config's ranges, when all ranges have one weight."""
    _, ranges = _x_ranges()
    if not ranges or len({weight for _, _, weight in ranges}) != 1:
        return None
    return re.compile("[^" + "".join(f"\\U{start:08x}-\\U{end:08x}" for start, end, _ in ranges) + "]")


@functools.cache
def _x_ranges() -> tuple[int, tuple[tuple[int, int, int], ...]]:
    options = x_config()
    return options["default_weight"], tuple((r["start"], r["end"], r["weight"]) for r in options["ranges"])


@functools.lru_cache(maxsize=4096)
def _x_char_weight(char: str, default: int, ranges: tuple[tuple[int, int, int], ...]) -> int:
    code = ord(char)
    return next((weight for start, end, weight in ranges if start <= code <= end), default)


# twitter-text's own spaces (regexp/spaces_group): no link and no emoji holds one.
_X_SPACES = re.compile("[\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
# The characters only one of str.isspace and twitter-text's spaces counts as a space.
_SPACES_STR_AND_X_DIFFER_ON = re.compile("[\x1c-\x1f\u180e]")


def _str_splits_as_x(text: str) -> bool:
    """Whether str.split's spaces are twitter-text's in this text (it holds none of those five)."""
    if text.isascii():  # substring searches are quicker than the pattern
        return "\x1c" not in text and "\x1d" not in text and "\x1e" not in text and "\x1f" not in text
    return not _SPACES_STR_AND_X_DIFFER_ON.search(text)


# Every link twitter-text finds has a domain: a dot, then a top-level domain that starts with
# a letter or digit (twitter/twitter-text: regexp/validDomain). A word without one holds no link.
_DOT_THEN_NAME = _lazy(r"\.[^\W_]")
# The same, in the standard library's terms (a letter or digit there is what str.isalnum() says):
# enough for the upper bound below, which must only see every link's dot, and quick to load.
_DOT_THEN_ALNUM = re.compile(r"\.[^\W_]")


# What joins emoji into sequences: joiner, presentation selector, keycap, skin tones, tags, flags.
_EMOJI_JOINING = _lazy(r"[\u200d\ufe0f\u20e3\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F\p{Regional_Indicator}]")


def _lone_pictographs(word: str) -> bool:
    """Whether each emoji in ``word`` is one pictograph that weighs as an emoji as a character does.

    Such an emoji ("😁", "🦷") is one code point at the default weight, so counting it as a
    character gives what twitter-text's emoji table gives, and the table need not be loaded.
    """
    if _EMOJI_JOINING.search(word):
        return False
    default, ranges = _x_ranges()
    return all(_x_char_weight(c, default, ranges) == default for c in _EMOJI_PART.findall(word))


# What twitter-text's link pattern allows after a link's host (path, query, parentheses) holds
# every ASCII letter and digit or none of them, in either case (regexp/valid_general_url_path_chars,
# valid_url_path_ending_chars, valid_url_query_chars, valid_url_query_ending_chars, IGNORECASE).
_AS_A = str.maketrans(dict.fromkeys(string.ascii_letters + string.digits, "a"))


def _link_shape(word: str) -> tuple[str, int] | None:
    """The word with each ASCII letter and digit after its link's host as "a", and where the host ends.

    None unless the word starts with a link's protocol and has a "/" after it.
    twitter-text's search, started anywhere up to the host's end, reads the
    rest only with steps that treat all ASCII letters and digits alike (a
    host ends at the first "/" at the latest), so it takes the same steps
    through the shape as through the word: same length, host and groups.
    A search started after the host finds nothing in either when no "."
    follows (every link has one in its host). Many words differ only there:
    articles' links, by their paths.
    """
    if not word.startswith(("https://", "http://")):
        return None
    host_end = word.find("/", word.index("://") + 3)
    if host_end < 0:
        return None
    return word[:host_end] + word[host_end:].translate(_AS_A), host_end


@functools.lru_cache(maxsize=4096)
def _x_link_spans_of(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((url["indices"][0], url["indices"][1]) for url in _twitter_links().urls(text))


def _x_link_spans(word: str) -> tuple[tuple[int, int], ...]:
    """Where twitter-text finds links in one word (start, end), searched once per shape of word."""
    found = _link_shape(word)
    if found is not None:
        shape, host_end = found
        spans = _x_link_spans_of(shape)
        # Every link found starts by the host's end: one link to the word's end, or no "." after the host.
        if spans == ((0, len(word)),) or "." not in shape[host_end:]:
            return spans
    return _x_link_spans_of(word)


@functools.lru_cache(maxsize=65536)
def _x_word_weight(word: str) -> int:
    """The scaled weight of one run of text between spaces, as twitter-text weighs it."""
    options = x_config()
    if _EMOJI_PART.search(word) and not _lone_pictographs(word):
        # v3's weights are whole multiples of its scale, so the library's rounding loses nothing here.
        return int(_twitter().parse_tweet(word, options).weightedLength) * int(options["scale"])
    if not _DOT_THEN_NAME.search(word):
        return _x_weight(word)
    weight = 0
    position = 0
    for start, end in _x_link_spans(word):
        weight += _x_weight(word[position:start]) + options["transformed_url_length"] * options["scale"]
        position = end
    return weight + _x_weight(word[position:])


@functools.lru_cache(maxsize=8192)
def _x_length_v3(text: str) -> int:
    """twitter-text's weighted length under v3, word by word.

    The library's ``parse_tweet`` scans the whole text for links and emoji on
    every call (milliseconds each), and fitting counts many texts that share
    most of their words. Neither a link nor an emoji spans a space, so the
    same steps (NFC, one kind of line break, links at 23, emoji at 2, other
    characters by the ranges) add up word by word, each word weighed once.
    A property test holds the result equal to the library's.
    """
    options = x_config()
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    # Spaces weigh by character, so all of them at once weigh what each run would.
    if not _str_splits_as_x(text):
        words = _X_SPACES.split(text)
        spaces = _x_weight("".join(_X_SPACES.findall(text)))
    else:  # str.split's spaces are twitter-text's here, and quicker to split on
        words = text.split()
        spaces = _x_weight(text) - _x_weight("".join(words))  # a text weighs what its characters weigh
    return int((sum(map(_x_word_weight, words)) + spaces) / options["scale"])


# The shortest link twitter-text finds: a name, a dot and a top-level domain of two letters or more.
_X_SHORTEST_LINK = 4


def x_length_at_most(text: str) -> int:
    """An upper bound of X's v3 weighted length, found without twitter-text (never below ``x_length``).

    twitter-text splits the (NFC) text into links at 23, emoji at the default
    weight, and single characters at their ranges' weights. Here every
    character counts at its weight, raised to the default weight for the
    characters every emoji holds one of, so an emoji weighs at least as much.
    A link's own characters weigh at least 4 (``_X_SHORTEST_LINK``, weight 1
    or more each), so a link adds at most 23 - 4 to them; and each link's
    domain has a dot before a letter or digit of its own, so counting that
    for every such dot covers every link. A text this bound puts within the
    limit fits without loading the library (a third of a second).
    Property tests hold the bound at or above the library's count.
    """
    options = x_config()
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    weight = _x_weight(text)
    default, ranges = _x_ranges()
    if not text.isascii():
        weight += sum(max(0, default - _x_char_weight(c, default, ranges)) for c in _EMOJI_PART.findall(text))
    if "." in text:
        least = min(weight for _, _, weight in ranges) if ranges else default
        added = options["transformed_url_length"] * options["scale"] - _X_SHORTEST_LINK * min(least, default)
        weight += len(_DOT_THEN_ALNUM.findall(text)) * max(0, added)
    return int(weight / options["scale"])


def x_length(text: str, options: Mapping[str, Any] | None = None) -> int:
    """X's weighted length: twitter-text's rules (v3 unless other ``options`` are given)."""
    if options is None:
        return _x_length_v3(text)
    return int(_twitter().parse_tweet(text, dict(options)).weightedLength)


# -- Mastodon -----------------------------------------------------------------

# Mastodon counts only links it would itself make clickable: twitter-text's
# domain rules with its own, wider path and query characters and protocols
# (mastodon/mastodon: config/initializers/twitter_regex.rb, app/lib/extractor.rb
# with extract_url_without_protocol: false, app/validators/status_length_validator.rb).
_UCHARS = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)
_M_PATH_CHAR = r"[^\s<>()?]"
_M_PARENS = rf"\((?:{_M_PATH_CHAR}+|(?:{_M_PATH_CHAR}*\({_M_PATH_CHAR}+\){_M_PATH_CHAR}*))\)"
_M_PATH_END = rf"(?:[^\s()?!*\"'\u300c\u300d<>;:=,.$%\[\]~&|@]|{_M_PARENS})"
_M_PATH = rf"(?:(?:{_M_PATH_CHAR}*(?:{_M_PARENS}{_M_PATH_CHAR}*)*{_M_PATH_END})|(?:{_M_PATH_CHAR}+/))"


_M_PROTOCOL = re.compile(r"(?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://", re.IGNORECASE)


@functools.cache
def _m_rest() -> re.Pattern[str]:
    """What may follow the domain: a port, a path, a query (compiled when first needed: 50 ms)."""
    return re.compile(
        rf"(?::[0-9]+)?(?:/{_M_PATH}*)?"
        rf"(?:\?[a-z0-9!?*'();:&=+$/%#\[\]\-_.,~|@^{_UCHARS}]*[a-z0-9_&=#/\-{_UCHARS}])?",
        re.IGNORECASE,
    )


def _mastodon_links(text: str) -> list[tuple[int, int]]:
    """Where the links Mastodon would make clickable are: (start, end) of each."""
    twitter = _twitter_links()
    spans: list[tuple[int, int]] = []
    for protocol in _protocols(text):
        start = protocol.start()
        if spans and start < spans[-1][1]:
            continue  # inside the previous link (a link in its query)
        if start and not twitter.url_preceding.fullmatch(text[start - 1]):
            continue
        domain_end = _domain_end(text, protocol.end())
        if domain_end is None:
            continue
        rest = _m_rest().match(text, domain_end)
        spans.append((start, rest.end() if rest else domain_end))
    return spans


_LONGEST_PROTOCOL = max(len(name) for name in ("https", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "gemini"))


def _protocols(text: str) -> Iterator[re.Match[str]]:
    """``_M_PROTOCOL.finditer(text)``, searched only just before each "://" (scanning all the text is slow)."""
    position = 0
    while (colons := text.find("://", position)) >= 0:
        # A match ends in this "://" or a later one; its protocol, letters only, is right before it.
        found = _M_PROTOCOL.search(text, max(position, colons - _LONGEST_PROTOCOL), colons + 3)
        position = found.end() if found else colons + 1
        if found:
            yield found


def _domain_end(text: str, start: int) -> int | None:
    """Where the library's domain rules end a domain at ``start`` (None when there is none there).

    A domain holds no "/" and its last check looks at one character after it,
    so the rules read the text up to the first "/" at most: the same host
    and "/" give the same answer, worked out once (each article's links share one).
    """
    slash = text.find("/", start)
    if slash < 0:
        found = _twitter_links().valid_domain.match(text, start)
        return found.end() if found else None
    length = _domain_length(text[start:slash + 1])
    return None if length is None else start + length


@functools.lru_cache(maxsize=256)
def _domain_length(host: str) -> int | None:
    found = _twitter_links().valid_domain.match(host)
    return found.end() if found else None


# A remote mention counts as its local part: "@maplegrove@health.social" as "@maplegrove".
_MASTODON_MENTION = _lazy(r"(?<![\w/@])(@\w+(?:[\w.\-]*\w)?)@[\w\-]+(?:\.[\w\-]+)+")


def mastodon_countable(text: str, url_length: int = 23) -> str:
    """The text as Mastodon measures it: each link as ``url_length`` characters, mentions local."""
    parts, position = [], 0
    for start, end in _mastodon_links(text):
        parts += [text[position:start], "x" * url_length]
        position = end
    text = "".join(parts) + text[position:]
    if text.count("@") < 2:  # a remote mention has two
        return text
    local: str = _MASTODON_MENTION.sub(r"\1", text)
    return local


def mastodon_length(text: str, url_length: int = 23) -> int:
    """Mastodon's length: graphemes, with links at ``url_length`` and ``@user@domain`` as ``@user``."""
    return grapheme_count(mastodon_countable(text, url_length))


# -- Threads, LinkedIn, characters ----------------------------------------------


def threads_length(text: str) -> int:
    """Threads' length: one per character, but an emoji counts its UTF-8 bytes (as Meta documents)."""
    if text.isascii() or not _EMOJI.search(text):  # no ASCII character is an emoji's
        return len(text)
    length = 0
    for cluster in _GRAPHEME.findall(text):
        length += utf8_length(cluster) if _EMOJI.search(cluster) else len(cluster)
    return length


# LinkedIn's "little text" reserves these; unescaped, a post is silently cut
# at the first one. https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/little-text-format
_LITTLE_TEXT_RESERVED = re.compile(r"([|{}@\[\]()<>#\\*_~])")
_HASHTAG = _lazy(r"(?<![\w#＃&])[#＃](\w*[^\W\d]\w*)")


@functools.lru_cache(maxsize=1024)  # LinkedIn's count and its post's commentary escape the same text
def little_text(text: str) -> str:
    """The text in LinkedIn's little text format: hashtags as templates, reserved characters escaped."""
    parts = []
    last = 0
    for match in _HASHTAG.finditer(text):
        parts.append(_LITTLE_TEXT_RESERVED.sub(r"\\\1", text[last:match.start()]))
        parts.append("{hashtag|\\#|" + _LITTLE_TEXT_RESERVED.sub(r"\\\1", match.group(1)) + "}")
        last = match.end()
    parts.append(_LITTLE_TEXT_RESERVED.sub(r"\\\1", text[last:]))
    return "".join(parts)


def linkedin_length(text: str) -> int:
    """LinkedIn's length: the characters of the escaped commentary, as it is sent."""
    return len(little_text(text))


def hashtags_in(text: str) -> list[str]:
    """The hashtags in a text, without the ``#``, in order."""
    if "#" not in text and "\uff03" not in text:
        return []
    found: list[str] = _HASHTAG.findall(text)
    return found


def _settings_value(settings: Settings | None, platform: str, key: str, default: int) -> int:
    if settings is None:
        return default
    value = settings.platform_settings(platform).get(key, default)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default


def count(platform: str, text: str, settings: Settings | None = None) -> int:
    """How long ``text`` is on ``platform``, counted the way that platform counts."""
    if platform == "x":
        return x_length(text)
    if platform == "bluesky":
        return grapheme_count(text)
    if platform == "mastodon":
        return mastodon_length(text, _settings_value(settings, "mastodon", "characters_reserved_per_url", 23))
    if platform == "threads":
        return threads_length(text)
    if platform == "linkedin":
        return linkedin_length(text)
    if platform in ("facebook", "instagram", "pinterest", "google_business"):
        # These document "characters" and nothing finer: Unicode code points.
        return len(text)
    raise ValueError(f"unknown platform {platform!r}")


def count_at_most(platform: str, text: str, settings: Settings | None = None) -> int:
    """An upper bound of ``count(platform, text)`` that never loads twitter-text (cheap to work out).

    Where the platform's own count needs the library's link rules (X, Mastodon),
    every place a link could start counts as a whole link; elsewhere it is the count.
    """
    if platform == "x":
        return x_length_at_most(text)
    if platform == "mastodon":
        # A grapheme is at least one code point; each link (it starts with its protocol) becomes
        # at most the URL length, and a mention only gets shorter.
        url_length = _settings_value(settings, "mastodon", "characters_reserved_per_url", 23)
        links = text.count("://")  # each link's protocol ends in one of its own
        return len(text) + links * url_length
    return count(platform, text, settings)


# -- Cutting --------------------------------------------------------------------


def cut_points(text: str) -> list[int]:
    """Offsets where ``text`` may be cut: word ends, never inside a link, hashtag or grapheme."""
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    points = []
    offset = 0
    previous = ""
    for cluster in _GRAPHEME.findall(text):
        if previous and not previous.isspace() and (
            cluster[0].isspace()
            or (_NO_SPACE_SCRIPT.match(previous) and _NO_SPACE_SCRIPT.match(cluster))
            or (previous in _CJK_STOPS and cluster[0] not in _CJK_STOPS)
        ) and not any(start < offset < end for start, end in protected):
            points.append(offset)
        offset += len(cluster)
        previous = cluster
    return points


def shorten(text: str, at: int) -> str:
    """``text`` cut at offset ``at`` (a cut point), ending in an ellipsis unless a sentence ends there."""
    head = text[:at].rstrip(_TRAILING_JOINERS)
    if not head:
        return ""
    if head[-1] in _SENTENCE_END:
        return head
    return head + ELLIPSIS


# Words a cut should not end on: "…how to care for…" reads as if something was lost
# mid-thought. Only for languages listed; others are cut at any word.
_DANGLING = {
    "en": frozenset(
        "a an the and or but nor so yet to of in on at by for with from as into onto than that this these "
        "those your our my their its his her is are was were be been can will would should could may might "
        "not no if when how what which who whom whose why where while about after before such".split()
    ),
}
_CLAUSE_MARKS = ",;:\u2013\u2014\u3001\uff0c"
_LAST_WORD = _lazy(r"(\w+)\W*$")


def _quality(text: str, short: str, at: int, language: str) -> int:
    """How cleanly a cut reads: 3 a sentence, 2 a clause, 1 a word, 0 a dangling little word."""
    if short[-1] in _SENTENCE_END:
        return 3
    if text[:at].rstrip()[-1:] in _CLAUSE_MARKS:
        return 2
    last = _LAST_WORD.search(text[:at])
    if last and last.group(1).casefold() in _DANGLING.get(language.split("-")[0].casefold(), ()):
        return 0
    return 1


def shortenings(text: str, *, min_graphemes: int = 0) -> list[str]:
    """Every way to cut ``text`` short, longest first, keeping at least ``min_graphemes``."""
    return [short for short, _ in _ranked_shortenings(text, min_graphemes, "")]


@functools.lru_cache(maxsize=256)  # the same description is cut for several platforms
def _ranked_shortenings(text: str, min_graphemes: int, language: str) -> tuple[tuple[str, int], ...]:
    found: list[tuple[str, int]] = []
    for at in reversed(cut_points(text)):
        short = shorten(text, at)
        if short and grapheme_count(short) > min_graphemes and (not found or found[-1][0] != short):
            found.append((short, _quality(text, short, at, language)))
    return tuple(found)


# A cleaner cut may give up this share of the longest cut that fits.
_CLEANER_CUT_MAY_LOSE = 0.35


def _best_cut(options: tuple[tuple[str, int], ...], make: Callable[[str], str],
              fits: Callable[[str], bool]) -> str | None:
    """The longest fitting cut, or a slightly shorter one that ends more cleanly."""
    found = _longest_fitting([short for short, _ in options], make, fits)
    if found is None:
        return None
    start = next(i for i, (short, _) in enumerate(options) if short == found)
    floor = grapheme_count(found) * (1 - _CLEANER_CUT_MAY_LOSE)
    near = [i for i in range(start, len(options)) if grapheme_count(options[i][0]) >= floor]
    chosen = options[max(near, key=lambda i: (options[i][1], -i))][0]
    return chosen if chosen == found or fits(make(chosen)) else found


@dataclass(frozen=True, kw_only=True)
class Fitted:
    """A text that fits, and what had to give way for it."""

    text: str
    hashtags: int  # how many hashtags were kept
    description_cut: bool = False
    title_cut: bool = False
    fits: bool = True


# A cut description shorter than this reads as a stub; better to leave it out.
MIN_DESCRIPTION_GRAPHEMES = 20


def _longest_fitting(options: list[str], make: Callable[[str], str],
                     fits: Callable[[str], bool]) -> str | None:
    """The first of ``options`` (longest first) whose text fits, found with few counts."""
    low, high = 0, len(options) - 1
    best: int | None = None
    while low <= high:  # lengths shrink along the list, so a binary search finds the edge
        middle = (low + high) // 2
        if fits(make(options[middle])):
            best, high = middle, middle - 1
        else:
            low = middle + 1
    if best is None:
        return None
    return options[best]


def fit(make: Callable[[int, str, str], str], fits: Callable[[str], bool], *,
        hashtags: int, description: str, title: str, language: str = "") -> Fitted:
    """The longest text ``make(hashtags, description, title)`` gives that ``fits``.

    Hashtags go first (from the end), then the description is cut at a word
    boundary, then left out, and only then the title is cut. A cut prefers
    the end of a sentence or clause, and not a dangling "the" or "to", when
    that costs little. ``make`` must keep the link in every text it makes.
    """
    for kept in range(hashtags, -1, -1):
        text = make(kept, description, title)
        if fits(text):
            return Fitted(text=text, hashtags=kept)
    if description:
        ranked = _ranked_shortenings(description, MIN_DESCRIPTION_GRAPHEMES, language)
        best = _best_cut(ranked, lambda d: make(0, d, title), fits)
        if best is not None:
            return Fitted(text=make(0, best, title), hashtags=0, description_cut=True)
        text = make(0, "", title)
        if fits(text):
            return Fitted(text=text, hashtags=0, description_cut=True)
    best = _best_cut(_ranked_shortenings(title, 0, language), lambda t: make(0, "", t), fits)
    if best is not None:
        return Fitted(text=make(0, "", best), hashtags=0, description_cut=bool(description), title_cut=True)
    # Nothing fits (the link alone is too long): show it whole, flagged over the limit.
    return Fitted(text=make(0, description, title), hashtags=0, fits=False)


def cut_to(text: str, limit: int, length: Callable[[str], int] = len) -> str:
    """``text`` if it fits ``limit``, else its longest word-boundary shortening that does."""
    if length(text) <= limit:
        return text
    for short in shortenings(text):
        if length(short) <= limit:
            return short
    return ""


_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


# What ``tidy`` changes in a line: a carriage return, a tab, two spaces, a space at a line's end or
# start (whitespace as str.strip() sees it: Python's \s is str.isspace).
_UNTIDY_LINE = re.compile(r"[\r\t]|  |[^\S\n]\n|\n[^\S\n]")


def _tidy_lines(text: str) -> bool:
    """Whether ``tidy`` would leave every line of the text as it is."""
    if text.isascii() and text.replace("\n", "").isprintable():
        # Its only whitespace is spaces and line breaks (ASCII's other spaces are control characters).
        return "  " not in text and " \n" not in text and "\n " not in text
    return not _UNTIDY_LINE.search(text)


def tidy(text: str) -> str:
    """Text as a person would type it: one space between words, at most one blank line."""
    if _tidy_lines(text) and not text[:1].isspace() and not text[-1:].isspace():
        # Every line is tidy already (most texts' are), so only a run of blank lines may change.
        return _BLANK_LINES.sub("\n\n", text) if "\n\n\n" in text else text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [(_SPACES.sub(" ", line) if "  " in line or "\t" in line else line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
