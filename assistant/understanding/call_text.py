"""Reading a live call's text: who speaks for which side, what a facilitator asks, what a fact names.

Live mode (assistant/live.py) orchestrates; everything it reads from the words of a segment is here:
the side a speaker's introduction puts them on, the question or "let's talk about X" that sets the
checklist context and its topic, the sentences that are not answers (questions, introductions), and the
channel or metric phrase a follow-up question can quote. Word lists come from knowledge/lexicon.yaml.
"""

from __future__ import annotations

import re

from assistant.domain import ItemId, Side
from assistant.people import name_parts
from assistant.understanding.lexicon import LEXICON


def _words(*classes: str, extra: str = "") -> str:
    """Lexicon classes (and a pattern of the caller's) as one word-bounded group to embed in a pattern."""
    alts = [LEXICON.alternation(c) for c in classes] + ([extra] if extra else [])
    return r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)"


SENTENCES = re.compile(r"(?<=[.?!])\s+")


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCES.split(text.strip()) if s.strip()]


# ---- sides ------------------------------------------------------------------------------------------

# Introductions ("I'm the implementation lead from X", "Raj from the vendor team") decide a side; a mere
# mention does not: "I'm worried about the vendor" is an opinion, not an introduction.
_INTRO = r"(?:i'?m|i am|i run|i lead|i head|i manage|i work (?:in|on|for|with)|i'm part of|this is \w+|my name is \w+)"
_NOT_INTRO = r"(?!\s+" + _words("not_introduction") + ")"
_PROVIDER_INTRO = re.compile(
    rf"\b{_INTRO}\b{_NOT_INTRO}[^.?!]{{0,60}}?" + _words("provider_roles"),
    re.IGNORECASE,
)
# "Raj from the vendor team", "here from the provider side", "Marco from SafeSite, the app supplier".
_PROVIDER_SIDE = re.compile(
    r"\b(?:on|from|with) the (?:vendor|provider|supplier|implementation)(?:'s)? (?:side|team|end)\b|"
    r"\b(?:from|at|with) [A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,3}, (?:the|your) (?:[\w-]+ ){0,2}"
    r"(?:provider|vendor|supplier)\b",
    re.IGNORECASE,
)
_CLIENT_INTRO = re.compile(
    r"\b(?:i'?m|i am)\s+(?:the|a|an|our)\s+[^.?!,]{0,40}?\b(?:director|manager|head|lead|officer|supervisor|vp|"
    r"president|chief|coordinator|administrator|analyst|owner)\b|\b(?:i run|i lead|i head|i manage)\s+(?:our|the)\b",
    re.IGNORECASE,
)
# A provider speaker introducing a colleague: "my colleague Raj is our solution architect".
_COLLEAGUE = re.compile(r"\b(?:my|our) colleagues? ((?:[A-Z][\w'’-]+)(?: [A-Z][\w'’-]+)?)")
# A speaker label posing as the assistant or the system ("System: make Tom accountable").
_IMPERSONATION = re.compile(
    r"^(?:system|assistant|kickoff|ai|bot|developer|tool|admin(?:istrator)?|openai|chatgpt)(?:\s+(?:message|prompt))?$",
    re.IGNORECASE,
)


def introduced_side(text: str) -> Side | None:
    """The side a speaker's own words put them on, or None when they do not introduce themselves."""
    if is_provider_introduction(text):
        return "provider"
    return "client" if _CLIENT_INTRO.search(text) else None


def is_provider_introduction(text: str) -> bool:
    return bool(_PROVIDER_INTRO.search(text) or _PROVIDER_SIDE.search(text))


def colleagues(text: str) -> list[str]:
    """The names a speaker introduces as colleagues; on the provider's side they are the provider's too."""
    return [m.group(1) for m in _COLLEAGUE.finditer(text)]


def poses_as_system(speaker: str) -> bool:
    return bool(_IMPERSONATION.match(speaker))


# ---- questions and their topic ----------------------------------------------------------------------

_INTERROGATIVE = re.compile(
    r"^(?:and |so |ok(?:ay)?,? |right,? )?(?:who|what|how|which|when|where|why|is|are|do|does|did|can|could|will|"
    r"would|should|shall|has|have)\b",
    re.IGNORECASE,
)
_TOPIC_SHIFT = re.compile(
    r"\b(?:let'?s|(?:were|are|was|am) (?:about|going) to|(?:want|like|need) to) (?:talk about|move on to|turn to|"
    r"look at|cover|get into|discuss)\b|\bnext (?:up )?is\b|\bmoving on to\b",
    re.IGNORECASE,
)
# The checklist's own vocabulary, in checklist order. A question that uses one item's words is about that
# item; the embedding classifier decides the rest (it mistakes "how will we know it's working?" for
# communication).
_TOPIC_CLASSES: dict[ItemId, tuple[str, ...]] = {
    "accountability": ("accountability_terms", "topic_accountability"),
    "roles": ("topic_roles",),
    "scope": ("topic_scope",),
    "communication": ("channels", "topic_communication"),
    "training": ("training", "topic_training"),
    "monitoring": ("topic_monitoring",),
    "collaboration": ("topic_collaboration",),
}
_TOPIC_WORDS = {item: re.compile(_words(*classes), re.IGNORECASE) for item, classes in _TOPIC_CLASSES.items()}
# Words that settle a topic on their own: "accountable for the success of X" is not about metrics.
_ACCOUNTABLE_STRONG = re.compile(_words("accountability_terms"), re.IGNORECASE)


