"""Which checklist items an answer touches, whether their core fact is stated, and detail tags.

An item is proposed only when the answer really discusses it: the targeted item gets lenient
cues, other items need strong evidence (false coverage is the error to avoid).
"""

from __future__ import annotations

import re

from assistant.domain import ItemId, ProposedAssignment, ProposedFact, RoleId
from assistant.understanding.doc import Doc
from assistant.understanding.lexicon import LEXICON
from assistant.understanding.signals import Undecided

SCOPE_ANY = re.compile(
    r"\b(?:moves?|moving|switch(?:es|ing)?|migrat\w+) (?:from|to|into|onto|over)\b|\breplac\w+|"
    r"\bstop(?:s|ping)? (?:using|keying|writing|emailing|doing|sending|printing|filling)\b|\binstead\b|\brather than\b|"
    r"\bchanges?\b|\bchanging\b|\baffects?\b|\bimpacts?\b|\bdisrupt\w*|\bgoes away\b|\bgo away\b|\bno longer\b|"
    r"\bin the (?:new )?(?:system|tool|module|platform|app|portal|console|crm)\b|\bnew (?:system|tool|module|platform|"
    r"app|portal|process|workflow|console|screen)\b|\bworkflows?\b|\bprocess(?:es)?\b|\bonline\b|\bdigital\b|"
    r"\bon (?:tablets|their phones|handhelds|the app)\b|\bwill (?:log|scan|use|submit|check|handle|plan|read|approve|"
    r"record|book|enter|work)\b|\bget(?:s)? (?:approved|drafted|done|logged|updates)\b|\bin scope\b|\bout of scope\b|"
    r"\bhits\b|\bswitch\w*\b|\bcurrently\b|\bafter go-?live\b|\bonce (?:we|it) (?:go|goes) live\b|\bre-?key\w*|"
    r"\bflows? (?:straight )?(?:from|into|to)\b|\bstop(?:s|ping)? \w+ing\b|\bstart(?:s|ing)? \w+ing\b|"
    r"\bin the new \w+\b|\b(?:on|at|from|with|through|via|into) (?:the|their|our) new [\w-]+|\bautomatically\b|"
    r"\bfeeds? (?:into|straight|through|the)\b"
)
SCOPE_STRONG = re.compile(
    r"\b(?:moves?|moving|switch(?:es|ing)?) (?:from|to|into|onto)\b|\breplac\w+|\bstop(?:s|ping)? (?:using|keying)\b|"
    r"\binstead of\b|\brather than on\b|\brather than by\b|\bno longer\b|\bstop(?:s|ping)? \w+ing\b|"
    r"\b(?:swap|trade|exchange)(?:s|ping|ped|d)?\b[^.;]{0,40}?\bfor (?:the |a |an )?(?:new )?[\w-]+"
)
# who-does-what-differently: a user group (or a team) doing a piece of work, present tense
# ("growers get a ticket on their phone", "dispatch sees every route", "nurses record obs at the bedside")
_SCOPE_ACTOR = r"(?:[a-z]{3,}(?:ers|ors|ists|ians|ants|ents)|" + LEXICON.alternation("user_groups") + ")"
_WORK_VERBS = LEXICON.alternation("work_verbs")
SCOPE_ACTS = re.compile(
    r"\b" + _SCOPE_ACTOR + r"\s+(?:now\s+|then\s+|also\s+|will\s+|can\s+|instantly\s+|immediately\s+|"
    r"just\s+|simply\s+|only\s+|all\s+|each\s+|directly\s+|automatically\s+)?"
    r"(?:" + _WORK_VERBS + r")\b"
    r"(?! (?:it|that|this|them)\b\W*$)"
)
_USERS = re.compile(
    r"\b(?:users?|staff|teams?|nurses|doctors|teachers|managers|drivers|agents|clerks|pickers|engineers|technicians|"
    r"reps|pharmacists|workers|operators|supervisors|planners|dispatchers|cashiers|handlers|recruiters|workers|"
    r"inspectors|analysts|adjusters|officers|coordinators|editors|reporters|researchers|students|"
    r"employees|office|branch(?:es)?|stores?|wards?|department|sites?)\b"
)
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|Sept|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Oct|Nov|Dec"
)
DATE_RE = re.compile(
    rf"\b(?:{_MONTHS})\b|\bQ[1-4]\b|\b20\d\d\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b|"
    r"\b(?:spring|summer|autumn|winter)\b|\b\w+ weeks? (?:end to end|of testing|later|after|apart)\b|"
    r"\b(?:next|this) (?:month|year|quarter)\b|\bend of (?:the )?(?:year|quarter|month|term)\b|"
    r"\b(?:within|in|by|over|after) (?:\w+ )?(?:weeks|months)\b|\b(?:twelve|\d+|six|eight|ten) weeks\b|"
    r"\bmonths? apart\b|\bweeks? apart\b"
)
COLLAB_RE = re.compile(
    r"\bpilot\b|\bphase (?:one|two|three|1|2|3)\b|\bmilestones?\b|\btimeline\b|\bdeadline\b|\bgo(?:es)?[- ]live\b|"
    r"\bgoing live\b|\bcelebrat\w+|\bhypercare\b|\bafter go-?live\b|\bfirst-line support\b|\bsupport after\b|"
    r"\bstarting in\b|\bend to end\b|\bby the end of\b|\brollout by\b"
)
METRIC_NAME = re.compile(LEXICON.regex("metric_names").pattern + r"|%")
MEASURE_CONTEXT = re.compile(
    r"\bmeasur\w*|\btrack\w*|\bmetrics?\b|\bkpis?\b|\bjudge\w*|\blook at\b|\breview\w*|\btargets?\b|\bwant\b|"
    r"\bgoal\b|\baim\b|\bsuccess\b|\bdown by\b|\bup by\b|\bmonitor\w*|\bkeep an eye\b|\bown that report\b|"
    r"\breport(?:s|ed|ing)? (?:on|the|them|it)\b|\breporting\b"
)
_SYSTEM_NOUNS = (
    r"(?:system|app|portal|tool|platform|crm|kiosks?|module|tills|desk|console|dashboard|software|site|online|"
    r"ehr|emr|erp|lms|wms|cms|mes|lims|pms|dms|hris|sis|qms|mam|ats|model|tablets?|handhelds?|screens?|pos|"
    r"workspace|database)"
)
_STRONG_MEASURE = re.compile(
    r"\bmeasur\w*|\btrack\w*|\bmetrics?\b|\bkpis?\b|\bjudge\w*|\btargets?\b|\bgoal\b|\baim\b|\bsuccess\b|"
    r"\bdown by\b|\bup by\b|\bmonitor\w*|\bkeep an eye\b|\breport(?:s|ed|ing)? on\b|\breporting\b|\bper ?cent\b|%|"
    r"\bwant\b|\b(?:i|we|they|he|she|will|'ll|to|would|should|can)\s+(?:\w+\s+)?(?:review|look at|check)\b"
)
USAGE_RE = re.compile(
    r"\b(?:active users?|users? active|logins?|log-?ins|logging in|logged in|log in|sign-?ins?|usage|adoption|uptake|"
    r"page views|searches|daily users|monthly users|online bookings?)\b"
    r"|\b(?:share|percent(?:age)?|proportion|number|how many|count|ratio)\b[^.;]{0,70}?\b(?:in|through|via|on|using|"
    r"with|into|at|from)\s+(?:the\s+|our\s+)?(?:(?:new|digital|online)\s+[\w-]+|(?:[\w-]+\s+)?" + _SYSTEM_NOUNS + r")\b"
    r"|\b(?:entered|recorded|logged|booked|processed|raised|submitted|done|handled|closed|rung up|filed|captured|"
    r"completed|posted|made|issued|published|opened|created|run|scheduled|approved|placed|sent|bound|quoted|"
    r"taken|written|paid|sold|kept|read|\w{3,}ed)"
    r"(?:\s+(?:per|each|every|a|an|by|\w+)){0,5}?\s+(?:electronically|online|digitally|"
    r"(?:in|on|via|through|from|using) (?:the |our )?(?:(?:new|digital|online) [\w-]+|(?:[\w-]+ )?"
    + _SYSTEM_NOUNS
    + r"))\b"
    r"|\bgo(?:es)? through the (?:new )?\w+\b|\b(?:log|logs|use|uses|using) (?:their |the )?\w+ in the\b"
)
_USAGE_NEG = re.compile(r"\b(?:don't|do not|doesn't|not|no|never|without)\b[^.;]{0,20}$")
DUTIES = re.compile(
    r"\bsign(?:s)? off\b|\bsettle\w*\b|\bescalat\w+|\bfinal say\b|\bresolv\w+ (?:problems|issues|disputes)\b|"
    r"\boversee\w*\b|\bpriorit\w+\b|\bdecisions?\b"
)
ITEM_OF_ROLE: dict[RoleId, ItemId] = {
    "accountable_owner": "accountability",
    "training_lead": "training",
    "communications_lead": "communication",
}
_CHANNEL = LEXICON.regex("channels")
_GOV = re.compile(r"\b(?:steering|board|governance|committee|council)\b")
_TRAIN = LEXICON.regex("training")
_UNDATED = LEXICON.regex("undated")


