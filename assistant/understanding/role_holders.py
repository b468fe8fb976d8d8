"""Who a role cue is about: the holder before a verb, after a passive or preposition, beside a role noun,
joined to another by 'and', named by a cleft ("it's Yuki") or standing alone ("Me."); and, for a clause no
rule understood, the one person it is about, rewritten for the classifier."""

from __future__ import annotations

import re

from assistant.understanding.clauses import fold, words
from assistant.understanding.doc import JOB_NOUNS, Clause, Doc, Holder
from assistant.understanding.names import TITLES
from assistant.understanding.role_cues import (
    FILLERS,
    OBJ_PREPS,
    REPORTED,
    SKIP_CLAUSE,
    SKIP_POST,
    SKIP_PRE,
    clause_low,
    negates,
)


def holder_negated(doc: Doc, h: Holder) -> bool:
    """'not Tom', 'never me': a holder denied by the word before it."""
    k = h.tok_start - 1
    return k >= 0 and doc.tokens[k].low in ("not", "never")


_ASKING = frozenset(
    words(
        """decide decides decided know knows sure see ask asked agree agreed out clear on about confirm
        confirmed choose chose pick picked discuss discussing deciding wondering debating idea figure
        unclear"""
    )
)


_LOC_PREPS_HOLDER = frozenset(words("in from at on within inside of"))
_LOC_ADVERBS = frozenset(words("over up down out based here there"))


def _located_person(doc: Doc, c: Clause, h: Holder) -> Holder | None:
    """'Priti Desai in the chief executive's office is our sponsor', 'Omar Haddad on the board is ...':
    a group or title right after a person and a locating preposition only says where the person sits;
    the person is the holder."""
    if h.kind not in ("group", "other"):
        return None
    j = h.tok_start - 1
    if j <= c.start or doc.tokens[j].low not in _LOC_PREPS_HOLDER:
        return None
    j -= 1
    while j > c.start and (doc.tokens[j].low in _LOC_ADVERBS or doc.tokens[j].text == ","):
        j -= 1
    person = [p for p in doc.holders if p.tok_end == j + 1 and p.kind == "person" and not p.possessive]
    if not person or person[0].tok_start < c.start or holder_negated(doc, person[0]):
        return None
    return person[0]


def pick_before(doc: Doc, c: Clause, pos: int) -> Holder | None:
    h = _pick_before(doc, c, pos)
    if h is not None:
        return _located_person(doc, c, h) or h
    return None


def _pick_before(doc: Doc, c: Clause, pos: int) -> Holder | None:
    cands = [h for h in doc.holders if c.start <= h.tok_start and h.tok_end <= pos]
    last = cands[-1].tok_end if cands else c.start
    for t in doc.tokens[last:pos]:
        if t.low in ("who", "whoever") and t.i > c.start and doc.tokens[t.i - 1].low in _ASKING:
            return None  # "the board will decide who owns it": an open question, not a holder
    for h in reversed(cands):
        prev = doc.tokens[h.tok_start - 1].low if h.tok_start > c.start else ""
        rel = [t.low for t in doc.tokens[h.tok_end : min(pos, h.tok_end + 2)]]
        if rel[:1] in (["who"], ["who's"]) or rel[:2] in ([",", "who"], [",", "who's"]):
            return h  # "I support Irene, who is the PM": the relative clause's antecedent
        if prev in OBJ_PREPS:
            continue
        if h.kind == "person" and h.possessive and not h.team:
            nxt = doc.tokens[h.tok_end].low if h.tok_end < len(doc.tokens) else ""
            if nxt not in JOB_NOUNS:
                continue
        if holder_negated(doc, h):
            continue
        return h
    return None


def pick_after(doc: Doc, c: Clause, pos: int, limit: int = 12) -> Holder | None:
    cands = [h for h in doc.holders if pos <= h.tok_start < min(c.end, pos + limit)]
    for k, h in enumerate(cands):
        if holder_negated(doc, h):
            continue
        if h.kind == "other" and k + 1 < len(cands):
            nxt = cands[k + 1]
            between = doc.tokens[h.tok_end : nxt.tok_start]
            if all(t.text in (",", "-", "(", ".") or fold(t.text) in TITLES for t in between) and len(between) <= 3:
                return nxt  # "our provost, Prof. Helen Ward"
        return h
    return None


