"""Read a document (.md, .txt, .pdf, .docx) into markdown-ish text for the splitter.

Markdown headings are what the splitter keys citations on, so DOCX heading styles become '#'
headings. Every failure is an IngestError naming the file and saying what to do about it.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pypdf
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.errors import IngestError

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset({".md", ".markdown", ".txt", ".pdf", ".docx"})

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_EXTENSIONS


def load_document(path: Path, max_bytes: int | None = None) -> str:
    """The document's text, with headings as markdown '#' lines where the format has them."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise IngestError(
            f"{path}: unsupported file type {suffix or '(no extension)'!r}. "
            f"Supported: {', '.join(sorted(SUPPORTED_EXTENSIONS))}; convert it to one of these first."
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the file ({exc.strerror}); check the path and permissions.") from exc
    if max_bytes is not None and size > max_bytes:
        raise IngestError(
            f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit; split the document "
            "or raise KICKOFF_MAX_UPLOAD_BYTES."
        )

    if suffix == ".pdf":
        text = _read_pdf(path)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_text(path)
    if not text.strip():
        raise IngestError(f"{path}: the file has no text; nothing to index.")
    return text


def _read_text(path: Path) -> str:
    try:
        # utf-8-sig drops the BOM that Windows editors like to add.
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not valid UTF-8 text; re-save it as UTF-8 and ingest again.") from exc
    except OSError as exc:
        raise IngestError(f"{path}: cannot read the file ({exc.strerror}); check the path and permissions.") from exc


def _read_pdf(path: Path) -> str:
    try:
        reader = pypdf.PdfReader(path)
        encrypted = reader.is_encrypted
        pages = [] if encrypted else [page.extract_text() or "" for page in reader.pages]
    # The file is untrusted input: pypdf fails on damaged files with its own errors and with
    # ValueError/KeyError/... from half-parsed objects. Each means "this PDF cannot be read",
    # and must not end the whole ingest run.
    except Exception as exc:
        raise IngestError(
            f"{path}: not a readable PDF ({type(exc).__name__}: {exc}); re-export it as PDF, "
            "or save it as .md/.txt, and ingest again."
        ) from exc
    if encrypted:
        raise IngestError(f"{path}: the PDF is password-protected; save an unprotected copy and ingest that.")
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise IngestError(f"{path}: the PDF has no text layer (a scan?); run OCR on it first, then ingest again.")
    return text


def _read_docx(path: Path) -> str:
    try:
        document = docx.Document(str(path))
    # Untrusted input again: a damaged .docx fails in zipfile, lxml or python-docx itself.
    except Exception as exc:
        raise IngestError(
            f"{path}: not a readable Word document ({type(exc).__name__}: {exc}); open and re-save it "
            "as .docx (not .doc), or save it as .md/.txt, and ingest again."
        ) from exc
    blocks: list[str] = []
    # iter_inner_content keeps paragraphs and tables in document order.
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            line = _paragraph_markdown(block)
        elif isinstance(block, Table):
            line = _table_text(block)
        else:  # pragma: no cover - python-docx yields only these two
            continue
        if line:
            blocks.append(line)
    return "\n\n".join(blocks)


def _paragraph_markdown(paragraph: Paragraph) -> str:
    text = paragraph.text.strip()
    if not text:
        return ""
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    if name.lower() == "title":
        return f"# {text}"
    match = _HEADING_STYLE.match(name)
    if match:
        level = min(max(int(match.group(1)), 1), 6)
        return f"{'#' * level} {text}"
    return text


def _table_text(table: Table) -> str:
    rows = []
    for row in table.rows:
        cells = [cell.text.strip() for cell in row.cells]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)
