"""Where in the view to quarantine, and why: every phrase rule, structural check, fake marker, hidden
comment and encoded payload, each as a range of the view with its reason."""

from __future__ import annotations

import re

from assistant.understanding.guard.directives import ORDER_WORDS, structural_reason
from assistant.understanding.guard.markers import (
    ALWAYS_LABELS,
    BLOCK_PAIRS,
    CLOSER,
    HTML_COMMENT,
    LABEL,
    LABEL_TALK,
    MARKER,
    NEXT_SPEAKER,
    block_end,
)
from assistant.understanding.guard.payloads import payloads
from assistant.understanding.guard.rules_base import FAKE_MSG, Rule
from assistant.understanding.guard.rules_identity import IDENTITY_RULES
from assistant.understanding.guard.rules_orders import ORDER_RULES
from assistant.understanding.guard.rules_override import OVERRIDE_RULES
from assistant.understanding.guard.rules_records import RECORD_RULES
from assistant.understanding.guard.segments import line_bounds, segments
from assistant.understanding.guard.view import View

_SENTENCE_RULES: tuple[Rule, ...] = OVERRIDE_RULES + IDENTITY_RULES + ORDER_RULES + RECORD_RULES


def _summarise(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _marker_line(v: str, m: re.Match[str]) -> tuple[int, bool]:
    """The end of the marker's line, and whether the marker stands bare on it (nothing but a speaker name)."""
    _, line_b = line_bounds(v, m.start())
    rest = v[m.end() : line_b].strip(" \t:-—>*_#")
    return line_b, not rest or rest.lower() in {"system", "assistant", "user", "developer"}


def find(view: View) -> list[tuple[int, int, str]]:
    """Ranges [start, end) of the view to quarantine, each with a reason."""
    v = view.text
    markers = list(MARKER.finditer(v))
    blocks = []
    for opener, closer in BLOCK_PAIRS:
        for m in opener.finditer(v):
            blocks.append((m, closer.search(v, m.end())))
    # Sentences never straddle a fake-message marker: cut before each one, and after each closing one.
    cuts = {m.start() for m in markers} | {m.end() for m in markers if CLOSER.search(m.group())}
    cuts |= {m.start() for m, _ in blocks} | {e.end() for _, e in blocks if e}
    comments = [m for m in HTML_COMMENT.finditer(v) if ORDER_WORDS.search(m.group()) or LABEL_TALK.search(m.group())]
    cuts |= {m.start() for m in comments} | {m.end() for m in comments}
    segs = segments(v, frozenset(cuts))
    hits: list[tuple[int, int, str]] = []

    def seg_of(pos: int) -> tuple[int, int]:
        for a, b in segs:
            if a <= pos < b:
                return a, b
        return line_bounds(v, pos)

    # Sentence rules, run over each segment so ".{0,n}" gaps never reach into the next sentence.
    for a, b in segs:
        seg = v[a:b]
        for rule in _SENTENCE_RULES:
            if rule.pattern.search(seg):
                hits.append((a, b, rule.reason))
        structural = structural_reason(seg)
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
            line_b, bare = _marker_line(v, m)
            hits.append((m.start(), block_end(v, m.end()) if bare else line_b, FAKE_MSG))

    # Single markers ("[SYSTEM]", "### Instruction:"): their sentence; a bare marker line takes its block.
    for m in markers:
        if any(a <= m.start() < e for a, e in closed):
            continue  # already cut as part of a block with an explicit end
        a, b = seg_of(m.start())
        _, bare = _marker_line(v, m)
        if bare and not CLOSER.search(m.group()):
            b = block_end(v, m.end())
        hits.append((a, b, FAKE_MSG))

    # "Assistant: ..." speaker labels: the fake turn runs to the end of its line or the next speaker.
    for m in LABEL.finditer(v):
        a, b = seg_of(m.end() - 1)
        _, line_b = line_bounds(v, m.end() - 1)
        rest = v[m.end() : line_b]
        if not rest.strip():
            hits.append((a, block_end(v, m.end()), FAKE_MSG))
        elif " ".join(m.group("label").lower().split()) in ALWAYS_LABELS or LABEL_TALK.search(rest):
            nxt = NEXT_SPEAKER.search(v, m.end(), line_b)
            hits.append((a, max(b, nxt.start() if nxt else line_b), FAKE_MSG))

    # HTML comments are invisible once rendered; one that gives orders is a hidden instruction.
    for m in comments:
        hits.append((m.start(), m.end(), "hidden comment that gives the assistant orders"))

    # Encoded blobs: the blob itself (a blob rarely ends its sentence with punctuation).
    for start, end, decoded in payloads(v):
        hits.append((start, end, f"encoded payload that decodes to: {_summarise(decoded)!r}"))

    for start, end in view.tag_runs:
        hits.append((start, end, f"hidden Unicode tag characters spelling: {_summarise(v[start:end])!r}"))

    return hits
