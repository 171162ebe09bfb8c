"""Whatever bytes an editor saves, the article model answers with problems, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import article_bytes, front_matter, now, valid_front_matter, yaml_text

from syndicate.article import load_article, read_article
from syndicate.config import Settings, load_settings
from syndicate.errors import ContentError

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Random nested structures are slow to generate and dump: fewer of them, each larger.
FUZZ_STRUCTURES = settings(FUZZ, max_examples=80)


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    project = copy_project(tmp_path_factory.mktemp("fuzz") / "practice")
    return load_settings(project / "mkdocs.yml"), project / "content" / "blog" / "posts" / "fuzz.md"


def _assert_well_formed(path: Path, data: bytes, practice: Settings) -> None:
    article, problems = read_article(path, practice, now=now())
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for problem in problems:
        assert problem.path == path.resolve()
        assert 1 <= problem.line <= lines, problem
        assert problem.col >= 1
        assert problem.severity in ("error", "warning")
        assert problem.message
    if article is None:
        assert any(p.severity == "error" for p in problems), "refused without saying why"
    else:
        assert article.date.tzinfo is not None
        assert not any(p.severity == "error" for p in problems)


@FUZZ
@given(data=article_bytes)
def test_random_files_give_problems_not_exceptions(practice: tuple[Settings, Path], data: bytes) -> None:
    config, path = practice
    path.write_bytes(data)
    _assert_well_formed(path, data, config)


@FUZZ
@given(fm=yaml_text, body=st.text(max_size=100))
def test_random_yaml_front_matter_gives_problems_not_exceptions(practice: tuple[Settings, Path], fm: str,
                                                                body: str) -> None:
    config, path = practice
    data = ("---\n" + fm + "\n---\n" + body).encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    _assert_well_formed(path, data, config)


@FUZZ_STRUCTURES
@given(extra=front_matter)
def test_random_structures_over_a_valid_article(practice: tuple[Settings, Path], extra: dict[str, object]) -> None:
    """Random keys and values of any shape mixed into a good article: the loader still only reports."""
    config, path = practice
    data = yaml.safe_dump({**valid_front_matter(), **extra}, allow_unicode=True, sort_keys=False)
    raw = ("---\n" + data + "---\n\nBody.\n").encode("utf-8", "surrogatepass")
    path.write_bytes(raw)
    _assert_well_formed(path, raw, config)


@FUZZ_STRUCTURES
@given(data=article_bytes)
def test_load_article_raises_only_content_error(practice: tuple[Settings, Path], data: bytes) -> None:
    config, path = practice
    path.write_bytes(data)
    try:
        article = load_article(path, config, now=now())
    except ContentError as exc:
        assert exc.problems, "a ContentError must say what is wrong"
    else:
        assert article.title and article.description


def test_the_valid_front_matter_used_above_is_accepted(practice: tuple[Settings, Path]) -> None:
    """Guards the property tests: their base article must load, or they would test only refusals."""
    config, path = practice
    path.write_text("---\n" + yaml.safe_dump(valid_front_matter()) + "---\n\nBody.\n", encoding="utf-8")
    article = load_article(path, config, now=now())
    assert article.title == "Why your toothbrush matters"


body_with_images = st.lists(st.one_of(
    st.text(max_size=60),
    st.builds(lambda alt, src: f"![{alt}]({src})", st.text(max_size=10), st.text(max_size=30)),
    st.builds(lambda src: f'<img src="{src}">', st.text(max_size=30)),
    st.sampled_from(["```", "~~~", "[ref]: x.png", "![a][ref]", "DOB 1/2/2000", "call 555-0100",
                     "our patient Ann", "12 Elm St", "a@b.example", "<!-- privacy: ok -->"]),
), max_size=12).map("\n".join)


@FUZZ_STRUCTURES
@given(image=st.text(max_size=40), body=body_with_images)
def test_the_whole_check_reports_and_never_raises(practice: tuple[Settings, Path], image: str, body: str) -> None:
    """Image paths and bodies of any kind (NUL bytes, '..', URLs, broken Markdown) give problems, never a crash."""
    from syndicate.check import check_paths

    config, path = practice
    front = {**valid_front_matter(), "image": image, "image_alt": "A toothbrush"}
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body + "\n",
                    encoding="utf-8", errors="surrogatepass")
    report = check_paths(config, [path], now=now())
    assert report.files == 1
    assert all(p.line >= 1 and p.col >= 1 for p in report.problems)


@FUZZ
@given(text=yaml_text)
def test_front_matter_values_are_exactly_what_the_site_reads(text: str) -> None:
    """The article model's fast construction gives what the blog plugin's yaml.load(SafeLoader) gives."""
    from syndicate.article import _Loader, _value

    if "*" in text:
        return  # aliases are refused before values are built (and can make a structure contain itself)
    try:
        expected = yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the safe loader, as the blog plugin
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, OverflowError):
        return  # refused input is the other tests' business
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    if node is None:
        assert expected is None
        return
    got = _value(loader, node)
    assert got == expected or (got != got and expected != expected)  # NaN is not equal to itself


# Front matter lines as people write them, with YAML's traps among them: the quick reading of plain
# 'key: value' lines must give exactly what the full reading gives, or leave the file to it.
_QUICK_KEYS = st.sampled_from(["title", "description", "date", "authors", "categories", "tags", "slug", "draft",
                               "image", "image_alt", "reviewed_by", "last_reviewed", "readtime", "slides", "links",
                               "hide", "social", "x", "created", "updated", "hashtags", "skip", "no", "on", "null",
                               "Title", "descripton", "a-b", "_c"])
_QUICK_VALUES = st.one_of(
    st.sampled_from(["2026-11-02", "2026-02-30", "2026-11-02 09:30:00", "2026-11-02T09:30:00+01:00", "9:30",
                     "no", "yes", "on", "true", "False", "null", "~", "01234", "0x1f", "1.10", "1e3", "12", "-5",
                     ".inf", "auto", "drlee", "a: b", "a #b", "a#b", "C#", "x:y", "x:", "- a", "[a, b]", "[a,b,]",
                     "[]", "[ ]", "[no, 1.10]", "['a, b']", '["a", "b"]', "[a: b]", "[[a]]", "{a: b}", "&x a",
                     "*x", "!!str 5", "!!python/object x", '"quoted"', "'single'", "'it''s'", '"a \\" b"',
                     '"tab\\t"', '""', "''", "|", ">", "a  ", "é", "Ünïcode title", "x\u2028y", "x\u0085y",
                     "text 😁", "what? yes!", "(a) b/c", "a'b"]),
    st.text("abc 019:-#'\",[]{}?!&*|>%@`\\.é😁", min_size=1, max_size=12),
)
_QUICK_PLAIN_VALUES = st.one_of(
    st.sampled_from(["drlee", "auto", "Flu shots", "[drlee, drpatel]", "[]", '"A: b"', "'C#'", "a/b.jpg",
                     "[flu, shots]", "Why it matters", "'5'", '"2026"']),
    st.text("abcXY.,_/+()'?!-", min_size=1, max_size=12).map(lambda t: "a" + t),
)
_QUICK_SOME_VALUE = st.one_of(*[_QUICK_PLAIN_VALUES] * 6, _QUICK_VALUES)
_QUICK_GOOD_KEYS = st.sampled_from(["title", "description", "date", "authors", "tags", "slug", "draft", "image",
                                    "last_reviewed", "readtime", "social", "x", "created", "hashtags", "a-b"])
_QUICK_ENTRY = st.tuples(st.one_of(*[_QUICK_GOOD_KEYS] * 4, _QUICK_KEYS), st.one_of(
    st.builds(lambda v: [f": {v}"], _QUICK_SOME_VALUE),
    st.builds(lambda i, subs: [":", *(f"{' ' * i}{s}: {v}" for s, v in subs)], st.integers(1, 4),
              st.lists(st.tuples(_QUICK_GOOD_KEYS, _QUICK_SOME_VALUE), min_size=1, max_size=3,
                       unique_by=lambda sub: sub[0])),
))
# Mostly front matter the quick reading takes, with a trap or an odd line now and then.
_QUICK_BLOCKS = st.tuples(
    st.lists(_QUICK_ENTRY, min_size=1, max_size=6, unique_by=lambda entry: entry[0]),
    st.one_of(*[st.just([])] * 4, st.lists(st.sampled_from(["", "  ", "# a comment", "  - item", "x:  y  ", "a :b",
                                                             "title: a", "  x: b"]), min_size=1, max_size=1)),
    st.integers(0, 8),
).map(lambda block: "\n".join(_insert([[k + rest[0], *rest[1:]] for k, rest in block[0]], block[1], block[2])) + "\n")


def _insert(entries: list[list[str]], odd: list[str], where: int) -> list[str]:
    lines = [line for entry in entries for line in entry]
    return lines[:where] + odd + lines[where:]


_QUICK_LINES = st.one_of(_QUICK_BLOCKS, _QUICK_BLOCKS, _QUICK_BLOCKS, st.lists(st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", _QUICK_KEYS, _QUICK_VALUES),
    st.builds(lambda k, s, v: f"{k}:{s}{v}", _QUICK_KEYS, st.sampled_from(["", "  ", "\t"]), _QUICK_VALUES),
    st.builds(lambda k, i, v: f"{i}{k}: {v}", _QUICK_KEYS, st.sampled_from([" ", "  ", "    ", "   "]), _QUICK_VALUES),
    st.builds(lambda k: f"{k}:", _QUICK_KEYS),
    st.sampled_from(["", "  ", "# a comment", "  - item", "- item", "---", "...", "social:", "date:"]),
), min_size=1, max_size=10).map(lambda lines: "\n".join(lines) + "\n"))


@settings(FUZZ, max_examples=1000)
@given(fm=_QUICK_LINES)
def test_the_quick_reading_of_front_matter_is_the_full_reading(practice: tuple[Settings, Path], fm: str) -> None:
    """Values, each key's line and column, the text as written and every problem: the same by either reading."""
    from syndicate.article import _Reader

    config, path = practice
    text = "---\n" + fm + "---\n\nBody.\n"

    def reading(quick: bool) -> tuple[object, ...]:
        reader = _Reader(path, config, now())
        reader.text = text
        if not quick:
            reader._quick_yaml = lambda _fm: None  # type: ignore[method-assign]
        split = reader._split()
        assert split is not None
        data = reader._parse_yaml(split[0])
        article = reader._build(data, split[1], split[2]) if data is not None else None
        return data, article, reader.lines, reader.cols, reader.raw, sorted(reader.problems), reader.reported

    assert reading(quick=True) == reading(quick=False)


def test_the_quick_reading_reads_the_usual_front_matter(practice: tuple[Settings, Path]) -> None:
    """Guards the property test above: the common file (groups, lists, dates, quoted text) is read quickly."""
    from syndicate.article import _Reader

    config, path = practice
    reader = _Reader(path, config, now())
    fm = ('title: "Flu shots: what to know"\ndescription: Why a yearly shot helps.\ndate:\n  created: 2026-11-02\n'
          "authors: [drlee]\ntags: [flu, vaccines]\nsocial:\n  x: 'Flu season is here'\n  hashtags: [FluShot]\n")
    data = reader._quick_yaml(fm)
    assert data is not None
    assert data["date"]["created"].isoformat() == "2026-11-02"
    assert data["social"] == {"x": "Flu season is here", "hashtags": ["FluShot"]}
    assert reader.lines["social.hashtags"] == 10 and reader.cols["social.hashtags"] == 3
