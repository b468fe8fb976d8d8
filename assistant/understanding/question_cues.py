"""The role a question asks about: the topic of a bare answer ("Me.", "That's all mine.") that names none."""

from __future__ import annotations

import re

from assistant.domain import RoleId
from assistant.understanding.clauses import fold
from assistant.understanding.lexicon import LEXICON

# The role a question asks about, from its words. One role's cues only: a question listing several roles
# ("a project manager, a technical lead or a sponsor?") leaves a bare "Me." unplaced.
# Checked in this order; a question whose words name exactly one area asks for that role.
_QUESTION_ORDER: tuple[RoleId, ...] = (
    "technical_lead",
    "training_lead",
    "communications_lead",
    "metrics_owner",
    "accountable_owner",
    "executive_sponsor",
    "project_manager",
)
_QUESTION_CUES: list[tuple[RoleId, re.Pattern[str]]] = [(r, LEXICON.regex(f"area_{r}")) for r in _QUESTION_ORDER]
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
