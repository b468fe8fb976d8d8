"""Signals in an answer: not-decided statements, resistance to change, questions, "I don't know"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.domain import ItemId
from assistant.understanding.doc import Doc
from assistant.understanding.lexicon import LEXICON

PERSON_ITEMS: frozenset[str] = frozenset({"accountability", "training", "communication", "monitoring", "roles"})

_NOT = r"(?:not|n't|never)"
UNDECIDED = re.compile(
    r"\bnot (?:yet |been |fully |really |quite |properly )*(?:decided|settled|agreed|confirmed|assigned|named|chosen|"
    r"picked|determined|finali[sz]ed|sorted|clear|defined|set up|worked out|figured out|identified|appointed|"
    r"allocated|nailed down|pinned down)\b(?! to\b)"
    r"|\b(?:haven't|hasn't|have not|has not|didn't|did not|hadn't)\s+(?:yet\s+|really\s+|actually\s+)?(?:been\s+)?"
    r"(?:decided|agreed|settled|named|picked|chosen|found|assigned|appointed|worked out|figured out|identified|"
    r"defined|set up|confirmed|allocated|nominated|sorted)\b(?! to\b)"
    r"|\b(?:didn't|did not|haven't|have not|hasn't|has not)\s+(?:yet\s+|really\s+)?(?:decide|agree|choose|pick|"
    r"settle|name|appoint|nominate)\b(?! to\b)(?:\s+(?:yet|until now|so far|at all))?"
    r"|\b(?:haven't|hasn't|have not|has not)\s+(?:yet\s+)?been\s+(?:asked|approached|told|consulted|briefed)\b"
    r"|\b(?:is|'s|remains) (?:a|an|still a|still an|our biggest|a real|a big) (?:gap|hole|open item|open point|"
    r"unknown|question mark|blind spot)\b"
    r"|\b(?:isn't|is not|aren't|are not|wasn't)\s+(?:yet\s+)?(?:decided|settled|agreed|confirmed|clear|defined|"
    r"sorted|assigned|named|known)\b"
    r"|\bstill (?:open|undecided|to be (?:decided|confirmed|agreed)|tbd|tbc|up in the air|being (?:discussed|decided|"
    r"worked out)|under discussion|a question|unclear|unknown)\b"
    r"|\bup in the air\b|\btbd\b|\btbc\b|\bto be (?:decided|confirmed|determined|agreed|defined)\b|\bundecided\b"
    r"|\bopen question\b|\bwe'll see\b|\bwe will see\b|\bremains to be seen\b|\bnot sure yet\b"
    r"|\b(?:don't|do not|dunno|doesn't|does not)\s+know\s+who\b|\bnot sure who\b|\bno idea who\b|\bunclear who\b"
    r"|\bneed (?:to find|to name|to pick|to appoint|to decide|to nominate) (?:someone|somebody|an owner|a lead|who)\b"
    r"|\blooking for (?:someone|somebody|an owner|a lead)\b|\bno owner\b|\bunowned\b"
    r"|\b(?:nobody|no one|no-one)(?:'s| is| has| has been|'s been| will| yet)?\s+(?:yet\s+|really\s+|actually\s+|"
    r"currently\s+|formally\s+|even\s+)?(?:owns?|owning|named|assigned|lined up|earmarked|designated|identified|"
    r"allocated|tasked|slotted in|pencil+ed in|down (?:for|to)|signed up|put forward|set to|"
    r"picked|chosen|asked|appointed|nominated|in charge|"
    r"responsible|accountable|leads?|leading|runs?|running|handles?|reviews?|looks? after|looking after|yet|"
    r"coordinates|organi[sz]es|manages|drives|covers|oversees|tracks|monitors|checks|sends|writes|hosts|chairs|"
    r"champions|does|maintains|updates|picks|takes|wants|'s taken|has taken|is taking|'s doing|is doing|"
    r"for (?:it|that|this)|at the moment|right now|specific|has it|taken it on|picked it up|volunteered|"
    r"on (?:it|that|this)(?! (?:side|front|team)))\b"
    r"|\b(?:haven't|hasn't|have not|has not|didn't|did not)\s+(?:yet\s+|really\s+)?(?:figured|worked|sorted|"
    r"thought) (?:that|it|this) (?:out|through)\b"
    r"|\beveryone's problem and nobody's\b|\bnobody's job\b|\bno one's job\b"
    r"|^\W*(?:nobody|no one|no-one|none)(?:\W+(?:yet|at the moment|right now|currently|so far|really|honestly|"
    r"for now|i'm afraid|sadly))*\W*$"
    r"|\bno (?:single |one )?person (?:owns|is|has|leads|runs|looks)\b"
    r"|\bno one has been tasked\b|\bnobody has been tasked\b|\bnot (?:been )?tasked\b"
    r"|\bstill being (?:negotiated|discussed|worked on|finali[sz]ed|agreed|planned)\b"
    r"|\b(?:it's|it is|that's|that is) (?:no one|nobody|no-one)\b|\bwhoever\b"
    r"|\bstill (?:working out|deciding|figuring out|discussing|thinking about|looking for|trying to (?:find|decide))\b"
    r"|\b(?:will|'ll|to|going to|need to|needs to|have to|has to|must|yet to) (?:decide|agree|work out|figure out|"
    r"choose|pick|confirm|find) (?:on )?(?:who|someone|somebody|an owner|a lead)\b"
    r"|\b(?:haven't got|have not got|hasn't got|has not got|don't have|do not have|doesn't have|does not have|"
    r"there's no|there is no|we have no|has no|have no|lacks|without) "
    r"(?:a |an |any |anyone as )?(?:named |dedicated |clear )?(?:\w+ )?(?:owner|lead|champion|sponsor|"
    r"manager|pm|person|organi[sz]er|coordinator|trainers?|facilitator)\b"
    # "we haven't got anyone for training yet", "we don't have anybody lined up to run it"
    r"|\b(?:haven't got|have not got|hasn't got|don't have|do not have|doesn't have|does not have|"
    r"haven't found|have not found|'ve got no|have got no|'ve no|have no) (?:anyone|anybody|someone|somebody)\b"
    r"(?=\s+(?:yet|for|to|lined up|in place|at the moment|right now|so far|named|who|on)\b|\W*$)"
    r"|\b(?:nobody|no one|no-one)(?:'s| has| have)? been found\b"
    r"|" + LEXICON.regex("ownership_gaps").pattern + r"|" + LEXICON.regex("provider_assumed").pattern
)
_PERSON_MARK = re.compile(
    r"\bwho\b|\bnobody\b|\bno one\b|\bno-one\b|\bsomeone\b|\bsomebody\b|\banyone\b|\bowner\b|\bown(?:s|ed|ing)?\b|"
    r"\blead(?:s|er)?\b|\bruns?\b|\bin charge\b|\bresponsible\b|\baccountable\b|\bchampion\b|\bnamed\b|"
    r"\bappointed\b|\bhosts?\b|\bperson\b|\bpm\b|\bsponsor\b|\bnominated\b"
)
_THING_MARK = re.compile(
    r"\bmetrics?\b|\bkpis?\b|\bmeasures?\b|\bdates?\b|\btimeline\b|\bscope\b|\bschedule\b|\bbudget\b|\bformat\b|"
    r"\bwhat\b|\bwhich\b|\bwhether\b|\bhow\b|\bwhen\b|\banything\b|\bplan\b|\bchannels?\b|\bcadence\b"
)
_PERSONAL_SUBJECT = re.compile(r"\b(?:he|she|they)\s+(?:has|have|hasn't|haven't|has not|have not|didn't)\s+(?!been\b)")

ITEM_HINTS: list[tuple[ItemId, re.Pattern[str]]] = [
    ("training", re.compile(LEXICON.regex("training").pattern + r"|\bonboarding\b")),
    ("communication", re.compile(LEXICON.regex("channels").pattern + r"|\bwrites? for\b|\bin the loop\b")),
    (
        "monitoring",
        re.compile(
            r"\bmetrics?\b|\bkpis?\b|\bmeasures?\b|\bmeasure\b|\breviews?\b|\breporting\b|"
            r"\bnumbers\b|\blooks? at them\b|\btargets?\b|\bdashboards?\b"
        ),
    ),
    ("collaboration", re.compile(r"\bdates?\b|\btimeline\b|\bmilestones?\b|\bschedule\b|\bgo-?live\b|\bdeadline\b")),
    ("scope", re.compile(r"\bscope\b|\bin or out\b|\bwhether\b.*\bis in\b")),
    (
        "accountability",
        re.compile(
            r"\baccountab\w+|\bown (?:it|this|the (?:project|rollout))\b|\bin charge\b|"
            r"\bwho owns it\b"
        ),
    ),
    ("roles", re.compile(r"\b(?:pm|project manager|tech(?:nical)? lead|sponsor|roles?)\b")),
]


@dataclass
class Undecided:
    sent: int
    item: ItemId | None
    about_person: bool
    bare: bool
    span: str
    role: str | None = None


# The role an "it's not decided" is about, by the area it names; the first area named wins.
_ROLE_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (r, LEXICON.regex(f"area_{r}"))
    for r in (
        "metrics_owner",
        "project_manager",
        "technical_lead",
        "executive_sponsor",
        "training_lead",
        "communications_lead",
        "accountable_owner",
    )
]


RESIST = LEXICON.regex("resistance")
_RESIST_NEG = re.compile(r"\b(?:no|not|n't|nobody|nobody's|never|without|hardly|little|any)\W+(?:\w+\W+){0,2}$")
_THIRD_PARTY = re.compile(
    r"\b(?:users?|staff|teams?|they|them|their|people|employees|colleagues|nurses|doctors|surgeons|consultants|"
    r"clinicians|teachers|managers|drivers|agents|clerks|pickers|engineers|technicians|reps|pharmacists|union|"
    r"workers|operators|supervisors|admins?|members|some|several|many|most|a few|couple|shift|branch|regions?|"
    r"departments?|everyone|half|older|senior|junior|frontline|front-line|planners|dispatchers|cashiers|"
    r"handlers|recruiters|residents|students|parents|customers|partners|sites|stores|schools|wards)\b"
)
_FIRST_PERSON_SUBJ = re.compile(
    r"^(?:\W|honestly|to be honest|frankly|personally)*(?:i|i'm|i am|we|we're|we are|my|our)\b"
)

QUESTION_START = re.compile(
    r"^\W*(?:\w+,\s+)?(?:why|what|how|who|when|where|which|can|could|would|should|do|does|did|is|are|will|isn't|"
    r"aren't|shall|may|must|have|has|any|anything|tips?|advice|thoughts|ideas|suggestions|recommendations)\b"
)
_TAG_Q = re.compile(r"(?:,\s*(?:right|correct|yes|yeah|ok|okay|no)|isn't it|aren't they|don't they|won't they)\?\s*$")
ASK_RE = re.compile(
    r"\b(?:can|could|would) you (?:explain|tell me|clarify|say more|walk me through|help me understand)\b"
)

DONT_KNOW = LEXICON.regex("dont_know")


def undecided(doc: Doc) -> list[Undecided]:
    out: list[Undecided] = []
    for s in range(len(doc.sent_spans)):
        low = doc.sent_low(s)
        m = UNDECIDED.search(low)
        if not m:
            continue
        if doc.is_question(s) and len(re.findall(r"[\w']+", low)) >= 3:
            continue  # "What goes wrong when nobody owns the training?" asks; it states nothing
        if _PERSONAL_SUBJECT.search(low[max(0, m.start() - 30) : m.end()]) and "who" not in low:
            continue  # "she hasn't confirmed": a person's answer, not an open decision
        before = low[max(0, m.start() - 30) : m.start()]
        if re.search(r"\b(?:hasn't|haven't)\s*$", before):
            pass
        person = bool(_PERSON_MARK.search(low))
        thing = bool(_THING_MARK.search(low))
        words = re.findall(r"[\w']+", low)
        bare = not person and not thing
        item: ItemId | None = None
        for it, rx in ITEM_HINTS:
            if rx.search(low):
                item = it
                break
        if item is None:
            item = doc.item
        if bare:
            person = (doc.item or "") in PERSON_ITEMS or item in PERSON_ITEMS
        del words
        role = next((r for r, rx in _ROLE_WORDS if rx.search(low)), None)
        out.append(
            Undecided(s, item, person and not (thing and not _PERSON_MARK.search(low)), bare, doc.sent_text(s), role)
        )
    return out


def resistance(doc: Doc) -> list[str]:
    spans: list[str] = []
    for s in range(len(doc.sent_spans)):
        low = doc.sent_low(s)
        for m in RESIST.finditer(low):
            if m.group() == "afraid" and re.search(r"\b(?:i'm|i am) afraid\b|\bafraid (?:so|not)\b", low):
                continue
            if _RESIST_NEG.search(low[max(0, m.start() - 30) : m.start()]):
                continue
            if _FIRST_PERSON_SUBJ.search(low) and not _THIRD_PARTY.search(low):
                continue
            pre = low[max(0, m.start() - 25) : m.start()]
            a = doc.sent_spans[s][0]
            if any(a + m.start() - 30 <= mm.start < a + m.start() for mm in doc.mentions) and not _THIRD_PARTY.search(
                low[: m.start()]
            ):
                continue  # "Rui's worried about data quality": one stakeholder's worry, not users' resistance
            if re.search(r"\b(?:i|i'm|i am|we|we're|we are|i've|we've|i was|personally)\W+(?:\w+\W+){0,2}$", pre):
                clause_rest = re.split(r"[,;.]|\bbut\b|\bthough\b", low[m.end() :])[0]
                if not _THIRD_PARTY.search(clause_rest):
                    continue  # "I'm worried about the timeline": the speaker's own worry, not users'

            spans.append(doc.sent_text(s))
            break
    return spans


def questions(doc: Doc) -> list[str]:
    if doc.utt.side == "provider":
        return []
    out: list[str] = []
    n = len(doc.sent_spans)
    for s in range(n):
        text = doc.sent_text(s).strip()
        low = doc.sent_low(s)
        words = re.findall(r"[\w']+", low)
        if text.endswith("?"):
            if len(words) < 3 or _TAG_Q.search(low):
                continue
            if (
                len(words) <= 5
                and re.match(r"^\W*(?:who|what|which|how)\b", low)
                and s + 1 < n
                and not doc.sent_text(s + 1).strip().endswith("?")
            ):
                continue  # "Who writes it? Probably Bisi.": the speaker answers their own question
            if QUESTION_START.search(low) or re.search(r"\byou\b", low):
                out.append(text)
        elif ASK_RE.search(low):
            out.append(text)
    return out


def dont_know(doc: Doc) -> bool:
    return bool(DONT_KNOW.search(doc.low))
