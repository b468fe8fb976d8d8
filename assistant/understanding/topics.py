"""What an answer talks about: the objects it names (the plan, the integrations, the KPIs, a channel),
the object a cue takes, and the topic at each point, which a verb with a pronoun or no object takes
("I run it")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain import RoleId
from assistant.understanding.clauses import words
from assistant.understanding.doc import Clause, Doc, Holder
from assistant.understanding.question_cues import question_role
from assistant.understanding.role_cues import FILLERS, ITEM_ROLE, OBJ_PATTERNS, OBJ_ROLE, PRONOUN_OBJ, TEAM_AFTER


@dataclass
class ObjMatch:
    cls: str
    tok_start: int
    tok_end: int
    team: bool
    text: str = ""


# in an answer about training, webinars and guides are training work, not a communication channel
_TRAIN_CONTEXT_OBJ = re.compile(
    r"\b(?:webinars?|(?:user |quick |how-to |step-by-step |reference |training |short )?guides|manuals?|"
    r"walk-?throughs?|how-to videos?|training videos?)\b"
)


_ROLE_HEADS = frozenset(["manager", "managers", "lead", "leads", "director", "coordinator", "officer", "sponsor"])


def object_matches(doc: Doc) -> list[ObjMatch]:
    out: list[ObjMatch] = []
    if doc.item == "training":
        for m in _TRAIN_CONTEXT_OBJ.finditer(doc.low):
            a = doc.tok_at(m.start())
            b = doc.tok_at(m.end() - 1) + 1
            out.append(ObjMatch("TRAIN", a, b, False, m.group()))
    for cls, rx in OBJ_PATTERNS:
        for m in rx.finditer(doc.low):
            a = doc.tok_at(m.start())
            b = doc.tok_at(m.end() - 1) + 1
            if any(o.tok_start <= a < o.tok_end for o in out):
                continue  # earlier classes win on overlap (PM "day to day", GOV before CHANNEL)
            team = bool(TEAM_AFTER.match(doc.low[m.end() : m.end() + 20]))
            if cls == "TECH" and m.group() == "it side" and doc.text[m.start() : m.start() + 2] != "IT":
                continue
            if cls == "PROJECT" and b < len(doc.tokens) and doc.tokens[b].low in _ROLE_HEADS:
                continue  # "a sync with your project manager": a person, not the project
            out.append(ObjMatch(cls, a, b, team, m.group()))
    out.sort(key=lambda o: o.tok_start)
    return out


def topic_at(doc: Doc, objs: list[ObjMatch], tok: int) -> RoleId | None:
    """The role the answer is about just before token `tok`: the last object mentioned, else the item's."""
    for o in reversed(objs):
        if o.cls == "TECH" and _located(doc, o):
            continue  # "batches recorded in the system": where the work happens, not what is talked about
        if (
            doc.item == "monitoring"
            and o.cls in ("CHANNEL", "TECH", "TRAIN")
            and _COUNTED.search(doc.sent_low(doc.sent_of(o.tok_start)))
        ):
            continue  # "how many reps log their calls": the thing counted by a metric, not a new topic
        if o.tok_end <= tok and o.cls == "GOV":
            return None
        if o.tok_end <= tok and not o.team and o.cls in OBJ_ROLE and o.cls not in ("PM", "MREVIEW"):
            return OBJ_ROLE[o.cls]
        if o.tok_end <= tok and o.cls == "PROJECT" and not o.team:
            break
    if doc.item and doc.item in ITEM_ROLE:
        return ITEM_ROLE[doc.item]
    if not objs and _bare(doc):
        # "That's all mine." after "And the technical side: network, the POS integration?": the item
        # ("roles") names no role, the question's words do
        return question_role(doc.utt.question)
    return None


def _bare(doc: Doc) -> bool:
    """A short answer with nothing but its holder and an ownership phrase: 'That's all mine.', 'Me.',
    'I've got that.'"""
    return sum(1 for t in doc.tokens if t.is_word) <= 8


