"""X's weighted length against twitter-text's official conformance cases.

The cases come from ``twitter/twitter-text`` ``conformance/validate.yml``, kept
in ``../shared/contracts/twitter-text/``. ``WeightedTweetsCounterTest`` is
written for the v2 rules (no emoji discount) and
``WeightedTweetsWithDiscountedEmojiCounterTest`` for v3, the rules X uses now
and the ones ``syndicate.text.count("x", ...)`` applies.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SHARED

from syndicate.text import count, count_at_most, x_config, x_length, x_options

CONTRACTS = SHARED / "contracts" / "twitter-text"
VALIDATE = CONTRACTS / "validate.yml"
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _rejoin(text: str) -> str:
    # PyYAML reads the file's "\uD83D\uDE00" escapes as two lone surrogates; Python wants one character.
    return _SURROGATE_PAIR.sub(lambda m: m.group(0).encode("utf-16", "surrogatepass").decode("utf-16"), text)


def _cases(group: str) -> list[Any]:
    if not VALIDATE.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"missing {VALIDATE}"), id="missing-validate.yml")]
    data = yaml.safe_load(VALIDATE.read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["description"]) for case in data["tests"][group]]


def _contract(name: str) -> dict[str, Any]:
    path = CONTRACTS / name
    if not path.exists():
        pytest.skip(f"missing {path}")
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("case", _cases("WeightedTweetsWithDiscountedEmojiCounterTest"))
def test_x_counts_like_twitter_text_v3(case: dict[str, Any]) -> None:
    text = _rejoin(case["text"])
    assert count("x", text) == case["expected"]["weightedLength"]


@pytest.mark.parametrize("case", _cases("WeightedTweetsWithDiscountedEmojiCounterTest")
                         + _cases("UnicodeDirectionalMarkerCounterTest"))
def test_the_quick_upper_bound_is_never_below_the_count(case: dict[str, Any]) -> None:
    text = _rejoin(case["text"])
    assert count_at_most("x", text) >= case["expected"]["weightedLength"]


@pytest.mark.parametrize("case", _cases("WeightedTweetsCounterTest"))
def test_x_counter_follows_the_v2_rules_when_given_them(case: dict[str, Any]) -> None:
    options = x_options(_contract("v2.json"))  # v2.json has no emojiParsingEnabled key
    assert x_length(_rejoin(case["text"]), options) == case["expected"]["weightedLength"]


@pytest.mark.parametrize("case", _cases("UnicodeDirectionalMarkerCounterTest"))
def test_x_counts_directional_and_invalid_characters(case: dict[str, Any]) -> None:
    assert count("x", _rejoin(case["text"])) == case["expected"]["weightedLength"]


def test_the_shipped_x_rules_are_twitter_texts_v3_json() -> None:
    assert x_config() == x_options(_contract("v3.json"))
    assert x_config()["emoji_parsing_enabled"] is True


def test_the_shipped_copy_keeps_its_license() -> None:
    data = Path(__file__).resolve().parent.parent / "syndicate" / "data"
    assert "Apache License" in (data / "twitter-text.LICENSE").read_text(encoding="utf-8")
