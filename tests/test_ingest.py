"""Ingesting user documents: formats, bad files reported, no duplicates, replacement, no half-commits."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from assistant.config import Settings
from assistant.errors import IngestError
from assistant.knowledge.index import KnowledgeBase
from assistant.knowledge.loaders import load_document

TENANT = "acme"


def write_pdf(path: Path, lines: list[str]) -> None:
    """A minimal valid one-page PDF (Helvetica text), written by hand so tests need no PDF library."""

    def escape(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.add_heading("Data Migration Plan", level=1)
    document.add_paragraph("We move ten years of customer records from the legacy CRM.")
    document.add_heading("Cutover weekend", level=2)
    document.add_paragraph("The cutover happens over the Easter weekend with the warehouse closed.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Owner"
    table.cell(0, 1).text = "Priya Nair"
    document.save(str(path))


NOTES_V1 = """\
# Kickoff Notes

## Budget

The rollout budget is 40k euros, approved by the finance committee in March.

## Vendors

Two vendors were shortlisted; the pilot runs with the smaller one.
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    root = tmp_path_factory.mktemp("ingest")
    (root / "knowledge" / "playbook").mkdir(parents=True)
    return KnowledgeBase(Settings(data_dir=root / "data", knowledge_dir=root / "knowledge"))


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    write_pdf(folder / "statement-of-work.pdf", ["Statement of work", "The provider delivers the mobile app."])
    write_docx(folder / "migration.docx")
    (folder / "notes.md").write_text(NOTES_V1)
    (folder / "broken.pdf").write_bytes(b"\x00\x01 this is not a pdf \xff" * 40)
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n")
    (folder / ".hidden.md").write_text("# Secret\n\nnot for the index")
    return folder


def chunk_total(kb: KnowledgeBase) -> int:
    return sum(d.chunks for d in kb.list_documents(TENANT))


def stored_texts(kb: KnowledgeBase, source: str) -> list[str]:
    return [
        p.text for p in kb.search("kickoff notes budget vendors", k=50, tenant=TENANT) if p.citation.source == source
    ]


def test_folder_ingest_adds_good_files_and_reports_the_corrupt_one(kb: KnowledgeBase, docs: Path) -> None:
    progress: list[tuple[int, int]] = []
    report = kb.ingest([docs], tenant=TENANT, progress=lambda done, total, _: progress.append((done, total)))

    assert {f.source for f in report.added} == {"statement-of-work.pdf", "migration.docx", "notes.md"}
    assert all(f.chunks >= 1 for f in report.added)
    assert len(report.errors) == 1 and not report.ok
    assert report.errors[0].path == str(docs / "broken.pdf")
    assert "broken.pdf" in report.errors[0].message and "PDF" in report.errors[0].message
    # A walked folder skips files of other types (reported, not failed) and hidden files.
    assert [Path(s.path).name for s in report.skipped] == ["logo.png"]
    assert progress[-1] == (4, 4)

    documents = {d.source: d.chunks for d in kb.list_documents(TENANT)}
    assert documents == {f.source: f.chunks for f in report.added}


def test_each_format_is_searchable_with_its_citation(kb: KnowledgeBase) -> None:
    (pdf,) = kb.search("what does the provider deliver? the mobile app", k=1, tenant=TENANT)
    assert pdf.citation.source == "statement-of-work.pdf" and "mobile app" in pdf.text

    (word,) = kb.search("when is the cutover weekend", k=1, tenant=TENANT)
    # Word heading styles became markdown headings, so the citation names the section.
    assert word.citation.source == "migration.docx"
    assert word.citation.heading == "Data Migration Plan > Cutover weekend"
    assert "Priya Nair" in word.text  # tables are read too

    (md,) = kb.search("how big is the rollout budget", k=1, tenant=TENANT)
    assert md.citation.source == "notes.md" and md.citation.heading == "Kickoff Notes > Budget"


def test_second_run_adds_no_duplicates_and_skips_unchanged_files(kb: KnowledgeBase, docs: Path) -> None:
    before = chunk_total(kb)
    report = kb.ingest([docs], tenant=TENANT)
    assert chunk_total(kb) == before
    assert len(report.added) == 3 and all(f.unchanged and f.replaced == 0 for f in report.added)


