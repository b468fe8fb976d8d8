"""The engine's vocabulary as data: `knowledge/lexicon.yaml`, compiled once, read by every reader.

Each class in the file is a list of phrases with its own examples and counterexamples (which the
tests check), so a word is added in one place and every reader (roles, facts, signals, live mode,
the LLM prompt) sees it. Phrase syntax, chosen to stay readable:

- words separated by spaces match any run of whitespace;
- a hyphen inside a word is optional ("stand-up" matches "standup" and "stand up");
- `(s)` / `(es)` mark an optional plural, a trailing `*` any word ending ("sceptic*");
- `~N` between words allows up to N other words there ("failed ~3 before");
- an entry starting with `re:` is a regular expression, for the few cues that need a look-around;
- `@name` includes another class ("@channels").
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.config import PROJECT_ROOT

LEXICON_PATH = PROJECT_ROOT / "knowledge" / "lexicon.yaml"


class WordClass(BaseModel):
    model_config = ConfigDict(extra="forbid")

    about: str = Field(min_length=3)
    phrases: list[str] = Field(min_length=1)
    examples: list[str] = Field(default_factory=list)
    counterexamples: list[str] = Field(default_factory=list)

    @field_validator("phrases")
    @classmethod
    def _compiles(cls, phrases: list[str]) -> list[str]:
        for p in phrases:
            if p.startswith("@"):
                continue  # checked when the whole file is loaded
            try:
                re.compile(phrase_regex(p))
            except re.error as e:
                raise ValueError(f"phrase {p!r} does not compile: {e}") from e
        return phrases


class LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    classes: dict[str, WordClass]


def phrase_regex(phrase: str) -> str:
    """One phrase of the file as a regular-expression fragment (without word boundaries)."""
    if phrase.startswith("re:"):
        return phrase[3:].strip()
    parts: list[str] = []
    for word in phrase.split():
        gap = re.fullmatch(r"~(\d)", word)
        if gap:
            parts.append(rf"(?:[\w'-]+\s+){{0,{gap.group(1)}}}")
            continue
        tail = ""
        if word.endswith("*"):
            word, tail = word[:-1], r"\w*"
        for opt, rx in (("(es)", "(?:es)?"), ("(s)", "s?")):
            if word.endswith(opt):
                word, tail = word[: -len(opt)], rx + tail
        pieces = [re.escape(p) for p in word.split("-")]
        parts.append("[- ]?".join(pieces) + tail + r"\s+")
    return "".join(parts).removesuffix(r"\s+")


class Lexicon:
    def __init__(self, classes: dict[str, WordClass]) -> None:
        self.classes = classes
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._words: dict[str, frozenset[str]] = {}

    def _get(self, name: str) -> WordClass:
        try:
            return self.classes[name]
        except KeyError:
            raise KeyError(f"{LEXICON_PATH}: no class {name!r}; add it under 'classes'") from None

    def alternation(self, name: str) -> str:
        """The class as `a|b|c`, longest first, for embedding in a larger pattern. A phrase `@other`
        takes in every phrase of the class `other`."""
        alts = sorted(
            (self.alternation(p[1:]) if p.startswith("@") else phrase_regex(p) for p in self._get(name).phrases),
            key=len,
            reverse=True,
        )
        return "|".join(alts)

    def regex(self, name: str) -> re.Pattern[str]:
        return self._compiled[name] if name in self._compiled else self._compile(name)

    def describe(self, names: list[str], per_class: int) -> str:
        """Classes as prompt lines: '- <about>: phrase, phrase, ...' (plain phrases only, capped)."""
        lines = []
        for name in names:
            c = self._get(name)
            plain = [p.replace("(s)", "").replace("(es)", "").replace("*", "") for p in c.phrases]
            plain = [p for p in plain if not p.startswith("re:") and "~" not in p][:per_class]
            lines.append(f"- {c.about}: {', '.join(plain)}")
        return "\n".join(lines)

    def words(self, name: str) -> frozenset[str]:
        """The class's plain phrases, lower-cased (for set membership, not matching)."""
        if name not in self._words:
            self._words[name] = frozenset(p.lower() for p in self._get(name).phrases if not p.startswith("re:"))
        return self._words[name]

    def _compile(self, name: str) -> re.Pattern[str]:
        rx = re.compile(r"(?<!\w)(?:" + self.alternation(name) + r")(?!\w)")
        self._compiled[name] = rx
        return rx


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise FileNotFoundError(f"{path} is missing: the engine's vocabulary lives there") from e
    try:
        classes = LexiconFile.model_validate(raw).classes
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"{path}: field {where!r}: {first['msg']}") from e
    for name, c in classes.items():
        for p in c.phrases:
            if p.startswith("@") and p[1:] not in classes:
                raise ValueError(f"{path}: class {name!r} includes unknown class {p!r}")
    return Lexicon(classes)


LEXICON = load_lexicon()
