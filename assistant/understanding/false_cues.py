"""Text that matches a role cue but gives no project role: a speaker introducing themselves, a job title
("project director at Gradwell"), the other side's role ("your PM"), a verb used as a noun ("the weekly
post"), "pm" as a time of day."""

from __future__ import annotations

import re

from assistant.understanding.clauses import fold, words
from assistant.understanding.doc import Clause, Doc

_INTRO_LEAD = frozenset(words("hi hello hey morning afternoon evening all everyone yes yeah sorry so and oh ok okay"))


def self_introduction(doc: Doc, c: Clause) -> bool:
    """'Dan Ruiz, site operations.' / 'I'm Sophie, project director at Gradwell' said by Dan / Sophie: an
    introduction, which states nothing about project roles."""
    toks = [t for t in doc.tokens[c.start : c.end] if t.is_word]
    k = 0
    while k < len(toks) and toks[k].low in _INTRO_LEAD:
        k += 1
    if k < len(toks) and toks[k].low in ("i'm", "i", "it's", "this", "my"):
        k0 = k
        while k < len(toks) and toks[k].low in ("i'm", "i", "am", "it's", "this", "is", "my", "name", "here"):
            k += 1
        if k == k0:
            return False
    if k >= len(toks):
        return False
    hs = [h for h in doc.holders if h.tok_start == toks[k].i and h.kind == "person" and h.name]
    if not hs or not _same_person(hs[0].name or "", doc.speaker):
        return False
    rest = [t for t in doc.tokens[hs[0].tok_end : c.end] if t.is_word]
    return not any(doc.verbish(t.i) and t.low not in ("is", "'s", "am") for t in rest)


def _same_person(a: str, b: str) -> bool:
    pa, pb = fold(a).split(), fold(b).split()
    return bool(pa and pb) and (pa == pb or (len(pa) == 1 and pa[0] == pb[0]) or (len(pb) == 1 and pb[0] == pa[0]))


_TITLE_MODS = frozenset(
    words(
        """the a an our their your my his her its this that new interim acting senior deputy assistant main overall
        whole single dedicated named own day-to-day full-time part-time basically also as and , is 's was"""
    )
)


def job_title(doc: Doc, a: int, b: int) -> bool:
    """'project director at Gradwell', 'water and sanitation programme manager': a job, not the project's PM."""
    if b < len(doc.tokens) and doc.tokens[b].low in ("at", "of", "from") and b + 1 < len(doc.tokens):
        nxt = doc.tokens[b + 1]
        if nxt.is_cap and nxt.low not in ("the",):
            return True
    head = doc.tokens[a].low
    if head in ("programme", "program") and a > 0:
        prev = doc.tokens[a - 1]
        if (
            prev.is_word
            and prev.low not in _TITLE_MODS
            and not any(h.tok_start <= prev.i < h.tok_end for h in doc.holders)
        ):
            return True
    return False


_ROLE_DOMAIN_MODS = frozenset(
    words(
        """it tech technical data systems integration integrations engineering development dev digital project
        programme program delivery implementation training learning l&d comms communications change metrics
        reporting performance infrastructure"""
    )
)

_DETERMINERS = frozenset(words("our the their my a an"))


def appositive_job(doc: Doc, a: int, b: int) -> bool:
    """'Chloe Martin, our volunteer development lead, is ...': a job title between commas, not a project role.

    Only when the role noun carries a modifier of its own that is not a project word ("volunteer", "regional
    sales") and the person it describes stands just before the comma; "Sara, our technical lead," keeps it.
    """
    if b >= len(doc.tokens) or doc.tokens[b].text != "," or a < 2:
        return False
    prev = doc.tokens[a - 1]
    if not prev.is_word or prev.low in _TITLE_MODS or prev.low in _ROLE_DOMAIN_MODS:
        return False
    k = a - 1
    while k > 0 and doc.tokens[k].is_word and doc.tokens[k].low not in _DETERMINERS:
        k -= 1
    if doc.tokens[k].low in _DETERMINERS:
        k -= 1
    if k < 0 or doc.tokens[k].text != ",":
        return False
    return any(h.tok_end == k and h.kind in ("person", "speaker") for h in doc.holders)


def theirs(doc: Doc, c: Clause, a: int) -> bool:
    """A role noun owned by the other side: 'your PM', 'the vendor's trainer' said by a client person."""
    if doc.utt.side == "provider":
        return False
    k = a - 1
    if k > c.start and doc.tokens[k].low in _THEIR_MODS:
        k -= 1
    return k >= c.start and (doc.tokens[k].low == "your" or doc.tokens[k].low in _PROVIDER_POSSESSIVES)


_THEIR_MODS = frozenset(words("own new main lead senior technical dedicated"))
_PROVIDER_POSSESSIVES = frozenset(words("vendor's supplier's provider's partner's integrator's consultancy's"))


_DET_LIKE = frozenset(
    words(
        """a an the this that our their your my his her every each weekly monthly daily fortnightly quarterly
        friday monday tuesday wednesday thursday saturday sunday short quick regular status progress as"""
    )
)


def noun_use(doc: Doc, i: int) -> bool:
    """'a Friday email', 'the weekly post': a verb form used as a noun."""
    return i > 0 and doc.tokens[i - 1].low in _DET_LIKE


def is_pm_token(doc: Doc, char: int) -> bool:
    surface = doc.text[char : char + 2]
    before = doc.low[max(0, char - 4) : char]
    if re.search(r"\d\s*$", before):
        return False
    return surface == "PM" or (surface == "pm" and not any(c.isupper() for c in doc.text))
