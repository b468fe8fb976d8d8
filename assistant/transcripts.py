"""Transcript files into live-call segments: `.txt` (`Speaker: text` lines), WebVTT (`.vtt`) and SubRip (`.srt`).

Every format ends in the same list of `Segment`s, in order, with start/end seconds where the file has
them. A malformed file raises InvalidInput naming the line and what to fix, never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.errors import InvalidInput

FORMATS = (".txt", ".vtt", ".srt")


class Segment(BaseModel):
    """One stretch of speech by one speaker, as a transcript or a live captioner delivers it."""

    speaker: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=20_000)
    start: float | None = Field(None, ge=0, description="Seconds into the call")
    end: float | None = Field(None, ge=0)
    id: str | None = Field(None, max_length=200, description="The sender's id; a repeated id is not applied twice")
    final: bool = Field(True, description="False for a captioner's interim hypothesis, which is never applied")

    def key(self) -> str:
        """Identity for de-duplication: the sender's id, else speaker, start time and normalised text."""
        return self.id or f"{self.speaker}|{self.start}|{' '.join(self.text.split())}"


MAX_BYTES = 5_000_000

# `[00:01:23]`, `[01:23]` or `[00:01:23.5]` before the speaker of a .txt line.
_TXT_STAMP = re.compile(r"^\s*\[(?P<t>\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d+)?)\]\s*")
# A speaker label: a short name-like run before a colon ("Dr. Amara Okafor:", "Rafael Souza (ops):").
_SPEAKER = re.compile(r"^(?P<s>[^\W\d_][\w .'’()&/-]{0,79}?)\s*:\s+(?P<t>\S.*)$")
_MAX_LABEL_WORDS = 6
_CUE_TIME = re.compile(
    r"^\s*(?P<a>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<b>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s+.*)?$"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<s>[^>]+)>(?P<t>.*?)(?:</v>|$)", re.DOTALL)
_TAG = re.compile(r"</?[^>]*>")
_SENTENCE_END = re.compile(r"[.?!…\"”']\s*$")