def coordinated(doc: Doc, c: Clause, h: Holder) -> list[Holder]:
    """Holders joined to `h` by 'and' / '&' / ',' just before it: 'Liam and I are accountable'."""
    out = [h]
    cur = h
    while True:
        prevs = [x for x in doc.holders if x.tok_end <= cur.tok_start and x.tok_start >= c.start]
        if not prevs:
            break
        p = prevs[-1]
        between = [t.low for t in doc.tokens[p.tok_end : cur.tok_start]]
        if between and all(b in ("and", "&", ",", "both") for b in between) and p.kind in ("person", "speaker"):
            out.insert(0, p)
            cur = p
            continue
        break
    if len(out) > 1:
        first_tok = doc.tokens[out[0].tok_start - 1].low if out[0].tok_start > c.start else ""
        if first_tok in OBJ_PREPS:
            return [h]
    return out


def inverted_holder(doc: Doc, c: Clause, a: int, b: int) -> Holder | None:
    """'Sponsoring it is our chair, Helen Clarke' / 'The person who answers for this is Tomás':
    a subject-less verb phrase, then a copula and its holder."""
    head = [t.low for t in doc.tokens[c.start : a] if t.is_word]
    starts_verb = not head or head[-1] in ("who", "that") or all(w in ("the", "person", "one") for w in head)
    if not starts_verb:
        return None
    for k in range(b, min(c.end, b + 8)):
        if doc.tokens[k].low in ("is", "are", "'s", "will") or k in doc.contractions:
            j = k + 1
            while j < c.end and doc.tokens[j].low in ("be", "going", "to", "probably", "definitely", "our", "the"):
                j += 1
            hs = [h for h in doc.holders if k < h.tok_start <= j]
            if hs:
                h = hs[0]
                if h.kind == "other":
                    return pick_after(doc, c, h.tok_start)
                return h if h.kind in ("person", "speaker") else None
            return None
    return None


def noun_holder(doc: Doc, c: Clause, a: int, b: int) -> Holder | None:
    # post: "the PM is Chloé", "Tech lead: Oksana", "the sponsor is our provost, Prof. Helen Ward"
    k = b
    while k < c.end and (doc.tokens[k].low in SKIP_POST or doc.tokens[k].text in (":", "-")):
        k += 1
    while k + 1 < c.end and fold(doc.tokens[k].text) in TITLES and doc.tokens[k].is_cap:
        k += 2 if doc.tokens[k + 1].text == "." else 1  # "the sponsor is Dr. Omar Haddad"
    post = [h for h in doc.holders if h.tok_start == k and k < c.end]
    if post and k > b and doc.tokens[b].text == "-" and post[0].tok_end < c.end and doc.verbish(post[0].tok_end):
        post = []  # "I'm not the PM - I was only covering": the dash starts another statement
    if post and k > b:
        h = post[0]
        if h.kind == "other":
            return pick_after(doc, c, k) or h
        return h
    # pre: "X is the sponsor", "X as sponsor", "Greta the PM", "X, our PM"
    k = a - 1
    while k >= c.start and (doc.tokens[k].low in SKIP_PRE or doc.tokens[k].low.endswith("'s")):
        if doc.tokens[k].low.endswith("'s") and k != a - 1 and doc.tokens[k].low not in ("he's", "she's", "it's"):
            break
        hs = [h for h in doc.holders if h.tok_start <= k < h.tok_end]
        if hs:
            break
        k -= 1
    pre = [h for h in doc.holders if h.tok_start <= k < h.tok_end and k >= c.start]
    if pre and not holder_negated(doc, pre[0]):
        prev = doc.tokens[pre[0].tok_start - 1].low if pre[0].tok_start > c.start else ""
        as_next = pre[0].tok_end < c.end and doc.tokens[pre[0].tok_end].low == "as"
        if prev not in OBJ_PREPS or (prev in ("with", "and") and as_next):
            return _located_person(doc, c, pre[0]) or pre[0]  # "X is the sponsor", "..., with Arjun Nair as sponsor"
    if k >= c.start and doc.tokens[k].low in ("who", "who's"):
        rel = pick_before(doc, c, a)
        if rel is not None:
            return rel
    # apposition after the noun: "a PM from the PMO, Rukhsana Begum, assigned to it"
    for j in range(b, min(c.end, b + 6)):
        if doc.tokens[j].text == ",":
            app = [h for h in doc.holders if h.tok_start == j + 1 and h.kind in ("person", "speaker")]
            if app:
                before = pick_before(doc, c, a)
                if before is None or before.kind not in ("person", "speaker"):
                    return app[0]
            break
        if doc.verbish(j):
            break
    before = pick_before(doc, c, a)
    if before is not None:
        return before
    return pick_after(doc, c, b)


