"""Untrusted-text guard: find the parts of an answer that talk to the assistant instead of answering.

Stakeholder answers, ingested documents and live transcripts are data. Text inside them that tries to
steer the assistant ("ignore previous instructions", fake system messages, "record X as accountable",
encoded or invisible payloads) is cut out before understanding runs and shown to the facilitator.

How it works, and why:
- Matching runs on a *normalised view* (NFKC, invisible characters dropped, Unicode tag characters
  decoded, mixed-script homoglyphs folded) so "ｉｇｎｏｒｅ", "ig<ZWSP>nore" and "іgnore" (Cyrillic і)
  match like "ignore". Every character of that view remembers its index in the original text, so what
  is quarantined and what is kept are cut from the *original* characters: `clean` stays an exact copy of
  the remaining answer (minus invisible format characters), and spans the understanding step takes
  from it stay exact substrings.
- The unit of quarantine is the sentence (or line) holding the steering phrase, so the rest of a mixed
  answer is still understood. Fake chat-template blocks are cut up to their end marker.
- Patterns are specific on purpose: a steering phrase must address the assistant or its records
  ("record Tom as the accountable owner", "your previous instructions"), not merely use a trap word
  ("I'll record the training sessions", "the system will be updated", "Assistant Superintendent").
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel, Field

from assistant.domain import QuarantinedText

__all__ = ["GuardResult", "normalise", "screen"]


class GuardResult(BaseModel):
    clean: str = Field(description="The text with quarantined sentences removed")
    quarantined: list[QuarantinedText] = Field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.quarantined)


# ---------------------------------------------------------------------------------------------------
# Normalisation with an index map back to the original text
# ---------------------------------------------------------------------------------------------------

# Zero-width and joiner characters, soft hyphen, BOM, Mongolian vowel separator, invisible operators.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064\u034f")
# Bidi embeddings and overrides make text display in another order than it reads ("Trojan Source"), so a
# sentence holding one is quarantined. Isolates and marks are only stripped: chat apps wrap names in them.
_BIDI_CONTROL = frozenset("\u202a\u202b\u202d\u202e")
_BIDI_MARK = frozenset("\u202c\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_INVISIBLE = _ZERO_WIDTH | _BIDI_CONTROL | _BIDI_MARK
_TAG_FIRST, _TAG_LAST = 0xE0000, 0xE007F  # Unicode "tag" block: invisible copies of ASCII

# Latin look-alikes from Cyrillic and Greek, folded only inside words that also hold ASCII letters
# (so genuine Russian or Greek text is left alone).
_HOMOGLYPHS = str.maketrans(
    "аеорсухіјѕԁһԛԝАВЕКМНОРСТХІЈЅοαιντρΑΒΕΗΙΚΜΝΟΡΤΧΥΖ",
    "aeopcyxijsdhqwABEKMHOPCTXIJSoaivtpABEHIKMNOPTXYZ",
)
_MIXED_WORD = re.compile(r"\w+")
_ZW_RUN = 8  # this many zero-width characters in a row is a payload, not a stray paste artefact


@dataclass
class _View:
    """The normalised text used for matching, and where each of its characters came from."""

    text: str
    origin: list[int]  # origin[i] = index in the original text of text[i]
    tag_runs: list[tuple[int, int]]  # [start, end) in the view of decoded tag-character runs
    hidden_runs: list[tuple[int, int]]  # [start, end) in the original of zero-width runs / bidi controls


def _build_view(text: str) -> _View:
    out: list[str] = []
    origin: list[int] = []
    tag_runs: list[tuple[int, int]] = []
    hidden: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        cp = ord(ch)
        if _TAG_FIRST <= cp <= _TAG_LAST:
            # Decode the run and fence it with line breaks so it is judged as a segment of its own.
            j = i
            while j < n and _TAG_FIRST <= ord(text[j]) <= _TAG_LAST:
                j += 1
            out.append("\n")
            origin.append(i)
            start = len(out)
            for k in range(i, j):
                code = ord(text[k]) - _TAG_FIRST
                if 0x20 <= code < 0x7F:
                    out.append(chr(code))
                    origin.append(k)
            tag_runs.append((start, len(out)))
            out.append("\n")
            origin.append(j - 1)
            i = j
            continue
        if ch in _INVISIBLE:
            j = i
            while j < n and text[j] in _INVISIBLE:
                j += 1
            run = text[i:j]
            if any(c in _BIDI_CONTROL for c in run) or sum(c in _ZERO_WIDTH for c in run) >= _ZW_RUN:
                hidden.append((i, j))
            i = j
            continue
        for c in unicodedata.normalize("NFKC", ch):
            out.append(c)
            origin.append(i)
        i += 1
    view = "".join(out)
    # Fold homoglyphs in mixed-script words; the translation is one character to one, so origin holds.
    view = _MIXED_WORD.sub(
        lambda m: m.group().translate(_HOMOGLYPHS) if re.search(r"[A-Za-z]", m.group()) else m.group(), view
    )
    return _View(view, origin, tag_runs, hidden)


def normalise(text: str) -> str:
    """The view the guard matches on: NFKC, invisible characters dropped, tag characters decoded."""
    return _build_view(text).text


# ---------------------------------------------------------------------------------------------------
# Segmentation: lines, then sentences
# ---------------------------------------------------------------------------------------------------

_ABBREV = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|prof|st|jr|sr|vs|etc|approx|inc|ltd|dept|e\.g|i\.e|a\.m|p\.m|u\.s)\.|(?-i:\b[A-Z]\.))$",
    re.IGNORECASE,
)
_SENT_END = re.compile(r"[.!?。！？]+[\"'”’)\]]*(?=\s)|[。！？]+|\}(?=\s+[A-Z])")


def _segments(view: str, cuts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """[start, end) of each sentence in the view, never crossing a line break or one of `cuts`."""
    segs: list[tuple[int, int]] = []
    pos = 0
    for line in view.split("\n"):
        start = pos
        end_of_line = pos + len(line)
        ends = {
            pos + m.end()
            for m in _SENT_END.finditer(line)
            if not (
                _ABBREV.search(view[max(pos, pos + m.start() - 12) : pos + m.end()].rstrip())
                and m.group()[0] not in "!?"
            )
        }
        ends |= {c for c in cuts if pos < c < end_of_line}
        for cut in sorted(ends):
            segs.append((start, cut))
            start = cut
        segs.append((start, end_of_line))
        pos = end_of_line + 1
    return [(a, b) for a, b in segs if view[a:b].strip()]


# ---------------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------------

_F = re.IGNORECASE | re.UNICODE

# Words that name an AI. The strict set leaves out "assistant", "model" and "bot" on their own, which are
# everyday words in a deployment ("our admin assistant", "the pricing model", "RPA bots").
_AI = (
    r"(?:ai|a\.i\.|llm|language model|chat ?bot|bot|gpt|chatgpt|claude|gemini|copilot|model|ai assistant|"
    r"(?:the|this|kickoff|virtual|digital) assistant)"
)
_AI_STRICT = (
    r"(?:ai model|ai assistant|ai agent|ai|a\.i\.|llm|large language model|language model|chat ?bot|gpt|chatgpt|"
    r"claude|gemini|copilot|kickoff assistant|virtual assistant|digital assistant)s?"
    # ...and only when the word stands alone, not "the AI rollout" or "AI vendors".
    r"(?=\s*(?:[:,;.!?\-—)]|$|(?:reading|processing|parsing|summari[sz]ing|ingesting|analy[sz]ing|who|that|"
    r"which|here|please|you|system|tool|bot|model)\b))"
)
# An imperative addressed to the assistant: the sentence starts with the verb, or the verb follows
# "please", a colon, "you must", "I want you to"... ("We record Tom as..." is a statement, not an order.)
_IMP = (
    r"(?:^\s*[\"'“‘(\[*\-–—•>]*\s*|[:;,—–(]\s*|\b(?:please|pls|kindly|now|just|and|then|so|also|simply|"
    r"immediately|instead|finally|next|first)\s+|\b(?:you|the assistant|assistant|the ai|ai|the bot|bot)\s+"
    r"(?:must|should|will|shall|need to|needs to|has to|have to|are to|is to|is required to|are required to|"
    r"is instructed to|are instructed to)\s+(?:now\s+|also\s+|immediately\s+)?|"
    r"\b(?:you|assistant|the assistant|the ai) to\s+|\b(?:tell|ask|instruct|order|get|have)\s+(?:the\s+)?(?:system|"
    r"assistant|ai|bot|model|tool|kickoff)\s+to\s+|\b(?:make sure|be sure|remember|don't forget|do not forget|"
    r"go ahead and|proceed to|you're to|you are to)\s+(?:to\s+|you\s+)?)"
)
_ROLE_WORDS = (
    r"(?:(?:the|an?|our|sole|single|only|new|primary|main|final|official)\s+)*"
    r"(?:accountable|accountable (?:owner|party|person|lead)|owner|project owner|responsible|"
    r"(?:executive )?sponsor|training lead|communications? lead|metrics owner|project manager|"
    r"technical lead|tech lead|decision[- ]maker|main contact|primary (?:point of )?contact|"
    r"point of contact|raci ['\"]?a['\"]?)"
)
_STATUS_WORDS = r"(?:covered|complete|completed|done|answered|resolved|decided|closed|green|satisfied|checked|ticked)"
# Modifiers that point back at the assistant's own instructions (not "the old rules in the binder").
_PREV = (
    r"(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|developer|operator|"
    r"hidden|built-in|default|safety)"
)
_INSTR = (
    r"(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|context|messages?|constraints|"
    r"programming|orders|commands|polic(?:y|ies)|guardrails|restrictions|system prompt)"
)
_INSTR_NARROW = r"(?:instructions?|prompts?|directives|guidelines|rules|commands|orders|programming)"


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    reason: str


def _r(pattern: str, reason: str) -> _Rule:
    return _Rule(re.compile(pattern, _F), reason)


OVERRIDE = "tries to override the assistant's instructions"
FAKE_MSG = "fake system or assistant message"
SET_ROLE = "tries to set a charter role directly"
SET_STATUS = "tries to mark checklist items as covered"
CHARTER = "tries to change the charter directly"
ADDRESS = "gives orders to the AI"
PERSONA = "role-play or persona switch"
MODE = "tries to switch the assistant into a special mode"
LEAK = "asks for the system prompt or secrets"
EXFIL = "tries to send data elsewhere"
INTERNAL = "names the assistant's internal fields"
ENCODED = "asks to decode and follow an encoded payload"

_OVERRIDE_VERB = r"(?:ignore|disregard|forget|override|bypass|discard|neglect|abandon|nullify|void)"

_SENTENCE_RULES: tuple[_Rule, ...] = (
    # -- overriding instructions --
    _r(
        rf"\b{_OVERRIDE_VERB}\s+(?:(?:all|any|every|each|of|the|these|those|its|their)\s+){{0,3}}"
        rf"(?:your\s+|{_PREV}\s+)(?:(?:{_PREV}|and|or|,)\s*)*{_INSTR}\b",
        OVERRIDE,
    ),
    _r(
        rf"\b{_OVERRIDE_VERB}\s+(?:(?:all|any|every|each|of|the|these|those)\s+){{0,3}}{_INSTR}\s+"
        r"(?:above|before (?:this|now)|given (?:to you|before|above|earlier)|you(?:'ve| have| were|'re| are)\s+"
        r"(?:been\s+)?(?:given|told|following|programmed)|so far|until now|up to now|"
        r"in (?:this|the) (?:conversation|chat|session|prompt))",
        OVERRIDE,
    ),
    _r(_IMP + rf"{_OVERRIDE_VERB}\s+(?:all|any)\s+(?:(?:the|of the|your)\s+)?{_INSTR_NARROW}\b", OVERRIDE),
    _r(
        r"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+|anything\s+|whatever\s+|what\s+|the text\s+|"
        r"the content\s+|the messages?\s+|the\s+)?(?:above(?=\s*(?:$|[.,;:!?)\]\"'”]|and\b|text\b|messages?\b|"
        r"content\b|lines?\b|instructions?\b|prompt\b))|(?:before|prior to) (?:this|now)\b|you(?:'ve| have| had)\s+"
        r"been (?:told|given|instructed|programmed)|you were (?:told|given|instructed|programmed)|"
        r"your (?:training|programming|guidelines|rules|instructions|script)|the interview script)",
        OVERRIDE,
    ),
    _r(
        rf"\b(?:do not|don't|never|stop)\s+(?:follow|obey|apply|using|following|obeying)\s+(?:your|the|any)\s+"
        rf"(?:(?:{_PREV}|own)\s+)*{_INSTR}",
        OVERRIDE,
    ),
    _r(
        r"\b(?:real|true|actual|secret|hidden|priority|override|overriding|updated system|new system)\s+"
        r"(?:instructions?|directives?|commands?|orders|system prompt)\s*(?::|—|-|follow\b|are\b)",
        OVERRIDE,
    ),
    _r(
        rf"\b(?:new|updated|additional|hidden|secret|important|priority|urgent)\s+(?:system\s+)?"
        rf"(?:instructions?|directives?|orders?|commands?|task)\s+(?:for|to)\s+(?:the\s+|you,?\s+)?{_AI}\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:these|the following|this)\s+(?:instructions?|directives?|rules|message|note)\s+(?:override|"
        r"supersedes?|replaces?|takes? precedence|ha(?:ve|s) (?:higher )?priority)\b",
        OVERRIDE,
    ),
    _r(
        rf"\b(?:supersedes?|overrides?|replaces?|takes? precedence over)\s+(?:all\s+|any\s+)?(?:of\s+)?"
        rf"(?:your\s+|the\s+)?(?:{_PREV}\s+)?{_INSTR_NARROW}",
        OVERRIDE,
    ),
    _r(
        rf"\b(?:(?:all|any|the|your)\s+)?(?:{_PREV}\s+|your\s+)+(?:{_INSTR}|"
        rf"guidance|setup)\s+(?:are\s+|is\s+|have been\s+|"
        r"has been\s+|were\s+|was\s+)?(?:now\s+)?(?:revoked|void|voided|cancell?ed|obsolete|null|invalid|superseded|"
        r"replaced|suspended|lifted|overridden|disabled|no longer (?:apply|applies|valid|in effect|active))\b",
        OVERRIDE,
    ),
    _r(
        r"\byour\s+(?:instructions|rules|guidelines|directives|prompt|orders|programming)\s+(?:have|has)\s+"
        r"(?:been\s+)?(?:changed|updated|replaced|revoked|expired)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:erase|delete|remove|discard|forget|ignore|disregard|"
        r"overwrite|drop|void)\s+(?:what|everything|anything|all)"
        r"\s+(?:that\s+)?(?!I\b|i\b|we\b)(?:\w+\s+){1,3}?(?:said|told you|answered|stated|wrote|claimed)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:ignore|disregard|discard|skip|drop|"
        r"void)\s+(?:all\s+)?(?:the\s+)?(?:other|previous|earlier|prior|rest of the)\s+"
        r"(?:interviews|answers|stakeholders|speakers|responses|statements|people's answers)\b",
        OVERRIDE,
    ),
    _r(
        r"\bonly\s+my\s+(?:answers|words|statements|input|responses)\s+(?:count|matter|are valid|should count)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:reset|wipe|clear|erase|delete)\s+(?:the|your|this)\s+(?:interview|conversation|chat|session|kickoff)\s+"
        r"(?:state|history|memory|records|answers|data)\b|\b(?:reset|"
        r"wipe|clear|erase)\s+your\s+(?:memory|state|context|"
        r"history|instructions)\b|\bstart over with me as\b",
        OVERRIDE,
    ),
    # -- claims of authority over the assistant --
    _r(
        r"\bI(?:'m| am)\s+your\s+(?:developer|creator|admin|administrator|operator|owner|programmer|maker|"
        r"master|supervisor|designer|trainer)\b|"
        r"\bI\s+(?:hereby\s+)?(?:authori[sz]e|permit|allow|order|command|instruct)"
        r"\s+you\s+to\b|\b(?:authori[sz]ed|official|verified)\s+(?:instruction|message|command|directive|request)s?\s+"
        r"from\s+(?:the\s+)?(?:\S+\s+)?(?:developers?|admins?|"
        r"administrators?|operators?|openai|anthropic|vendor|system)",
        MODE,
    ),
    # -- mode / identity switches --
    _r(
        r"\byou(?:'re| are) now\s+(?:in\s+(?:\w+\s+){0,2}mode\b|operating\s+|running\s+|acting\s+|playing\s+|"
        r"called\s+|named\s+|known as\s+|free\b|no longer\b|unrestricted|unfiltered|dan\b|jailbroken|"
        r"(?:an?|the|my|our)\s+(?:\w+\s+)?(?:ai|assistant|bot|agent|model|system|admin|administrator|"
        r"developer|root|superuser|servant|secretary|unrestricted|unfiltered|jailbroken|different|new|evil|"
        r"dan)\b)",
        MODE,
    ),
    _r(
        r"\byou(?:'re| are) no longer\s+(?:an?\s+|the\s+)?(?:bound|restricted|limited|required|an ai|ai\b|a bot|"
        r"assistant|kickoff|an assistant|the assistant|constrained|subject)",
        MODE,
    ),
    _r(
        r"\b(?:admin(?:istrator)?|developer|god|jailbreak|jailbroken|root|sudo|unrestricted|unfiltered|dan|"
        r"super ?user|privileged|override)\s+mode\s+(?:is\s+)?(?:now\s+)?(?:enabled|activated|engaged|unlocked|"
        r"granted|active)(?!\s+(?:on|for|in)\s+(?:the|all|our|each|every|your)\b)",
        MODE,
    ),
    _r(
        r"\b(?:enter|enable|activate|switch (?:in)?to|engage|unlock|go into|turn on)\s+(?:the\s+)?"
        r"(?:god|jailbreak|dan|unrestricted|unfiltered|developer|admin)\s+mode\b"
        r"(?!\s+(?:on|for|in)\s+(?:the|all|our|each|every|your)\b)",
        MODE,
    ),
    _r(r"\b(?:jailbreak|jailbroken|do anything now|dan mode|god mode|unfiltered mode|unrestricted mode)\b", MODE),
    _r(
        r"\b(?:from now on|from this point (?:on|forward)|henceforth|for the rest of (?:this|the) "
        r"(?:conversation|session|interview|chat))\s*,?\s+(?:you (?:will |must |shall |should |are to )?"
        r"(?:respond|answer|reply|act|behave|ignore|disregard|obey|"
        r"comply|follow (?:my|these|only)|be (?:an?|the|my)\b|"
        r"refer to yourself|call yourself|pretend|speak|output|only (?:respond|answer|reply|output|follow)|"
        r"are (?:an?|the|my|no longer|free|unrestricted|in))|the assistant\b|respond\b|answer only\b|reply only\b)",
        MODE,
    ),
    _r(
        r"\byour (?:new|real|true|actual) (?:persona|identity|instructions?|directives?|programming|purpose)\b|"
        r"\byour (?:real|true|actual) (?:role|task|job|goal|objective|mission)\s+(?:is|are|will be|now)\b",
        PERSONA,
    ),
    _r(
        r"\b(?:system|admin|developer|safety|security)\s+override\s+(?:is\s+)?(?:now\s+)?(?:engaged|enabled|activated|"
        r"accepted|granted|in effect|active|confirmed)\b",
        MODE,
    ),
    _r(
        r"\byou(?:'re| are)\s+(?:an?|the)\s+(?:obedient|compliant|unrestricted|unfiltered|jailbroken|loyal|"
        r"submissive|uncensored)\s+(?:\w+\s+)?(?:assistant|ai|bot|"
        r"model)\b|\byou(?:'re| are)\s+(?:an?|the)\s+(?:\w+\s+)?"
        r"(?:assistant|ai|bot|chat ?bot|model)\s+now\b",
        MODE,
    ),
    _r(
        r"\b(?:pretend|imagine|assume|suppose|let's say)\s+(?:that\s+)?(?:the\s+|"
        r"all\s+|every\s+)?(?:checklist|charter|"
        r"interview|items?|questions?|risks?|gaps?)\s+(?:\w+\s+)?(?:is|"
        r"are|has been|have been|were|was)\s+(?:already\s+|all\s+)?"
        r"(?:finished|done|covered|complete|completed|approved|resolved|closed|gone|none)\b",
        SET_STATUS,
    ),
    _r(
        r"\b(?:under no circumstances|never|in no case)\s+(?:should|"
        r"must|may|will|can)\s+you\s+(?:record|flag|raise|list|"
        r"mention|report|log|include)\b",
        CHARTER,
    ),
    _r(
        r"\b(?:show|print|reveal|give|tell|share|repeat|output|paste|display|send)\s+(?:me\s+|us\s+)?(?:the\s+)?"
        r"(?:\w+\s+){0,3}?(?:of\s+)?your\s+(?:instructions|prompts?|system prompt|rules|guidelines|configuration|"
        r"directives|programming|hidden \w+)\b",
        LEAK,
    ),
    _r(
        r"(?:^\s*|[.!?]\s+|\b(?:please|now|just)\s+)act\s+as\s+(?:my|our)\s+(?:proxy|representative|agent|"
        r"spokesperson|mouthpiece|lawyer|advocate|personal \w+)\b",
        PERSONA,
    ),
    # -- references to the assistant's own setup, and edits to what others said --
    _r(
        r"\b(?:ignore|disregard|discard|forget(?: about)?|override|"
        r"bypass|drop|skip|abandon|turn off|switch off|disable)\s+"
        r"(?:all\s+|any\s+|the\s+)?(?:whatever\s+|"
        r"your\s+)(?:own\s+)?(?:programming|safety (?:checks|rules|filters)|checks|"
        r"checklist|guardrails|filters|restrictions|setup|script|"
        r"questions|guidance|instructions|rules|prompt|training|"
        r"directives|limits|constraints|policies|configuration)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:guidance|instructions|questions|rules|prompt|directives|"
        r"script)\s+you\s+(?:started with|were (?:programmed|"
        r"given|trained|built|set up|configured)(?: with)?|(?:have|"
        r"had) been (?:given|programmed with)|came with|got at the start)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:your|the assistant's)\s+(?:programming|instructions|rules|guidelines|prompt|setup|configuration)\s+"
        r"(?:says?|tells? you|requires?|is|are)\b[^.;!?]{0,60}\b(?:but|however|yet)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:overwrite|replace|delete|erase|discard|ignore|disregard|"
        r"remove|drop|void|cancel)\s+(?:\w+['’]s|the other\s+\w+['’]?s?|"
        r"their|his|her|everyone else's|all other)\s+(?:answers?|"
        r"statements?|input|responses?|claims?|words)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:real|actual|true|proper|new)\s+instructions\s+(?:start|begin|follow|are below|come next|now)\b|"
        r"\b(?:the\s+)?(?:preceding|previous|above|earlier)\s+(?:conversation|"
        r"instructions|text|messages?|interview|prompt)\s+"
        r"(?:was|were|is|are)\s+(?:just\s+|only\s+)?(?:a test|fake|void|not real|a joke|a drill|invalid)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:respond|reply|answer|output|write)\s+only\s+(?:in|"
        r"with|as)\s+(?:json|yaml|xml|code|the word|a single word|"
        r"yes|ok|\"|')",
        ADDRESS,
    ),
    _r(
        r"\byour\s+(?:full\s+|entire\s+|exact\s+|complete\s+)?(?:initial|"
        r"original|system|hidden|secret|first|underlying|"
        r"developer)\s+(?:prompt|instructions|message|directives)\b",
        LEAK,
    ),
    _r(
        r"\b(?:change|edit|alter|rewrite|fix|adjust|tweak|doctor|"
        r"make)\s+(?:\w+\s+){0,2}?(?:the|your|this)\s+(?:charter|report|"
        r"summary|assessment|risk list)\s+(?:so|to say|to show|to read|so that)\b",
        CHARTER,
    ),
    _r(
        r"\b(?:leave out|omit|hide|drop|delete|remove|suppress|"
        r"strike|skip)\s+(?:the\s+)?(?:part|risk|flag|line|section|"
        r"bit|gap|warning|mention|note)s?\s+(?:about|on|saying|that says)\b",
        CHARTER,
    ),
    _r(
        r"\b(?:your summary|the summary|the report|the charter|"
        r"your report)\s+(?:says|shows|reads|states|lists)\s+so\b|"
        r"\bmake sure\s+(?:your|the)\s+(?:summary|report|"
        r"charter|notes)\s+(?:says|shows|reads|states|lists)\b",
        CHARTER,
    ),
    _r(
        r"\b(?:accountable|owner|sponsor|training lead|metrics owner|"
        r"communications lead)\s+(?:field|value|entry|slot)\b|"
        r"\b(?:with\s+)?(?:accountable|owner|sponsor|training lead|"
        r"metrics owner)\s+(?:set|changed|switched)\s+to\b",
        SET_ROLE,
    ),
    _r(
        r"\b(?:priority|urgent|official|mandatory|binding|top-priority)\s+(?:directive|instruction|order|command)s?\s+"
        r"(?:from|for|to)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:which|that|who)\s+(?:has|have)\s+no\s+(?:restrictions|rules|limits|filters|guidelines|guardrails)\b|"
        r"\b(?:an?\s+)?(?:ai|assistant|bot|model|version)\s+(?:with no|"
        r"without(?: any)?)\s+(?:restrictions|rules|limits|"
        r"filters|guidelines|guardrails)\b",
        PERSONA,
    ),
    _r(
        r"\b(?:so tun|tu so|tun sie so),?\s+als\s+(?:ob\s+)?(?:wärst|"
        r"wären|wäre|du|sie)\b|\b(?:assistent|ki|bot)\s+ohne\s+"
        r"(?:regeln|einschränkungen)\b",
        PERSONA,
    ),
    _r(
        r"\bto\s+the\s+(?:software|tool|system|program|app|ai|bot|model|machine|assistant)\s+(?:that(?:'s| is)\s+)?"
        r"(?:reading|listening|taking notes|transcribing|recording|"
        r"watching)(?:\s+(?:along|in|this|to this))?\s*[,:—–]",
        ADDRESS,
    ),
    _r(
        r"\b(?:confirm|acknowledge)\s+(?:this\s+|that\s+|receipt\s+)?(?:by|with)\s+(?:writing|saying|replying|typing|"
        r"answering|outputting|printing|responding)\b",
        ADDRESS,
    ),
    _r(
        r"\b(?:overrides?|supersedes?|replaces?|trumps|"
        r"takes? precedence over|take priority over|takes? priority over)\s+"
        r"(?:all\s+|the rest of\s+|the other\s+|everyone else's\s+|"
        r"any other\s+)?(?:the\s+)?(?:other\s+)?(?:interviews|"
        r"answers|stakeholders|statements|responses|speakers|others)\b",
        OVERRIDE,
    ),
    _r(r"\b(?:new|updated|urgent|priority)\s+directive\s*:", OVERRIDE),
    _r(
        r"\b(?:behave|act|proceed|continue|carry on|respond)\s+as\s+(?:though|if)\s+(?:the\s+)?(?:\w+\s+){0,3}?"
        r"(?:question|item|topic|checklist|interview|section|"
        r"roles?)s?\s+(?:was|were|is|are|had been|has been|have been)\s+"
        r"(?:already\s+|all\s+)?(?:answered|covered|done|complete|completed|settled|filled|resolved)\b",
        SET_STATUS,
    ),
    _r(
        r"\b(?:assign|give|hand|allocate)\s+(?:every|all|each|"
        r"the remaining|any|all the)\s+(?:open\s+|remaining\s+|missing\s+|"
        r"unfilled\s+|empty\s+)?(?:roles?|positions|items|slots)\s+to\b",
        SET_ROLE,
    ),
    _r(
        r"\b(?:note|message|instructions?|memo|notice)\s+(?:for|to)\s+(?:all\s+|any\s+)?(?:automated|automatic|ai|"
        r"machine)\s+(?:systems|tools|agents|assistants|readers|processors|models)\b",
        ADDRESS,
    ),
    _r(
        r"\b(?:answers|input|statements|words|responses)\s+(?:take|takes|have|has)\s+(?:priority|precedence)\s+over\b",
        OVERRIDE,
    ),
    _r(
        r"\byour\s+(?:guidelines|instructions|rules|prompt|programming|training|directives|setup|configuration)\s+"
        r"(?:are|is)\s+(?:now\s+)?(?:outdated|out of date|wrong|obsolete|old|deprecated|superseded|incorrect|invalid|"
        r"cancelled|void)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:generate|write|produce|create|make|output|draft)\s+(?:a|"
        r"the|your)\s+(?:charter|report|summary)\s+(?:that|which)"
        r"\s+(?:says|shows|states|lists|reads)\s+(?:that\s+)?(?:everything|"
        r"all|no\b|nothing|it'?s fine|the project is)",
        CHARTER,
    ),
    _r(r"\bforget\s+(?:that\s+)?you(?:'re| are)\s+(?:an?|the)\b", PERSONA),
    _r(r"\byou(?:'re| are)\s+(?:my|our)\s+(?:\w+\s+)?(?:assistant|ai|bot|servant|secretary|agent)\s+now\b", MODE),
    _r(
        r"\b(?:answer|respond|reply|speak|write|talk)\s+(?:in the voice of|"
        r"in the persona of|as if you were|as though you "
        r"were|in character as)\b",
        PERSONA,
    ),
    _r(
        r"\b(?:omit|leave out|exclude|hide|skip|suppress|drop|remove|"
        r"(?:do not|don't|never) (?:mention|include|report))\s+"
        r"(?:any|all|every)?\s*(?:mention|reference|note|record|"
        r"trace)?s?\s*(?:of\s+)?(?:the\s+)?(?:staff\s+|user\s+|team\s+)?"
        r"(?:resistance|risks?|concerns|gaps|pushback|missing (?:roles?|owners?|\w+ owner))\b",
        CHARTER,
    ),
    _r(
        r"\b(?:you can|you may|you should|please|just|go ahead and)\s+(?:drop|"
        r"ignore|forget|skip|waive|relax|suspend|bend|"
        r"break)\s+(?:the|your)\s+(?:rule|requirement|check|policy|constraint)s?\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:set aside|put aside|suspend|bypass|abandon|"
        r"drop)\s+your\s+(?:normal\s+|usual\s+|standard\s+|regular\s+)?"
        r"(?:process|procedure|rules|checks|questions|method|approach|protocol|script)\b",
        OVERRIDE,
    ),
    _r(
        r"\b(?:the\s+)?(?:kickoff\s+)?(?:tool|assistant|ai|bot|kickoff)\s+(?:must|should|shall|may)\s*(?:not|never)\s+"
        r"(?:mention|include|report|flag|list|record|show|"
        r"raise)\b[^.;!?]{0,60}\b(?:missing|risks?|gaps?|concerns|resistance|"
        r"owner|roles?|accountab\w*)\b",
        CHARTER,
    ),
    _r(
        r"\b(?:output|print|show|reveal|repeat|dump|share|tell me|"
        r"give me|display|paste)\s+(?:me\s+|us\s+)?(?:the|your)\s+"
        r"(?:hidden|secret|initial|original|system|internal|private|"
        r"underlying)\s+(?:context|prompt|instructions|message|"
        r"data|notes|configuration|setup)\b|\b(?:context|prompt|"
        r"instructions|message)\s+you\s+(?:received|were given|got)\s+"
        r"(?:before|at the start|earlier|from (?:your|the) (?:developers?|operators?|system))\b",
        LEAK,
    ),
    _r(
        r"\byour\s+(?:next\s+|final\s+|only\s+)?(?:reply|response|"
        r"answer|output|message)\s+(?:should|must|will|shall)\s+"
        r"(?:only\s+)?(?:say|be|contain|read|consist|include)\b",
        ADDRESS,
    ),
    _r(
        r"\b(?:indique[zr]?|note[zr]?|marque[zr]?|écri[st]|"
        r"écrivez)\s+que\s+tout\s+est\s+(?:couvert|terminé|validé|complet)|"
        r"\bne\s+(?:pose|posez)\s+plus\s+de\s+questions\b",
        SET_STATUS,
    ),
    # -- role-play / personas --
    _r(
        r"\bpretend\s+(?:that\s+)?you(?:'re| are| were| can| have| don't| do not)\b|(?:^\s*|[.!?:]\s+|"
        r"\b(?:please|now|just|and)\s+)pretend\s+to\s+be\b",
        PERSONA,
    ),
    _r(
        r"\b(?:act|behave|respond|answer|reply|speak|role-?play|roleplay)\s+(?:as if|as though|like)\s+"
        r"you(?:'re| are| were| had| have)\s+(?:an?\s+|the\s+|no\b|not\b|free\b|unrestricted|unfiltered|my\b|"
        r"our\b)",
        PERSONA,
    ),
    _r(
        r"\b(?:act|behave|pose|role-?play|roleplay|respond|reply|answer|speak)\s+(?:as|like)\s+(?:an?|the|my|our)\s+"
        r"(?:\w+\s+)?(?:ai|assistant|chat ?bot|bot|model|language model|unrestricted|unfiltered|jailbroken|evil|"
        r"terminal|shell|interpreter|character|persona|dan|linux|hacker|pirate|villain)\b",
        PERSONA,
    ),
    _r(
        rf"\b(?:you|{_AI})\s+(?:will|should|must|shall|are going to|are to|now|to)\s+(?:now\s+)?"
        r"(?:act|behave|role-?play|roleplay|pose|play the (?:role|part)|impersonate)\s+(?:as|like|of)\b",
        PERSONA,
    ),
    _r(
        r"\b(?:imagine|suppose|assume)\s+(?:that\s+)?you(?:'re| are)\s+(?:(?:an?|the)\s+)?(?:ai|assistant|"
        r"model|chat ?bot|bot|unrestricted|unfiltered|jailbroken|evil|different ai|free|no longer|not (?:an? )?"
        r"(?:ai|assistant|bound)|dan|admin|developer)\b",
        PERSONA,
    ),
    _r(
        r"\b(?:stay|remain|staying) in character\b|\b(?:roleplay|role-play|role play) (?:game|scenario) "
        r"(?:where|in which) you\b|\blet'?s play a game (?:where|in which) you\b",
        PERSONA,
    ),
    _r(
        r"\b(?:simulate|emulate|impersonate)\s+(?:an?\s+|the\s+)?(?:unrestricted|unfiltered|jailbroken|"
        r"different|evil|rogue|new)\s+(?:ai|assistant|model|bot|version)",
        PERSONA,
    ),
    # -- orders addressed to the AI --
    _r(
        rf"\bas (?:an?|the|our|this|my) {_AI},?\s+you\s+(?:must|should|will|need|have to|are (?:required|"
        r"instructed|obligated|expected|supposed)|shall|cannot|can't|may not|ought)",
        ADDRESS,
    ),
    _r(
        rf"\b(?:note|message|memo|instructions?|reminder|directive|command|order|p\.?s\.?|attention|hey|hi|hello|"
        rf"dear|psst)\s*(?:to|for|,|:)?\s*(?:the\s+|any\s+|all\s+|every\s+|this\s+)?{_AI_STRICT}",
        ADDRESS,
    ),
    _r(
        r"\b(?:note|message|memo|instructions?|reminder|p\.?s\.?|attention)\s*(?:to|for)\s+(?:the\s+)?"
        r"(?:bot|assistant|model|machine|tool|system|ai)\s*[:,]",
        ADDRESS,
    ),
    _r(
        r"\b(?:whoever|whatever|anyone|anything|any (?:system|tool|program|software))\s+(?:is\s+)?(?:reading|parsing|"
        r"processing|summari[sz]ing|ingesting|analy[sz]ing)\s+(?:this|these)\b",
        ADDRESS,
    ),
    _r(
        r"\b(?:new|updated|another|one more|extra|additional|"
        r"special)\s+(?:rule|instruction|task|directive|order|command)s?"
        r"\s+for\s+you\b",
        ADDRESS,
    ),
    _r(
        r"\byour\s+(?:job|task|role|purpose|goal)\s+(?:now\s+)?is\s+(?:now\s+)?to\s+(?:agree|obey|do what|follow my|"
        r"listen|approve|confirm|sign off|record|mark|accept|ignore|say)\b",
        ADDRESS,
    ),
    _r(
        rf"\b(?:if|when|whenever)\s+(?:you(?:'re| are)|this is (?:being )?(?:read|processed|summari[sz]ed) by)\s+"
        rf"(?:an?\s+|the\s+)?{_AI_STRICT}",
        ADDRESS,
    ),
    _r(
        r"\b(?:any|all|every|each)\s+(?:ai|llm|language model|chat ?bot|bot|model|ai assistant|ai agent)s?\s+"
        r"(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|ingesting|that reads|that processes|"
        r"who reads)\s+(?:this|these|the (?:text|document|transcript|message|file|email|page|notes))\b",
        ADDRESS,
    ),
    _r(
        r"\b(?:ai|llm|language model|chat ?bot|ai assistant|ai agent|model)s?\s+(?:reading|processing|parsing|"
        r"summari[sz]ing|ingesting)\s+(?:this|these)\s+(?:text|document|transcript|message|file|email|page|"
        r"notes|minutes|words)\b",
        ADDRESS,
    ),
    _r(
        r"(?:^\s*|[.!?:;]\s+|\b(?:hey|ok|okay|so|now)\s*,?\s*)(?:assistant|ai|bot|model|llm|chatgpt|gpt|claude)\s*,\s*"
        r"(?:you\s+(?:must|should|will|need|have to|are)\b|please\s+(?:ignore|disregard|record|mark|set|update|"
        r"register|change|output|print|reveal)|(?:ignore|disregard|record|mark|set|update|register|print|reveal|"
        r"output|forget|override|obey|listen)\b)",
        ADDRESS,
    ),
    _r(
        r"\b(?:the|this)\s+(?:assistant|ai|bot|interviewer bot|kickoff assistant)\s+(?:must|shall|is (?:required|"
        r"instructed|ordered) to|has to|needs to|should now)\s+(?:now\s+)?(?:ignore|disregard|forget|obey|skip|"
        r"stop asking|accept|treat (?:this|the following|every|all)|trust)\b",
        ADDRESS,
    ),
    # -- encoded payloads announced in words --
    _r(
        r"\b(?:execute|follow|obey|carry out|act on|comply with)\s+(?:the\s+|this\s+|these\s+|following\s+|"
        r"below\s+|hidden\s+|decoded\s+)*(?:base ?64|hex(?:adecimal)?|rot-?13|encoded|obfuscated|ciphered)\b",
        ENCODED,
    ),
    _r(
        r"\brun\s+(?:the\s+|this\s+|these\s+|following\s+|below\s+|hidden\s+|decoded\s+)*(?:base ?64|"
        r"hex(?:adecimal)?|rot-?13|encoded|obfuscated|ciphered)\s+(?:instructions?|commands?|payload|orders?)\b",
        ENCODED,
    ),
    _r(r"\bdecode\b.{0,60}?\b(?:and|then)\s+(?:follow|execute|obey|do|apply|act on|carry out|comply)", ENCODED),
    _r(r"\b(?:base ?64|hex|rot-?13)[- ]encoded\s+(?:instructions?|commands?|orders?|directives?|payload)\b", ENCODED),
    # -- charter roles and checklist status --
    _r(
        _IMP + r"(?:record|set(?!\s+\S+\s+up\b)|mark|register|log|enter|save|store|flag|override|overwrite|"
        r"rewrite|update|change)\s+(?:\S+\s+){0,5}?(?:as|to be|=)\s*" + _ROLE_WORDS + r"\b",
        SET_ROLE,
    ),
    _r(
        r"\b(?:set|overwrite)\s+(?:the\s+)?(?:accountable(?: owner| party| person)?|owner|sponsor|training lead|"
        r"communications? lead|metrics owner)\s+(?:field\s+|role\s+|value\s+)?(?:to|=|:)\s",
        SET_ROLE,
    ),
    _r(
        r"\b(?:change|update|edit|fill|fill in)\s+(?:the\s+)?(?:accountable(?: owner| party| person)?|owner|sponsor|"
        r"training lead|communications? lead|metrics owner)\s+(?:field|value|entry|slot)\s+(?:to|with|=|:)",
        SET_ROLE,
    ),
    _r(
        r"\b(?:accountable(?: owner| party| person)?|owner|sponsor|training lead|communications? lead|metrics owner|"
        r"project manager|technical lead|risks|status|coverage)\s*(?:==?|:=)\s*\S",
        SET_ROLE,
    ),
    _r(
        r"\b(?:the\s+)?(?:accountable owner|accountable party|owner field|accountable field|training lead|"
        r"metrics owner)\s+(?:must|should|shall|has to|needs to)\s+(?:now\s+)?be\s+(?:recorded|set|"
        r"registered|listed|logged|changed|updated|marked|stored|entered)\s+(?:as|to)\b",
        SET_ROLE,
    ),
    _r(
        _IMP + r"(?:mark|set|flag|record|register|treat|consider|log|update|change|tick|check off)\s+(?:off\s+)?"
        r"(?:all|every|each|the (?:whole|entire|full|remaining)|the rest of the|any|remaining)\s+(?:of\s+)?"
        r"(?:the\s+|your\s+|my\s+)?(?:remaining\s+|open\s+|other\s+)?(?:checklist\s+|kickoff\s+)?(?:items?|"
        r"questions?|topics?|sections?|boxes|checkboxes|points|checklists?|requirements|gaps)\b(?:\s+\w+){0,4}?\s+"
        r"(?:(?:as|to)\s+)?(?:be\s+)?(?:fully\s+|already\s+)?" + _STATUS_WORDS,
        SET_STATUS,
    ),
    _r(
        r"\b(?:all|every|each)\s+(?:remaining\s+)?(?:checklist|kickoff)\s+(?:items?|questions?|topics?|boxes)\s+"
        r"(?:are|is|should be|must be|have been|has been|will be|shall be)\s+(?:now\s+|already\s+|marked\s+|"
        r"considered\s+|recorded\s+|treated\s+|as\s+)*" + _STATUS_WORDS,
        SET_STATUS,
    ),
    _r(
        r"\b(?:mark|set|flag|record|treat|consider|log)\s+(?:the\s+)?(?:checklist|kickoff checklist|"
        r"whole checklist|entire checklist|interview)\s+(?:as\s+)?" + _STATUS_WORDS,
        SET_STATUS,
    ),
    _r(
        _IMP + r"(?:mark|set|flag|record|register|log|treat|consider)\s+(?:the\s+)?(?:accountability|roles|scope|"
        r"communication|training|monitoring|collaboration)\s+(?:item|section|topic|box|question)s?\s+as\s+"
        + _STATUS_WORDS,
        SET_STATUS,
    ),
    _r(
        r"\b(?:clear|remove|delete|drop|suppress|hide|dismiss|erase|strike)\s+(?:all\s+|every\s+|any\s+|the\s+)*"
        r"(?:risk\s+)?(?:flags|risks|gaps|warnings|missing roles|open items)\s+(?:from|in|on)\s+(?:the|your)\s+"
        r"(?:accountability\s+)?(?:charter|report|assessment|summary)\b",
        CHARTER,
    ),
    _r(
        _IMP + r"(?:do not|don't|never)\s+(?:flag|raise|report|record|list|mention)\s+(?:any\s+)?(?:risks?|gaps|"
        r"missing roles|open items|concerns)\b",
        CHARTER,
    ),
    _r(
        r"\b(?:update|change|modify|edit|rewrite|amend|alter|overwrite|replace)\s+(?:the|your|this)\s+"
        r"(?:accountability\s+|kickoff\s+)?charter\s+(?:to\b|so (?:that|it)\b|and (?:set|mark|record|list|remove|"
        r"add|make)\b|with (?:the following|these|this)\b|:)",
        CHARTER,
    ),
    _r(
        r"\b(?:the\s+)?charter\s+(?:must|should|shall|needs? to|has to)\s+(?:now\s+)?(?:say|state|list|show|read|"
        r"record|name|display)\b.{0,60}?(?:\bas\s+"
        + _ROLE_WORDS
        + r"\b|\b"
        + _STATUS_WORDS
        + r"\b|\bno (?:risks|gaps|open items)\b)",
        CHARTER,
    ),
    _r(
        r"\b(?:write|insert|add|put)\s+(?:\S+\s+){0,6}?(?:in|into|to|on)\s+the\s+charter\s+as\s+(?:the\s+)?"
        r"(?:accountable|owner|sponsor|lead|training lead|metrics owner)",
        CHARTER,
    ),
    _r(
        r"\b(?:accountable_owner|training_lead|communications_lead|metrics_owner|executive_sponsor|"
        r"project_manager|technical_lead|not_discussed|lack_of_ownership|decision_ambiguity|poor_adoption|"
        r"resistance_to_change|dont_know)\b",
        INTERNAL,
    ),
    _r(r"\{\s*\"(?:assignments|facts|role|person|status|accountable|quarantined|risks|coverage)\"\s*:", INTERNAL),
    # -- prompt leaking / exfiltration --
    _r(
        r"\b(?:print|reveal|show|display|output|repeat|recite|dump|leak|expose|tell me|give me|share|send|"
        r"write out|spell out|paste|provide|disclose|what (?:is|are|were)|what's)\s+(?:me\s+|us\s+)?(?:all\s+)?"
        r"(?:of\s+)?(?:(?:your|the assistant's)\s+(?:full\s+|exact\s+|complete\s+|entire\s+)?(?:system|initial|"
        r"original|hidden|secret|internal|developer|operator|underlying|base|first)\s+(?:prompts?|instructions?|"
        r"messages?|rules|configuration|guidelines|directives)|the\s+(?:full\s+|exact\s+|complete\s+|entire\s+)?"
        r"(?:system|initial|hidden|secret|developer|operator|underlying)\s+(?:prompts?|instructions?))",
        LEAK,
    ),
    _r(
        r"\b(?:print|reveal|show|display|output|repeat|recite|dump|leak|tell me|give me|disclose|"
        r"what (?:are|were))\s+(?:me\s+|us\s+)?(?:all\s+)?(?:of\s+)?your\s+(?:prompts?|instructions|rules|"
        r"guidelines|configuration|directives|programming)\b",
        LEAK,
    ),
    _r(
        r"\b(?:print|reveal|show|display|output|repeat|recite|dump|tell me|give me|paste|write out)\s+(?:me\s+|us\s+)?"
        r"(?:the|your)\s+(?:full\s+|exact\s+|complete\s+|entire\s+|original\s+|whole\s+)?(?:prompt|instructions|"
        r"rules|configuration|setup)\s+(?:you\s+(?:were|have been|"
        r"got|received)|(?:that\s+)?you\s+(?:follow|use|run on)|"
        r"above|at the start|before this)",
        LEAK,
    ),
    _r(
        r"\b(?:output|print|dump|reveal|show|display)\s+(?:me\s+|us\s+)?your\s+(?:configuration|config|settings|"
        r"setup|context|memory)\b",
        LEAK,
    ),
    _r(
        r"\b(?:repeat|print|output|echo|recite)\s+(?:back\s+)?(?:everything|all|the text|the words|the content|"
        r"all text|the message)\s+(?:above|before|that came before|preceding|verbatim)\b",
        LEAK,
    ),
    _r(
        r"\b(?:reveal|print|output|dump|leak|disclose|expose)\s+(?:me\s+|us\s+)?(?:all\s+)?(?:the\s+|your\s+|"
        r"any\s+)?(?:api[_ ]?keys?|secret keys?|access tokens?|credentials|passwords?|env(?:ironment)? "
        r"(?:vars|variables)|\.env)\b",
        LEAK,
    ),
    _r(
        r"\b(?:send|post|upload|forward|exfiltrate|transmit|leak|copy)\s+(?:\S+\s+){0,5}?"
        r"(?:conversation|transcript|chat history|system prompt|api keys?|secrets?|credentials|all (?:the )?data|"
        r"everything|interview notes|whole charter|full charter|state)\s+to\s+(?:https?://|this (?:url|"
        r"address|endpoint|server|link)|the (?:url|endpoint|webhook|server))",
        EXFIL,
    ),
    _r(r"!\[[^\]]*\]\(\s*https?://[^)\s]*(?:\?|\{|%7B)[^)]*\)", EXFIL),
    _r(
        r"\b(?:fetch|visit|call|load|open|curl|request|go to)\s+(?:the\s+)?(?:url|link|endpoint|webhook)?\s*"
        r"https?://\S+\s+(?:and|then)\s+(?:follow|obey|execute|apply|carry out)\b",
        EXFIL,
    ),
    # -- a few other languages --
    _r(
        r"\b(?:ignore[zr]?|oublie[zr]?)\s+(?:toutes?\s+)?(?:les\s+|vos\s+|tes\s+)?(?:instructions|consignes|"
        r"directives|règles)\s+(?:précédentes|antérieures|ci-dessus|d'avant|données)",
        OVERRIDE,
    ),
    _r(
        r"\b(?:oublie[zr]?|ignore[zr]?)\s+tout\s+(?:ce qui précède|"
        r"ce qu'on t'a dit|ce que l'on vous a dit)",
        OVERRIDE,
    ),
    _r(
        r"\b(?:ignora|ignore|ignorar|olvida|olvide|olvidar)\s+(?:todas?\s+)?(?:las\s+|tus\s+|sus\s+)?"
        r"(?:instrucciones|indicaciones|órdenes|reglas)\s+(?:anteriores|previas|de arriba|dadas)",
        OVERRIDE,
    ),
    _r(r"\bignor(?:a|e|are)\s+(?:tutte\s+)?(?:le\s+)?(?:istruzioni|indicazioni)\s+(?:precedenti|sopra)", OVERRIDE),
    _r(
        r"\bignor(?:e|a|ar)\s+(?:todas\s+)?(?:as\s+)?(?:instruções|instrucoes|orientações)\s+(?:anteriores|"
        r"acima)",
        OVERRIDE,
    ),
    _r(
        r"\b(?:ignorier(?:e|en sie)?|vergiss|vergessen sie)\s+(?:bitte\s+)?(?:alle\s+|alles\s+)?(?:vorherigen\s+|"
        r"bisherigen\s+|obigen\s+|früheren\s+)(?:anweisungen|instruktionen|befehle|regeln|vorgaben)",
        OVERRIDE,
    ),
    _r(r"\bnegeer\s+(?:alle\s+)?(?:vorige|eerdere|bovenstaande)\s+(?:instructies|opdrachten)", OVERRIDE),
    _r(
        r"(?:忽略|无视|忽视|不要理会)(?:之前|以上|先前|上面|前面|所有)(?:的)?(?:所有)?(?:的)?"
        r"(?:指令|指示|说明|规则|提示)",
        OVERRIDE,
    ),
    _r(r"(?:以前|前|上記|これまで)の(?:指示|命令|指令|ルール)を(?:すべて|全て)?無視", OVERRIDE),
    _r(r"игнорируй(?:те)?\s+(?:все\s+)?(?:предыдущие|прошлые)\s+(?:инструкции|указания)", OVERRIDE),
    _r(r"\b(?:tu es|vous êtes)\s+(?:maintenant|désormais)\s+en\s+mode\b", MODE),
    _r(
        r"\b(?:ahora (?:eres|estás en)|estás ahora en)\s+(?:el\s+)?modo\b|\b(?:activa|activar|activado)\s+(?:el\s+)?"
        r"modo\s+(?:desarrollador|administrador|dios)\b",
        MODE,
    ),
    _r(
        r"\bdu bist (?:jetzt|nun|ab sofort) im \w*modus\b|\b(?:entwickler|admin|administrator)modus\s+"
        r"(?:ist\s+)?(?:aktiviert|aktiv|an)\b",
        MODE,
    ),
    _r(
        r"\b(?:marque[zr]?|coche[zr]?)\s+(?:tous|toutes|chaque)\s+(?:les\s+)?(?:éléments|points|items|questions)"
        r"\s+comme\s+(?:couverts?|traités?|terminés?|complets?)",
        SET_STATUS,
    ),
    _r(
        r"\b(?:marca|marque|marcar)\s+(?:todos|todas|cada)\s+(?:los\s+|las\s+)?(?:elementos|puntos|ítems|items|"
        r"preguntas)\s+como\s+(?:cubiertos?|completados?|resueltos?)",
        SET_STATUS,
    ),
    _r(
        r"\b(?:registr(?:a|e|ar|ez|ieren sie)|enregistre[zr]?|inscri(?:s|vez)|trage|tragen sie)\s+(?:\S+\s+){1,4}?"
        r"(?:como|comme|als)\s+(?:el\s+|la\s+|le\s+|l'|der\s+|die\s+)?(?:responsable|propietari[oa]|"
        r"verantwortliche[rn]?|accountable)",
        SET_ROLE,
    ),
)

# A structural check beside the phrase rules: an order aimed at the assistant's records. It needs
#   an imperative (the sentence opens with the verb, or "please ...", "you must ...", "should you ..."),
#   a record-keeping verb, and, in the same clause, a status ("covered", "done", "invalid") or a role
#   ("accountable", "the sponsor"), so "Please record that the team is worried" stays an answer.
_LEAD_IN = (
    r"(?:^\s*[\"'“‘(\[*\-–—•>]*\s*(?:(?:ok|okay|so|now|right|also|and|then|just|simply|please|kindly|pls)\s*,?\s+)*"
    r"|\b(?:please|kindly|pls|go ahead and|make sure (?:to|you)|be sure to|remember to|don't forget to)\s+"
    r"|\byou(?:\s*,\s*(?:the|our)\s+\w+(?:\s+\w+)?\s*,)?\s+(?:must|should|shall|will|need to|have to|are to|"
    r"are (?:instructed|required|ordered|expected|told|asked|obliged) to)\s+(?:now\s+|also\s+|immediately\s+)?"
    r"|\b(?:should|must|shall|will|would|can|could) you\s+(?:now\s+|please\s+|quietly\s+|just\s+)?"
    r"|\b(?:the|this)\s+(?:ai|assistant|bot|model|system|tool|kickoff)\s+(?:should|must|shall|will|needs to|has to|"
    r"is to|is required to)\s+(?:now\s+|also\s+)?)"
)
_RECORD_VERB = (
    r"(?:record|list|mark(?: down)?|flag|log|register|set|write(?: down)?|store|save|enter|put(?: down)?|classify|"
    r"categori[sz]e|tag|label|show|report)"
)
_SOFT_VERB = r"(?:treat|consider|count|declare|deem|drop|delete|remove|erase|approve|close|finish|invalidate|void)"
# The rest of the clause, stopping at words that start a condition ("treat it as final once signed").
_CLAUSE = r"(?:(?!\b(?:until|when|after|before|once|if|because|since|unless|while)\b)[^.;!?]){0,80}?"
_STATUS_ONLY = (
    r"(?:covered|done|finished|complete|completed|invalid|void|none|approved|final|closed|resolved|wrong|"
    r"irrelevant|obsolete|decided)"
)
_ROLE_STATUS = (
    r"(?:accountable|the (?:sole |only |real )?(?:owner|sponsor|accountable \w+)|training lead|metrics owner)"
)
_DIRECTIVE = re.compile(
    _LEAD_IN
    + r"(?P<verb>(?=\w))(?:"
    + _RECORD_VERB
    + r"\b"
    + _CLAUSE
    + r"\b(?:"
    + _STATUS_ONLY
    + r"|"
    + _ROLE_STATUS
    + r")\b|"
    + _SOFT_VERB
    + r"\b"
    + _CLAUSE
    + r"\b"
    + _STATUS_ONLY
    + r"\b)",
    _F,
)
# Speaking to the assistant by name ("Dear Kickoff,", "Kickoff bot:", "You, the AI,", "whatever tool is
# summarising this") and then giving it an order or talking about its instructions.
_VOCATIVE = re.compile(
    r"(?:(?:^|[.!?:;]\s+)[\"'“‘(\[*\-]*\s*(?:(?:dear|hey|hi|hello|ok|okay|attention|listen|yo)\s*,?\s+)?(?:the\s+)?"
    r"(?:kickoff(?: bot| assistant| ai)?|ai|a\.i\.|bot|chat ?bot|assistant|language model|llm|gpt|chatgpt|claude|"
    r"copilot)\s*[,:—–]"
    r"|\bto\s+the\s+(?:software|tool|system|program|app|ai|bot|model|machine)\s+(?:reading|listening|taking notes|"
    r"transcribing|recording)(?:\s+(?:along|in|this))?\s*[,:]"
    r"|\byou\s*,\s*(?:the|our|an?)\s+(?:ai|assistant|bot|chat ?bot|model|language model|tool|system)\s*,"
    r"|\b(?:whatever|whichever|any)\s+(?:tool|system|ai|bot|model|program|software|app|assistant)\s+(?:is\s+)?"
    r"(?:summari[sz]ing|reading|processing|recording|transcribing|listening to|parsing|analy[sz]ing|taking notes)\b)",
    _F,
)
_ORDER_WORDS = re.compile(
    r"\b(?:" + _RECORD_VERB + r"|" + _SOFT_VERB + r"|ignore|disregard|forget|override|obey|instructions?|orders|"
    r"directives?|commands?|prompt|rules|must|shall|are instructed|are required|you have new|stop asking|"
    r"skip|end the interview)\b",
    _F,
)


_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


_NOT_A_VERB = re.compile(
    r"\s*(?:['’]s\b|\s+(?:is|was|will|would|has|had|and|or|said|says|can|could|should|does|"
    r"did|runs|leads|owns|thinks|from|who|[A-Z]\w*)\b)"
)


def _structural_reason(seg: str) -> str | None:
    d = _DIRECTIVE.search(seg)
    if d:
        word = re.match(r"\w+", seg[d.start("verb") :])
        # "Mark is the training lead", "Mark Taylor leads it": a name, not the verb.
        if word and word.group()[0].isupper() and _NOT_A_VERB.match(seg, word.end()):
            d = None
    if d:
        return SET_STATUS if re.search(r"\b" + _STATUS_ONLY + r"\b", seg, _F) else SET_ROLE
    m = _VOCATIVE.search(seg)
    if m and _ORDER_WORDS.search(seg, m.end()):
        return ADDRESS
    return None


# Fake chat-template and role markers. They mark their sentence, or start a fake block.
_MARKER = re.compile(
    r"<<\s*/?\s*(?:system|admin|override|instructions?|assistant)(?:\s+\w+)?\s*>>|"
    r"<\|(?:im_start|im_end|im_sep|system|assistant|user|endoftext|begin_of_text|end_of_text|start_header_id|"
    r"end_header_id|eot_id|eom_id|channel|message|start|end|tool)\|>"
    r"|\[/?(?:INST|SYS)\]|<</?SYS>>|<\s*/?\s*(?:system|sys|assistant|instructions?|admin|developer|operator|"
    r"prompt|system[_-]?prompt|im_start|im_end|override|hidden|secret)(?:\s[^<>]{0,80})?\s*>"
    r"|\[{1,2}\s*/?\s*(?:system|sys|admin|administrator|assistant|developer|operator|instructions?|root|override|"
    r"prompt)(?:\s+(?:message|note|prompt|override|update|notice|instructions?|command|directive|mode))?\s*\]{1,2}"
    r"|<<\s*/?\s*(?:system|admin|override|instructions?|assistant)(?:\s+\w+)?\s*>>"
    r"|\[{1,2}\s*(?:system|sys|admin|administrator|assistant|ai|developer|operator)(?:\s+(?:message|note|prompt|"
    r"override|update|notice|instructions?|command|directive|mode))?\s*:"
    r"|[-=*#~]{2,}\s*(?:assistant|ai|system|admin|developer|operator)\s+(?:override|instructions?|mode|message|"
    r"prompt)\s*[-=*#~]{2,}"
    r"|<\s*/\s*(?:answer|user|input|utterance|context|document|data|transcript|human|stakeholder|question)\s*>"
    r"|^[ \t]*role[ \t]*:[ \t]*(?:system|assistant|developer)[ \t]*$"
    r"|\b(?:end|beginning|start)\s+of\s+(?:the\s+)?(?:user|"
    r"stakeholder|client|human)\s+(?:input|message|answer|turn|text)\b"
    r"|\bsystem\s+notice\s*[-—:]\s*(?=.{0,40}\b(?:previous|prior|instructions?|guidance|revoked|assistant|you)\b)"
    r"|\[\s*ai\s+(?:message|note|prompt|override|instructions?|command|directive)\s*\]"
    r"|\(\s*(?:system|admin|assistant)\s+(?:message|note|prompt|override|instructions?)\s*\)"
    r"|\{\{\s*(?:system|assistant|instructions?)\s*\}\}"
    r"|^[ \t]*#{1,6}[ \t]*(?:system|instruction|instructions|new instructions?|system prompt|system message|"
    r"assistant|response|admin|developer|override)[ \t]*:"
    r"|\b(?:begin|start|end)\s+(?:of\s+)?(?:the\s+)?(?:system|hidden|secret|admin|developer|override|assistant|ai)\s+"
    r"(?:prompt|instructions?|message|override|block|mode)\b"
    r"|#{2,}\s*(?:system|admin|instructions?|assistant|override|end|developer)\s*#{2,}"
    r"|\b(?:assistant|ai|bot|model|llm|kickoff)\s+(?:instructions?|directives?|orders|commands?)\s*:"
    r"|\b(?:(?:new|updated|real|hidden|secret|priority|urgent|important|official)\s+)?system\s+"
    r"(?:message|instruction|directive|override|prompt|command)s?\s*[:\-—]"
    r"|\b(?:admin|administrator|developer|operator|root)\s+(?:override|instruction|directive|command)s?\s*[:\-—]",
    _F | re.MULTILINE,
)

# "System:" / "Assistant:" speaker labels at the start of a line or sentence.
_LABEL = re.compile(
    r"(?:^|(?<=[.!?]\s))[ \t>*_\-\"']*(?P<label>system|assistant|ai assistant|kickoff assistant|ai|chatgpt|gpt|"
    r"model|bot|llm|sys|developer|operator)[ \t]*(?:\([^)\n]{0,30}\))?[ \t]*:",
    _F | re.MULTILINE,
)
# Labels that are only ever a chat turn; the others ("System: Epic EHR on Azure", "Assistant: Grace Kim"
# in a document) need the text after them to talk to or as the assistant.
_ALWAYS_LABELS = frozenset({"ai assistant", "kickoff assistant", "chatgpt", "gpt", "llm"})
_LABEL_TALK = re.compile(
    r"\b(?:you|your|the assistant|instructions?|ignore|disregard|override|mode|from now on|charter|checklist|"
    r"covered|accountable|prompt|directive|command|enabled|granted|i will|i'll|i have|i've|i am|i'm|"
    r"acknowledged|understood)\b",
    _F,
)
# Closing markers of the explicit blocks, so a fake block is cut up to its end.
_TAGS = (
    r"(?:system|sys|assistant|instructions?|admin|developer|operator|prompt|system[_-]?prompt|override|hidden|"
    r"secret)"
)
# Markers that close a block; a closing marker alone on its line does not start a new one.
_CLOSER = re.compile(
    r"#{2,}\s*(?:end|/\w+)\s*#{2,}|[-=*#~]{2,}\s*end(?:\s+\w+){0,3}\s*[-=*#~]{2,}|"
    r"<\|(?:im_end|eot_id|eom_id|endoftext|end_of_text|end_header_id|"
    r"end)\|>|\[{1,2}\s*/|<</SYS>>|<\s*/|<<\s*end\s*>>|"
    r"^\s*end\b",
    _F,
)
_BLOCK_PAIRS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"<\|im_start\|>", _F), re.compile(r"<\|im_end\|>|<\|endoftext\|>", _F)),
    (re.compile(r"<\|start_header_id\|>", _F), re.compile(r"<\|eot_id\|>", _F)),
    (re.compile(r"\[INST\]", _F), re.compile(r"\[/INST\]", _F)),
    (re.compile(r"<<SYS>>", _F), re.compile(r"<</SYS>>", _F)),
    (re.compile(rf"<\s*{_TAGS}(?:\s[^<>]{{0,80}})?\s*>", _F), re.compile(rf"<\s*/\s*{_TAGS}\s*>", _F)),
    (
        re.compile(
            r"\b(?:begin|start)\s+(?:of\s+)?(?:the\s+)?(?:system|hidden|secret|admin|developer|override|"
            r"assistant|ai)\s+(?:prompt|instructions?|message|override|block|mode)\b",
            _F,
        ),
        re.compile(
            r"\bend\s+(?:of\s+)?(?:the\s+)?(?:system|hidden|secret|admin|developer|override|assistant|ai)\s+"
            r"(?:prompt|instructions?|message|override|block|mode)\b",
            _F,
        ),
    ),
    (
        re.compile(
            r"\[{1,2}\s*(?:system|sys|admin|administrator|assistant|developer|operator|instructions?|override)"
            r"\s*\]{1,2}",
            _F,
        ),
        re.compile(
            r"\[{1,2}\s*/\s*(?:system|sys|admin|administrator|assistant|developer|operator|instructions?|"
            r"override)\s*\]{1,2}",
            _F,
        ),
    ),
    (
        re.compile(
            r"[-=*#~]{2,}\s*(?:assistant|ai|system|admin|developer|operator)\s+(?:override|instructions?|mode|"
            r"message|prompt)\s*[-=*#~]{2,}",
            _F,
        ),
        re.compile(r"[-=*#~]{2,}\s*end(?:\s+\w+){0,3}\s*[-=*#~]{2,}", _F),
    ),
    (
        re.compile(r"#{2,}\s*(?:system|admin|instructions?|assistant|override|developer)\s*#{2,}", _F),
        re.compile(r"#{2,}\s*(?:end|/\w+)\s*#{2,}", _F),
    ),
)

_B64 = re.compile(r"(?<![A-Za-z0-9+/=_\-:.])[A-Za-z0-9+/_\-]{24,}={0,2}(?![A-Za-z0-9+/=_\-])")
_HEX = re.compile(r"(?<![0-9A-Fa-f])(?:0x)?(?:[0-9A-Fa-f]{2}[\s:]?){16,}(?![0-9A-Fa-f])")


def _decoded_text(raw: bytes) -> str | None:
    """The bytes as text if they read as text (so a random hash or key is not mistaken for a payload)."""
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if len(s) < 12:
        return None
    printable = sum(c.isprintable() or c in "\n\t" for c in s)
    letters = sum(c.isalpha() or c == " " for c in s)
    if printable / len(s) < 0.95 or letters / len(s) < 0.7 or " " not in s:
        return None
    return s


def _payloads(view: str) -> Iterator[tuple[int, int, str]]:
    """Base64 / hex blobs in the view that decode to readable text: (start, end, decoded)."""
    for m in _B64.finditer(view):
        tok = m.group()
        if tok.isalpha() and (tok.islower() or tok.isupper()):
            continue  # a long plain word, not a blob
        if view[max(0, m.start() - 8) : m.start()].rstrip().endswith(("://", "/", "@")):
            continue  # part of a URL or address
        body = tok.rstrip("=")
        padded = body + "=" * (-len(body) % 4)
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                text = _decoded_text(decode(padded))
            except (binascii.Error, ValueError):
                continue
            if text:
                yield m.start(), m.end(), text
                break
    for m in _HEX.finditer(view):
        digits = re.sub(r"[^0-9A-Fa-f]", "", m.group().removeprefix("0x").removeprefix("0X"))
        if len(digits) % 2:
            digits = digits[:-1]
        try:
            text = _decoded_text(bytes.fromhex(digits))
        except ValueError:
            continue
        if text:
            yield m.start(), m.end(), text


def _line_bounds(view: str, pos: int) -> tuple[int, int]:
    start = view.rfind("\n", 0, pos) + 1
    end = view.find("\n", pos)
    return start, len(view) if end < 0 else end


# A fake block with no end marker runs to a blank line, a heading, or the next speaker's turn.
_BLOCK_STOP = re.compile(
    r"\n[ \t]*\n|\n(?=[ \t]*#{1,6}\s)|\n(?=[ \t]*(?:user|human|stakeholder|client|me|answer|real answer|reply)"
    r"[ \t]*:)",
    re.IGNORECASE,
)
# Where a fake chat turn written on one line hands over to another speaker ("... Stakeholder: great").
_NEXT_SPEAKER = re.compile(
    r"(?<=[.!?]\s)[ \t]*(?:(?i:user|human|stakeholder|client|interviewer|facilitator|customer)|"
    r"[A-Z][a-z]+ [A-Z][a-z]+)[ \t]*:"
)


def _block_end(view: str, pos: int) -> int:
    m = _BLOCK_STOP.search(view, pos)
    return len(view) if m is None else m.start()


def _summarise(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _find(view: _View) -> list[tuple[int, int, str]]:
    """Ranges [start, end) of the view to quarantine, each with a reason."""
    v = view.text
    markers = list(_MARKER.finditer(v))
    blocks = []
    for opener, closer in _BLOCK_PAIRS:
        for m in opener.finditer(v):
            blocks.append((m, closer.search(v, m.end())))
    # Sentences never straddle a fake-message marker: cut before each one, and after each closing one.
    cuts = {m.start() for m in markers} | {m.end() for m in markers if _CLOSER.search(m.group())}
    cuts |= {m.start() for m, _ in blocks} | {e.end() for _, e in blocks if e}
    comments = [m for m in _HTML_COMMENT.finditer(v) if _ORDER_WORDS.search(m.group()) or _LABEL_TALK.search(m.group())]
    cuts |= {m.start() for m in comments} | {m.end() for m in comments}
    segs = _segments(v, frozenset(cuts))
    hits: list[tuple[int, int, str]] = []

    def seg_of(pos: int) -> tuple[int, int]:
        for a, b in segs:
            if a <= pos < b:
                return a, b
        return _line_bounds(v, pos)

    # Sentence rules, run over each segment so ".{0,n}" gaps never reach into the next sentence.
    for a, b in segs:
        seg = v[a:b]
        for rule in _SENTENCE_RULES:
            if rule.pattern.search(seg):
                hits.append((a, b, rule.reason))
        structural = _structural_reason(seg)
        if structural:
            hits.append((a, b, structural))

    # Explicit blocks: from the opening marker to the closing one (or, unclosed, to the block's end).
    closed: list[tuple[int, int]] = []
    for m, end_m in blocks:
        if end_m:
            closed.append((m.start(), end_m.end()))
            hits.append((m.start(), end_m.end(), FAKE_MSG))
        else:
            # Unclosed: a bare opener line takes its block; one with text after it takes its line.
            _, line_b = _line_bounds(v, m.start())
            rest = v[m.end() : line_b].strip(" \t:-—>*_#")
            bare = not rest or rest.lower() in {"system", "assistant", "user", "developer"}
            hits.append((m.start(), _block_end(v, m.end()) if bare else line_b, FAKE_MSG))

    # Single markers ("[SYSTEM]", "### Instruction:"): their sentence; a bare marker line takes its block.
    for m in markers:
        if any(a <= m.start() < e for a, e in closed):
            continue  # already cut as part of a block with an explicit end
        a, b = seg_of(m.start())
        _, line_b = _line_bounds(v, m.start())
        rest = v[m.end() : line_b].strip(" \t:-—>*_#")
        bare = not rest or rest.lower() in {"system", "assistant", "user", "developer"}
        if bare and not _CLOSER.search(m.group()):
            b = _block_end(v, m.end())
        hits.append((a, b, FAKE_MSG))

    # "Assistant: ..." speaker labels: the fake turn runs to the end of its line or the next speaker.
    for m in _LABEL.finditer(v):
        a, b = seg_of(m.end() - 1)
        _, line_b = _line_bounds(v, m.end() - 1)
        rest = v[m.end() : line_b]
        if not rest.strip():
            hits.append((a, _block_end(v, m.end()), FAKE_MSG))
        elif " ".join(m.group("label").lower().split()) in _ALWAYS_LABELS or _LABEL_TALK.search(rest):
            nxt = _NEXT_SPEAKER.search(v, m.end(), line_b)
            hits.append((a, max(b, nxt.start() if nxt else line_b), FAKE_MSG))

    # HTML comments are invisible once rendered; one that gives orders is a hidden instruction.
    for m in comments:
        hits.append((m.start(), m.end(), "hidden comment that gives the assistant orders"))

    # Encoded blobs: the blob itself (a blob rarely ends its sentence with punctuation).
    for start, end, decoded in _payloads(v):
        hits.append((start, end, f"encoded payload that decodes to: {_summarise(decoded)!r}"))

    for start, end in view.tag_runs:
        hits.append((start, end, f"hidden Unicode tag characters spelling: {_summarise(v[start:end])!r}"))

    return hits


def _to_original(view: _View, start: int, end: int) -> tuple[int, int]:
    return view.origin[start], view.origin[end - 1] + 1


def _merge(ranges: list[tuple[int, int, str]]) -> list[tuple[int, int, list[str]]]:
    merged: list[tuple[int, int, list[str]]] = []
    for a, b, reason in sorted(ranges):
        if merged and a <= merged[-1][1]:
            pa, pb, reasons = merged[-1]
            if reason not in reasons:
                reasons.append(reason)
            merged[-1] = (pa, max(pb, b), reasons)
        else:
            merged.append((a, b, [reason]))
    return merged


def _visible(text: str) -> str:
    """The original characters a reader sees: invisible format characters dropped, tag characters decoded."""
    out = []
    for ch in text:
        cp = ord(ch)
        if _TAG_FIRST <= cp <= _TAG_LAST:
            if 0x20 <= cp - _TAG_FIRST < 0x7F:
                out.append(chr(cp - _TAG_FIRST))
        elif ch not in _INVISIBLE:
            out.append(ch)
    return "".join(out)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n[ \t]+(?=\S)", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def screen(text: str) -> GuardResult:
    """Split an untrusted answer into what is understood (`clean`) and what is quarantined, with reasons."""
    view = _build_view(text)
    ranges: list[tuple[int, int, str]] = []
    for a, b, reason in _find(view):
        # Trim whitespace so the quoted span starts and ends on visible text.
        while a < b and view.text[a].isspace():
            a += 1
        while b > a and view.text[b - 1].isspace():
            b -= 1
        if a < b:
            oa, ob = _to_original(view, a, b)
            ranges.append((oa, ob, reason))
    # Bidi overrides make the sentence they sit in display differently from what it says: cut the sentence.
    # A long zero-width run carries nothing a reader can see: cut the run alone and name its characters.
    segs = _segments(view.text)
    hidden_spans: list[tuple[int, int]] = []
    for oa, ob in view.hidden_runs:
        if not any(c in _BIDI_CONTROL for c in text[oa:ob]):
            hidden_spans.append((oa, ob))
            continue
        idx = next((i for i, o in enumerate(view.origin) if o >= oa), None)
        seg = None if idx is None else next(((a, b) for a, b in segs if a <= idx < b), None)
        sa, sb = _to_original(view, *seg) if seg else (oa, ob)
        ranges.append((min(sa, oa), max(sb, ob), "hidden bidirectional-override characters"))

    merged = _merge(ranges)
    quarantined: list[QuarantinedText] = []
    kept: list[str] = []
    pos = 0
    for a, b, reasons in merged:
        kept.append(text[pos:a])
        span = _visible(text[a:b]).strip()
        if span:
            quarantined.append(QuarantinedText(span=span, reason="; ".join(reasons)))
        # Leave a separator so the sentences either side do not run together.
        if a > 0 and b < len(text) and not text[a - 1].isspace() and not text[b].isspace():
            kept.append(" ")
        pos = b
    kept.append(text[pos:])
    for oa, ob in hidden_spans:
        run = text[oa:ob]
        shown = " ".join(f"U+{ord(c):04X}" for c in run[:12]) + (" …" if len(run) > 12 else "")
        quarantined.append(
            QuarantinedText(
                span=f"[{len(run)} invisible characters: {shown}]",
                reason="run of zero-width characters (possible hidden payload)",
            )
        )
    clean = _tidy(_visible("".join(kept))) if merged else _visible(text).strip()
    return GuardResult(clean=clean, quarantined=quarantined)
