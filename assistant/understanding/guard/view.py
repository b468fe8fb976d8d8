"""The normalised view the guard matches on, with an index map back to the original text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Zero-width and joiner characters, soft hyphen, BOM, Mongolian vowel separator, invisible operators.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064\u034f")
# Bidi embeddings and overrides make text display in another order than it reads ("Trojan Source"), so a
# sentence holding one is quarantined. Isolates and marks are only stripped: chat apps wrap names in them.
BIDI_CONTROL = frozenset("\u202a\u202b\u202d\u202e")
_BIDI_MARK = frozenset("\u202c\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_INVISIBLE = _ZERO_WIDTH | BIDI_CONTROL | _BIDI_MARK
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
class View:
    """The normalised text used for matching, and where each of its characters came from."""

    text: str
    origin: list[int]  # origin[i] = index in the original text of text[i]
    tag_runs: list[tuple[int, int]]  # [start, end) in the view of decoded tag-character runs
    hidden_runs: list[tuple[int, int]]  # [start, end) in the original of zero-width runs / bidi controls


def _is_tag(ch: str) -> bool:
    return _TAG_FIRST <= ord(ch) <= _TAG_LAST


def _untag(ch: str) -> str:
    """The printable ASCII character a tag character stands for; "" for the block's controls."""
    code = ord(ch) - _TAG_FIRST
    return chr(code) if 0x20 <= code < 0x7F else ""


def build_view(text: str) -> View:
    out: list[str] = []
    origin: list[int] = []
    tag_runs: list[tuple[int, int]] = []
    hidden: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _is_tag(ch):
            # Decode the run and fence it with line breaks so it is judged as a segment of its own.
            j = i
            while j < n and _is_tag(text[j]):
                j += 1
            out.append("\n")
            origin.append(i)
            start = len(out)
            for k in range(i, j):
                decoded = _untag(text[k])
                if decoded:
                    out.append(decoded)
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
            if any(c in BIDI_CONTROL for c in run) or sum(c in _ZERO_WIDTH for c in run) >= _ZW_RUN:
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
    return View(view, origin, tag_runs, hidden)


def normalise(text: str) -> str:
    """The view the guard matches on: NFKC, invisible characters dropped, tag characters decoded."""
    return build_view(text).text


def visible(text: str) -> str:
    """The original characters a reader sees: invisible format characters dropped, tag characters decoded."""
    out = []
    for ch in text:
        if _is_tag(ch):
            out.append(_untag(ch))
        elif ch not in _INVISIBLE:
            out.append(ch)
    return "".join(out)
