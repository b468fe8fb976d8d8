"""Splitting markdown into cited chunks: heading paths, stable unique ids, long sections cut."""

from __future__ import annotations

from assistant.knowledge.splitter import CHUNK_CHARS, split_markdown

DOC = """\
Preamble before any heading.

# Rollout Guide

Intro to the guide.

## Owners

Who owns what.

### Training lead

Runs the sessions.

## Metrics

Usage and adoption numbers.
"""


def test_heading_paths_follow_the_nesting() -> None:
    chunks = split_markdown(DOC, "playbook/guide.md")
    assert [(c.citation.heading, c.text) for c in chunks] == [
        ("", "Preamble before any heading."),
        ("Rollout Guide", "Intro to the guide."),
        ("Rollout Guide > Owners", "Who owns what."),
        ("Rollout Guide > Owners > Training lead", "Runs the sessions."),
        ("Rollout Guide > Metrics", "Usage and adoption numbers."),
    ]


def test_citations_keep_file_and_heading_and_text() -> None:
    chunk = split_markdown(DOC, "playbook/guide.md")[3]
    assert chunk.citation.source == "playbook/guide.md"
    assert chunk.citation.heading == "Rollout Guide > Owners > Training lead"
    assert chunk.citation.text == chunk.text == "Runs the sessions."


def test_embedded_text_carries_the_heading_context_but_the_shown_text_stays_clean() -> None:
    chunk = split_markdown(DOC, "guide.md")[3]
    assert "Training lead" in chunk.embed_text and "Runs the sessions." in chunk.embed_text
    assert not chunk.text.startswith("#") and "Owners" not in chunk.text
    # A title-only path is kept; below the title, the shared title is left out of the embedding.
    assert split_markdown(DOC, "guide.md")[1].embed_text.startswith("Rollout Guide")
    assert not chunk.embed_text.startswith("Rollout Guide")


def test_chunk_ids_are_unique_and_stable() -> None:
    first = [c.citation.chunk_id for c in split_markdown(DOC, "playbook/guide.md")]
    again = [c.citation.chunk_id for c in split_markdown(DOC, "playbook/guide.md")]
    assert first == again
    assert len(set(first)) == len(first)
    assert first[0] == "playbook/guide.md#0"
    other = {c.citation.chunk_id for c in split_markdown(DOC, "playbook/other.md")}
    assert not other & set(first)


def test_long_sections_are_split_on_paragraphs_and_keep_their_heading() -> None:
    paragraphs = [f"Paragraph {i}. " + "The owner reviews adoption numbers every week. " * 6 for i in range(12)]
    text = "# Guide\n\n## Long section\n\n" + "\n\n".join(paragraphs) + "\n\n## Short\n\nEnd."
    chunks = split_markdown(text, "guide.md")
    long_chunks = [c for c in chunks if c.citation.heading == "Guide > Long section"]
    assert len(long_chunks) > 3
    assert all(len(c.text) <= CHUNK_CHARS for c in long_chunks)
    # Every paragraph survives somewhere, and cuts fall between paragraphs, not mid-word.
    joined = "\n".join(c.text for c in long_chunks)
    assert all(f"Paragraph {i}." in joined for i in range(12))
    assert all(c.text.startswith("Paragraph") for c in long_chunks)
    assert chunks[-1].citation.heading == "Guide > Short" and chunks[-1].text == "End."


def test_paragraph_breaks_survive_the_header_splitter() -> None:
    text = "# T\n\nFirst paragraph\nwrapped line.\n\n- item one\n- item two\n\nLast paragraph."
    (chunk,) = split_markdown(text, "t.md")
    assert chunk.text == "First paragraph\nwrapped line.\n\n- item one\n- item two\n\nLast paragraph."


def test_text_without_headings_is_one_chunk_with_an_empty_heading() -> None:
    (chunk,) = split_markdown("Just a plain note about the budget.", "note.txt")
    assert chunk.citation.heading == "" and chunk.embed_text == chunk.text


def test_code_fences_do_not_start_sections() -> None:
    text = "# Guide\n\n```\n# not a heading\n```\n\nAfter the code."
    chunks = split_markdown(text, "g.md")
    assert {c.citation.heading for c in chunks} == {"Guide"}