_COUNTED = re.compile(
    r"\b(?:how many|number of|share of|proportion of|percentage of|per cent|percent|rates?|per (?:rep|user|week|"
    r"day|month|site|store|shift|agent|line))\b|%"
)
_LOC_PREPS = frozenset(words("in into through via from using within inside"))
_LOC_DETS = frozenset(words("the our a an new their your this that"))


def _located(doc: Doc, o: ObjMatch) -> bool:
    """A system named as the place work is done: 'in the system', 'through the new portal', 'from the model'."""
    k = o.tok_start - 1
    while k >= 0 and doc.tokens[k].low in _LOC_DETS:
        k -= 1
    return k >= 0 and doc.tokens[k].low in _LOC_PREPS


def relative_antecedent(doc: Doc, objs: list[ObjMatch], h: Holder) -> str | None:
    """'the Wednesday stand-up that X runs': the object class of the noun a relative clause hangs on."""
    k = h.tok_start - 1
    if k < 1 or doc.tokens[k].low not in ("that", "which", "whom"):
        return None
    s_start = doc.sent_tok[doc.sent_of(k)][0]
    cands = [o for o in objs if max(s_start, k - 8) <= o.tok_start and o.tok_end <= k]
    for o in reversed(cands):
        if o.team or o.cls not in OBJ_ROLE or o.cls in ("PM", "ACC", "MREVIEW"):
            continue
        return o.cls
    return None


def object_for(
    doc: Doc, c: Clause, objs: list[ObjMatch], v_start: int, v_end: int, stop: int
) -> tuple[str | None, bool]:
    """(object class, pronoun-object) for a verb at [v_start, v_end): forward first, then backward in the clause."""
    window_end = min(stop, c.end, v_end + 12)
    fwd = [o for o in objs if v_end <= o.tok_start < window_end]
    # a pronoun object right after the verb ("run it", "lead that") means the topic
    k = v_end
    while k < window_end and doc.tokens[k].low in ("the", "a", "an", "all", "up", "over", "on", "of", "out"):
        k += 1
    pron = k < window_end and doc.tokens[k].low in PRONOUN_OBJ
    if fwd and not (pron and fwd[0].tok_start > k + 1):
        o = fwd[0]
        if o.cls == "PROJECT" and any(x.cls == "PM" for x in fwd):
            return "PM", False
        if o.cls == "PROJECT" and len(fwd) > 1 and fwd[1].tok_start <= o.tok_end + 2:
            o = fwd[1]  # "the weekly project call" is a call
        if o.cls == "TECH" and o.text.startswith("data") and doc.item == "monitoring":
            return "METRIC", False
        if o.cls == "ACC" and len(fwd) > 1 and fwd[1].tok_start <= o.tok_end + 3 and fwd[1].cls in OBJ_ROLE:
            o = fwd[1]  # "the responsibility for training"
        if o.team:
            return "TEAM", False
        return o.cls, False
    if pron:
        return None, True
    back = [o for o in objs if c.start <= o.tok_start and o.tok_end <= v_start]
    if back:
        o = back[-1]
        if o.team:
            return "TEAM", False
        return o.cls, False
    nothing_after = all(not t.is_word or t.low in FILLERS for t in doc.tokens[v_end:window_end])
    return None, nothing_after


def accountable_for(doc: Doc, c: Clause, objs: list[ObjMatch], b: int) -> RoleId | None:
    """'accountable for teacher training' is the training lead, not the accountable owner."""
    if b < c.end and doc.tokens[b].low in ("for", "of", "on"):
        nxt = [o for o in objs if b < o.tok_start <= b + 4]
        if nxt and not nxt[0].team and nxt[0].cls in ("TRAIN", "CHANNEL", "METRIC", "TECH"):
            if nxt[0].cls == "TECH" and not _TECH_PART.search(nxt[0].text):
                return None  # "accountable for the portal": the thing being deployed, so the accountable owner
            return OBJ_ROLE[nxt[0].cls]
    return None


_TECH_PART = re.compile(
    r"integration|interface|api|data|migration|infra|server|network|device|hardware|scanner|handheld|technical|"
    r"tech|security|sign-on|sso|cut-?over|database|environment|connection|hosting|architecture|config|feeds|"
    r"edi|ftp|link|etl|middleware|connector|endpoint|web ?service"
)
