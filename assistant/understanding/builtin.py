"""The built-in "understand" step: offline, deterministic and fast (no model call needed).

Pipeline for one utterance:
  analyse (tokens, sentences, names, holders)  -> clauses -> role cues linked to holders (roles.py)
  -> groups, corrections, provider filter       -> facts and tags (facts.py) -> risks (signals.py)
"""

from __future__ import annotations

import re

from assistant.domain import (
    Extraction,
    GroupOwnership,
    ItemId,
    ProposedAssignment,
    ProposedRisk,
    Retraction,
    RoleId,
    UnderstandingContext,
    Utterance,
)
from assistant.understanding.doc import Doc, Holder, analyse, build_clauses
from assistant.understanding.facts import extract_facts
from assistant.understanding.frames import fragment_list, frame_assignments, open_frame
from assistant.understanding.names import lexicon
from assistant.understanding.question_cues import question_role
from assistant.understanding.role_cues import CORRECTION, ITEM_ROLE
from assistant.understanding.role_holders import pick_after
from assistant.understanding.roles import RawAssignment, RoleResult, extract_roles
from assistant.understanding.signals import Undecided, dont_know, questions, resistance, undecided
from assistant.understanding.speech import prepare, restore_spans

GROUP_ROLES: frozenset[str] = frozenset(
    {"accountable_owner", "training_lead", "technical_lead", "communications_lead", "project_manager"}
)
_JOINT = re.compile(
    r"\b(?:together|jointly|collectively|as a (?:team|group|committee|board))\b|\b(?:between|among) (?:them|us)\b|"
    r"\bjoint (?:thing|effort|call|ownership|responsibility|decision)\b|\bbetween (?:me|him|her|us) and\b|"
    r"\b(?:joint|shared|collective) "
    r"(?:responsibility|ownership|accountability|decisions?)\b|\bno (?:single|one) (?:person|owner)\b|"
    r"\b(?:isn't|is not|there's no|not) (?:one|a single|any single|one single) (?:person|owner)\b|"
    r"\bnobody in particular\b|\bby committee\b|\bdon't have (?:one|a single|an individual) owner\b"
)
_LEADS_GROUP = re.compile(
    r"\b(?:leads|heads(?: up)?|runs|manages|chairs|is head of|is in charge of)\s+(?:the\s+)?([\w&-]+)"
)
_GROUP_LED_BY = re.compile(r"^\W*(?:,\s*)?(?:which is |who are |that is )?(?:led|headed|run|managed|chaired) by\b")
_GROUP_REL_LEAD = re.compile(r"^\W*(?:,\s*)?(?:which|that|whom)\s+$")
_LEAD_VERB = re.compile(r"^\s*(?:leads|heads(?: up)?|runs|manages|chairs|is in charge of)\b")
_ACTUALLY = re.compile(r"\bactually\b")
_FRAGMENT = re.compile(r"(?i)\b(?:if|unless|but|when|although|because|so|and|or)\W*(?:\.\.\.|\u2026|-+)\s*$")


# A question plainly about communication or training ("How do we keep everyone up to date?") sets the item
# when the context gave none, or gave one no role answers (a live call's topic guess of "collaboration").
_QUESTION_ITEM: dict[RoleId, ItemId] = {"communications_lead": "communication", "training_lead": "training"}


def _item_from_question(utt: Utterance) -> Utterance:
    if utt.item not in (None, "collaboration") or not utt.question:
        return utt
    role = question_role(utt.question)
    item = _QUESTION_ITEM.get(role) if role else None
    return utt.model_copy(update={"item": item}) if item else utt


class BuiltinUnderstanding:
    """Patterns, a name lexicon and the checklist context of the question being answered."""

    name = "builtin"

    def __init__(self, use_classifier: bool = True) -> None:
        self.use_classifier = use_classifier
        lexicon()  # load the name lexicon up front, not on the first answer
        if use_classifier:
            from assistant.understanding.classifier import classifier

            classifier()  # and the example vectors
            from assistant.knowledge.embeddings import get_embedder

            get_embedder().embed(["warm up"])  # and the model, so the first answer is not slow

    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        if not utt.text.strip():
            return Extraction()
        said = utt.text
        rw = prepare(said)
        if rw.text == said:
            return self._understand(utt, ctx)
        return restore_spans(self._understand(utt.model_copy(update={"text": rw.text}), ctx), rw, said)

    def _understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        if _FRAGMENT.search(utt.text) and len(re.findall(r"[\w']+", utt.text)) <= 8:
            return Extraction()  # cross-talk cut off mid-sentence ("I can, if..."): it states nothing
        utt = _item_from_question(utt)
        doc = analyse(utt, ctx)
        doc.clauses = build_clauses(doc)
        frame = open_frame(utt)
        rr = extract_roles(doc, self.use_classifier)
        if not rr.assignments and not rr.negated:
            rr.assignments = frame_assignments(doc, frame)  # a verbless answer fills the question's slot
        assignments, groups = _finalise(doc, rr)
        retractions = _retractions(doc, rr, assignments)
        und = undecided(doc)
        dk = dont_know(doc) and not assignments and not groups and utt.item is not None
        facts = [] if dk and not und else extract_facts(doc, assignments, {g.role for g in groups}, und, dk)
        scope = fragment_list(doc, frame)
        if scope is not None and not dk and not any(f.item == "scope" for f in facts):
            facts.append(scope)
        if dk and und:
            dk = False
        if dk and any(f.status == "covered" for f in facts):
            dk = False
        risks = _risks(doc, und, rr, assignments, {g.role for g in groups})
        if dk:
            facts = []
            risks = [r for r in risks if r.risk == "resistance_to_change"]
        people = []
        for m in doc.mentions:
            if m.name and m.name not in people:
                people.append(m.name)
        return Extraction(
            assignments=assignments,
            facts=facts,
            risks=risks,
            groups=groups,
            retractions=retractions,
            questions=questions(doc),
            people=people,
            dont_know=dk,
            aliases=doc.aliases,
            correction_recognised=bool(retractions),
        )


