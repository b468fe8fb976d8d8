"""Loads knowledge/checklist.yaml into a typed Playbook. A malformed file fails naming the field."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from assistant.domain import ITEM_IDS, RISK_IDS, ROLE_IDS, ItemId, RiskId, RoleId
from assistant.errors import PlaybookError

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.MULTILINE)
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


class PlaybookRef(BaseModel):
    """A section of the playbook: a markdown file under knowledge/playbook and one of its headings."""

    file: str = Field(min_length=1)
    heading: str = Field(min_length=1)


class ChecklistItem(BaseModel):
    id: ItemId
    title: str = Field(min_length=1)
    priority: int = Field(ge=1, description="1 is asked first")
    description: str = Field(min_length=10)
    questions: list[str] = Field(min_length=2, max_length=4)
    follow_ups: list[str] = Field(min_length=1)
    covered_when: str = Field(min_length=10)
    confirm_question: str = Field(
        min_length=10, description="Asked of a later stakeholder when the item is already covered"
    )
    playbook: PlaybookRef

    @field_validator("questions", "follow_ups", "confirm_question")
    @classmethod
    def _only_project_placeholder(cls, v: list[str] | str) -> list[str] | str:
        for text in [v] if isinstance(v, str) else v:
            unknown = set(_PLACEHOLDER.findall(text)) - {"project"}
            if unknown:
                raise ValueError(f"unknown placeholder(s) {sorted(unknown)}; only {{project}} is filled in")
        return v


class Role(BaseModel):
    id: RoleId
    title: str = Field(min_length=1)
    required: bool
    description: str = Field(min_length=10)
    phrases: list[str] = Field(min_length=2, description="Wordings that signal someone holds the role")
    missing_explanation: str = Field(min_length=10, description="One sentence shown when the role is missing")
    question: str = Field(min_length=10, description="What to ask to fill the role")
    playbook: PlaybookRef


class Risk(BaseModel):
    id: RiskId
    title: str = Field(min_length=1)
    trigger: str = Field(min_length=10, description="The rule that raises the flag")
    explanation: str = Field(min_length=10, description="One sentence shown with the flag")
    question: str = Field(min_length=10, description="What to ask to address the risk")
    playbook: PlaybookRef


class Playbook(BaseModel):
    items: list[ChecklistItem]
    roles: list[Role]
    risks: list[Risk]

    @field_validator("items")
    @classmethod
    def _all_items(cls, v: list[ChecklistItem]) -> list[ChecklistItem]:
        _exactly("items", [i.id for i in v], ITEM_IDS)
        return sorted(v, key=lambda i: i.priority)

    @field_validator("roles")
    @classmethod
    def _all_roles(cls, v: list[Role]) -> list[Role]:
        _exactly("roles", [r.id for r in v], ROLE_IDS)
        return v

    @field_validator("risks")
    @classmethod
    def _all_risks(cls, v: list[Risk]) -> list[Risk]:
        _exactly("risks", [r.id for r in v], RISK_IDS)
        return v

    @model_validator(mode="after")
    def _unique_priorities(self) -> Playbook:
        if len({i.priority for i in self.items}) != len(self.items):
            raise ValueError("items: every item needs a distinct priority")
        return self

    def item(self, item_id: str) -> ChecklistItem:
        return next(i for i in self.items if i.id == item_id)

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def risk(self, risk_id: str) -> Risk:
        return next(r for r in self.risks if r.id == risk_id)

    def refs(self) -> list[tuple[str, PlaybookRef]]:
        out: list[tuple[str, PlaybookRef]] = [(f"items.{i.id}", i.playbook) for i in self.items]
        out += [(f"roles.{r.id}", r.playbook) for r in self.roles]
        out += [(f"risks.{r.id}", r.playbook) for r in self.risks]
        return out


def _exactly(field: str, got: list[str], want: tuple[str, ...]) -> None:
    dupes = sorted({x for x in got if got.count(x) > 1})
    missing = sorted(set(want) - set(got))
    if dupes or missing:
        raise ValueError(f"{field}: duplicated {dupes or 'none'}, missing {missing or 'none'}")


def headings(markdown: str) -> list[str]:
    return [m.group(2) for m in _HEADING.finditer(markdown)]


def load_playbook(knowledge_dir: Path) -> Playbook:
    """Parse and validate checklist.yaml, and check that every playbook reference resolves."""
    path = knowledge_dir / "checklist.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise PlaybookError(f"{path} is missing; set KICKOFF_KNOWLEDGE_DIR to the folder that holds it") from e
    except yaml.YAMLError as e:
        raise PlaybookError(f"{path} is not valid YAML: {e}") from e
    try:
        book = Playbook.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise PlaybookError(f"{path}: field '{where}': {first['msg']} ({e.error_count()} error(s) in all)") from e
    for where, ref in book.refs():
        md = knowledge_dir / "playbook" / ref.file
        if not md.is_file():
            raise PlaybookError(f"{path}: field '{where}.playbook.file': {md} does not exist")
        if ref.heading not in headings(md.read_text(encoding="utf-8")):
            raise PlaybookError(f"{path}: field '{where}.playbook.heading': no heading '{ref.heading}' in {md}")
    return book


@lru_cache(maxsize=4)
def cached_playbook(knowledge_dir: Path) -> Playbook:
    return load_playbook(knowledge_dir)
