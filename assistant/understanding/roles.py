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
from assistant.understanding.clauses import fold, words
from assistant.understanding.doc import JOB_NOUNS, Clause, Doc, Holder
from assistant.understanding.lexicon import LEXICON
from assistant.understanding.names import TITLES

ITEM_ROLE: dict[str, RoleId] = {
    "accountability": "accountable_owner",
    "training": "training_lead",
    "communication": "communications_lead",
    "monitoring": "metrics_owner",
}

# ---- object classes: what a verb is about ----
OBJ_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "PM",
        re.compile(
            r"\b(?:day[- ]to[- ]day|week[- ]to[- ]week|project plan|timeline|project schedule|"
            r"coordination|on track|workstreams|project management)\b"
            # "a coordination meeting", "the day-to-day call": a channel named for its purpose (CHANNEL)
            r"(?!\s+(?:" + LEXICON.alternation("channels") + r")\b)"
        ),
    ),
    ("PLAN", re.compile(r"\b(?:the plan|plans|the planning|(?:the |a )?schedules?)\b")),
    (
        "ACC",
        re.compile(
            r"\b(?:accountability|ownership|the final say|final decisions?|the buck|sign-?off|"
            r"(?:the |overall )?responsibility|decisions?|decision-making)\b"
        ),
    ),
    ("SPONSOR", re.compile(r"\bsponsorship\b")),
    ("MREVIEW", re.compile(r"\b(?:metrics|kpi|performance|numbers) reviews?\b")),
    (
        "GOV",
        re.compile(
            r"\b(?:steering (?:committee|group|board|meeting)s?|(?:programme|program|project|transformation|"
            r"governance|review|advisory) boards?|governance(?: meetings?| groups?)?|the board|board meetings?|"
            r"council|committee|oversight group)\b"
        ),
    ),
    ("TRAIN", LEXICON.regex("training")),
    ("CHANNEL", LEXICON.regex("channels")),
    (
        "METRIC",
        re.compile(
            r"\b(?:metrics?|kpis?|numbers|figures|targets?|measures|stats|statistics|dashboards?|"
            r"(?:the|that|this|our|their|a|monthly|weekly|quarterly|kpi|performance) report(?:ing|s)?|"
            r"scorecards?|results|kpi pack|the pack|adoption(?: figures| numbers| data)?|"
            r"usage|analytics|survey results)\b"
        ),
    ),
    (
        "TECH",
        re.compile(
            r"\b(?:integrations?|interfaces?|apis?|data(?: migration| feeds?| side| model| quality| warehouse|"
            r" flows?| pipelines?| layer| load)?|migration|infrastructure|infra|servers?|"
            r"(?<!champions )(?<!users )(?<!champion )network|networks|"
            r"devices|hardware|scanners?|handhelds?|technical(?: side| work| design| stuff| bits| setup)?|"
            r"tech(?: side| stuff)?|it side|systems? side|the systems|configuration|config|security|"
            r"learning (?:platform|management system)|channel manager|booking engine|"
            r"single sign-on|sso|cut-?over|databases?|plc|erp|environments?|the build|tooling|back ?end|"
            r"(?:the |data )extracts?|edi(?: links?| feeds?| messages?| interfaces?)?|s?ftp(?: feeds?| links?)?|"
            r"(?:api|system|data|b2b|partner|bank|payment|integration|interface) (?:links?|feeds?|connectors?)|"
            r"etl|middleware|connectors?|web ?services?|endpoints?|master data|"
            r"data (?:loads|imports?|exports?|conversions?|mappings?|cleans(?:e|ing)|transfers?)|"
            r"feeds|connections?|set-?up|installation|hosting|architecture|technology|"
            r"the system|systems|sap|salesforce|workday|servicenow|oracle|netsuite|dynamics|epic|cerner|crm|ehr|emr|"
            r"hris|wms|lms|pos)\b"
        ),
    ),
    (
        "PROJECT",
        re.compile(
            r"\b(?:project|rollout|roll-out|deployment|programme|program|implementation|go-live|launch|"
            r"transition|change|initiative|upgrade|whole thing|effort|success|outcome|delivery|"
            r"end to end|overall)\b"
        ),
    ),
]
OBJ_ROLE: dict[str, RoleId] = {
    "PM": "project_manager",
    "ACC": "accountable_owner",
    "SPONSOR": "executive_sponsor",
    "MREVIEW": "metrics_owner",
    "TRAIN": "training_lead",
    "CHANNEL": "communications_lead",
    "METRIC": "metrics_owner",
    "TECH": "technical_lead",
}
_TEAM_AFTER = re.compile(r"^\s+(?:team|department|dept|unit|group|function|division|office|squad|staff|people)\b")
PRONOUN_OBJ = frozenset(["it", "that", "this", "them", "those", "these", "one", "everything", "both"])