def _span(doc: Doc, ra: RawAssignment) -> str:
    c = ra.clause
    text = doc.span(c.start, c.end).strip(" ,;")
    if len(text.split()) < 3:
        text = doc.sent_text(c.sent)
    return text


def _group_leads(doc: Doc) -> dict[str, Holder]:
    """'the ops team, led by Sam' / 'Sam leads ops' -> {'ops': Sam}"""
    leads: dict[str, Holder] = {}
    for h in doc.holders:
        if h.kind != "group":
            continue
        after = doc.low[doc.tokens[h.tok_end - 1].end :]
        if _GROUP_LED_BY.match(after):
            c = next((c for c in doc.clauses if c.start <= h.tok_start < c.end), None)
            if c is not None:
                p = pick_after(doc, c, h.tok_end)
                if p is not None and p.kind == "person":
                    leads[_gkey(h.text)] = p
        else:
            # "our Digital Construction team, which Nadia Petrova leads"
            nxt = [x for x in doc.holders if x.kind == "person" and x.tok_start > h.tok_end - 1][:1]
            if nxt:
                q = nxt[0]
                between = doc.low[doc.tokens[h.tok_end - 1].end : doc.tokens[q.tok_start].start]
                after_q = doc.low[doc.tokens[q.tok_end - 1].end :]
                if _GROUP_REL_LEAD.match(between) and _LEAD_VERB.match(after_q):
                    leads[_gkey(h.text)] = q
    for h in doc.holders:
        if h.kind != "person":
            continue
        after = doc.low[doc.tokens[h.tok_end - 1].end : doc.tokens[h.tok_end - 1].end + 40]
        m = _LEADS_GROUP.match(after.strip())
        if m:
            leads.setdefault(_gkey(m.group(1)), h)
    return leads


def _gkey(text: str) -> str:
    words = [w for w in re.findall(r"[\w&-]+", text.lower()) if w not in ("the", "our", "a", "an", "their", "my")]
    if not words:
        return ""
    if words[-1] in ("team", "department", "dept", "function", "division", "unit") and len(words) > 1:
        return words[-2]
    return words[-1]


