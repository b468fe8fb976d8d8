"""Speech-to-text output made readable for the rules, with every character traced to what was said.

Transcripts from speech recognisers come in lower case, without punctuation or apostrophes and
full of fillers ("um so yeah i think uh tomasz wrona will send it thats his job"). A few rewrites
undo most of that: fillers become commas (so clauses split where the speaker paused); in text with
no capitals, contractions get their apostrophes back, and the names the conversation knows, and
given-name + surname pairs from the name lexicon, get their capitals back. Each rewritten
character remembers where it came from, so a span found in the rewrite maps back to the exact
slice of what was said and provenance stays exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.domain import Extraction
from assistant.understanding.clauses import fold
from assistant.understanding.lexicon import LEXICON
from assistant.understanding.names import lexicon as name_lexicon
from assistant.understanding.names import strip_title

_FILLERS = re.compile(r"(?i)(?<![\w'])(?:" + LEXICON.alternation("fillers") + r")(?![\w'])(?:\s*,)?")
_FIRST_PERSON = re.compile(r"(?<![\w'])i(?=(?:'(?:m|ll|d|ve))?(?![\w']))")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_CONTRACTION = re.compile(r"(?<![\w'])(?:" + LEXICON.alternation("speech_contractions") + r")(?![\w'])")
_ASKS = re.compile(r"^\W*(?:[\w']+\W+){0,5}?(?:" + LEXICON.alternation("question_openers") + r")\b")
_NEW_SUBJECT = re.compile(r"\b([a-z0-9']+)(?= (?:" + LEXICON.alternation("subject_pronouns") + r") )")
# where the apostrophe goes back: "they|'ll", "do|n't" (before the t), "that|'s", "i|'m"
_SUFFIXES = (("ll", 2), ("re", 2), ("ve", 2), ("nt", 1), ("s", 1), ("m", 1))


@dataclass(frozen=True)
class Rewrite:
    """A rewritten text and, for each of its characters, the index of the character it came from."""

    text: str
    origin: tuple[int, ...]

    def source(self, span: str, said: str) -> str:
        at = self.text.find(span)
        if at < 0 or not span:
            return span
        return said[self.origin[at] : self.origin[at + len(span) - 1] + 1]


def _insert(text: str, origin: list[int], edits: list[tuple[int, str]]) -> str:
    """Insert strings at ascending positions of `text`; each new character is traced to the one before it."""
    parts: list[str] = []
    traced: list[int] = []
    pos = 0
    for at, add in edits:
        parts += [text[pos:at], add]
        traced += origin[pos:at] + [origin[max(at - 1, 0)]] * len(add)
        pos = at
    parts.append(text[pos:])
    traced += origin[pos:]
    origin[:] = traced
    return "".join(parts)


def prepare(said: str) -> Rewrite:
    """The text the rules read: fillers as pauses; in caseless speech, apostrophes, clause breaks
    before a new subject, and a question's question mark restored."""
    text = unfill(said)
    origin = list(range(len(text)))
    if not caseless(text):
        return Rewrite(text, tuple(origin))
    apostrophes = []
    for m in _CONTRACTION.finditer(text):
        word = m.group()
        apostrophes.append((m.start() + next(len(word) - keep for sfx, keep in _SUFFIXES if word.endswith(sfx)), "'"))
    text = _insert(text, origin, apostrophes)
    # "... our head of claims he's accountable for it i just do the admin": a new subject, a new clause
    keep = LEXICON.words("clause_continuers")
    breaks = [(m.end(), ",") for m in _NEW_SUBJECT.finditer(text) if m.group(1) not in keep]
    text = _insert(text, origin, breaks)
    if _ASKS.search(text) and not text.rstrip().endswith("?"):
        text = _insert(text, origin, [(len(text.rstrip()), "?")])  # a question read out without its mark
    return Rewrite(text, tuple(origin))


def unfill(text: str) -> str:
    """'so um i think uh Ana' -> 'so ,  i think ,  Ana' (fillers as pauses; same length)."""

    def pause(m: re.Match[str]) -> str:
        return "," + " " * (len(m.group()) - 1)

    return _FILLERS.sub(pause, text)


def caseless(text: str) -> bool:
    """No capital letter anywhere in a text of a few words: the recogniser dropped the case."""
    return not any(c.isupper() for c in text) and len(_WORD.findall(text)) >= 3


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole words of the MiniLM tokenizer's vocabulary: a word outside it is rare English, often a name."""
    from assistant.knowledge.embeddings import tokenizer_vocabulary

    return frozenset(w for w in tokenizer_vocabulary() if w.isalpha())


def truecase(text: str, known_names: Iterable[str]) -> str:
    """Capitals back on the names in caseless text, and on 'i'; everything else as it was.

    A name is a run of the conversation's known names, a lexicon given name followed by a lexicon
    surname or a word that is not English, a lone given name that is not English either, or two
    adjacent words that are not English.
    """
    lex = name_lexicon()
    english = english_words()
    common = lex.common | LEXICON.words("common_words")
    chars = list(text)
    words = list(_WORD.finditer(text))
    folded = [fold(m.group()) for m in words]

    def cap(k: int) -> None:
        chars[words[k].start()] = chars[words[k].start()].upper()

    def given(k: int) -> bool:
        return folded[k] in lex.given and folded[k] not in common

    def foreign(k: int) -> bool:
        w = folded[k]
        return len(w) >= 4 and w.isalpha() and w not in english and w not in common

    def surname(k: int) -> bool:
        w = folded[k]
        return (
            w not in common and (w in lex.surnames or w not in english) and words[k].start() - words[k - 1].end() == 1
        )

    known = [[fold(p) for p in strip_title(n).split()] for n in known_names]
    known = [parts for parts in known if parts]
    firsts_lasts = {p for parts in known for p in (parts[0], parts[-1])}
    i = 0
    while i < len(words):
        run = next(
            (len(parts) for parts in sorted(known, key=len, reverse=True) if folded[i : i + len(parts)] == parts), 0
        )
        if not run and folded[i] in firsts_lasts and folded[i] not in common:
            run = 1
        if not run and given(i):
            run = 2 if i + 1 < len(words) and surname(i + 1) else int(folded[i] not in english)
        if not run and i + 1 < len(words) and foreign(i) and foreign(i + 1) and surname(i + 1):
            run = 2  # "babatunde olawale": two words no English dictionary has, side by side
        for k in range(i, i + run):
            cap(k)
        i += max(run, 1)
    out = "".join(chars)
    out = _FIRST_PERSON.sub("I", out)
    return out[:1].upper() + out[1:]


def restore_spans(x: Extraction, rw: Rewrite, said: str) -> Extraction:
    """Spans found in the rewrite, as the slices of what was said that they came from."""
    data = x.model_dump()
    for key in ("assignments", "facts", "risks", "groups", "retractions"):
        for entry in data[key]:
            entry["span"] = rw.source(entry["span"], said)
    data["questions"] = [rw.source(q, said) for q in data["questions"]]
    return Extraction.model_validate(data)