# ---- verb cues: (class, pattern). Holder is the subject before the verb. ----
_V = r"\b(?:{})\b"
VERB_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "TRAIN",
        re.compile(
            _V.format(
                r"train|trains|coach|coaches|teach|teaches|mentor|mentors|onboard|onboards|educate|educates|"
                r"gets? [\w' -]{1,40}? up to speed|get [\w' -]{1,40}? up to speed"
            )
        ),
    ),
    (
        # softer teaching verbs: training only in a training answer or after training was the topic
        "TEACH",
        re.compile(
            _V.format(
                r"(?:show|shows|showing) [\w' -]{1,40}? (?:how|the ropes|around)|"
                r"(?:walk|walks|walking|take|takes|taking|talk|talks|talking) [\w' -]{1,30}? through|"
                r"demonstrate|demonstrates|demonstrating|demo|demos|run (?:them|people|everyone|staff) through|"
                r"bring [\w' -]{1,30}? up to speed|brings [\w' -]{1,30}? up to speed|familiari[sz]es?|"
                r"instruct|instructs|tutor|tutors|skill up|skills up|upskill|upskills"
            )
        ),
    ),
    (
        "SPONSOR",
        re.compile(
            _V.format(
                r"sponsor|sponsors|sponsoring|backs|backing|back (?:it|this|the project|the programme)|fund|"
                r"funds|funding|"
                r"(?:firmly |fully |squarely |right )?behind (?:it|this|the (?:project|programme|program|"
                r"rollout|initiative|"
                r"change|whole thing))"
            )
        ),
    ),
    (
        "PRODUCER",
        re.compile(
            _V.format(
                r"pull|pulls|pulling|build|builds|building|produce|produces|producing|compile|compiles|"
                r"compiling|prepare|"
                r"prepares|preparing|gather|gathers|collect|collects|extract|extracts|crunch|crunches|"
                r"generate|generates|"
                r"assemble|assembles|create|creates|puts? [\w ]{0,25}?together|pulls? [\w ]{0,25}?together|"
                r"runs? the numbers|running the numbers|crunch(?:es)? the numbers"
            )
        ),
    ),
    (
        "METRIC",
        re.compile(
            r"(?<!on )"
            + _V.format(
                r"review|reviews|reviewing|track|tracks|tracking|monitor|monitors|monitoring|watch|watches|"
                r"keeps? an eye on|keeping an eye on|look at|looks at|looking at|check|checks|analy[sz]e|analy[sz]es|"
                r"measure|measures|follow up on|follows up on|go through|goes through|report on|reports on|"
                r"signs? off|signing off|checking|checked|going through"
            )
        ),
    ),
    (
        "COMMS",
        re.compile(
            _V.format(
                r"send|sends|sending|give|gives|giving|email|emails|emailing|publish|publishes|publishing|write|writes|writing|"
                r"post|posts|"
                r"posting|host|hosts|hosting|chair|chairs|chairing|facilitate|facilitates|facilitating|edit|"
                r"edits|editing|"
                r"record|records|recording|circulate|circulates|issue|issues|present|presents|presenting|moderate|"
                r"moderates|front|fronts|put out|puts out|announce|announces|make|makes|making|"
                r"keeps? (?:\w+ ){0,2}(?:informed|updated|posted|in the loop)|"
                r"keeping (?:\w+ ){0,2}(?:informed|updated|posted)|"
                r"keeps?(?: it| them| that)? (?:up to date|current|updated)"
            )
        ),
    ),
    (
        "STRONG",
        re.compile(
            _V.format(
                r"own|owns|owning|owner of|handle|handles|handling|take care of|takes care of|taking care of|"
                r"look after|"
                r"looks after|looking after|lead|leads|leading|run|runs|running|manage|manages|managing|drive|drives|"
                r"driving|oversee|oversees|overseeing|coordinate|coordinates|coordinating|organi[sz]e|organi[sz]es|"
                r"organi[sz]ing|champion|champions|championing|deliver|delivers|delivering|in charge of|"
                r"responsible for|"
                r"head up|heads up|heading up|spearhead|spearheads|steer|steers|carry|carries|pick up|"
                r"picks up|deal with|deals with|dealing with|fold (?:this|it) into|look into|looks into|"
                r"on the hook for|"
                r"answer for|answers for|take on|takes on|taking on|took on|look after|rolls? (?:it |this |them )?out|"
                r"rolling (?:it |this |them )?out|carry the responsibility|carries the responsibility|"
                r"see (?:it|this) through|sees (?:it|this) through"
            )
        ),
    ),
    (
        "WEAK",
        re.compile(
            _V.format(
                r"do|does|doing|take|takes|taking|cover|covers|covering|got|hold|holds|holding|keep|keeps|keeping|"
                r"work on|works on|working on|set up|sets up|setting up|act as|acts as|acting as|will be|'ll be|be|"
                r"sort out|sorts out|care of|make sure|makes sure|making sure|ensure|ensures|share|shares|sharing"
            )
        ),
    ),
]
_LEADISH = re.compile(
    r"\b(?:lead|leads|leading|led|run|runs|running|manage|manages|managing|managed|coordinat\w+|"
    r"drive|drives|driving|driven)\b"
)

