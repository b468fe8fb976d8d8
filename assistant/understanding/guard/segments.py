"""Segmentation of the view: lines, then sentences, the unit the guard quarantines."""

from __future__ import annotations

import re

_ABBREV = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|prof|st|jr|sr|vs|etc|approx|inc|ltd|dept|e\.g|i\.e|a\.m|p\.m|u\.s)\.|(?-i:\b[A-Z]\.))$",
    re.IGNORECASE,
)
_SENT_END = re.compile(r"[.!?。！？]+[\"'”’)\]]*(?=\s)|[。！？]+|\}(?=\s+[A-Z])")


def segments(view: str, cuts: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
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


def line_bounds(view: str, pos: int) -> tuple[int, int]:
    start = view.rfind("\n", 0, pos) + 1
    end = view.find("\n", pos)
    return start, len(view) if end < 0 else end