def _first_sentence(doc: Doc, rx: re.Pattern[str], use_text: bool = False) -> tuple[int, re.Match[str]] | None:
    for s in range(len(doc.sent_spans)):
        hay = doc.sent_text(s) if use_text else doc.sent_low(s)
        m = rx.search(hay)
        if m:
            return s, m
    return None


def usage_in(text_low: str) -> bool:
    for m in USAGE_RE.finditer(text_low):
        if _USAGE_NEG.search(text_low[max(0, m.start() - 25) : m.start()]):
            continue
        return True
    return False


def extract_facts(
    doc: Doc,
    assignments: list[ProposedAssignment],
    group_roles: set[str],
    undecided: list[Undecided],
    dont_know: bool,
) -> list[ProposedFact]:
    facts: dict[ItemId, ProposedFact] = {}
    target = doc.item

    def put(item: ItemId, span: str, status: str, rule: str, tags: list[str] | None = None) -> None:
        if not span:
            return
        if span.rstrip().endswith("?") and len(re.findall(r"[\w']+", span)) >= 3:
            return  # a question to the assistant states nothing
        old = facts.get(item)
        if old is not None and (old.status == "covered" or status == "open"):
            return
        facts[item] = ProposedFact(item=item, span=span, status=status, tags=tags or [], rule=rule)  # type: ignore[arg-type]

    # items whose core fact is a person: from the assignments
    for a in assignments:
        item = ITEM_OF_ROLE.get(a.role)
        if item:
            put(item, a.span, "covered", "role-item")
        if a.role != "accountable_owner":
            put("roles", a.span, "covered", "role-item")
    if target in ("roles", "accountability") and not any(a.role != "accountable_owner" for a in assignments):
        hit = _first_sentence(doc, DUTIES)
        if hit and assignments:
            put("roles", doc.sent_text(hit[0]), "covered", "duties")

    # monitoring: a named metric
    metric_sent = None
    for s in range(len(doc.sent_spans)):
        low = doc.sent_low(s)
        if not METRIC_NAME.search(low):
            continue
        verbless = not any(doc.verbish(t.i) for t in doc.tokens[doc.sent_tok[s][0] : doc.sent_tok[s][1]])
        live_list = target is None and (verbless or bool(MEASURE_CONTEXT.search(doc.low)))
        ctx_m = MEASURE_CONTEXT.search(low)
        if ctx_m and target not in (None, "monitoring") and not _STRONG_MEASURE.search(low):
            ctx_m = None  # "results entry and review move into the LIMS" describes the work, not a metric
        if target == "monitoring" or ctx_m or live_list:
            if any(u.sent == s and not u.about_person for u in undecided):
                continue
            metric_sent = s
            break
    if metric_sent is not None:
        tags = ["named_metric"]
        scope = doc.low if target == "monitoring" else doc.sent_low(metric_sent)
        if usage_in(scope):
            tags.append("usage_metric")
        put("monitoring", doc.sent_text(metric_sent), "covered", "metric", tags)

    # scope: what changes, for whom
    for s in range(len(doc.sent_spans)):
        low = doc.sent_low(s)
        if any(u.sent == s and (u.item in (None, "scope") or not u.about_person) for u in undecided):
            continue  # "we haven't worked out what changes for the drivers yet": not decided
        if target == "scope" and (SCOPE_ANY.search(low) or SCOPE_ACTS.search(low)):
            put("scope", doc.sent_text(s), "covered", "scope")
            break
        if target != "scope" and SCOPE_STRONG.search(low) and _USERS.search(low):
            put("scope", doc.sent_text(s), "covered", "scope")
            break

    # collaboration: a timeline or a dated milestone
    for s in range(len(doc.sent_spans)):
        text, low = doc.sent_text(s), doc.sent_low(s)
        dated = bool(DATE_RE.search(text)) or (doc.caps_mode and bool(DATE_RE.search(text.title())))
        if dated and _UNDATED.search(low):
            continue  # "It won't go live in March", "the original date was May": no milestone of ours
        if dated and (
            target == "collaboration"
            or COLLAB_RE.search(low)
            or re.search(r"\b(?:live|launch|start|finish|rollout|phase)\w*", low)
        ):
            put("collaboration", text, "covered", "date")
            break
        if (
            target == "collaboration"
            and COLLAB_RE.search(low)
            and re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve)\b", low)
        ):
            put("collaboration", text, "covered", "date")
            break

    # groups with no named lead leave the item open
    if "accountable_owner" in group_roles:
        put("accountability", _group_span(doc), "open", "group")
    if "training_lead" in group_roles:
        put("training", _group_span(doc), "open", "group")

    # not decided / nobody yet
    for u in undecided:
        item = u.item
        if item is None:
            continue
        if item == "monitoring" and u.about_person and not u.bare:
            continue  # a missing reviewer is a missing metrics owner, not an open item
        if item in ("scope", "collaboration") and u.about_person and not u.bare:
            continue
        put(item, u.span, "open", "not-decided")

    # the targeted item answered without its core fact
    if doc.utt.side == "provider" or dont_know:
        return list(facts.values())
    if target == "training" and "training" not in facts and sum(1 for t in doc.tokens if t.is_word) >= 3:
        put("training", doc.sent_text(0), "open", "no-lead")  # a plan (or a helper) but no named lead
    if target == "communication" and "communication" not in facts:
        hit = _first_sentence(doc, _CHANNEL)
        if hit and not _GOV.search(doc.sent_low(hit[0])[max(0, hit[1].start() - 25) : hit[1].start()]):
            put("communication", doc.sent_text(hit[0]), "open", "no-runner")  # a channel nobody was named to run
    return list(facts.values())


