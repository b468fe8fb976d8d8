"""The checklist in knowledge/ loads and is complete; malformed copies fail naming the field."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.domain import ITEM_IDS, REQUIRED_ROLES, RISK_IDS, ROLE_IDS
from assistant.errors import PlaybookError
from assistant.playbook import Playbook, headings, load_playbook

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
PLAYBOOK_DIR = KNOWLEDGE / "playbook"
RETRIEVAL_QUESTIONS = Path(__file__).resolve().parent / "data" / "retrieval_questions.yaml"
PRIORITY_ORDER = ["accountability", "roles", "scope", "communication", "training", "monitoring", "collaboration"]
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@pytest.fixture(scope="module")
def book() -> Playbook:
    return load_playbook(KNOWLEDGE)


def _headings_of(file: str) -> list[str]:
    return headings((PLAYBOOK_DIR / file).read_text(encoding="utf-8"))


# ---- the real checklist ----


def test_items_load_in_priority_order(book: Playbook) -> None:
    assert [i.id for i in book.items] == PRIORITY_ORDER
    assert [i.priority for i in book.items] == list(range(1, 8))
    assert sorted(i.id for i in book.items) == sorted(ITEM_IDS)


def test_every_role_and_risk_is_present(book: Playbook) -> None:
    assert sorted(r.id for r in book.roles) == sorted(ROLE_IDS)
    assert sorted(r.id for r in book.risks) == sorted(RISK_IDS)
    assert {r.id for r in book.roles if r.required} == set(REQUIRED_ROLES)


def test_each_item_has_two_to_four_questions_and_follow_ups(book: Playbook) -> None:
    for item in book.items:
        assert 2 <= len(item.questions) <= 4, item.id
        assert item.follow_ups, item.id
        assert len(set(item.questions)) == len(item.questions), f"{item.id}: repeated question"


def test_questions_use_only_the_project_placeholder(book: Playbook) -> None:
    texts: list[tuple[str, str]] = []
    for item in book.items:
        texts += [(item.id, q) for q in [*item.questions, *item.follow_ups, item.confirm_question]]
    texts += [(r.id, r.question) for r in book.roles]
    texts += [(r.id, r.question) for r in book.risks]
    for where, text in texts:
        assert set(PLACEHOLDER.findall(text)) <= {"project"}, f"{where}: {text}"
        # Render as the engine would; a stray brace would raise or survive here.
        rendered = text.format(project="the CRM migration")
        assert "{" not in rendered and "}" not in rendered, f"{where}: {text}"
    assert any("{project}" in q for item in book.items for q in item.questions)


def test_roles_carry_enough_signal_phrases(book: Playbook) -> None:
    for role in book.roles:
        assert 8 <= len(role.phrases) <= 15, role.id
        lowered = [p.lower() for p in role.phrases]
        assert len(set(lowered)) == len(lowered), f"{role.id}: duplicate phrase"
    owner = book.role("accountable_owner")
    assert "final say" in owner.phrases


def test_every_reference_resolves_to_an_existing_heading(book: Playbook) -> None:
    refs = book.refs()
    assert len(refs) == len(ITEM_IDS) + len(ROLE_IDS) + len(RISK_IDS)
    for where, ref in refs:
        assert (PLAYBOOK_DIR / ref.file).is_file(), where
        assert ref.heading in _headings_of(ref.file), where


def test_risks_point_into_the_failure_modes_file(book: Playbook) -> None:
    for risk in book.risks:
        assert risk.playbook.file == "07-failure-modes.md", risk.id
        assert risk.playbook.heading == risk.title, risk.id


def test_playbook_files_have_one_title_and_distinct_headings() -> None:
    files = sorted(PLAYBOOK_DIR.glob("*.md"))
    assert len(files) == 9
    for path in files:
        text = path.read_text(encoding="utf-8")
        titles = re.findall(r"^# \S.*$", text, re.MULTILINE)
        assert len(titles) == 1, path.name
        heads = headings(text)
        assert len(heads) == len(set(heads)), f"{path.name}: repeated heading"
        assert len(heads) >= 4, path.name


def test_failure_modes_has_one_section_per_risk(book: Playbook) -> None:
    text = (PLAYBOOK_DIR / "07-failure-modes.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+?)\s*$", text, re.MULTILINE)
    assert sorted(sections) == sorted(r.title for r in book.risks)


def test_retrieval_questions_point_at_real_sections() -> None:
    rows = yaml.safe_load(RETRIEVAL_QUESTIONS.read_text(encoding="utf-8"))
    assert len(rows) >= 30
    assert len({r["question"] for r in rows}) == len(rows)
    for row in rows:
        assert set(row) == {"question", "file", "heading"}, row
        assert row["heading"] in _headings_of(row["file"]), row
    owner_rows = [r for r in rows if r["question"] == "who should own the rollout on the client side"]
    assert [r["file"] for r in owner_rows] == ["01-why-accountability.md"]


# ---- malformed copies ----


@pytest.fixture()
def copy_dir(tmp_path: Path) -> Path:
    dest = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, dest)
    return dest


def _edit(knowledge: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = knowledge / "checklist.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")


def test_an_unchanged_copy_loads(copy_dir: Path) -> None:
    _edit(copy_dir, lambda raw: None)
    assert [i.id for i in load_playbook(copy_dir).items] == PRIORITY_ORDER


def test_missing_field_names_the_field(copy_dir: Path) -> None:
    _edit(copy_dir, lambda raw: raw["items"][0].pop("description"))
    with pytest.raises(PlaybookError, match=r"items\.0\.description"):
        load_playbook(copy_dir)


def test_missing_role_field_names_the_field(copy_dir: Path) -> None:
    _edit(copy_dir, lambda raw: raw["roles"][2].pop("missing_explanation"))
    with pytest.raises(PlaybookError, match=r"roles\.2\.missing_explanation"):
        load_playbook(copy_dir)


def test_too_many_questions_is_rejected(copy_dir: Path) -> None:
    def change(raw: dict[str, Any]) -> None:
        raw["items"][1]["questions"] = raw["items"][1]["questions"] + ["One more?", "And another?"]

    _edit(copy_dir, change)
    with pytest.raises(PlaybookError, match=r"items\.1\.questions"):
        load_playbook(copy_dir)


def test_unknown_item_id_is_rejected(copy_dir: Path) -> None:
    def change(raw: dict[str, Any]) -> None:
        raw["items"][3]["id"] = "budget"

    _edit(copy_dir, change)
    with pytest.raises(PlaybookError, match=r"items\.3\.id"):
        load_playbook(copy_dir)


def test_duplicate_item_is_rejected(copy_dir: Path) -> None:
    def change(raw: dict[str, Any]) -> None:
        raw["items"][1]["id"] = "accountability"

    _edit(copy_dir, change)
    with pytest.raises(PlaybookError, match=r"field 'items'") as err:
        load_playbook(copy_dir)
    assert "accountability" in str(err.value)
    assert "roles" in str(err.value)  # now missing


def test_duplicate_priority_is_rejected(copy_dir: Path) -> None:
    def change(raw: dict[str, Any]) -> None:
        raw["items"][6]["priority"] = 1

    _edit(copy_dir, change)
    with pytest.raises(PlaybookError, match="distinct priority"):
        load_playbook(copy_dir)


def test_bad_heading_reference_is_rejected(copy_dir: Path) -> None:
    def change(raw: dict[str, Any]) -> None:
        raw["roles"][1]["playbook"]["heading"] = "No such heading"

    _edit(copy_dir, change)
    with pytest.raises(PlaybookError, match=r"roles\.training_lead\.playbook\.heading") as err:
        load_playbook(copy_dir)
    assert "No such heading" in str(err.value)


def test_missing_playbook_file_is_rejected(copy_dir: Path) -> None:
    (copy_dir / "playbook" / "07-failure-modes.md").unlink()
    with pytest.raises(PlaybookError, match=r"risks\.decision_ambiguity\.playbook\.file") as err:
        load_playbook(copy_dir)
    assert "07-failure-modes.md" in str(err.value)


def test_invalid_yaml_is_rejected(copy_dir: Path) -> None:
    (copy_dir / "checklist.yaml").write_text("items: [unclosed\n  - {id: scope\n", encoding="utf-8")
    with pytest.raises(PlaybookError, match="not valid YAML"):
        load_playbook(copy_dir)


def test_missing_checklist_is_rejected(copy_dir: Path) -> None:
    (copy_dir / "checklist.yaml").unlink()
    with pytest.raises(PlaybookError, match=r"checklist\.yaml is missing"):
        load_playbook(copy_dir)


def test_empty_checklist_is_rejected(copy_dir: Path) -> None:
    (copy_dir / "checklist.yaml").write_text("", encoding="utf-8")
    with pytest.raises(PlaybookError):
        load_playbook(copy_dir)


def test_unknown_placeholder_in_a_question_names_the_field(copy_dir: Path) -> None:
    _edit(copy_dir, lambda raw: raw["items"][2]["questions"].__setitem__(0, "What changes for {projct}?"))
    with pytest.raises(PlaybookError, match=r"items\.2\.questions.*projct"):
        load_playbook(copy_dir)
