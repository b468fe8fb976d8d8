"""The vocabulary as data: every class's examples match it and its counterexamples do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.understanding.lexicon import LEXICON, load_lexicon, phrase_regex

CASES = [(name, text, True) for name, c in LEXICON.classes.items() for text in c.examples] + [
    (name, text, False) for name, c in LEXICON.classes.items() for text in c.counterexamples
]


@pytest.mark.parametrize(("name", "text", "matches"), CASES, ids=[f"{n}:{t[:30]}" for n, t, _ in CASES])
def test_examples_and_counterexamples(name: str, text: str, matches: bool) -> None:
    found = LEXICON.regex(name).search(text.lower())
    assert bool(found) is matches, (name, text, found and found.group())


def test_every_class_has_examples_and_counterexamples() -> None:
    thin = [n for n, c in LEXICON.classes.items() if not c.examples or not c.counterexamples]
    assert not thin


@pytest.mark.parametrize(
    ("phrase", "hit", "miss"),
    [
        ("stand-up(s)", "two standups a week", "stand upright"),
        ("sceptic*", "sceptical", "a septic tank"),
        ("failed ~3 before", "it failed twice here before", "failed on paper, then before"),
        ("re:channel(?! manager)", "a slack channel", "the channel manager"),
    ],
)
def test_phrase_syntax(phrase: str, hit: str, miss: str) -> None:
    import re

    rx = re.compile(r"(?<!\w)(?:" + phrase_regex(phrase) + r")(?!\w)")
    assert rx.search(hit)
    assert not rx.search(miss)


def test_a_malformed_file_names_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "lexicon.yaml"
    bad.write_text("classes:\n  channels:\n    about: meetings\n    phrases: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lexicon\.yaml: field 'classes\.channels\.phrases'"):
        load_lexicon(bad)


def test_a_missing_class_says_where_to_add_it() -> None:
    with pytest.raises(KeyError, match="add it under 'classes'"):
        LEXICON.regex("no_such_class")


def test_a_class_may_include_another_but_not_an_unknown_one(tmp_path: Path) -> None:
    good = LEXICON.regex("area_communications_lead")
    assert good.search("who sends the newsletter") and good.search("keep everyone in the loop")
    bad = tmp_path / "lexicon.yaml"
    bad.write_text("classes:\n  a:\n    about: words\n    phrases: ['@nope']\n", encoding="utf-8")
    with pytest.raises(ValueError, match="includes unknown class '@nope'"):
        load_lexicon(bad)
