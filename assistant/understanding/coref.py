"""Who a mention refers to: full names from first names or surnames, pronouns, and the speaker."""

from __future__ import annotations

from assistant.understanding.clauses import fold
from assistant.understanding.names import KnownNames, Mention, gender, short_form, strip_title

FIRST_PERSON = frozenset(["i", "me", "myself", "mine", "i'm", "i'll", "i'd", "i've"])
MALE_PRONOUNS = frozenset(["he", "him", "his", "himself", "he's", "he'll", "he'd"])
FEMALE_PRONOUNS = frozenset(["she", "her", "hers", "herself", "she's", "she'll", "she'd"])


def _parts(name: str) -> list[str]:
    return [fold(p) for p in name.split()]


def canonical(mention_text: str, titled: bool, known: list[str]) -> str:
    """The full name a mention refers to, or the mention itself (without title) when unsure.

    A single word matches a known person's first name (or surname, e.g. "Mrs. Patel") when exactly
    one known person has it. A longer name matches a known name that equals it, ignoring case and
    accents, or that it starts (a first + last name of someone with a middle name).
    """
    said = strip_title(mention_text)
    words = _parts(said)
    if not words:
        return said
    exact = [k for k in known if _parts(k) == words]
    if exact:
        return exact[0]
    if len(words) == 1:
        w = words[0]
        by_first = {k for k in known if _parts(k) and (_parts(k)[0] == w or _parts(k)[0].split("-")[0] == w)}
        if len(by_first) == 1:
            return by_first.pop()
        if not by_first:
            by_last = {k for k in known if len(_parts(k)) > 1 and _parts(k)[-1] == w}
            if len(by_last) == 1:
                return by_last.pop()
        return said
    # "Siobhan O'Sullivan" for known "Siobhán Máire O'Sullivan"
    loose = {
        k for k in known if len(_parts(k)) > len(words) and _parts(k)[0] == words[0] and _parts(k)[-1] == words[-1]
    }
    if len(loose) == 1:
        return loose.pop()
    return said


def resolve_mentions(mentions: list[Mention], known_names: list[str], aliases: dict[str, str]) -> dict[str, str]:
    """Fill `name` on each mention. Full names said in this utterance are known to later mentions;
    a nickname ("Funmi", or "Kev" for the one known Kevin) is its person. Returns the nicknames used."""
    pool = list(known_names)
    for m in mentions:
        if len(m.text.split()) > 1 and m.text not in pool:
            pool.append(strip_title(m.text))
    by_nick = {fold(k): v for k, v in aliases.items()}
    used: dict[str, str] = {}
    for m in mentions:
        said = strip_title(m.text)
        m.name = by_nick.get(fold(said)) or canonical(m.text, m.title is not None, pool)
        if m.name == said and len(said.split()) == 1:
            m.name = diminutive_of(said, pool) or said
        if len(said.split()) == 1 and fold(said) not in _parts(m.name):
            used[said] = m.name
    return used


def diminutive_of(word: str, known: list[str]) -> str | None:
    """'Kev' -> 'Kevin Nuttall' when exactly one known full name's given name starts with it."""
    w = fold(word)
    hits = {k for k in known if len(_parts(k)) > 1 and short_form(w, _parts(k)[0])}
    return hits.pop() if len(hits) == 1 else None


def pronoun_gender(low: str) -> str | None:
    if low in MALE_PRONOUNS:
        return "m"
    if low in FEMALE_PRONOUNS:
        return "f"
    return None


def antecedent(pron_gender: str, before: list[str], recent: list[str], exclude: set[str]) -> str | None:
    """Most recent compatible person: first in this utterance (newest first), then in recent turns."""
    for name in list(reversed(before)) + list(reversed(recent)):
        if name in exclude:
            continue
        g = gender(name)
        if g is None or g == pron_gender:
            return name
    return None


def known_pool(stakeholders: list[str], recent: list[str], speaker: str, provider: list[str]) -> KnownNames:
    return KnownNames.build([*stakeholders, *recent, speaker, *provider])