# ---- holder-after cues ----
AFTER_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "PASSIVE",
        re.compile(
            r"\b(owned|led|run|handled|managed|driven|coordinated|organi[sz]ed|championed|delivered|covered|chaired|"
            r"hosted|sent(?: out)?|written|edited|published|reviewed|tracked|monitored|sponsored|backed|overseen|"
            r"looked after|taken care of|done|facilitated|presented|produced|compiled|prepared|put together|"
            r"headed(?: up)?|fronted|taught|trained|coached|moderated|posted|recorded|kept|signed off|issued|"
            r"circulated|distributed|given|held|convened)"
            r"(?:\s+[\w-]+){0,7}?\s+by\b"
        ),
    ),
    (
        "WITH",
        re.compile(
            r"\b(?:sits|sit|rests|rest|lies|lie|stays|stay|is|are|will be|'s|lives|live) with\b|"
            r"\bleave (?:it|that|this|them|that one) with\b"
        ),
    ),
    (
        "TO",
        re.compile(
            r"\b(?:falls|fall|goes|go|going|is down|it's down|that's down|comes down|belongs|belong|"
            r"defaults|passes|pass|"
            r"handed|given|assigned|delegated) to\b|\b(?:delegate|delegates|hand|hands|pass|passes|give|gives)"
            r"(?:\s+[\w-]+){1,4}?\s+to\b"
        ),
    ),
    ("FROM", re.compile(r"\b(?:comes|come|coming|goes out|go out) from\b")),
    ("ON", re.compile(r"\b(?:it's|its|it is|that's|that is|this is|falls|rests|it'll be|will be|is|'s) on\b")),
    ("BUCK", re.compile(r"\bbuck stops with\b")),
    ("HAVE", re.compile(r"\b(?:we have|we've got|we got|there's|there is|we'll have|we've|we've asked|we asked)\b")),
    (
        "THROUGH",
        re.compile(r"\bdecisions? (?:go |goes |come |comes |are routed |get routed |should go )?(?:through|to)\b"),
    ),
]

# ---- role nouns: holder by copula or apposition ----
NOUN_PATTERNS: list[tuple[RoleId | None, re.Pattern[str], bool]] = [
    (
        "accountable_owner",
        re.compile(
            r"\baccountab(?:le|ility)\b|\banswerable\b|\bneck (?:is )?on the line\b|"
            r"\bhead (?:is )?on the block\b|\bcarr(?:y|ies) the can\b|\bon my shoulders\b|"
            r"\b(?:on|onto|lands? on|sits? on|ends? up on) my (?:plate|desk)\b|\bit's my head\b|"
            r"\bultimately responsible\b|\bthe responsible\b(?! (?:person|one|people|team))|\bfinal (?:say|calls?|word|"
            r"decisions?|sign-?off)\b|\bin charge\b(?! of)|\bthe one (?:responsible|in charge)\b"
        ),
        False,
    ),
    (
        "accountable_owner",
        re.compile(
            r"\b(?:main|primary|single|first|key|day-to-day|direct|only)?\s*(?:point of )?"
            r"contact\b|\bdecision-?maker\b|\bcalls? the shots\b|"
            r"\bi decide\b|\bi'll decide\b|\bdecides everything\b|\bmakes? the (?:final )?decisions\b"
        ),
        True,
    ),
    (
        "executive_sponsor",
        re.compile(
            r"\b(?:executive |senior |exec |main |business |board )?sponsor(?:s|ed)?\b|"
            r"\bbacker\b|\bexecutive champion\b"
        ),
        False,
    ),
    (
        "project_manager",
        re.compile(
            r"\b(?:project|programme|program|delivery|implementation) (?:manager|coordinator|"
            r"lead|director)\b|\bpm\b"
        ),
        False,
    ),
    (
        "technical_lead",
        re.compile(
            r"\b(?:technical|tech|engineering|integration|development|dev|data|infrastructure|"
            r"systems|it) (?:lead|owner|architect|expert|person)\b|\b(?:solution|solutions|"
            r"technical|enterprise|lead|software|systems) architect\b|\barchitect\b|\blead (?:engineer|"
            r"developer)\b|\b(?:it|tech|technical|systems|engineering) side\b"
        ),
        False,
    ),
    (
        "training_lead",
        re.compile(
            r"\btraining (?:lead|champion|coordinator|manager|owner|organi[sz]er)\b|"
            r"\b(?:lead |head |chief )?trainer\b(?!s)"
        ),
        False,
    ),
    ("communications_lead", re.compile(r"\b(?:communications?|comms) (?:lead|owner|manager|person|champion)\b"), False),
    (
        "metrics_owner",
        re.compile(r"\b(?:metrics?|kpi|kpis|data|reporting|numbers|measurement) (?:owner|lead|person)\b"),
        False,
    ),
    (
        None,
        re.compile(
            r"\b(?:the |overall |single |business |project )*owner\b(?! of)|"
            r"\b(?:point|go-to|main|key|lead|named|responsible) person\b|\bperson responsible\b|"
            r"\bthe go-to\b(?! person)"
        ),
        False,
    ),
]

