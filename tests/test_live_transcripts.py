"""Transcript parsing: .txt, .vtt and .srt into segments, and malformed files into clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import InvalidInput
from assistant.transcripts import Segment, parse_file, parse_text, seconds

DATA = Path(__file__).parent / "data" / "transcripts"


def test_txt_timestamps_continuations_and_blank_lines() -> None:
    segs = parse_text(
        "[00:00:05] Jonas Keller: Good morning.\n\n"
        "[00:01:16] Helen Park: Receptionists move to the online calendar,\n"
        "   and patients get text reminders.\n"
        "Tomas Rivera: Untimed line: with a colon inside.\n",
        "txt",
    )
    assert [(s.speaker, s.start) for s in segs] == [
        ("Jonas Keller", 5.0),
        ("Helen Park", 76.0),
        ("Tomas Rivera", None),
    ]
    assert segs[1].text == "Receptionists move to the online calendar, and patients get text reminders."
    assert segs[2].text == "Untimed line: with a colon inside."


def test_txt_file_from_disk() -> None:
    segs = parse_file(DATA / "clinic_scheduling.txt")
    assert segs[0].speaker == "Jonas Keller" and segs[0].start == 5.0
    assert any("text reminders" in s.text for s in segs if s.speaker == "Helen Park")
    assert segs[-1].start == seconds("00:23:44")


def test_vtt_voices_cue_times_cross_talk_and_split_sentences() -> None:
    segs = parse_file(DATA / "permit_portal.vtt")
    assert segs[0] == Segment(
        speaker="Sven Larsen",
        text="Hello everyone, I'm Sven. I'm with Civicly, I'm your customer success manager.",
        start=3.0,
        end=9.5,
    )
    # Two cues of one unfinished sentence become one segment, spanning both cues.
    amara = next(s for s in segs if s.text.startswith("I'll be accountable"))
    assert amara.text == "I'll be accountable for the portal and I'm your point of contact."
    assert (amara.start, amara.end) == (37.0, 44.0)
    # One cue holding two voices (cross-talk) gives one segment per voice, in order.
    i = next(n for n, s in enumerate(segs) if s.text == "Wait, I thought I was")
    assert (segs[i].speaker, segs[i + 1].speaker) == ("Bill Chen", "Amara Okafor")
    assert segs[i + 1].text == "Sorry, go on."


def test_vtt_speaker_prefixes_tags_and_notes() -> None:
    segs = parse_text(
        "\ufeffWEBVTT - Zoom export\n\nNOTE ignored\n\n"
        "00:01.000 --> 00:04.000 align:start\nMaria Lopez: <i>Who</i> runs the stand-up?\n\n"
        "00:04.500 --> 00:06.000\nSam Ortiz: I do.\n\n"
        "00:06.000 --> 00:07.000\nEvery Tuesday.\n",
        "vtt",
    )
    assert [(s.speaker, s.text, s.start) for s in segs] == [
        ("Maria Lopez", "Who runs the stand-up?", 1.0),
        ("Sam Ortiz", "I do.", 4.5),
        ("Sam Ortiz", "Every Tuesday.", 6.0),
    ]


def test_srt_with_prefixes_and_multiline_cues() -> None:
    segs = parse_file(DATA / "warehouse_duplicates.srt")
    assert segs[0].speaker == "Priya Shah" and segs[0].end == 5.0
    assert segs[-1].text == "Good. We'll measure order accuracy and dock-to-stock time. Nobody owns that reporting yet."
    # The file repeats cue 4; parsing keeps both, the live call drops the repeat.
    assert [s.text for s in segs].count("The steering committee owns it.") == 2


@pytest.mark.parametrize(
    ("fmt", "text", "where", "hint"),
    [
        ("txt", "just some words without a speaker\nMaria: hi\n", "line 1", "Speaker: text"),
        ("txt", "Maria: hi\n[00:00:09] no speaker here\n", "line 2", "Speaker: text"),
        ("txt", "[00:00:09] Maria: hi\n[00:00:03] Sam: earlier\n", "line 2", "order"),
        ("txt", "\n\n  \n", "no speech", "Maria Lopez"),
        ("vtt", "00:00:01.000 --> 00:00:02.000\nMaria: hi\n", "line 1", "WEBVTT"),
        ("vtt", "WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nMaria: hi\n", "line 3", "timing line"),
        ("vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nno speaker at all\n", "line 4", "<v Maria Lopez>"),
        ("vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nMaria: hi\n", "line 3", "ends before"),
        ("srt", "one\n00:00:01,000 --> 00:00:02,000\nMaria: hi\n", "line 1", "number"),
        ("srt", "1\n00:00:01 --> 00:00:02\nMaria: hi\n", "line 2", "00:00:01,000"),
        ("doc", "Maria: hi", "txt, vtt or srt", "format"),
    ],
)
def test_malformed_transcripts_name_the_line_and_the_fix(fmt: str, text: str, where: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_text(text, fmt, source="call")
    assert where in str(exc.value)
    assert hint in str(exc.value)


def test_bad_files(tmp_path: Path) -> None:
    binary = tmp_path / "call.txt"
    binary.write_bytes(b"Maria: hi\n\xff\xfe broken")
    with pytest.raises(InvalidInput, match="line 2: not UTF-8"):
        parse_file(binary)
    with pytest.raises(InvalidInput, match="unsupported transcript format '.docx'"):
        parse_file(tmp_path / "call.docx")
    with pytest.raises(InvalidInput, match="Cannot read"):
        parse_file(tmp_path / "missing.vtt")


def test_seconds() -> None:
    assert seconds("01:02:03.5") == 3723.5
    assert seconds("1:02:03,500") == 3723.5
    assert seconds("02:03") == 123.0