def _finalise(doc: Doc, rr: RoleResult) -> tuple[list[ProposedAssignment], list[GroupOwnership]]:
    leads = _group_leads(doc)
    raw: list[RawAssignment] = []
    groups: list[GroupOwnership] = []
    for ra in rr.assignments:
        h = ra.holder
        if h.kind == "group":
            lead = leads.get(_gkey(h.text))
            if lead is not None:
                raw.append(
                    RawAssignment(
                        Holder("person", lead.tok_start, lead.tok_end, lead.name, h.text, lead.provider, lead.text),
                        ra.role,
                        ra.clause,
                        how="group-lead",
                    )
                )
            elif ra.role in GROUP_ROLES and not _provider_group(h.text):
                groups.append(GroupOwnership(role=ra.role, group=h.text.strip(), span=_span(doc, ra)))
            continue
        raw.append(ra)
    # "we decide together", "a shared responsibility": the accountable owner is a group
    joint_sents: set[int] = set()
    for s in range(len(doc.sent_spans)):
        low = doc.sent_low(s)
        if not _JOINT.search(low) or doc.is_question(s):
            continue
        topical = doc.item == "accountability" or re.search(r"\baccountab|\bown|\bdecide|\bin charge|\bresponsib", low)
        other_obj = re.search(
            r"\b(?:technical|tech|integrations?|data|training|metrics|kpis|newsletter|stand-?up|"
            r"infrastructure|systems?)\b",
            low,
        )
        if not topical or other_obj:
            continue
        grp = next((h.text for h in doc.holders if h.kind == "group" and doc.sent_of(h.tok_start) == s), None)
        if grp is None:
            grp = next((h.text for h in doc.holders if h.kind == "we" and doc.sent_of(h.tok_start) == s), "jointly")
        joint_sents.add(s)
        if not any(g.role == "accountable_owner" for g in groups):
            groups.append(GroupOwnership(role="accountable_owner", group=grp.strip(), span=doc.sent_text(s)))
    raw = [r for r in raw if not (r.role == "accountable_owner" and r.clause.sent in joint_sents)]
    # weak cues ("main contact", "decisions through me") only count where nothing stronger names someone
    strong_acc = {r.holder.name for r in raw if r.role == "accountable_owner" and not r.weak}
    if doc.item not in (None, "accountability"):
        raw = [r for r in raw if not (r.weak and r.role == "accountable_owner")]
    raw = [
        r
        for r in raw
        if not (r.weak and r.role == "accountable_owner" and strong_acc and r.holder.name not in strong_acc)
    ]
    strong_metrics = {r.holder.name for r in raw if r.role == "metrics_owner" and not r.weak}
    raw = [
        r
        for r in raw
        if not (r.weak and r.role == "metrics_owner" and strong_metrics and r.holder.name not in strong_metrics)
    ]
    led_by = {lead.name: text for text, lead in leads.items() if lead.name}
    out: list[ProposedAssignment] = []
    seen: set[tuple[str, str]] = set()
    for r in raw:
        h = r.holder
        if h.team is None and h.name in led_by:
            # "The data team, led by Omar, owns the integrations": Omar holds it for his team
            team_h = next((g for g in doc.holders if g.kind == "group" and _gkey(g.text) == led_by[h.name]), None)
            if team_h is not None and doc.sent_of(team_h.tok_start) == r.clause.sent:
                h = Holder(h.kind, h.tok_start, h.tok_end, h.name, team_h.text, h.provider, h.text)
        if not h.assignable or h.name is None:
            continue
        key = (h.name.lower(), r.role)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            ProposedAssignment(person=h.name, role=r.role, span=_span(doc, r), team=h.team, rule=r.how.split(":")[0])
        )
    if any(a.role == "accountable_owner" for a in out):
        groups = [g for g in groups if g.role != "accountable_owner"]
    roles_given = {a.role for a in out}
    groups = [g for g in groups if g.role not in roles_given]
    return out, groups


def _provider_group(text: str) -> bool:
    return bool(re.search(r"\b(?:your|vendor|provider|supplier)\b", text.lower()))


def _retractions(doc: Doc, rr: RoleResult, assignments: list[ProposedAssignment]) -> list[Retraction]:
    marker = bool(CORRECTION.search(doc.low))
    negated_holders = [h for h in doc.holders if h.tok_start > 0 and doc.tokens[h.tok_start - 1].low == "not"]
    if not marker and _ACTUALLY.search(doc.low) and (negated_holders or rr.negated):
        marker = True
    if not marker or not assignments:
        return []
    out: list[Retraction] = []
    new_roles: list[RoleId] = []
    for a in assignments:
        if a.role not in new_roles:
            new_roles.append(a.role)
    withdrawn: dict[RoleId, list[str]] = {}
    for ra in rr.negated:
        if ra.holder.name and ra.holder.kind in ("person", "speaker"):
            withdrawn.setdefault(ra.role, []).append(ra.holder.name)
    names = [h.name for h in negated_holders + rr.reported if h.name]
    span = next(
        (doc.sent_text(s) for s in range(len(doc.sent_spans)) if CORRECTION.search(doc.sent_low(s))), doc.sent_text(0)
    )
    for role in new_roles:
        who = withdrawn.get(role, []) + [n for n in names if n not in withdrawn.get(role, [])]
        who = [w for w in who if not any(a.person == w and a.role == role for a in assignments)]
        if not who:
            out.append(Retraction(role=role, person=None, span=span))
        for w in dict.fromkeys(who):
            out.append(Retraction(role=role, person=w, span=span))
    return out


def _risks(
    doc: Doc, und: list[Undecided], rr: RoleResult, assignments: list[ProposedAssignment], group_roles: set[str]
) -> list[ProposedRisk]:
    risks: list[ProposedRisk] = []
    for span in resistance(doc):
        risks.append(ProposedRisk(risk="resistance_to_change", span=span, subject=doc.item, rule="resistance"))
    given: set[str] = {a.role for a in assignments}
    if group_roles:
        given |= set(group_roles)
    for u in und:
        if not u.about_person:
            continue
        role = u.role or ITEM_ROLE.get(u.item or "")
        if role in given:
            continue
        if u.item == "roles" or role is None or role not in given:
            risks.append(
                ProposedRisk(risk="lack_of_ownership", span=u.span, subject=role or u.item, rule="not-decided")
            )
    for c, role in rr.nobody:
        if role not in given:
            risks.append(
                ProposedRisk(risk="lack_of_ownership", span=doc.sent_text(c.sent), subject=role, rule="nobody")
            )
    dedup: dict[tuple[str, str | None], ProposedRisk] = {}
    for r in risks:
        dedup.setdefault((r.risk, r.subject), r)
    return list(dedup.values())