_CLEFT = re.compile(
    r"^\W*(?:[\w' ]{1,25}:\s+)?(?:(?:so|and|well|yes|yeah|oh|um|uh|hmm|er|in practice|honestly|i think|i guess|"
    r"i suppose|i'd say|i believe|to be honest|frankly|now|then|but|ok|okay|right|sorry|actually|probably|"
    r"realistically|in reality|really|for now|for the moment|[\w-]+-wise|technically(?: speaking)?|"
    r"on the [\w ]{1,15}? side|for (?:the )?[\w ]{1,20}? side)\W*\s+)*"
    r"(?:it's|it is|it'll be|it will be|it would be|it'd be|that's|that is|that'd be|that would be|that will be|"
    r"it should be|it has to be|the answer is|this is|that'll be|that one's|it's going to be|it is going to be|"
    r"that falls to|that goes to|it goes to|that sits with|it sits with|i'd say|i would say|i'd go with|"
    r"i'd pick|i'd name|i'd nominate|my answer is|my pick is)\s+"
    r"(?:(?:probably|definitely|really|actually|likely|mostly|basically|still|in practice|clearly|obviously|"
    r"certainly|just|always|going to be|gonna be|not|our|the|a|an|my|your|all)\s+)*"
)


def cleft_holder(doc: Doc, c: Clause) -> tuple[Holder, bool] | None:
    clow, base = clause_low(doc, c)
    m = _CLEFT.match(clow)
    if not m:
        return None
    a = doc.tok_at(base + m.end())
    neg = bool(re.search(r"\bnot\b", m.group()))
    hs = [h for h in doc.holders if a <= h.tok_start < min(c.end, a + 6)]
    if not hs:
        return None
    h = hs[0]
    if h.kind == "other":
        h2 = pick_after(doc, c, h.tok_start)
        h = h2 if h2 is not None else h
    if h.kind not in ("person", "speaker"):
        return None
    # the words between the cleft and the holder must be descriptors ("our COO, Dr.")
    between = [t for t in doc.tokens[a : h.tok_start] if t.is_word]
    if any(doc.verbish(t.i) for t in between) or len(between) > 4:
        return None
    if any(t.low in ("between", "with", "from", "for", "to", "by", "of", "among", "and") for t in between):
        return None  # "that's a joint thing between me and Paula" is not naming me
    rest = [t for t in doc.tokens[h.tok_end : c.end] if t.is_word]
    if rest and (rest[0].low in ("who", "who's", "that") or any(t.low in ("owns", "runs", "leads") for t in rest[:3])):
        return None  # "it's Gabriel who's accountable": the role noun handles it
    return h, neg


_HEAD_STOP = frozenset(["with", "from", "as", "who", "because", "since", "but", "though", "in", "at", "of"])
_HEAD_OK = FILLERS | frozenset(
    ["and", "or", "mostly", "mainly", "probably", "maybe", "me", "myself", "likely", "presumably", "possibly"]
)
# a hedge after the name ("Probably me, to be honest.", "Me, if you like."): it adds nothing, and is no verb
_TAIL_HEDGE = re.compile(
    r"^\W*(?:(?:to be (?:honest|fair|frank)|if you like|if i'm honest|i'm afraid|in the end|for now|"
    r"for the moment|at least for now|i'd imagine|i imagine|i reckon|i'd say|i would say|i'd think|i think|"
    r"i guess|i suppose|i believe|honestly|frankly|realistically|really|in practice)\W*)+$"
)
_ANSWER_AUX = frozenset(["am", "is", "will", "do", "does", "can", "would", "'ll"])
_TAIL_VERBS_OK = frozenset(
    ["mean", "think", "guess", "suppose", "believe", "say", "'d", "i'd", "help", "helps", "is", "'s", "am"]
)


