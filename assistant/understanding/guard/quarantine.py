"""Cut what the guard found out of the original text: the kept answer and the quarantined spans."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from assistant.domain import QuarantinedText
from assistant.understanding.guard.detect import find
from assistant.understanding.guard.segments import segments
from assistant.understanding.guard.view import BIDI_CONTROL, View, build_view, visible


class GuardResult(BaseModel):
    clean: str = Field(description="The text with quarantined sentences removed")
    quarantined: list[QuarantinedText] = Field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return bool(self.quarantined)


def _to_original(view: View, start: int, end: int) -> tuple[int, int]:
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


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n[ \t]+(?=\S)", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def screen(text: str) -> GuardResult:
    """Split an untrusted answer into what is understood (`clean`) and what is quarantined, with reasons."""
    view = build_view(text)
    ranges: list[tuple[int, int, str]] = []
    for a, b, reason in find(view):
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
    segs = segments(view.text)
    hidden_spans: list[tuple[int, int]] = []
    for oa, ob in view.hidden_runs:
        if not any(c in BIDI_CONTROL for c in text[oa:ob]):
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
        span = visible(text[a:b]).strip()
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
    clean = _tidy(visible("".join(kept))) if merged else visible(text).strip()
    return GuardResult(clean=clean, quarantined=quarantined)
