"""Question frames: the question just asked opens a slot, and a terse answer fills it.

Slot-filling dialogue systems stay robust to short answers by reading them against the question:
"Me." to "who will be accountable?" is the speaker as accountable owner; "Tomi and his team." to
"who leads the training?" is Tomi as training lead; "Rota planning, payroll export, the two
depots." to the scope question is the scope. The frame is read first for answers that are too
short to carry their own verb; longer answers are left to the rules, which can see who does what.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain import ItemId, ProposedFact, RoleId, Utterance
from assistant.understanding.doc import Doc, Holder
from assistant.understanding.facts import ITEM_OF_ROLE
from assistant.understanding.lexicon import LEXICON
from assistant.understanding.question_cues import question_role
from assistant.understanding.role_cues import descriptor_role, negates
from assistant.understanding.roles import RawAssignment

# The person each item's own question asks for (DOMAIN.md: the item's core fact is that person).
_ITEM_SLOT: dict[str, RoleId] = {item: role for role, item in ITEM_OF_ROLE.items()}
_MAX_WORDS = 8
_ALLOWED_AUX = frozenset(["will", "am", "'m", "'ll", "can", "do", "shall", "would", "is", "'s", "does"])
_NOT_ANSWERS = frozenset(["thanks", "thank", "cheers", "hi", "hello", "hey", "welcome", "morning", "sorry", "bye"])
_FRAGMENT_SEP = frozenset([",", ";", "and", "&", "plus", "+", "/"])
_CONTACT_Q = re.compile(r"(?i)\bcontact\b")
# the asker's own people ("how often will you meet our project manager?") are not the slot
_ASKER_OWN = re.compile(r"(?i)\b(?:our|my) (?:project manager|pm|consultants?|team|trainers?|engineers?)\b")


@dataclass(frozen=True)
class Frame:
    item: ItemId | None
    role: RoleId | None  # the person the question asks for, if it asks for one


def open_frame(utt: Utterance) -> Frame:
    q = utt.question or ""
    if _CONTACT_Q.search(q):
        return Frame(utt.item, None)  # a contact is not a role: "who is our main contact day to day?"
    role = question_role(_ASKER_OWN.sub("", q)) if q else None
    return Frame(utt.item, role or _ITEM_SLOT.get(utt.item or ""))


def _terse_words(doc: Doc) -> list[int] | None:
    """Token indices of a short statement with no verb of its own, else None."""
    if any(doc.is_question(s) for s in range(len(doc.sent_spans))):
        return None
    idx = [t.i for t in doc.tokens if t.is_word and t.low not in LEXICON.words("fillers")]
    if not idx or len(idx) > _MAX_WORDS:
        return None
    if any(negates(doc.tokens[i].low) for i in idx):
        return None
    return idx


def frame_holders(doc: Doc) -> list[Holder]:
    """The one client person a verbless answer names: 'Me.', 'Our regional director, Baek Ji-hoon.',
    "Ops - Zoltán Varga's team.", 'Tomi and his team.', 'Councillor Mairi Boyd.'"""
    idx = _terse_words(doc)
    if idx is None or doc.utt.side == "provider" or doc.tokens[idx[0]].low in _NOT_ANSWERS:
        return []  # the asker's own "Thanks Grace." answers nothing
    people = [h for h in doc.holders if h.kind in ("person", "speaker")]
    if not people or any(h.kind in ("we", "nobody", "other") for h in doc.holders):
        return []
    if len({h.name for h in people}) != 1 or not people[0].assignable:
        return []
    if any(h.kind == "person" and h.name == doc.speaker for h in people):
        return []  # "Grace, practice educator.": an introduction, not an answer
    h = people[0]
    if h.kind == "speaker" and doc.tokens[h.tok_start].low not in ("me", "myself", "i", "i'll", "i'm"):
        return []
    inside = {i for p in people for i in range(p.tok_start, p.tok_end)}
    for i in idx:
        if i in inside or not doc.verbish(i):
            continue
        if doc.tokens[i].low in _ALLOWED_AUX and i - 1 in inside and i == idx[-1]:
            continue  # "I will.", "Hamid is."
        return []
    return [h]


def frame_assignments(doc: Doc, frame: Frame) -> list[RawAssignment]:
    """A terse answer fills the open frame's person slot (or, to the roles question, the role its
    descriptor names: 'Ngozi Eze. IT.' is the technical lead)."""
    holders = frame_holders(doc)
    if not holders or not doc.clauses:
        return []
    role = frame.role or next((r for c in doc.clauses if (r := descriptor_role(doc, c))), None)
    if role is None:
        return []
    return [RawAssignment(h, role, doc.clauses[0], how="frame") for h in holders]


def fragment_list(doc: Doc, frame: Frame) -> ProposedFact | None:
    """A bare list of things answering the scope question is its scope: 'Rota planning, payroll
    export, the two depots.' (two or more short fragments, no verb, nobody named)."""
    if frame.item != "scope":
        return None
    idx = _terse_words(doc)
    if idx is None or any(doc.verbish(i) for i in idx) or doc.holders:
        return None
    parts, size = 1, 0
    for t in doc.tokens:
        if t.low in _FRAGMENT_SEP:
            parts += size > 0
            size = 0
        elif t.is_word:
            size += 1
    if parts < 2:
        return None
    return ProposedFact(item="scope", span=doc.text.strip(), status="covered", rule="frame")
