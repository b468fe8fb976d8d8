"""Question frames for terse answers, and nicknames tied to a full name (within and across turns)."""

from __future__ import annotations

import pytest

from assistant.domain import Extraction, ItemId, UnderstandingContext, Utterance
from assistant.understanding import BuiltinUnderstanding

SPEAKER = "Ana Lopes"


@pytest.fixture(scope="module")
def engine() -> BuiltinUnderstanding:
    return BuiltinUnderstanding()


def run(
    engine: BuiltinUnderstanding,
    text: str,
    item: ItemId | None,
    question: str | None = None,
    stakeholders: list[str] | None = None,
    aliases: dict[str, str] | None = None,
    side: str = "client",
) -> Extraction:
    utt = Utterance(text=text, speaker=SPEAKER, turn_id="t1", item=item, question=question, side=side)  # type: ignore[arg-type]
    ctx = UnderstandingContext(stakeholders=stakeholders or [SPEAKER], aliases=aliases or {})
    return engine.understand(utt, ctx)


def pairs(x: Extraction) -> set[tuple[str, str]]:
    return {(a.person, a.role) for a in x.assignments}


@pytest.mark.parametrize(
    ("text", "item", "question", "expected"),
    [
        ("Our regional director, Baek Ji-hoon.", "accountability", None, ("Baek Ji-hoon", "accountable_owner")),
        ("Tomi Aalto and his team.", "training", "Who will lead the training?", ("Tomi Aalto", "training_lead")),
        ("Councillor Mairi Boyd.", "roles", "Who is sponsoring the project?", ("Mairi Boyd", "executive_sponsor")),
        ("Ngozi Eze. IT.", "roles", "Who else holds which role?", ("Ngozi Eze", "technical_lead")),
    ],
)
def test_a_verbless_answer_fills_the_slot_the_question_opened(
    engine: BuiltinUnderstanding, text: str, item: ItemId, question: str | None, expected: tuple[str, str]
) -> None:
    x = run(engine, text, item, question)
    assert pairs(x) == {expected}
    assert all(a.rule == "frame" for a in x.assignments)


@pytest.mark.parametrize(
    ("text", "item", "question", "side"),
    [
        ("Ana Lopes, depot operations.", "accountability", None, "client"),  # an introduction
        ("Thanks Grace Obi.", "monitoring", "Who reviews the numbers?", "client"),
        ("Rasa Petrauskiene.", "communication", "Who will be the contact for our project manager?", "client"),
        ("Dan Ruiz.", "training", "Who leads the training?", "provider"),
        ("Hugo Berg is accountable for the whole programme.", "training", None, "client"),
    ],
)
def test_no_slot_is_filled_by_what_is_not_an_answer_to_it(
    engine: BuiltinUnderstanding, text: str, item: ItemId, question: str | None, side: str
) -> None:
    x = run(engine, text, item, question, side=side)
    assert not any(a.rule == "frame" for a in x.assignments)
    assert ("Hugo Berg", "training_lead") not in pairs(x)


def test_a_bare_list_answers_the_scope_question(engine: BuiltinUnderstanding) -> None:
    x = run(engine, "Rota planning, payroll export, the two depots.", "scope", "What changes, and for whom?")
    assert {(f.item, f.status) for f in x.facts} == {("scope", "covered")}
    assert not run(engine, "Rota planning.", "scope").facts


@pytest.mark.parametrize(
    ("text", "nick", "full", "role"),
    [
        (
            "Augustine Okafor, our operations director, is accountable; everyone calls him Gus.",
            "Gus",
            "Augustine Okafor",
            "accountable_owner",
        ),
        (
            "Aleksandra Nowak, Ola to most of us, hosts the Thursday stand-up.",
            "Ola",
            "Aleksandra Nowak",
            "communications_lead",
        ),
    ],
)
def test_a_nickname_said_with_the_full_name_is_that_person(
    engine: BuiltinUnderstanding, text: str, nick: str, full: str, role: str
) -> None:
    x = run(engine, text, None)
    assert pairs(x) == {(full, role)}
    assert x.aliases.get(nick) == full
    assert nick not in x.people


def test_a_known_nickname_and_a_short_first_name_resolve_in_later_turns(engine: BuiltinUnderstanding) -> None:
    x = run(engine, "Funmi will run the training.", "training", aliases={"Funmi": "Olufunmilayo Adebayo"})
    assert pairs(x) == {("Olufunmilayo Adebayo", "training_lead")}
    x = run(engine, "The data migration is on Kev.", "roles", stakeholders=[SPEAKER, "Kevin Nuttall"])
    assert pairs(x) == {("Kevin Nuttall", "technical_lead")}


def test_a_role_denied_in_the_sentence_is_not_given_by_a_weaker_cue(engine: BuiltinUnderstanding) -> None:
    assert not pairs(run(engine, "Dmitri Volkov is the day-to-day contact, not the owner.", "accountability"))
    x = run(engine, "Oksana Bilyk runs a meeting with your project manager every Monday.", "communication")
    assert pairs(x) == {("Oksana Bilyk", "communications_lead")}