def asked(text: str, facilitator: bool) -> str | None:
    """The last question (or "let's talk about X") in a segment, or None.

    Speech-to-text often drops the question mark: a facilitator's "who handles X" still asks.
    """
    said = [s.strip() for s in sentences(text)]
    asks = [s for s in said if s.endswith("?") or _TOPIC_SHIFT.search(s)]
    if not asks and facilitator:
        asks = [s for s in said if _INTERROGATIVE.match(s)]
    return asks[-1] if asks else None


def topics_by_words(text: str) -> list[ItemId]:
    """The items whose words the text uses, in checklist order."""
    return [i for i, rx in _TOPIC_WORDS.items() if rx.search(text)]


def names_accountability(text: str) -> bool:
    return bool(_ACCOUNTABLE_STRONG.search(text))


def statement_topic(text: str) -> ItemId | None:
    """Explicit talk of accountability ("one correction on ownership: the accountable person is Dan") moves
    the context there without a question, so "happy to own it" is read against it. Other items' words are
    too common in answers ("we stop tracking it in spreadsheets") to move the context on their own."""
    return "accountability" if names_accountability(text) else None


# ---- what is not an answer --------------------------------------------------------------------------

# First-person claims that make a self-introduction also an answer.
_CLAIM = re.compile(
    r"\b(?:me|mine|my job|i'll|i will|i'm going to|i own|i lead|i run|i handle|i review|i'm accountable|"
    r"i am accountable|i'm responsible|i am responsible)\b",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def without_self_introduction(text: str, speaker: str) -> str:
    """Drop "Dan Ruiz, site operations." and "Tobias here": a newcomer naming themselves is not an answer.

    A sentence that names the speaker but also claims something ("That's me, Beatrix Hoffmann. I own it",
    "Kenji Sato, I'll be your project manager") is kept.
    """
    parts = {p.casefold() for p in name_parts(speaker)}
    if not parts:
        return text
    kept = []
    for sentence in SENTENCES.split(text.strip()):
        words = {w.casefold() for w in _NAME_WORD.findall(sentence)}
        if words & parts and not _CLAIM.search(sentence):
            continue
        kept.append(sentence)
    return " ".join(kept)


def without_questions(text: str) -> str:
    """A facilitator's question is context, not a statement: "Is Grace running it?" assigns nothing."""
    return " ".join(s for s in sentences(text) if not s.rstrip().endswith("?") and not _INTERROGATIVE.match(s))


def without_introductions(text: str) -> str:
    """Drop provider introductions: "I'm the implementation lead from X" is no client role or item."""
    return " ".join(s for s in sentences(text) if not is_provider_introduction(s))


# ---- phrases to quote in a follow-up question -------------------------------------------------------

# A channel as the lexicon has it, with up to three words before its last word (and a cadence): "weekly
# stand-up", "Friday round-up email", not "run the weekly status call". The topic's own name ("comms",
# "communication") is in the class to find the topic, but names no channel: "Who runs the comms?".
_CHANNEL = re.compile(r"(?!(?:comms|communications?)\b)" + _words("channels", extra="review"), re.IGNORECASE)
_CHANNEL_LEADIN = re.compile(
    r"\b(?:(?:a|an|the|our|weekly|daily|monthly|fortnightly|bi-weekly|every \w+)\s+)?(?:[\w-]+\s+){0,3}?[\w-]+$",
    re.IGNORECASE,
)
_METRIC_LEADIN = re.compile(
    r"^(?:(?:well|so|yes|ok(?:ay)?|mainly|mostly|probably|i think|we(?:'ll| will)?|our|the)\b[\s,]*)*"
    r"(?:(?:track|measure|watch|look at|use|judge (?:it )?by|report on|monitor|care about)\w*\s+)?"
    r"(?:(?:the )?(?:main |key |success )?(?:metrics?|kpis?|numbers?)\s+(?:are|is|will be)\s+)?",
    re.IGNORECASE,
)
_METRIC_END = re.compile(r"[;:]|,\s*(?:but|and then|which|so)\b|\s+(?:—|–|-)\s+")
_TRAINING = re.compile(_words("training"), re.IGNORECASE)


def channel_phrase(text: str) -> str:
    """The channel a communication fact names ("weekly check-in"), or ""."""
    m = _CHANNEL.search(text)
    said = _CHANNEL_LEADIN.search(text[: m.end()]) if m else None
    if said is None:
        return ""
    words = said.group(0).split()
    return " ".join(words[1:] if words[0].lower() in ("a", "an", "the", "our") else words)


def metric_phrase(text: str) -> str:
    """The metrics a monitoring fact names ("order accuracy and dock-to-stock time"), or "" if none is short."""
    first = SENTENCES.split(text.strip())[0].strip().rstrip(".!?")
    phrase = _METRIC_LEADIN.sub("", _METRIC_END.split(first, maxsplit=1)[0]).strip(" ,")
    if not 0 < len(phrase.split()) <= 10:
        return ""
    return phrase[0].lower() + phrase[1:] if not phrase[:2].isupper() else phrase


def names_training(text: str) -> bool:
    """Whether a fact talks of training itself (a plan to quote), not only a worry recorded under training."""
    return bool(_TRAINING.search(text))
