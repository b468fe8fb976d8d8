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
    assert rw.text == "that's him, he's on it, i don't know"
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


def test_a_new_subject_starts_a_new_clause_in_unpunctuated_speech() -> None:
    said = "not me its babatunde olawale our head of claims hes accountable for it i just do the admin"
    rw = prepare(said)
    assert "claims, he's accountable for it, i just" in rw.text
    assert rw.source("he's accountable for it,", said) == "hes accountable for it"
    assert "i think he" in prepare("i think he will do it").text  # a reporting verb keeps its clause


def test_unknown_word_pairs_are_names_only_when_long_enough() -> None:
    assert "Babatunde Olawale" in truecase("ask babatunde olawale about it", [])
    assert "scada hmi" in truecase("we watch the scada hmi all day", [])


def test_stakeholder_names_in_speech_become_the_person(engine: BuiltinUnderstanding) -> None:
    text = "not me no no its uh babatunde olawale our head of claims hes accountable for it i just do the admin bits"
    x = understand(engine, text)
    assert {(a.person, a.role) for a in x.assignments} == {("Babatunde Olawale", "accountable_owner")}