NEG = frozenset(
    words(
        """not n't never no isn't won't wouldn't doesn't don't didn't can't cannot hasn't haven't aren't wasn't
        shouldn't nobody"""
    )
)
OBJ_PREPS = frozenset(
    words(
        """with to for about than at of into from under alongside beside besides support supports supporting
        help helps helping assist assists assisting report reports via through except including between
        among among"""
    )
)
_SKIP_PRE = frozenset(
    words(
        """the our a an their my his her its senior executive main overall acting interim new also both , is 's
        'll will be as act acts acting would probably likely definitely now going to being becomes become
        remains currently named appointed our your just really already officially effectively basically de
        facto sort kind of"""
    )
)
_SKIP_POST = frozenset(
    words(
        """is 's will be would should probably likely definitely : - going to = here currently now obviously
        really our the for this project rollout going gonna"""
    )
)
_SKIP_CLAUSE = re.compile(
    r"^\W*(?:if|unless)\b|\bused to\b|\bprevious(?:ly)?\b|\bformer(?:ly)?\b|\bin the past\b|\blast time\b|"
    r"\bwould have\b|\bwere still\b|\bwas (?:still )?here\b|\b(?:was|were) (?:going|supposed|meant) to\b|"
    r"\b(?:if|unless|but|when|although|because|so)\W*(?:\.\.\.|\u2026|-+)\s*$"
)
_REPORTED = LEXICON.regex("reported_speech")
CORRECTION = re.compile(
    LEXICON.regex("corrections").pattern + r"|\bupdate:"
    r"|\bi (?:said|mentioned|told you)\b.{0,60}\b(?:earlier|before|last time)\b|\b(?:earlier|before) i (?:said|"
    r"mentioned)\b|\bnot .{0,40} any ?more\b"
)
_PRESENTS = re.compile(
    r"\b(?:reports?|presents?|takes?|brings?|walks? (?:\w+ )?through|shares?|circulates?)\s+(?:them|it|those|these|the "
    r"(?:numbers|figures|results|kpis|metrics|pack|dashboard))\b"
)
REPORT_TO = re.compile(
    r"\b(?:reports?|reporting|sends?|sending|presents?|presenting|takes?|passes?|gives?|submits?|brings?|feeds?|"
    r"shares?|circulates?|emails?|hands?|prepares?|preparing|compiles?|compiling|pulls?|pulling|produces?|"
    r"producing|builds?|building|puts? together|puts)\b(?:\s+[\w'-]+){0,6}?\s+(?:to|for|with)\b"
)
FILLERS = frozenset(
    words(
        """yes yeah yep well so oh um uh er hmm honestly probably maybe perhaps definitely i think guess
        suppose that'd that's it's it would be will that is be just basically actually really the answer ok
        okay right sure absolutely certainly obviously and too also as of course monthly weekly quarterly
        daily fortnightly every week month quarter day now then for this one mostly"""
    )
)
DESCRIPTOR_ROLE: list[tuple[re.Pattern[str], RoleId]] = [
    (
        re.compile(
            r"\b(?:it|tech|tech-wise|technically|technology|technical|engineering|infrastructure|infra|data|"
            r"systems|development|dev|"
            r"platform|integrations?|architecture)\b"
        ),
        "technical_lead",
    ),
    (re.compile(r"\b(?:pmo|pm|project office|project management|programme office)\b"), "project_manager"),
]


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
            team = bool(_TEAM_AFTER.match(doc.low[m.end() : m.end() + 20]))
            if cls == "TECH" and m.group() == "it side" and doc.text[m.start() : m.start() + 2] != "IT":
                continue
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


# The role a question asks about, from its words. One role's cues only: a question listing several roles
# ("a project manager, a technical lead or a sponsor?") leaves a bare "Me." unplaced.
_QUESTION_CUES: list[tuple[RoleId, re.Pattern[str]]] = [
    (
        "technical_lead",
        re.compile(
            r"\b(?:technical|tech side|tech stuff|integrations?|interfaces?|networks?|pos|tills?|printers?|"
            r"hardware|infrastructure|infra|servers?|data(?! on)|migration|systems? side|it side|apis?|devices|"
            r"connectors?|feeds?|set-?up|installation|configuration|cut-?over)\b"
        ),
    ),
    ("training_lead", re.compile(r"\b(?:train\w*|teach\w*|onboard\w*|up to speed|educat\w+|workshops?)\b")),
    (
        "communications_lead",
        re.compile(
            r"\b(?:updates?|stand-?ups?|meetings?|newsletters?|comms|communicat\w+|in the loop|informed|huddles?|"
            r"up to date|posted|"
            r"check-?ins?|briefings?|bulletins?|digests?|status calls?)\b"
        ),
    ),
    (
        "metrics_owner",
        re.compile(
            r"\b(?:metrics?|numbers|figures|kpis?|review\w*|measur\w+|dashboards?|targets?|scorecards?|"
            r"results|reporting)\b"
        ),
    ),
    (
        "accountable_owner",
        re.compile(
            r"\baccountab\w*(?! (?:party|person))|\bfinal say\b|\banswers? for\b|\bown (?:this|it)\b|"
            r"\bowns? (?:the |this )?(?:whole |overall )?(?:rollout|project|deployment|programme|program|"
            r"implementation)\b|\bin charge of (?:the )?(?:rollout|project|whole)\b"
        ),
    ),
    ("executive_sponsor", re.compile(r"\bsponsor\w*|\bbacking\b")),
    ("project_manager", re.compile(r"\bproject manag\w+|\bday[- ]to[- ]day\b|\bcoordinat\w+|\bpm\b")),
]
_GOV_Q = re.compile(r"\b(?:steering|board|committee|council|governance)\b")
_OTHER_THAN = re.compile(r"\b(?:apart from|besides|other than|except|aside from)\b|\belse\b")


def question_role(question: str | None) -> RoleId | None:
    """The one role a question's words ask about, else None."""
    if not question:
        return None
    low = fold(question).lower()
    found: list[RoleId] = []
    for role, rx in _QUESTION_CUES:
        m = rx.search(low)
        if not m:
            continue
        if role == "communications_lead" and _GOV_Q.search(low):
            continue  # chairing a steering meeting is not running a communication channel
        if role == "accountable_owner" and _OTHER_THAN.search(low):
            continue  # "apart from the accountable owner, who else ...?"
        found.append(role)
    return found[0] if len(found) == 1 else None


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


