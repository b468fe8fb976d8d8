"""Who holds which role: role cues found in each clause, linked to the clause's holder.

A cue is a role noun ("the PM", "accountable", "sponsor"), a verb with an object ("owns the
integrations", "runs a weekly stand-up", "reviews the KPIs"), a passive or prepositional phrase
whose holder follows ("led by X", "sits with X", "goes to X", "it's on me"), a possessive job
("Ravi's job"), a cleft ("it's Yuki", "that would be me") or a terse answer ("Me.", "Kim, IT.").
Verbs whose object is a pronoun or missing take the clause's *topic*: the last thing talked about
before it in the answer, else the checklist item the question targeted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.domain import RoleId
from assistant.understanding.clauses import words
from assistant.understanding.doc import JOB_NOUNS, Clause, Doc, Holder
from assistant.understanding.false_cues import (
    appositive_job,
    is_pm_token,
    job_title,
    noun_use,
    self_introduction,
    theirs,
)
from assistant.understanding.role_cues import (
    AFTER_PATTERNS,
    CORRECTION,
    LEADISH,
    NOUN_PATTERNS,
    OBJ_ROLE,
    PRESENTS,
    REPORT_TO,
    REPORTED,
    SKIP_CLAUSE,
    VERB_PATTERNS,
    clause_low,
    descriptor_role,
    negates,
    tok_range,
)
from assistant.understanding.role_holders import (
    cleft_holder,
    coordinated,
    fallback_candidate,
    holder_negated,
    inverted_holder,
    noun_holder,
    pick_after,
    pick_before,
    terse_holders,
)
from assistant.understanding.topics import (
    ObjMatch,
    accountable_for,
    object_for,
    object_matches,
    relative_antecedent,
    topic_at,
)
from assistant.understanding.verb_roles import item_project, passive_class, role_for


@dataclass
class RawAssignment:
    holder: Holder
    role: RoleId
    clause: Clause
    negated: bool = False
    weak: bool = False
    how: str = ""


@dataclass
class RoleResult:
    assignments: list[RawAssignment] = field(default_factory=list)
    negated: list[RawAssignment] = field(default_factory=list)
    reported: list[Holder] = field(default_factory=list)  # "I said Tom earlier"
    nobody: list[tuple[Clause, RoleId | None]] = field(default_factory=list)
    producers: set[str] = field(default_factory=set)
    producer_holders: list[RawAssignment] = field(default_factory=list)


_ELIDED_BY = re.compile(r"^\s*,?\s*(?:and|while|with|plus)\s+((?:[\w'-]+\s+){1,4}?)by\s+")


def _elided_passives(doc: Doc, objs: list[ObjMatch], h: Holder, role: RoleId) -> list[RawAssignment]:
    """'Workday is owned by Ana, and SAP by Heinrich': the second passive keeps the verb, takes its own object."""
    out: list[RawAssignment] = []
    cur = h
    while cur.tok_end < len(doc.tokens):
        base = doc.tokens[cur.tok_end - 1].end
        m = _ELIDED_BY.match(doc.low[base:])
        if not m:
            break
        a = doc.tok_at(base + m.start(1))
        b = doc.tok_at(base + m.end())
        if any(doc.verbish(t.i) for t in doc.tokens[a:b]):
            break
        nxt = [x for x in doc.holders if x.tok_start == b and x.kind in ("person", "speaker")]
        if not nxt:
            break
        inner = [o for o in objs if a <= o.tok_start < b and o.cls in OBJ_ROLE and not o.team]
        role_e = OBJ_ROLE[inner[0].cls] if inner else role
        c2 = Clause(a, nxt[0].tok_end, doc.sent_of(a))
        out.append(RawAssignment(nxt[0], role_e, c2, how="elided-passive"))
        cur = nxt[0]
    return out


def _negated_between(doc: Doc, a: int, b: int) -> bool:
    return any(negates(t.low) for t in doc.tokens[max(0, a) : max(0, b)])


_IMPLICIT_I = re.compile(
    r"^\W*(?:(?:yes|yeah|sure|ok|okay|absolutely|definitely|of course|fine)\W+)*(?:(?:more than )?(?:happy|glad|"
    r"willing|keen|delighted|able) to|can|will|could|would love to)\s+(?:\w+\s+){0,1}$"
)


def extract_roles(doc: Doc, use_classifier: bool = True) -> RoleResult:
    res = RoleResult()
    fallback: list[tuple[Holder, Clause, str]] = []
    objs = object_matches(doc)
    prev_cues: list[tuple[RoleId, bool]] = []
    prev_vclass: str | None = None
    for c in doc.clauses:
        s = c.sent
        clow, base = clause_low(doc, c)
        question = doc.is_question(s)
        if REPORTED.search(clow) and CORRECTION.search(doc.low):
            held = doc.holders_in(c.start, c.end)
            res.reported.extend(h for h in held if h.kind == "person")
            me = [h for h in held if h.kind == "speaker"]
            if any(doc.tokens[h.tok_start].low in ("myself", "me") for h in me):
                res.reported.append(me[0])  # "forget what I said about running it myself"
            prev_cues = []
            continue
        skip = question or bool(SKIP_CLAUSE.search(clow)) or self_introduction(doc, c)
        found: list[RawAssignment] = []
        cue_roles: list[tuple[RoleId, bool]] = []
        vclass_here: str | None = None
        topic = topic_at(doc, objs, c.start)

        # verbs
        verb_hits: list[tuple[int, int, str, str]] = []
        for vclass, rx in VERB_PATTERNS:
            for m in rx.finditer(clow):
                a, b = tok_range(doc, c, base, m.start(), m.end())
                if any(x[0] <= a < x[1] or a <= x[0] < b for x in verb_hits):
                    continue
                verb_hits.append((a, b, vclass, m.group()))
        verb_hits.sort()
        verb_hits = [v for v in verb_hits if not noun_use(doc, v[0])]
        for k, (a, b, vclass, vtext) in enumerate(verb_hits):
            stop = verb_hits[k + 1][0] if k + 1 < len(verb_hits) else c.end
            if vclass == "WEAK" and vtext in ("will be", "'ll be", "be"):
                continue  # copulas are handled by role nouns
            obj, pron = object_for(doc, c, objs, a, b, stop)
            if vclass == "WEAK" and obj is None and not pron:
                continue
            v_topic = topic
            if vclass == "METRIC" and pron and doc.item == "monitoring":
                v_topic = "metrics_owner"  # "I review them weekly" in a metrics answer
            role = item_project(role_for(vclass, obj, pron, v_topic, vtext), obj, vtext, doc.item)
            if vclass == "PRODUCER" and (obj == "METRIC" or (obj is None and pron and topic == "metrics_owner")):
                h = pick_before(doc, c, a)
                if h is not None and h.name:
                    res.producers.add(h.name)
                    res.producer_holders.append(RawAssignment(h, "metrics_owner", c, how="producer"))
                continue
            if role is None:
                continue
            vclass_here = vclass
            hedged = vclass == "METRIC" and bool(
                re.search(
                    r"\b(?:only|just|occasionally|sometimes)\s*$",
                    doc.low[max(0, doc.tokens[a].start - 20) : doc.tokens[a].start],
                )
                or re.search(
                    r"^\W*(?:\w+\W+){0,2}(?:occasionally|sometimes|now and then|from time to time)\b",
                    doc.low[doc.tokens[b - 1].end : doc.tokens[c.end - 1].end],
                )
            )
            if role == "accountable_owner" and obj == "PROJECT" and LEADISH.search(vtext):
                after_obj = doc.low[doc.tokens[min(b, c.end - 1)].start : doc.tokens[c.end - 1].end]
                if re.search(r"\b(?:for|on behalf of) (?:him|her|them|[a-z]+ [a-z]+)\b", after_obj):
                    role = "project_manager"  # "I run the project for him"
            h = pick_before(doc, c, a)
            if h is None and (vtext.startswith("own") or vclass in ("STRONG", "COMMS", "METRIC")):
                # "owned" handled by passive; a relative "which X runs" puts X before anyway
                h = None
            cue_roles.append((role, False))
            if h is None and _IMPLICIT_I.match(doc.low[doc.tokens[c.start].start : doc.tokens[a].start]):
                h = Holder("speaker", a, a, doc.speaker, provider=doc.utt.side == "provider", text="")
            if h is None:
                h = inverted_holder(doc, c, a, b)
            if (
                h is None
                and vtext.endswith("ing")
                and a > c.start
                and doc.tokens[a - 1].low in ("is", "are")
                and any(c.start <= o.tok_start and o.tok_end <= a for o in objs)
            ):
                # non-native order, object first: "The training is making our agronomist, Pedro Alves."
                inv = pick_after(doc, c, b, limit=6)
                if inv is not None and inv.kind in ("person", "speaker"):
                    h = inv
            if h is None:
                continue
            ante = relative_antecedent(doc, objs, h)
            if ante is not None and (obj in (None, "TEAM", "PROJECT", "GOV") or (obj == "TECH" and ante == "CHANNEL")):
                # "the stand-up that Marcus runs with your team", "a briefing at shift change, which I run"
                role_rel = role_for(vclass, ante, False, topic, vtext)
                if role_rel is not None:
                    role = role_rel
                    cue_roles[-1] = (role, False)
            neg = _negated_between(doc, h.tok_end, a) or _negated_between(doc, a, b)
            for hh in coordinated(doc, c, h):
                found.append(RawAssignment(hh, role, c, neg, weak=hedged, how=f"verb:{vclass}"))

        # holder-after phrases
        for kind, rx in AFTER_PATTERNS:
            for m in rx.finditer(clow):
                a, b = tok_range(doc, c, base, m.start(), m.end())
                if kind == "PASSIVE":
                    vtext = m.group(1)
                    vclass = passive_class(vtext)
                    obj, pron = object_for(doc, c, objs, a, a, a)  # backward: what was owned/led
                    subj_pron = a > c.start and doc.tokens[max(c.start, a - 2)].low in (
                        "it",
                        "it's",
                        "this",
                        "that",
                        "that's",
                    )
                    role = role_for(vclass, obj, obj is None and (topic is not None or subj_pron), topic, vtext)
                    role = item_project(role, obj, vtext, doc.item)
                    if vclass == "METRIC" and obj is None:
                        role = "metrics_owner" if topic == "metrics_owner" else None
                elif kind in ("BUCK", "THROUGH"):
                    role = "accountable_owner"
                elif kind == "FROM":
                    obj, _ = object_for(doc, c, objs, a, a, a)
                    role = OBJ_ROLE.get(obj or "") if obj in ("CHANNEL", "SPONSOR") else None
                elif kind == "HAVE":
                    obj, _ = object_for(doc, c, objs, a, a, a)
                    role = OBJ_ROLE.get(obj or "") if obj not in (None, "PROJECT", "GOV", "TEAM") else None
                else:
                    inside = [o for o in objs if a < o.tok_start < b and not o.team]
                    obj, pron = (inside[0].cls, False) if inside else object_for(doc, c, objs, a, a, a)
                    if obj is None and kind == "ON":
                        role = topic or "accountable_owner"
                    elif obj is None:
                        role = topic
                    elif obj == "PROJECT":
                        role = "accountable_owner"
                    else:
                        role = OBJ_ROLE.get(obj)
                if role is None:
                    continue
                h = pick_after(doc, c, b)
                if h is None or (kind == "ON" and h.tok_start != b):
                    continue
                cue_roles.append((role, False))
                neg = _negated_between(doc, a - 2, h.tok_start)
                found.append(RawAssignment(h, role, c, neg, weak=kind == "THROUGH", how=f"after:{kind}"))
                if kind == "PASSIVE":
                    found.extend(_elided_passives(doc, objs, h, role))
            # "an email digest from Ines": a channel followed by 'from X'
        chan = [o for o in objs if o.cls == "CHANNEL" and c.start <= o.tok_start < c.end and not o.team]
        if chan:
            for h in doc.holders_in(chan[0].tok_end, c.end):
                if h.tok_start > 0 and doc.tokens[h.tok_start - 1].low == "from" and h.kind in ("person", "speaker"):
                    found.append(RawAssignment(h, "communications_lead", c, how="from"))
                    cue_roles.append(("communications_lead", False))
                    break
        # "and for project coordination, Ola Berg" / "as for training, Kim"
        for o in objs:
            if not (c.start < o.tok_start < c.end) or o.cls not in OBJ_ROLE or o.team:
                continue
            lead_in = [t.low for t in doc.tokens[max(c.start, o.tok_start - 3) : o.tok_start]]
            if not any(w in ("for", "on") for w in lead_in) or any(
                doc.verbish(t.i) for t in doc.tokens[max(c.start, o.tok_start - 3) : o.tok_start]
            ):
                continue
            k = o.tok_end
            while (
                k < c.end
                and doc.tokens[k].text in (",", ":", "-")
                or (k < c.end and doc.tokens[k].low in ("side", "it's", "its", "we've", "got", "we", "have", "there's"))
            ):
                k += 1
            after = [h for h in doc.holders if h.tok_start == k and h.kind in ("person", "speaker")]
            if after and k > o.tok_end and not any(fa.holder is after[0] for fa in found):
                role_f = OBJ_ROLE[o.cls]
                found.append(RawAssignment(after[0], role_f, c, how="for-label"))
                cue_roles.append((role_f, False))
        # "plus Dan Fox for anything involving the servers"
        for h in doc.holders_in(c.start, c.end):
            if h.kind != "person" or h.tok_end >= c.end or doc.tokens[h.tok_end].low != "for":
                continue
            nxt_objs = [
                o for o in objs if h.tok_end < o.tok_start <= h.tok_end + 5 and o.cls in OBJ_ROLE and not o.team
            ]
            between = doc.tokens[h.tok_end + 1 : nxt_objs[0].tok_start] if nxt_objs else []
            if nxt_objs and not any(doc.verbish(t.i) for t in between) and not any(fa.holder is h for fa in found):
                role_x = OBJ_ROLE[nxt_objs[0].cls]
                found.append(RawAssignment(h, role_x, c, how="person-for"))
                cue_roles.append((role_x, False))
        # "Training: Olu Bankole", "Tech: Arjun"
        colon = [t for t in doc.tokens[c.start : c.end] if t.text == ":"]
        if colon:
            k = colon[0].i
            label = [o for o in objs if c.start <= o.tok_start and o.tok_end <= k and o.cls in OBJ_ROLE]
            after = [h for h in doc.holders if h.tok_start == k + 1]
            if label and after and k - c.start <= 4:
                role_l = OBJ_ROLE[label[-1].cls]
                found.append(RawAssignment(after[0], role_l, c, how="label"))
                cue_roles.append((role_l, False))

        # possessive jobs: "Ravi's job", "my call", "mine"
        for h in doc.holders_in(c.start, c.end):
            nxt_i = h.tok_end if h.kind == "person" else h.tok_start + 1
            if (
                nxt_i < c.end
                and doc.tokens[nxt_i].low in JOB_NOUNS
                and doc.tokens[nxt_i].low != "role"
                and (h.possessive or h.kind == "speaker")
            ):
                noun = doc.tokens[nxt_i].low
                if noun in ("call", "decision"):
                    role = "accountable_owner"
                else:
                    obj, pron = object_for(doc, c, objs, nxt_i, nxt_i + 1, c.end)
                    if obj is None:
                        role = topic
                    elif obj == "PROJECT":
                        role = "accountable_owner"
                    else:
                        role = OBJ_ROLE.get(obj)
                if role:
                    neg = holder_negated(doc, h)
                    found.append(RawAssignment(h, role, c, neg, how="job"))
                    cue_roles.append((role, False))
        for t in doc.tokens[c.start : c.end]:
            if t.low in ("hers", "his") and (t.i + 1 >= c.end or not doc.tokens[t.i + 1].is_word):
                obj, _ = object_for(doc, c, objs, t.i, t.i + 1, c.end)
                ph = [h for h in doc.holders if h.tok_start == t.i and h.kind == "person"]
                role_p = OBJ_ROLE.get(obj or "") if obj not in (None, "PROJECT", "TEAM", "GOV") else None
                if obj == "PROJECT":
                    role_p = "accountable_owner"
                if role_p and ph:  # "PLC integration is hers"
                    found.append(RawAssignment(ph[0], role_p, c, how="possessive-pronoun"))
                    cue_roles.append((role_p, False))
            if t.low == "mine":
                obj, _ = object_for(doc, c, objs, t.i, t.i + 1, c.end)
                role = (
                    "accountable_owner"
                    if obj in (None, "PROJECT") and (topic in (None, "accountable_owner"))
                    else (OBJ_ROLE.get(obj or "") or topic)
                )
                if role == "accountable_owner" and obj is None and doc.item == "roles":
                    role = None  # "That's all mine" to a question about some other role: not the accountable owner
                sp = [h for h in doc.holders if h.tok_start == t.i]
                if role and sp:
                    found.append(RawAssignment(sp[0], role, c, how="mine"))

        # role nouns
        noun_spans: list[tuple[int, int]] = []
        for role_or_topic, rx, weak in NOUN_PATTERNS:
            for m in rx.finditer(clow):
                if m.group() == "pm" and not is_pm_token(doc, base + m.start()):
                    continue
                if m.group().startswith("it ") and doc.text[base + m.start() : base + m.start() + 2] != "IT":
                    continue
                a, b = tok_range(doc, c, base, m.start(), m.end())
                if any(x[0] <= a < x[1] or a <= x[0] < b for x in noun_spans):
                    continue  # "metrics owner" is the metrics owner, not also a generic "owner"
                if role_or_topic not in (None, "accountable_owner") and theirs(doc, c, a):
                    noun_spans.append((a, b))
                    continue  # "with your project manager": the provider's person ("your main contact" is ours)
                if (role_or_topic == "project_manager" and job_title(doc, a, b)) or appositive_job(doc, a, b):
                    noun_spans.append((a, b))
                    continue
                noun_spans.append((a, b))
                role_n: RoleId | None = role_or_topic if role_or_topic else (topic or "accountable_owner")
                if role_n == "accountable_owner" or role_or_topic is None:
                    role_n = accountable_for(doc, c, objs, b) or role_n
                if role_n is None:
                    continue
                h = noun_holder(doc, c, a, b)
                cue_roles.append((role_n, False))
                if h is None:
                    continue
                neg = (
                    _negated_between(doc, min(h.tok_end, a), a)
                    if h.tok_start < a
                    else _negated_between(doc, a - 1, h.tok_start)
                ) or _denied_by_subject(doc, c, h, a)
                holders_n = coordinated(doc, c, h) if h.tok_start < a else [h]
                for hn in holders_n:  # "Both Liam and I are accountable"
                    found.append(RawAssignment(hn, role_n, c, neg, weak=weak, how="noun"))

        # "Lucas is technical, Jana is training, Piotr is comms"
        for h in doc.holders_in(c.start, c.end):
            if h.kind not in ("person", "speaker"):
                continue
            k = h.tok_end
            if k >= c.end:
                continue
            if doc.tokens[k].low in ("is", "'s", "on", "does", "covers", "handles"):
                j = k + 1
            elif (k - 1) in doc.contractions or doc.tokens[k - 1].low in ("i'm", "he's", "she's"):
                j = k
            else:
                continue
            if j < c.end and doc.tokens[j].low == "on":
                j += 1
            dom = [
                o for o in objs if o.tok_start == j and not o.team and o.cls in ("TECH", "TRAIN", "CHANNEL", "METRIC")
            ]
            if not dom:
                continue
            end = dom[0].tok_end
            if end < c.end and doc.tokens[end].is_word and doc.tokens[end].low not in ("for", "and", "too", "now"):
                continue  # "Jana is training the staff" is a verb, handled above
            role_d = OBJ_ROLE[dom[0].cls]
            found.append(RawAssignment(h, role_d, c, how="copula-domain"))
            cue_roles.append((role_d, False))

        # clefts and terse answers: "it's Yuki", "that would be me", "Me.", "Kim, IT."
        cleft = cleft_holder(doc, c)
        if cleft is not None:
            h, neg = cleft
            role_c = topic or descriptor_role(doc, c) or (prev_cues[-1][0] if prev_cues else None)
            if role_c:
                found.append(RawAssignment(h, role_c, c, neg, how="cleft"))
                cue_roles.append((role_c, False))
        terse = terse_holders(doc, c)
        if terse:
            role_t = topic or descriptor_role(doc, c)
            if role_t and not found:
                for h in terse:
                    found.append(RawAssignment(h, role_t, c, how="terse"))
                cue_roles.append((role_t, False))

        # elided clauses: "Nora Lindgren is." / "Oren Katz will." / "Priya the metrics"
        if not found and not cue_roles:
            hs = [h for h in doc.holders_in(c.start, c.end) if h.kind in ("person", "speaker")]
            words = [t for t in doc.tokens[c.start : c.end] if t.is_word]
            allh = doc.holders_in(c.start, c.end)
            if hs and prev_cues:
                rest = [t for t in words if not any(h.tok_start <= t.i < h.tok_end for h in allh)]
                if rest and all(t.low in AUX_ELIDED for t in rest):
                    for role_p, _ in prev_cues:
                        found.append(RawAssignment(hs[0], role_p, c, how="elided"))
            if hs and not found and prev_vclass:
                h = hs[0]
                clause_objs = [o for o in objs if c.start <= o.tok_start < c.end and o.tok_start >= h.tok_end]
                if clause_objs and not any(doc.verbish(t.i) for t in words):
                    role_e = role_for(
                        prev_vclass, clause_objs[0].cls if not clause_objs[0].team else "TEAM", False, topic, ""
                    )
                    if role_e:
                        found.append(RawAssignment(h, role_e, c, how="elided-object"))
                        cue_roles.append((role_e, False))

        if not found and not skip and use_classifier:
            cand = fallback_candidate(doc, c)
            if cand is not None:
                fallback.append(cand)
        if skip:
            found = []
        for f in found:
            if f.negated:
                res.negated.append(f)
            elif f.holder.kind == "nobody":
                res.nobody.append((c, f.role))
            else:
                res.assignments.append(f)
        if cue_roles:
            prev_cues = cue_roles
        if vclass_here:
            prev_vclass = vclass_here
    if fallback:
        from assistant.understanding.classifier import classifier

        clf = classifier()
        for (h, c, _), pred in zip(fallback, clf.predict_many([t for _, _, t in fallback]), strict=True):
            role_c = clf.accept(pred)
            if role_c is not None:
                res.assignments.append(RawAssignment(h, role_c, c, weak=True, how=f"classifier:{pred.score:.2f}"))
    _metrics_reporting(doc, objs, res)
    _contrast(res)
    return res


def _denied_by_subject(doc: Doc, c: Clause, h: Holder, a: int) -> bool:
    """'We don't see X as the sponsor', 'Nobody would call me the PM': a negated verb before the
    person, or a 'nobody' subject, denies the role noun that follows them."""
    if not h.tok_start < a:
        return False
    before = doc.tokens[c.start : h.tok_start]
    if any(x.kind == "nobody" for x in doc.holders_in(c.start, h.tok_start)):
        return True
    return any(negates(t.low) and t.low != "no" for t in before)


def _contrast(res: RoleResult) -> None:
    """'X is the day-to-day contact, not the owner': a role denied to a person in a sentence is not
    given to them by a weaker cue in the same sentence."""
    denied = {(f.holder.name, f.role, f.clause.sent) for f in res.negated if f.holder.name}
    res.assignments = [a for a in res.assignments if (a.holder.name, a.role, a.clause.sent) not in denied]


AUX_ELIDED = frozenset(
    words(
        """is will does has can would should shall did was 'll too instead now then though going to also but
        and so am are yes"""
    )
)


def _metrics_reporting(doc: Doc, objs: list[ObjMatch], res: RoleResult) -> None:
    """'Nadia compiles them and reports them to me' -> me; 'X presents it to the committee' -> X."""
    reviewers: list[RawAssignment] = []
    for c in doc.clauses:
        if doc.is_question(c.sent):
            continue
        clow, base = clause_low(doc, c)
        topic = topic_at(doc, objs, c.start)
        metric_here = any(o.cls in ("METRIC", "MREVIEW") for o in objs if c.start <= o.tok_start < c.end)
        if topic != "metrics_owner" and not metric_here and doc.item != "monitoring":
            continue
        for m in REPORT_TO.finditer(clow):
            a, b = tok_range(doc, c, base, m.start(), m.end())
            prep = m.group().split()[-1]
            if prep == "with":
                continue
            reporter = pick_before(doc, c, a)
            recipient_cands = [h for h in doc.holders if b <= h.tok_start < c.end]
            nxt = doc.tokens[b].low if b < len(doc.tokens) else ""
            if nxt in ("them", "us") or not recipient_cands:
                if (nxt == "them" or (nxt == "us" and prep == "to")) and reporter is not None and reporter.assignable:
                    # "Amelia reports them to us" (the group that reviews them): the reporter holds it
                    reviewers.append(RawAssignment(reporter, "metrics_owner", c, how="report-to-group"))
                continue
            rec = recipient_cands[0]
            if rec.kind == "we":
                continue  # "pulls the data for us": the speaker's organisation, not a reviewer
            if rec.kind in ("person", "speaker") and rec.assignable:
                reviewers.append(RawAssignment(rec, "metrics_owner", c, how="report-to"))
                if reporter is not None and reporter.name:
                    res.producers.add(reporter.name)
            elif rec.kind in ("group", "other") and reporter is not None and reporter.assignable:
                if rec.kind == "other":
                    # an unnamed individual ("the COO") reviews them: the producer is not the owner
                    if reporter.name:
                        res.producers.add(reporter.name)
                    continue
                reviewers.append(RawAssignment(reporter, "metrics_owner", c, how="report-to-group"))
                res.producers.discard(reporter.name or "")
    for c in doc.clauses:
        if doc.is_question(c.sent):
            continue
        clow, base = clause_low(doc, c)
        if topic_at(doc, objs, c.start) != "metrics_owner" and not any(
            o.cls in ("METRIC", "MREVIEW") for o in objs if c.start <= o.tok_start < c.end
        ):
            continue
        for m in PRESENTS.finditer(clow):
            a, b = tok_range(doc, c, base, m.start(), m.end())
            rest = doc.low[doc.tokens[b - 1].end : doc.tokens[c.end - 1].end]
            if re.search(r"\b(?:to|for)\b", rest):
                continue
            reporter = pick_before(doc, c, a)
            if reporter is not None and reporter.assignable:
                reviewers.append(RawAssignment(reporter, "metrics_owner", c, weak=True, how="report-noto"))
    group_reviews = any(a.role == "metrics_owner" and a.holder.kind == "group" for a in res.assignments)
    person_reviews = any(
        a.role == "metrics_owner" and a.holder.assignable and a.holder.name not in res.producers
        for a in res.assignments
    ) or any(r.how == "report-to" for r in reviewers)
    if group_reviews and not person_reviews:
        for p in res.producer_holders:  # "Lanre pulls it together and the exec team reviews it"
            if p.holder.assignable:
                reviewers.append(RawAssignment(p.holder, "metrics_owner", p.clause, how="report-to-group"))
    group_reporters = {r.holder.name for r in reviewers if r.how == "report-to-group"}
    res.producers -= group_reporters
    res.assignments = [
        a for a in res.assignments if not (a.role == "metrics_owner" and a.holder.name in res.producers)
    ] + reviewers
