"""Split markdown-ish text into chunks that each carry a citation (file + heading path).

Sections come from MarkdownHeaderTextSplitter; sections longer than a chunk are cut further by
RecursiveCharacterTextSplitter on characters (the tiktoken-based splitters download encodings).
"""

from __future__ import annotations

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter
from pydantic import BaseModel, Field

from assistant.domain import Citation

# Bump when chunking changes, so stored indexes built the old way are rebuilt.
SPLITTER_VERSION = "2"
# MiniLM reads at most 256 tokens; ~900 characters of English plus the heading prefix fits.
CHUNK_CHARS = 900
CHUNK_OVERLAP = 120
HEADING_SEPARATOR = " > "

_HEADER_KEYS = [("#" * level, f"h{level}") for level in range(1, 7)]


class Chunk(BaseModel):
    text: str = Field(description="The passage as shown to people")
    citation: Citation
    embed_text: str = Field(description="What gets embedded: the heading path, then the text")


def split_markdown(text: str, source: str, chunk_chars: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[Chunk]:
    """Chunks in document order; chunk ids are f"{source}#{index}", stable for the same text."""
    sections = MarkdownHeaderTextSplitter(_HEADER_KEYS, strip_headers=True).split_text(text)
    cutter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_chars,
        chunk_overlap=overlap,
        separators=["\n\n", "\n", ". ", " ", ""],
        keep_separator="end",
    )
    chunks: list[Chunk] = []
    for section in sections:
        path = [section.metadata[key] for _, key in _HEADER_KEYS if section.metadata.get(key)]
        heading = HEADING_SEPARATOR.join(path)
        # The document title is the same for every chunk below it, so it tells them apart no better
        # than noise and pulls all of one file's chunks together; embed the rest of the path.
        # (Measured on tests/data/retrieval_questions.yaml: recall@3 44/46 with the title, 46/46 without.)
        context = HEADING_SEPARATOR.join(path[1:] if len(path) > 1 else path)
        # The header splitter marks removed blank lines with "  \n"; put the paragraph breaks back
        # so the character splitter can cut between paragraphs.
        body = section.page_content.replace("  \n", "\n\n").strip()
        for piece in cutter.split_text(body):
            piece = piece.strip()
            if not piece:
                continue
            chunk_id = f"{source}#{len(chunks)}"
            chunks.append(
                Chunk(
                    text=piece,
                    citation=Citation(source=source, heading=heading, chunk_id=chunk_id, text=piece),
                    # The heading path tells the embedder what a terse paragraph is about.
                    embed_text=f"{context}\n\n{piece}" if context else piece,
                )
            )
    return chunks