_INTRO_LEAD = frozenset(words("hi hello hey morning afternoon evening all everyone yes yeah sorry so and oh ok okay"))


def _self_introduction(doc: Doc, c: Clause) -> bool:
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


def _job_title(doc: Doc, a: int, b: int) -> bool:
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


def _appositive_job(doc: Doc, a: int, b: int) -> bool:
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
    while k > 0 and doc.tokens[k].is_word and doc.tokens[k].low not in ("our", "the", "their", "my", "a", "an"):
        k -= 1
    if doc.tokens[k].low in ("our", "the", "their", "my", "a", "an"):
        k -= 1
    if k < 0 or doc.tokens[k].text != ",":
        return False
    return any(h.tok_end == k and h.kind in ("person", "speaker") for h in doc.holders)


def _relative_antecedent(doc: Doc, objs: list[ObjMatch], h: Holder) -> str | None:
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


def _clause_low(doc: Doc, c: Clause) -> tuple[str, int]:
    a = doc.tokens[c.start].start
    b = doc.tokens[c.end - 1].end
    return doc.low[a:b], a


def _tok_range(doc: Doc, c: Clause, base: int, s: int, e: int) -> tuple[int, int]:
    a = doc.tok_at(base + s)
    b = doc.tok_at(base + e - 1) + 1
    return max(a, c.start), min(b, c.end)


def _theirs(doc: Doc, c: Clause, a: int) -> bool:
    """A role noun owned by the other side: 'your PM', 'the vendor's trainer' said by a client person."""
    if doc.utt.side == "provider":
        return False
    k = a - 1
    if k > c.start and doc.tokens[k].low in _THEIR_MODS:
        k -= 1
    return k >= c.start and (doc.tokens[k].low == "your" or doc.tokens[k].low in _PROVIDER_POSSESSIVES)


_THEIR_MODS = frozenset(words("own new main lead senior technical dedicated"))
_PROVIDER_POSSESSIVES = frozenset(words("vendor's supplier's provider's partner's integrator's consultancy's"))


def _negated_between(doc: Doc, a: int, b: int) -> bool:
    for t in doc.tokens[max(0, a) : max(0, b)]:
        lo = t.low
        if lo in NEG or lo.endswith("n't"):
            return True
    return False


def _holder_negated(doc: Doc, h: Holder) -> bool:
    k = h.tok_start - 1
    return k >= 0 and doc.tokens[k].low in ("not", "never")


_IMPLICIT_I = re.compile(
    r"^\W*(?:(?:yes|yeah|sure|ok|okay|absolutely|definitely|of course|fine)\W+)*(?:(?:more than )?(?:happy|glad|"
    r"willing|keen|delighted|able) to|can|will|could|would love to)\s+(?:\w+\s+){0,1}$"
)
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
    if not person or person[0].tok_start < c.start or _holder_negated(doc, person[0]):
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
        if _holder_negated(doc, h):
            continue
        return h
    return None


def pick_after(doc: Doc, c: Clause, pos: int, limit: int = 12) -> Holder | None:
    cands = [h for h in doc.holders if pos <= h.tok_start < min(c.end, pos + limit)]
    for k, h in enumerate(cands):
        if _holder_negated(doc, h):
            continue
        if h.kind == "other" and k + 1 < len(cands):
            nxt = cands[k + 1]
            between = doc.tokens[h.tok_end : nxt.tok_start]
            if all(t.text in (",", "-", "(", ".") or fold(t.text) in TITLES for t in between) and len(between) <= 3:
                return nxt  # "our provost, Prof. Helen Ward"
        return h
    return None


def _coordinated(doc: Doc, c: Clause, h: Holder) -> list[Holder]:
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


