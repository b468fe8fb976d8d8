"""Tokens, sentences and clauses of one utterance, all carrying character offsets into its text.

Everything downstream works on spans of the original text, so a proposal's `span` is always an
exact substring of what was said.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


def words(text: str) -> list[str]:
    """A word list written as one string: words("a b c") == ["a", "b", "c"]."""
    return text.split()


_WORD = re.compile(r"[^\W_](?:[\w'\-]*[^\W_])?|\S", re.UNICODE)
_ABBREV = frozenset(
    words("""dr mr mrs ms mx prof st capt col lt sgt rev sr jr vs etc eg ie approx fr cllr hon gen maj cmdr""")
)


def normalise(text: str) -> str:
    """Same-length copy of the text with curly quotes and dashes made plain, for matching only."""
    table = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-", "\u00a0": " "}
    return "".join(table.get(c, c) for c in text)


def lower(text: str) -> str:
    """Lower-case without changing the length (a few characters lower-case to two code points)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case, accents stripped: 'Siobhán' -> 'siobhan', 'Đức' -> 'duc'."""
    word = word.replace("\u2019", "'")
    special = {"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "ß": "ss", "ı": "i", "æ": "ae"}
    word = "".join(special.get(c, c) for c in word)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Token:
    i: int
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return lower(self.text)

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def is_cap(self) -> bool:
        return self.text[0].isupper()

    @property
    def base(self) -> str:
        """The word without a possessive 's."""
        t = self.text
        if len(t) > 2 and t[-2:] in ("'s", "'S"):
            return t[:-2]
        return t

    @property
    def possessive(self) -> bool:
        return len(self.text) > 2 and self.text[-2:] in ("'s", "'S")


def tokenize(text: str) -> list[Token]:
    norm = normalise(text)
    return [Token(i, m.group(), m.start(), m.end()) for i, m in enumerate(_WORD.finditer(norm))]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end), trimmed. Splits on . ! ? and newlines, not after Dr. / Mr. / initials."""
    norm = normalise(text)
    spans: list[tuple[int, int]] = []
    start = 0
    i = 0
    n = len(norm)
    while i < n:
        c = norm[i]
        if c in ".!?" or c == "\n":
            j = i
            while j + 1 < n and norm[j + 1] in ".!?\"')":
                j += 1
            at_break = j + 1 >= n or norm[j + 1].isspace()
            if c == "." and at_break:
                m = re.search(r"(\w+)$", norm[start:i])
                word = m.group(1) if m else ""
                if word.lower() in _ABBREV or (len(word) == 1 and word.isupper()):
                    at_break = False
            if at_break or c == "\n":
                spans.append((start, j + 1))
                start = j + 1
            i = j + 1
            continue
        i += 1
    if start < n:
        spans.append((start, n))
    out = []
    for s, e in spans:
        while s < e and norm[s].isspace():
            s += 1
        while e > s and norm[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def token_range(tokens: list[Token], start: int, end: int) -> list[Token]:
    return [t for t in tokens if t.start >= start and t.end <= end]
