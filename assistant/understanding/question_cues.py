"""The role a question asks about: the topic of a bare answer ("Me.", "That's all mine.") that names none."""

from __future__ import annotations

import re

from assistant.domain import RoleId
from assistant.understanding.clauses import fold

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