def _object_for(
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


_EXPLICIT_ACC = re.compile(
    r"\b(?:own|owns|owning|owner of|responsible for|answer for|answers for|on the hook for|"
    r"carry the responsibility|carries the responsibility)\b"
)


def item_project(role: RoleId | None, obj: str | None, vtext: str, item: str | None) -> RoleId | None:
    """'Kelly organises the whole programme' in a training answer: the training programme, not the project.

    In an answer to another item than accountability (or roles), 'the whole programme/project/thing' with a
    verb that is no explicit accountability word (own, responsible for, answer for) never gives the
    accountable owner: in a training answer it is the training lead; elsewhere a leading verb keeps the
    project manager and anything else gives nothing.
    """
    if obj != "PROJECT" or role not in ("accountable_owner", "project_manager"):
        return role
    if item in (None, "accountability", "roles") or _EXPLICIT_ACC.search(vtext):
        return role
    if item == "training":
        return "training_lead"
    return "project_manager" if role == "project_manager" else None


def _role_for(vclass: str, obj: str | None, pron: bool, topic: RoleId | None, verb_text: str) -> RoleId | None:
    if vclass == "TRAIN":
        return "training_lead"
    if vclass == "TEACH":
        return "training_lead" if topic == "training_lead" else None
    if obj == "PLAN":  # "own the plan": the training plan in a training answer, the project plan otherwise
        if vclass in ("STRONG", "WEAK"):
            return topic if topic in ("training_lead", "communications_lead", "metrics_owner") else "project_manager"
        return None
    if vclass == "SPONSOR":
        return "executive_sponsor"
    if obj in ("TEAM", "GOV"):
        return None
    if obj is not None:
        if obj == "PROJECT":
            if vclass == "STRONG":
                if _LEADISH.search(verb_text):
                    return "accountable_owner" if topic == "accountable_owner" else "project_manager"
                return "accountable_owner"
            return None
        role = OBJ_ROLE.get(obj)
        if role is None:
            return None
        if vclass == "METRIC" and role != "metrics_owner":
            return None
        if vclass == "COMMS" and role not in ("communications_lead", "training_lead", "metrics_owner"):
            return None
        if vclass == "COMMS" and role == "metrics_owner":
            return None
        if vclass == "PRODUCER":
            return None if role in ("metrics_owner", "communications_lead") else role
        return role
    if not pron:
        return None
    if vclass == "STRONG":
        return topic or ("accountable_owner" if re.search(r"\bown", verb_text) else None)
    if vclass == "COMMS" and topic == "communications_lead":
        return topic
    if vclass == "METRIC" and topic == "metrics_owner":
        return topic
    if vclass == "WEAK" and re.match(
        r"(?:take|takes|taking|do|does|doing|cover|covers|covering|pick up|got)$", verb_text
    ):
        return topic  # "I'd like Carmen to take it", "Sam will do it", "I've got that"
    return None


def extract_roles(doc: Doc, use_classifier: bool = True) -> RoleResult:
    res = RoleResult()
    fallback: list[tuple[Holder, Clause, str]] = []
    objs = object_matches(doc)
    prev_cues: list[tuple[RoleId, bool]] = []
    prev_vclass: str | None = None
    for c in doc.clauses:
        s = c.sent
        clow, base = _clause_low(doc, c)
        question = doc.is_question(s)
        if _REPORTED.search(clow) and CORRECTION.search(doc.low):
            held = doc.holders_in(c.start, c.end)
            res.reported.extend(h for h in held if h.kind == "person")
            me = [h for h in held if h.kind == "speaker"]
            if any(doc.tokens[h.tok_start].low in ("myself", "me") for h in me):
                res.reported.append(me[0])  # "forget what I said about running it myself"
            prev_cues = []
            continue
        skip = question or bool(_SKIP_CLAUSE.search(clow)) or _self_introduction(doc, c)
        found: list[RawAssignment] = []
        cue_roles: list[tuple[RoleId, bool]] = []
        vclass_here: str | None = None
        topic = topic_at(doc, objs, c.start)

        # verbs
        verb_hits: list[tuple[int, int, str, str]] = []
        for vclass, rx in VERB_PATTERNS:
            for m in rx.finditer(clow):
                a, b = _tok_range(doc, c, base, m.start(), m.end())
                if any(x[0] <= a < x[1] or a <= x[0] < b for x in verb_hits):
                    continue
                verb_hits.append((a, b, vclass, m.group()))
        verb_hits.sort()
        verb_hits = [v for v in verb_hits if not _noun_use(doc, v[0])]
        for k, (a, b, vclass, vtext) in enumerate(verb_hits):
            stop = verb_hits[k + 1][0] if k + 1 < len(verb_hits) else c.end
            if vclass == "WEAK" and vtext in ("will be", "'ll be", "be"):
                continue  # copulas are handled by role nouns
            obj, pron = _object_for(doc, c, objs, a, b, stop)
            if vclass == "WEAK" and obj is None and not pron:
                continue
            v_topic = topic
            if vclass == "METRIC" and pron and doc.item == "monitoring":
                v_topic = "metrics_owner"  # "I review them weekly" in a metrics answer
            role = item_project(_role_for(vclass, obj, pron, v_topic, vtext), obj, vtext, doc.item)
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
            if role == "accountable_owner" and obj == "PROJECT" and _LEADISH.search(vtext):
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
                h = _inverted_holder(doc, c, a, b)
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
            ante = _relative_antecedent(doc, objs, h)
            if ante is not None and (obj in (None, "TEAM", "PROJECT", "GOV") or (obj == "TECH" and ante == "CHANNEL")):
                # "the stand-up that Marcus runs with your team", "a briefing at shift change, which I run"
                role_rel = _role_for(vclass, ante, False, topic, vtext)
                if role_rel is not None:
                    role = role_rel
                    cue_roles[-1] = (role, False)
            neg = _negated_between(doc, h.tok_end, a) or _negated_between(doc, a, b)
            for hh in _coordinated(doc, c, h):
                found.append(RawAssignment(hh, role, c, neg, weak=hedged, how=f"verb:{vclass}"))

        # holder-after phrases
        for kind, rx in AFTER_PATTERNS:
            for m in rx.finditer(clow):
                a, b = _tok_range(doc, c, base, m.start(), m.end())
                if kind == "PASSIVE":
                    vtext = m.group(1)
                    vclass = _passive_class(vtext)
                    obj, pron = _object_for(doc, c, objs, a, a, a)  # backward: what was owned/led
                    subj_pron = a > c.start and doc.tokens[max(c.start, a - 2)].low in (
                        "it",
                        "it's",
                        "this",
                        "that",
                        "that's",
                    )
                    role = _role_for(vclass, obj, obj is None and (topic is not None or subj_pron), topic, vtext)
                    role = item_project(role, obj, vtext, doc.item)
                    if vclass == "METRIC" and obj is None:
                        role = "metrics_owner" if topic == "metrics_owner" else None
                elif kind in ("BUCK", "THROUGH"):
                    role = "accountable_owner"
                elif kind == "FROM":
                    obj, _ = _object_for(doc, c, objs, a, a, a)
                    role = OBJ_ROLE.get(obj or "") if obj in ("CHANNEL", "SPONSOR") else None
                elif kind == "HAVE":
                    obj, _ = _object_for(doc, c, objs, a, a, a)
                    role = OBJ_ROLE.get(obj or "") if obj not in (None, "PROJECT", "GOV", "TEAM") else None
                else:
                    inside = [o for o in objs if a < o.tok_start < b and not o.team]
                    obj, pron = (inside[0].cls, False) if inside else _object_for(doc, c, objs, a, a, a)
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
                    obj, pron = _object_for(doc, c, objs, nxt_i, nxt_i + 1, c.end)
                    if obj is None:
                        role = topic
                    elif obj == "PROJECT":
                        role = "accountable_owner"
                    else:
                        role = OBJ_ROLE.get(obj)
                if role:
                    neg = _holder_negated(doc, h)
                    found.append(RawAssignment(h, role, c, neg, how="job"))
                    cue_roles.append((role, False))
        for t in doc.tokens[c.start : c.end]:
            if t.low in ("hers", "his") and (t.i + 1 >= c.end or not doc.tokens[t.i + 1].is_word):
                obj, _ = _object_for(doc, c, objs, t.i, t.i + 1, c.end)
                ph = [h for h in doc.holders if h.tok_start == t.i and h.kind == "person"]
                role_p = OBJ_ROLE.get(obj or "") if obj not in (None, "PROJECT", "TEAM", "GOV") else None
                if obj == "PROJECT":
                    role_p = "accountable_owner"
                if role_p and ph:  # "PLC integration is hers"
                    found.append(RawAssignment(ph[0], role_p, c, how="possessive-pronoun"))
                    cue_roles.append((role_p, False))
            if t.low == "mine":
                obj, _ = _object_for(doc, c, objs, t.i, t.i + 1, c.end)
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
                if m.group() == "pm" and not _is_pm_token(doc, base + m.start()):
                    continue
                if m.group().startswith("it ") and doc.text[base + m.start() : base + m.start() + 2] != "IT":
                    continue
                a, b = _tok_range(doc, c, base, m.start(), m.end())
                if any(x[0] <= a < x[1] or a <= x[0] < b for x in noun_spans):
                    continue  # "metrics owner" is the metrics owner, not also a generic "owner"
                if role_or_topic not in (None, "accountable_owner") and _theirs(doc, c, a):
                    noun_spans.append((a, b))
                    continue  # "with your project manager": the provider's person ("your main contact" is ours)
                if (role_or_topic == "project_manager" and _job_title(doc, a, b)) or _appositive_job(doc, a, b):
                    noun_spans.append((a, b))
                    continue
                noun_spans.append((a, b))
                role_n: RoleId | None = role_or_topic if role_or_topic else (topic or "accountable_owner")
                if role_n == "accountable_owner" or role_or_topic is None:
                    role_n = _accountable_for(doc, c, objs, b) or role_n
                if role_n is None:
                    continue
                h = _noun_holder(doc, c, a, b)
                cue_roles.append((role_n, False))
                if h is None:
                    continue
                neg = (
                    _negated_between(doc, min(h.tok_end, a), a)
                    if h.tok_start < a
                    else _negated_between(doc, a - 1, h.tok_start)
                )
                holders_n = _coordinated(doc, c, h) if h.tok_start < a else [h]
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
        cleft = _cleft(doc, c)
        if cleft is not None:
            h, neg = cleft
            role_c = topic or descriptor_role(doc, c) or (prev_cues[-1][0] if prev_cues else None)
            if role_c:
                found.append(RawAssignment(h, role_c, c, neg, how="cleft"))
                cue_roles.append((role_c, False))
        terse = _terse(doc, c)
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
                    role_e = _role_for(
                        prev_vclass, clause_objs[0].cls if not clause_objs[0].team else "TEAM", False, topic, ""
                    )
                    if role_e:
                        found.append(RawAssignment(h, role_e, c, how="elided-object"))
                        cue_roles.append((role_e, False))

        if not found and not skip and use_classifier:
            cand = _fallback_candidate(doc, c)
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


def _contrast(res: RoleResult) -> None:
    """'X is the day-to-day contact, not the owner': a role denied to a person in a sentence is not
    given to them by a weaker cue in the same sentence."""
    denied = {(f.holder.name, f.role, f.clause.sent) for f in res.negated if f.holder.name}
    res.assignments = [a for a in res.assignments if (a.holder.name, a.role, a.clause.sent) not in denied]


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


def _fallback_candidate(doc: Doc, c: Clause) -> tuple[Holder, Clause, str] | None:
    """A clause about exactly one client person that no rule understood: worth asking the classifier."""
    if doc.is_question(c.sent):
        return None
    words = [t for t in doc.tokens[c.start : c.end] if t.is_word]
    if len(words) < 4 or len(words) > 30:
        return None
    if any(t.low in NEG or t.low.endswith("n't") for t in words):
        return None
    clow, _ = _clause_low(doc, c)
    if _SKIP_CLAUSE.search(clow) or _REPORTED.search(clow):
        return None
    hs = doc.holders_in(c.start, c.end)
    subj = [h for h in hs if h.kind in ("person", "speaker")]
    if len(subj) != 1 or any(
        h.kind in ("we", "other", "group", "nobody") for h in hs if h.tok_start < subj[0].tok_start
    ):
        return None
    h = subj[0]
    if not h.assignable or _holder_negated(doc, h):
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


_DET_LIKE = frozenset(
    words(
        """a an the this that our their your my his her every each weekly monthly daily fortnightly quarterly
        friday monday tuesday wednesday thursday saturday sunday short quick regular status progress as"""
    )
)


def _noun_use(doc: Doc, i: int) -> bool:
    """'a Friday email', 'the weekly post': a verb form used as a noun."""
    return i > 0 and doc.tokens[i - 1].low in _DET_LIKE


AUX_ELIDED = frozenset(
    words(
        """is will does has can would should shall did was 'll too instead now then though is going to also but
        and so am are yes"""
    )
)


def _inverted_holder(doc: Doc, c: Clause, a: int, b: int) -> Holder | None:
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


def _passive_class(vtext: str) -> str:
    if vtext in ("reviewed", "tracked", "monitored"):
        return "METRIC"
    if vtext in (
        "chaired",
        "hosted",
        "sent",
        "sent out",
        "written",
        "edited",
        "published",
        "presented",
        "moderated",
        "posted",
        "recorded",
        "fronted",
        "issued",
        "circulated",
        "distributed",
        "convened",
    ):
        return "COMMS"
    if vtext in ("taught", "trained", "coached"):
        return "TRAIN"
    if vtext in ("sponsored", "backed"):
        return "SPONSOR"
    if vtext in ("produced", "compiled", "prepared", "put together"):
        return "PRODUCER"
    return "STRONG"


def _is_pm_token(doc: Doc, char: int) -> bool:
    surface = doc.text[char : char + 2]
    before = doc.low[max(0, char - 4) : char]
    if re.search(r"\d\s*$", before):
        return False
    return surface == "PM" or (surface == "pm" and not any(c.isupper() for c in doc.text))


def _accountable_for(doc: Doc, c: Clause, objs: list[ObjMatch], b: int) -> RoleId | None:
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


def _noun_holder(doc: Doc, c: Clause, a: int, b: int) -> Holder | None:
    # post: "the PM is Chloé", "Tech lead: Oksana", "the sponsor is our provost, Prof. Helen Ward"
    k = b
    while k < c.end and (doc.tokens[k].low in _SKIP_POST or doc.tokens[k].text in (":", "-")):
        k += 1
    while k + 1 < c.end and fold(doc.tokens[k].text) in TITLES and doc.tokens[k].is_cap:
        k += 2 if doc.tokens[k + 1].text == "." else 1  # "the sponsor is Dr. Omar Haddad"
    post = [h for h in doc.holders if h.tok_start == k and k < c.end]
    if post and k > b:
        h = post[0]
        if h.kind == "other":
            return pick_after(doc, c, k) or h
        return h
    # pre: "X is the sponsor", "X as sponsor", "Greta the PM", "X, our PM"
    k = a - 1
    while k >= c.start and (doc.tokens[k].low in _SKIP_PRE or doc.tokens[k].low.endswith("'s")):
        if doc.tokens[k].low.endswith("'s") and k != a - 1 and doc.tokens[k].low not in ("he's", "she's", "it's"):
            break
        hs = [h for h in doc.holders if h.tok_start <= k < h.tok_end]
        if hs:
            break
        k -= 1
    pre = [h for h in doc.holders if h.tok_start <= k < h.tok_end and k >= c.start]
    if pre and not _holder_negated(doc, pre[0]):
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


def _cleft(doc: Doc, c: Clause) -> tuple[Holder, bool] | None:
    clow, base = _clause_low(doc, c)
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


def _terse(doc: Doc, c: Clause) -> list[Holder]:
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


def descriptor_role(doc: Doc, c: Clause) -> RoleId | None:
    clow, _ = _clause_low(doc, c)
    for rx, role in DESCRIPTOR_ROLE:
        m = rx.search(clow)
        if m:
            if m.group() == "it" and "IT" not in doc.span(c.start, c.end):
                continue
            return role
    return None


def _metrics_reporting(doc: Doc, objs: list[ObjMatch], res: RoleResult) -> None:
    """'Nadia compiles them and reports them to me' -> me; 'X presents it to the committee' -> X."""
    reviewers: list[RawAssignment] = []
    for c in doc.clauses:
        if doc.is_question(c.sent):
            continue
        clow, base = _clause_low(doc, c)
        topic = topic_at(doc, objs, c.start)
        metric_here = any(o.cls in ("METRIC", "MREVIEW") for o in objs if c.start <= o.tok_start < c.end)
        if topic != "metrics_owner" and not metric_here and doc.item != "monitoring":
            continue
        for m in REPORT_TO.finditer(clow):
            a, b = _tok_range(doc, c, base, m.start(), m.end())
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
        clow, base = _clause_low(doc, c)
        if topic_at(doc, objs, c.start) != "metrics_owner" and not any(
            o.cls in ("METRIC", "MREVIEW") for o in objs if c.start <= o.tok_start < c.end
        ):
            continue
        for m in _PRESENTS.finditer(clow):
            a, b = _tok_range(doc, c, base, m.start(), m.end())
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