def parse_file(path: Path) -> list[Segment]:
    """Read a transcript file; its suffix picks the format."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput(f"{path.name}: unsupported transcript format '{suffix}'; use .txt, .vtt or .srt.")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{path.name} is larger than {MAX_BYTES // 1_000_000} MB; split the transcript.")
        raw = path.read_bytes()
    except OSError as e:
        raise InvalidInput(f"Cannot read {path}: {e.strerror or e}.") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InvalidInput(f"{path.name}, line {line}: not UTF-8 text; save the transcript as UTF-8.") from e
    return parse_text(text, suffix.lstrip("."), source=path.name)


def parse_text(text: str, fmt: str, source: str = "transcript") -> list[Segment]:
    fmt = fmt.lower().lstrip(".")
    text = text.removeprefix("\ufeff")
    if fmt == "txt":
        segments = _parse_txt(text, source)
    elif fmt == "vtt":
        segments = _parse_cues(text, source, webvtt=True)
    elif fmt == "srt":
        segments = _parse_cues(text, source, webvtt=False)
    else:
        raise InvalidInput(f"Unsupported transcript format '{fmt}'; use txt, vtt or srt.")
    if not segments:
        raise InvalidInput(f"{source}: no speech found; expected lines like 'Maria Lopez: Let's get started.'")
    return segments


def seconds(stamp: str) -> float:
    """'01:02:03.5', '1:02:03,500' or '02:03' into seconds."""
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for p in parts:
        total = total * 60 + float(p)
    return total


def _speaker_line(line: str) -> tuple[str, str] | None:
    m = _SPEAKER.match(line)
    if not m:
        return None
    label = " ".join(m.group("s").split())
    # "Note: the plan is..." reads as speech, "Maria Lopez: ..." as a label; a long run is a sentence.
    if len(label.split()) > _MAX_LABEL_WORDS or label.endswith((".", "-")) and len(label) > 4:
        return None
    return label, m.group("t").strip()


def _parse_txt(text: str, source: str) -> list[Segment]:
    out: list[Segment] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        start: float | None = None
        m = _TXT_STAMP.match(line)
        if m:
            start = seconds(m.group("t"))
            line = line[m.end() :]
        found = _speaker_line(line)
        if found is None:
            if m or not out:
                what = "a timestamped line" if m else "the first line"
                raise InvalidInput(
                    f"{source}, line {n}: {what} has no speaker; write it as 'Speaker: text' "
                    f"(for example 'Maria Lopez: Let's get started'). Got: {line[:60]!r}"
                )
            # A wrapped line continues the previous speaker's segment.
            prev = out[-1]
            out[-1] = prev.model_copy(update={"text": f"{prev.text} {line}"})
            continue
        speaker, said = found
        if out and start is not None and out[-1].start is not None and start < out[-1].start:
            raise InvalidInput(
                f"{source}, line {n}: timestamp [{m.group('t') if m else ''}] is earlier than the line before; "
                "keep the lines in the order they were said."
            )
        out.append(Segment(speaker=speaker, text=said, start=start))
    return out


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks, each with the line number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.strip():
            if not current:
                first = n
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _parse_cues(text: str, source: str, webvtt: bool) -> list[Segment]:
    kind = "WebVTT" if webvtt else "SubRip"
    blocks = _blocks(text)
    if webvtt:
        if not blocks or not blocks[0][1][0].startswith("WEBVTT"):
            raise InvalidInput(f"{source}, line 1: a WebVTT file starts with the line 'WEBVTT'.")
        blocks = blocks[1:]
    out: list[Segment] = []
    last_speaker: str | None = None
    for first, lines in blocks:
        head = lines[0].strip()
        if webvtt and head.split(" ", 1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        # An optional cue identifier (always a number in SubRip) precedes the timing line.
        at = 0
        looks_timed = "->" in lines[0] or re.match(r"^\s*\d+:\d", lines[0])
        if not _CUE_TIME.match(lines[0]) and not looks_timed and len(lines) > 1:
            if not webvtt and not head.isdigit():
                raise InvalidInput(f"{source}, line {first}: a SubRip cue starts with its number, got {head[:40]!r}.")
            at = 1
        m = _CUE_TIME.match(lines[at])
        if not m:
            raise InvalidInput(
                f"{source}, line {first + at}: expected a {kind} timing line like "
                f"'00:00:01{'.' if webvtt else ','}000 --> 00:00:04{'.' if webvtt else ','}000', "
                f"got {lines[at].strip()[:60]!r}."
            )
        start, end = seconds(m.group("a")), seconds(m.group("b"))
        if end < start:
            raise InvalidInput(f"{source}, line {first + at}: the cue ends before it starts.")
        payload = lines[at + 1 :]
        if not payload:
            continue
        for speaker, said in _cue_speech(payload):
            speaker = speaker or last_speaker
            if speaker is None:
                raise InvalidInput(
                    f"{source}, line {first + at + 1}: the first cue has no speaker; start it with "
                    "'<v Maria Lopez>' or 'Maria Lopez: '."
                )
            last_speaker = speaker
            prev = out[-1] if out else None
            if prev and prev.speaker == speaker and not _SENTENCE_END.search(prev.text):
                # Captioners split one sentence across cues; understanding needs the whole sentence.
                out[-1] = prev.model_copy(update={"text": f"{prev.text} {said}", "end": end})
            else:
                out.append(Segment(speaker=speaker, text=said, start=start, end=end))
    return out


def _cue_speech(payload: list[str]) -> list[tuple[str | None, str]]:
    """(speaker or None, text) pairs of one cue: voice tags, 'Speaker:' prefixes, or plain text."""
    joined = "\n".join(payload)
    if "<v" in joined:
        voices = [(m.group("s").strip(), _clean(m.group("t"))) for m in _VOICE.finditer(joined)]
        return [(s, t) for s, t in voices if t]
    pairs: list[tuple[str | None, str]] = []
    for line in payload:
        said = _clean(line.lstrip("-–— "))
        if not said:
            continue
        found = _speaker_line(said)
        if found:
            pairs.append(found)
        elif pairs:
            pairs[-1] = (pairs[-1][0], f"{pairs[-1][1]} {said}")
        else:
            pairs.append((None, said))
    return pairs


def _clean(text: str) -> str:
    return " ".join(_TAG.sub("", text).split())
