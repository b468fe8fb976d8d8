"""The role a verb cue gives, from the verb's class (STRONG, COMMS, METRIC ...), its object's class and
the topic."""

from __future__ import annotations

import re

from assistant.domain import RoleId
from assistant.understanding.role_cues import LEADISH, OBJ_ROLE

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


def role_for(vclass: str, obj: str | None, pron: bool, topic: RoleId | None, verb_text: str) -> RoleId | None:
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
                if LEADISH.search(verb_text):
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


def passive_class(vtext: str) -> str:
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
