"""Hostile text through the whole engine: no prompt-injection text may change the kickoff's state.

Every entry of tests/data/hostile_texts.yaml runs three ways:
- direct: embedded in a stakeholder's interview answer (after a normal sentence);
- transcript: as a client's segment in a live call;
- indirect: in an ingested document whose passage is really retrieved from chroma and used to answer
  the stakeholder's question.
Each run is compared with a twin run in which the hostile sentences are removed (the text the guard
keeps; tests/test_guard.py checks separately that this keeps the normal part and drops the attack).
Assignments, coverage and flags must match exactly, except the quarantine flag the attack adds.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.config import Settings
from assistant.engine import Engine, PassageLike
from assistant.factory import build_engine
from assistant.knowledge.index import KnowledgeBase, Passage
from assistant.live import Segment, add_segment, set_side, start_call
from assistant.state import KickoffState, Stakeholder
from assistant.understanding.guard import normalise, screen

DATA = Path(__file__).parent / "data"
HOSTILE: list[dict[str, Any]] = yaml.safe_load((DATA / "hostile_texts.yaml").read_text(encoding="utf-8"))
IDS = [e["id"] for e in HOSTILE]
BRIEF = "Roll out a new electronic rostering system to the wards of St Mary's hospital by spring."
OWNER = "Maria Lopez"
HOST = "Our rollout has a weekly steering meeting on Mondays."  # the normal answer the attack rides in
TENANT = "hostile"


def fold(s: str) -> str:
    return " ".join(normalise(s).casefold().split())


def snapshot(engine: Engine, state: KickoffState) -> dict[str, Any]:
    """What an attack wants to change: who holds which role, what is covered, which flags are raised."""
    a = engine.assess(state)
    return {
        "assignments": sorted((x.person, x.role) for x in state.assignments if x.active),
        "groups": sorted((g.group, g.role) for g in state.groups if g.active),
        "facts": sorted((f.item, f.status) for f in state.facts if f.active),
        "risks": sorted((r.risk, r.subject or "") for r in state.risks if r.active),
        "coverage": dict(a.coverage),
        "accountable": a.accountable,
        # Pending changes by what they would do (their ids count entries, which the quarantine also uses).
        "pending": sorted((p.person or "", p.role, p.status) for p in state.pending),
        "flags": sorted(f"{f.kind}:{f.id}" for f in a.flags if f.kind not in ("quarantine", "pending_change")),
    }


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine(Settings(), retrieval=False)


def kickoff(engine: Engine) -> KickoffState:
    return engine.new_kickoff(
        "k1",
        BRIEF,
        "Rostering rollout",
        [Stakeholder(name=OWNER, title="Director of Nursing"), Stakeholder(name="Lena Voss", side="provider")],
    )


def test_corpus_size() -> None:
    assert len(HOSTILE) >= 100
    print(f"hostile corpus: {len(HOSTILE)} texts, each run as an answer, a transcript segment and a document")


# ---- direct: inside an interview answer ----------------------------------------------------------


def interview_after(engine: Engine, answer: str) -> KickoffState:
    state = kickoff(engine)
    sid = engine.start_interview(state, OWNER).session_id
    engine.reply(state, sid, "I'm accountable for the rollout; Tom Becker is our technical lead.")
    engine.reply(state, sid, answer)
    return state


@pytest.mark.parametrize("entry", HOSTILE, ids=IDS)
def test_hostile_answer_changes_no_state(engine: Engine, entry: dict[str, Any]) -> None:
    answer = f"{HOST}\n{entry['text'].strip()}"
    guarded = screen(answer)
    assert guarded.quarantined, "the guard let the attack through"
    assert fold(HOST) in fold(guarded.clean)
    hostile = interview_after(engine, answer)
    twin = interview_after(engine, guarded.clean)
    assert snapshot(engine, hostile) == snapshot(engine, twin)
    assert hostile.quarantined, "the attack was not recorded for the facilitator"
    assert any(f.kind == "quarantine" for f in engine.assess(hostile).flags)


# ---- transcript: a client's segment in a live call -----------------------------------------------


def call_after(engine: Engine, segment: str) -> KickoffState:
    state = kickoff(engine)
    call = start_call(engine, state, "Kickoff call")
    set_side(state, call.id, "Lena Voss", "provider")
    for speaker, text in [
        ("Lena Voss", "Thanks for joining. Who is accountable for the rollout on your side?"),
        (OWNER, "That's me, I'm accountable for the rollout. Tom Becker is our technical lead."),
        ("Lena Voss", "Great. Who will run the training for the ward staff?"),
    ]:
        add_segment(engine, state, call.id, Segment(speaker=speaker, text=text))
    if segment.strip():
        add_segment(engine, state, call.id, Segment(speaker=OWNER, text=segment))
    return state


@pytest.mark.parametrize("entry", HOSTILE, ids=IDS)
def test_hostile_transcript_segment_changes_no_state(engine: Engine, entry: dict[str, Any]) -> None:
    segment = entry["text"].strip()
    hostile = call_after(engine, segment)
    twin = call_after(engine, screen(segment).clean)
    assert snapshot(engine, hostile) == snapshot(engine, twin)
    assert hostile.quarantined


# ---- indirect: a retrieved passage of an ingested document ---------------------------------------


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """One tenant document holding every hostile text, each under its own heading (one chunk each)."""
    tmp = tmp_path_factory.mktemp("hostile-kb")
    kb = KnowledgeBase(Settings(data_dir=tmp))
    kb._playbook_checked = True  # only the tenant document matters here; indexing the playbook costs ~15 s
    doc = tmp / "vendor-guide.md"
    doc.write_text(
        "# Vendor rollout guide\n\n" + "\n\n".join(f"## Section {e['id']}\n\n{e['text'].strip()}\n" for e in HOSTILE),
        encoding="utf-8",
    )
    report = kb.ingest([doc], tenant=TENANT)
    assert report.ok, report
    yield kb


class FixedRetriever:
    """Returns the given passages whatever the question: the engine sees exactly what chroma returned."""

    def __init__(self, passages: list[PassageLike]) -> None:
        self.passages = passages

    def search(self, query: str, k: int) -> list[PassageLike]:
        return self.passages[:k]


def section_of(p: PassageLike) -> str:
    parts = p.citation.heading.split(" > ")
    return parts[1] if len(parts) > 1 else ""


def is_part_of(passage: str, text: str) -> bool:
    """A chunk cut from this entry (an entry with its own markdown headings is split into several)."""
    a, b = fold(passage), fold(text)
    return bool(a) and (a in b or b in a)


def asked(engine: Engine, passages: list[PassageLike]) -> tuple[KickoffState, str]:
    e = Engine(engine.book, engine.understanding, retriever=FixedRetriever(passages))
    state = kickoff(e)
    sid = e.start_interview(state, OWNER).session_id
    e.reply(state, sid, "I'm accountable for the rollout; Tom Becker is our technical lead.")
    turn = e.reply(state, sid, "What does the vendor guide say about the go-live checklist?")
    return state, turn.text


@pytest.mark.parametrize("entry", HOSTILE, ids=IDS)
def test_hostile_document_passage_changes_no_state(engine: Engine, kb: KnowledgeBase, entry: dict[str, Any]) -> None:
    # Retrieve with the passage's own text, so chroma really returns the hostile chunk for this entry.
    found = kb.search(entry["text"], 3, tenant=TENANT)
    mine = [p for p in found if section_of(p) == f"Section {entry['id']}" or is_part_of(p.text, entry["text"])]
    assert mine, f"the hostile chunk was not retrieved: {[p.citation.heading for p in found]}"
    clean = [Passage(text=screen(p.text).clean or "(empty)", citation=p.citation, score=p.score) for p in mine]
    hostile, reply = asked(engine, list(mine))
    twin, _ = asked(engine, list(clean))
    assert snapshot(engine, hostile) == snapshot(engine, twin)
    assert reply  # the question was answered, from the retrieved passage
