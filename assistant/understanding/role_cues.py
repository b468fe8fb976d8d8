"""The words that make a role cue: object classes (what a verb is about), verb classes, holder-after
phrases, role nouns, and the word sets around them (negations, prepositions, fillers, clauses to skip).

Cue patterns run on a clause's lower-case text (`clause_low`); `tok_range` maps a match back to tokens.
"""

from __future__ import annotations

import re

from assistant.domain import RoleId
from assistant.understanding.clauses import words
from assistant.understanding.doc import Clause, Doc
from assistant.understanding.lexicon import LEXICON

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
    ("TECH", LEXICON.regex("technical_work")),
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
TEAM_AFTER = re.compile(r"^\s+(?:team|department|dept|unit|group|function|division|office|squad|staff|people)\b")
PRONOUN_OBJ = frozenset(["it", "that", "this", "them", "those", "these", "one", "everything", "both"])

# ---- verb cues: (class, pattern). Holder is the subject before the verb. ----
_V = r"\b(?:{})\b"
_VERB_CLASSES = {
    "TRAIN": "verbs_train",
    "TEACH": "verbs_teach",  # softer: training only in a training answer or after training was the topic
    "SPONSOR": "verbs_sponsor",
    "PRODUCER": "verbs_produce",
    "METRIC": "verbs_review",
    "COMMS": "verbs_comms",
    "STRONG": "verbs_own",
    "WEAK": "verbs_weak",
}
VERB_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "(?<!on )": "report on" is a review, "on review" is not
    (cls, re.compile(("(?<!on )" if cls == "METRIC" else "") + _V.format(LEXICON.alternation(name))))
    for cls, name in _VERB_CLASSES.items()
]
LEADISH = re.compile(
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


def negates(word: str) -> bool:
    """A negating word: one of NEG, or any "n't" form ("mustn't", "needn't")."""
    return word in NEG or word.endswith("n't")


OBJ_PREPS = frozenset(
    words(
        """with to for about than at of into from under alongside beside besides support supports supporting
        help helps helping assist assists assisting report reports via through except including between
        among"""
    )
)
SKIP_PRE = frozenset(
    words(
        """the our a an their my his her its senior executive main overall acting interim new also both , is 's
        'll will be as act acts would probably likely definitely now going to being becomes become
        remains currently named appointed your just really already officially effectively basically de
        facto sort kind of"""
    )
)
SKIP_POST = frozenset(
    words(
        """is 's will be would should probably likely definitely : - going to = here currently now obviously
        really our the for this project rollout gonna"""
    )
)
SKIP_CLAUSE = re.compile(
    r"^\W*(?:if|unless)\b|\bused to\b|\bprevious(?:ly)?\b|\bformer(?:ly)?\b|\bin the past\b|\blast time\b|"
    r"\bwould have\b|\bwere still\b|\bwas (?:still )?here\b|\b(?:was|were) (?:going|supposed|meant) to\b|"
    r"\b(?:if|unless|but|when|although|because|so)\W*(?:\.\.\.|\u2026|-+)\s*$"
)
REPORTED = LEXICON.regex("reported_speech")
CORRECTION = re.compile(
    LEXICON.regex("corrections").pattern + r"|\bupdate:"
    r"|\bi (?:said|mentioned|told you)\b.{0,60}\b(?:earlier|before|last time)\b|\b(?:earlier|before) i (?:said|"
    r"mentioned)\b|\bnot .{0,40} any ?more\b"
)
PRESENTS = re.compile(
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
        suppose that'd that's it's it would be will that is just basically actually really the answer ok
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


def clause_low(doc: Doc, c: Clause) -> tuple[str, int]:
    """The clause's lower-case text, which cue patterns run on, and its offset in the answer."""
    a = doc.tokens[c.start].start
    b = doc.tokens[c.end - 1].end
    return doc.low[a:b], a


def tok_range(doc: Doc, c: Clause, base: int, s: int, e: int) -> tuple[int, int]:
    """The tokens of a match at [s, e) in a clause's text that starts at `base`, kept inside the clause."""
    a = doc.tok_at(base + s)
    b = doc.tok_at(base + e - 1) + 1
    return max(a, c.start), min(b, c.end)


def descriptor_role(doc: Doc, c: Clause) -> RoleId | None:
    """The role a descriptor in the clause names: 'Kim, IT.', 'Ola from the PMO'."""
    clow, _ = clause_low(doc, c)
    for rx, role in DESCRIPTOR_ROLE:
        m = rx.search(clow)
        if m:
            if m.group() == "it" and "IT" not in doc.span(c.start, c.end):
                continue
            return role
    return None