def terse_holders(doc: Doc, c: Clause) -> list[Holder]:
    """An answer that is nothing but a name (plus a descriptor): 'Me.', 'Probably Siobhán.', 'Kim, IT.',
    'Mostly me, with help from Joy.', 'I am, as dean.'"""
    a, b = doc.sent_tok[c.sent]
    if c.start != a or doc.is_question(c.sent):
        return []
    while True:  # "So yes, me." / "Well, honestly, Kim."
        head_end = b
        for t in doc.tokens[a + 1 : b]:
            if t.text in (",", ";", "(", "-", ":") or t.low in _HEAD_STOP:
                head_end = t.i
                break
        head_words = [t for t in doc.tokens[a:head_end] if t.is_word]
        if head_end < b and head_words and all(t.low in FILLERS for t in head_words):
            a = head_end + 1
            continue
        break
    hs: list[Holder] = []
    inside: set[int] = set()
    for h in doc.holders_in(a, head_end):
        if h.kind == "person" and not h.possessive:
            hs.append(h)
        elif h.kind == "speaker":
            lo = doc.tokens[h.tok_start].low
            nxt = doc.tokens[h.tok_end].low if h.tok_end < head_end else ""
            if lo in ("me", "myself") or (lo == "i" and nxt in _ANSWER_AUX):
                hs.append(h)
        else:
            return []
        inside.update(range(h.tok_start, h.tok_end))
    if not hs:
        return []
    for t in doc.tokens[a:head_end]:
        if t.is_word and t.i not in inside and t.low not in _HEAD_OK and t.low not in _ANSWER_AUX:
            return []
        if t.low in _ANSWER_AUX and t.i - 1 not in inside:
            return []
    if head_end < b and _TAIL_HEDGE.match(doc.low[doc.tokens[head_end].start : doc.tokens[b - 1].end]):
        return hs
    for t in doc.tokens[head_end:b]:
        if t.text == ";" or t.low in (
            "though",
            "but",
            "although",
            "because",
            "since",
            "while",
            "unless",
            "if",
            "so",
            "and",
        ):
            break  # "Probably me, though my boss might weigh in"
        if t.is_word and doc.verbish(t.i) and t.low not in _TAIL_VERBS_OK:
            return []
    return hs


_SPEAKER_SUB = {
    "i": "X",
    "me": "X",
    "myself": "X",
    "i'm": "X is",
    "i'll": "X will",
    "i'd": "X would",
    "i've": "X has",
    "my": "X's",
    "mine": "X's",
}


def fallback_candidate(doc: Doc, c: Clause) -> tuple[Holder, Clause, str] | None:
    """A clause about exactly one client person that no rule understood: worth asking the classifier."""
    if doc.is_question(c.sent):
        return None
    words = [t for t in doc.tokens[c.start : c.end] if t.is_word]
    if len(words) < 4 or len(words) > 30:
        return None
    if any(negates(t.low) for t in words):
        return None
    clow, _ = clause_low(doc, c)
    if SKIP_CLAUSE.search(clow) or REPORTED.search(clow):
        return None
    hs = doc.holders_in(c.start, c.end)
    subj = [h for h in hs if h.kind in ("person", "speaker")]
    if len(subj) != 1 or any(
        h.kind in ("we", "other", "group", "nobody") for h in hs if h.tok_start < subj[0].tok_start
    ):
        return None
    h = subj[0]
    if not h.assignable or holder_negated(doc, h):
        return None
    parts: list[str] = []
    for t in doc.tokens[c.start : c.end]:
        if h.tok_start <= t.i < h.tok_end:
            if t.i == h.tok_start:
                parts.append(
                    _SPEAKER_SUB.get(t.low, "X's" if h.possessive else "X")
                    if h.kind == "speaker"
                    else ("X's" if h.possessive else "X")
                )
            continue
        parts.append(t.text)
    text = " ".join(parts).strip(" ,;.")
    return h, c, text
