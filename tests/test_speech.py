"""Speech-to-text text: pauses, apostrophes and name capitals restored, spans traced back exactly."""

from __future__ import annotations

import pytest

from assistant.domain import Extraction, UnderstandingContext, Utterance
from assistant.understanding import BuiltinUnderstanding
from assistant.understanding.speech import caseless, prepare, truecase


def test_fillers_become_pauses_without_moving_characters() -> None:
    said = "so um I think uh Ana runs it"
    rw = prepare(said)
    assert len(rw.text) == len(said)
    assert "um" not in rw.text.split() and "," in rw.text
    assert rw.source("Ana runs it", said) == "Ana runs it"


def test_contractions_get_apostrophes_back_only_in_caseless_text() -> None:
    said = "thats him hes on it i dont know"
    rw = prepare(said)
    assert rw.text == "that's him he's on it i don't know"
    assert rw.source("he's on it", said) == "hes on it"
    assert rw.source("i don't know", said) == "i dont know"
    cased = "Its owner is Ana, thats all."
    assert prepare(cased).text == cased


def test_caseless_needs_a_few_words() -> None:
    assert caseless("ask kwame about it")
    assert not caseless("Ask Kwame about it")
    assert not caseless("me")


def test_truecase_restores_known_and_lexicon_names_not_common_words() -> None:
    text = "i think tomasz wrona will send it and mark will check with priya"
    out = truecase(text, ["Priya Raman"])
    assert "Tomasz Wrona" in out and "Priya" in out
    assert "mark will" in out and " will " in out  # everyday words stay as they were
    assert out.startswith("I think")


@pytest.fixture(scope="module")
def engine() -> BuiltinUnderstanding:
    return BuiltinUnderstanding()


def understand(engine: BuiltinUnderstanding, text: str, **ctx: list[str]) -> Extraction:
    utt = Utterance(text=text, speaker="Priya Raman", turn_id="t1", question="how do we keep everyone in the loop")
    x = engine.understand(utt, UnderstandingContext(stakeholders=["Priya Raman"], **ctx))
    for span in [a.span for a in x.assignments] + [f.span for f in x.facts]:
        assert span in text
    return x


def test_a_lowercase_unpunctuated_line_names_the_person_it_is_about(engine: BuiltinUnderstanding) -> None:
    x = understand(engine, "um so yeah priya here i think uh tomasz wrona will send the weekly email to everyone")
    assert {(a.person, a.role) for a in x.assignments} == {("Tomasz Wrona", "communications_lead")}