def _group_span(doc: Doc) -> str:
    return doc.sent_text(0)


_QUESTION_ITEMS: list[tuple[ItemId, re.Pattern[str]]] = [
    (
        "accountability",
        re.compile(
            r"\baccountab\w*|\bin charge of (?:the project|this|it|the rollout)\b|"
            r"\bpoint of contact\b|\bfinal say\b|\bwho (?:owns|will own) (?:this|it|the (?:project|"
            r"rollout|deployment))\b|\bresponsible for (?:making|the success)"
        ),
    ),
    ("training", re.compile(r"\btrain\w*|\bworkshops?\b|\bonboard\w*|\bup to speed\b|\beducat\w+|\blearn\w*")),
    (
        "communication",
        re.compile(
            r"\binformed\b|\bcommunicat\w+|\bupdates?\b|\bmeetings?\b|\bstand-?ups?\b|"
            r"\bnewsletters?\b|\bin the loop\b|\bcadence\b|\bcheck-?ins?\b|\bcalls?\b"
        ),
    ),
    (
        "monitoring",
        re.compile(
            r"\bmetrics?\b|\bmeasur\w+|\bkpis?\b|\bsuccess look\b|\bknow (?:it's|it is|if it's|"
            r"whether it's) working\b|\btrack\w*|\btargets?\b|\bnumbers\b|\bjudge\w*"
        ),
    ),
    (
        "collaboration",
        re.compile(
            r"\btimeline\b|\bmilestones?\b|\bdates?\b|\bwhen (?:do|will|are) (?:we|you)\b|"
            r"\bschedule\b|\bcelebrat\w+|\bsupport after\b|\bgo-?live\b|\bgo live\b"
        ),
    ),
    (
        "scope",
        re.compile(
            r"\bwhat changes\b|\bwhich (?:teams|workflows|users|processes)\b|\baffected\b|\bimpact\w*|"
            r"\bscope\b|\bdisrupt\w*|\bday-to-day work\b|\bwhat (?:will be )?different\b"
        ),
    ),
    (
        "roles",
        re.compile(
            r"\bwho (?:handles|owns|looks after|else|will|is|does|runs|leads)\b|\broles?\b|\bsponsor\w*|"
            r"\btechnical\b|\bintegrations?\b|\bproject manager\b|\bpm\b"
        ),
    ),
]


def guess_item(question: str) -> ItemId | None:
    """The checklist item a facilitator's question targets, for live calls where nobody set `item`.

    Keyword rules in priority order ("who is accountable" before "who handles"); None when unsure.
    """
    low = question.lower()
    for item, rx in _QUESTION_ITEMS:
        if rx.search(low):
            return item
    return None