def test_modified_file_replaces_its_chunks(kb: KnowledgeBase, docs: Path, tmp_path: Path) -> None:
    # Same name, new content with fewer sections: the old sections must disappear.
    changed = tmp_path / "notes.md"
    changed.write_text("# Kickoff Notes\n\n## Budget\n\nThe budget was cut to 25k euros in May.\n")
    old_chunks = {d.source: d.chunks for d in kb.list_documents(TENANT)}["notes.md"]

    report = kb.ingest([changed], tenant=TENANT)

    assert report.ok and report.added[0].replaced == old_chunks and not report.added[0].unchanged
    assert {d.source: d.chunks for d in kb.list_documents(TENANT)}["notes.md"] == 1
    texts = stored_texts(kb, "notes.md")
    assert texts == ["The budget was cut to 25k euros in May."]


def test_a_file_that_fails_keeps_its_previous_version(kb: KnowledgeBase, tmp_path: Path) -> None:
    good = tmp_path / "contract.pdf"
    write_pdf(good, ["Contract", "Support hours are eight to six on weekdays."])
    assert kb.ingest([good], tenant=TENANT).ok
    before = chunk_total(kb)

    good.write_bytes(b"%PDF-1.4 truncated garbage")
    report = kb.ingest([good], tenant=TENANT)

    assert not report.added and report.errors[0].path == str(good)
    assert chunk_total(kb) == before
    (hit,) = kb.search("support hours on weekdays", k=1, tenant=TENANT)
    assert hit.citation.source == "contract.pdf"


def test_unsupported_or_missing_files_are_reported(kb: KnowledgeBase, tmp_path: Path) -> None:
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    missing = tmp_path / "nowhere.md"
    good = tmp_path / "extra.txt"
    good.write_text("A plain text note about the go-live date in June.")

    report = kb.ingest([sheet, missing, good], tenant=TENANT)

    assert [f.source for f in report.added] == ["extra.txt"]
    messages = {Path(e.path).name: e.message for e in report.errors}
    assert set(messages) == {"budget.xlsx", "nowhere.md"}
    assert "budget.xlsx" in messages["budget.xlsx"] and "unsupported" in messages["budget.xlsx"]
    assert "nowhere.md" in messages["nowhere.md"]


def test_two_files_with_one_name_in_one_run_are_not_merged(kb: KnowledgeBase, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "plan.md").write_text("# Plan A\n\nFirst plan.")
    (tmp_path / "b" / "plan.md").write_text("# Plan B\n\nSecond plan.")

    walked = kb.ingest([tmp_path], tenant="walker")
    assert sorted(f.source for f in walked.added) == ["a/plan.md", "b/plan.md"]

    named = kb.ingest([tmp_path / "a" / "plan.md", tmp_path / "b" / "plan.md"], tenant="namer")
    assert [f.source for f in named.added] == ["plan.md"]
    assert "same name" in named.errors[0].message


def test_loader_errors_name_the_file_and_say_what_to_do(tmp_path: Path) -> None:
    cases = {
        "bad.docx": b"PK\x03\x04 not really a zip",
        "latin1.txt": "caf\u00e9 cr\u00e8me".encode("latin-1"),
        "empty.md": b"   \n",
        "big.md": b"x" * 5000,
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(IngestError) as err:
            load_document(tmp_path / name, max_bytes=1000)
        assert name in str(err.value)
    with pytest.raises(IngestError, match="UTF-8"):
        load_document(tmp_path / "latin1.txt")
    with pytest.raises(IngestError, match="limit"):
        load_document(tmp_path / "big.md", max_bytes=1000)


def test_docx_headings_become_markdown_headings(tmp_path: Path) -> None:
    write_docx(tmp_path / "m.docx")
    text = load_document(tmp_path / "m.docx")
    assert text.startswith("# Data Migration Plan\n\n")
    assert "\n## Cutover weekend\n" in text
    assert "Owner | Priya Nair" in text
