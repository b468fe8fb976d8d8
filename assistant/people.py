"""Person-name normalisation shared by the engine's validators, the charter and the eval metrics."""

from __future__ import annotations

import re

TITLES = (
    "dr",
    "doctor",
    "prof",
    "professor",
    "captain",
    "capt",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "reverend",
    "fr",
    "father",
    "sister",
    "brother",
    "major",
    "colonel",
    "col",
    "lt",
    "lieutenant",
    "general",
    "gen",
    "sgt",
    "sergeant",
    "judge",
    "hon",
    "coach",
    "chef",
    "councillor",
    "cllr",
    "mayor",
    "alderman",
    "senator",
)
_TITLE_RE = re.compile(r"^(?:(?:" + "|".join(TITLES) + r")\.?\s+)+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def strip_title(name: str) -> str:
    """'Dr. Amara Okafor' -> 'Amara Okafor'."""
    return _TITLE_RE.sub("", name.strip()).strip()


def person_key(name: str) -> str:
    """Compare people ignoring case, spacing and a leading title."""
    return " ".join(strip_title(name).casefold().split())


def same_person(a: str, b: str) -> bool:
    return person_key(a) == person_key(b)


def name_parts(name: str) -> list[str]:
    return [w for w in _WORD.findall(strip_title(name)) if len(w) > 1]


def mentioned_in(name: str, text: str) -> bool:
    """True when some part of the name (given name or surname) appears as a word in the text."""
    words = {re.sub(r"['’]s$", "", w).casefold() for w in _WORD.findall(text)}  # "Bill's team" names Bill
    return any(p.casefold() in words for p in name_parts(name))


def spoken_in(name: str, text: str) -> bool:
    """True when every part of the name appears as a word in the text: the name was said, not inferred."""
    words = {re.sub(r"['’]s$", "", w).casefold() for w in _WORD.findall(text)}
    parts = name_parts(name)
    return bool(parts) and all(p.casefold() in words for p in parts)


def canonical(name: str, known: list[str]) -> str:
    """A lone given name or surname ("Hannah") becomes the one known full name it belongs to."""
    parts = name_parts(name)
    if len(parts) != 1:
        return name
    key = parts[0].casefold()
    matches = {
        person_key(k): k for k in known if len(name_parts(k)) > 1 and key in (p.casefold() for p in name_parts(k))
    }
    return next(iter(matches.values())) if len(matches) == 1 else name
