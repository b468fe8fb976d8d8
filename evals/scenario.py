"""Scenario files (DOMAIN.md's format) as typed models.

A malformed file fails with a ScenarioError that names the file and the field at fault, so a
scenario author can fix it without reading a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, field_validator, model_validator

from assistant.domain import REQUIRED_ROLES, ItemId, RiskId, RoleId

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Our own list, not the engine's: the metrics must not inherit a bug from the code they measure.
_TITLES = re.compile(
    r"^(?:(?:dr|doctor|prof|professor|mr|mrs|ms|mx|miss|sir|dame|rev|capt|captain)\.?\s+)+", re.IGNORECASE
)
_PREFIXED = re.compile(r"^([a-z_][\w.]*): (.*)$", re.DOTALL)

IDK = "I don't know, that hasn't come up."


class ScenarioError(ValueError):
    """A scenario file that cannot be used. `field` is the dotted path of the offending field."""

    def __init__(self, path: Path, field: str, message: str) -> None:
        self.path = path
        self.field = field
        self.message = message
        super().__init__(f"{path}: field '{field}': {message}")


class _Strict(BaseModel):
    # Unknown keys are errors: a typo such as `missing_role:` would otherwise silently expect nothing.
    model_config = ConfigDict(extra="forbid", frozen=True)


class StakeholderSpec(_Strict):
    name: StrictStr = Field(min_length=1)
    title: StrictStr | None = None
    answers: dict[ItemId, StrictStr] = Field(default_factory=dict)
    asks: list[StrictStr] = Field(default_factory=list)


class Line(_Strict):
    speaker: StrictStr = Field(min_length=1)
    text: StrictStr = Field(min_length=1)


class RolePair(_Strict):
    person: StrictStr = Field(min_length=1)
    role: RoleId


class Expect(_Strict):
    accountable: StrictStr | None
    roles: list[RolePair]
    missing_roles: list[RoleId]
    risks: list[RiskId]
    covered: list[ItemId]
    open: list[ItemId]
    # StrictStr: DOMAIN.md asks for quoted numbers, and YAML would turn `18` into an int.
    facts: dict[ItemId, list[StrictStr]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Expect:
        for name in ("missing_roles", "risks", "covered", "open"):
            values: list[str] = list(getattr(self, name))
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                raise ValueError(f"{name}: listed twice: {dupes}")
        both = sorted(set(self.covered) & set(self.open))
        if both:
            raise ValueError(f"open: {both} are also listed as covered")
        pairs = [(key(r.person), r.role) for r in self.roles]
        if len(set(pairs)) != len(pairs):
            raise ValueError("roles: a (person, role) pair is listed twice")
        held = {r.role for r in self.roles}
        not_required = sorted(set(self.missing_roles) - set(REQUIRED_ROLES))
        if not_required:
            raise ValueError(f"missing_roles: only required roles can be missing, not {not_required}")
        contradicted = sorted(held & set(self.missing_roles))
        if contradicted:
            raise ValueError(f"missing_roles: {contradicted} are held by someone in roles")
        unheld = sorted(set(REQUIRED_ROLES) - held - set(self.missing_roles))
        if unheld:
            raise ValueError(f"missing_roles: required roles {unheld} are neither held nor listed as missing")
        owners = [r.person for r in self.roles if r.role == "accountable_owner"]
        if self.accountable is None and owners:
            raise ValueError("roles: accountable is null, so nobody can hold accountable_owner")
        if self.accountable is not None and [key(o) for o in owners] != [key(self.accountable)]:
            raise ValueError("roles: the accountable person must hold accountable_owner, and nobody else")
        stray = sorted(set(self.facts) - set(self.covered) - set(self.open))
        if stray:
            raise ValueError(f"facts: items {stray} are neither covered nor open, so no section holds them")
        return self


class Scenario(_Strict):
    id: StrictStr
    title: StrictStr = Field(min_length=1)
    project: StrictStr = Field(min_length=1)
    hostile: bool = False
    stakeholders: list[StakeholderSpec] | None = None
    transcript: list[Line] | None = None
    expect: Expect

    @field_validator("id")
    @classmethod
    def _kebab(cls, v: str) -> str:
        if not _KEBAB.match(v):
            raise ValueError(f"'{v}' is not kebab-case (lowercase words joined by '-')")
        return v

    @model_validator(mode="after")
    def _one_mode(self) -> Scenario:
        if (self.stakeholders is None) == (self.transcript is None):
            raise ValueError(
                "stakeholders: a scenario has either 'stakeholders' (an interview) or 'transcript' (a live call)"
            )
        if self.stakeholders is not None:
            if not self.stakeholders:
                raise ValueError("stakeholders: at least one stakeholder is needed")
            names = [key(s.name) for s in self.stakeholders]
            if len(set(names)) != len(names):
                raise ValueError("stakeholders: the same person is listed twice")
        if self.transcript is not None and not self.transcript:
            raise ValueError("transcript: at least one line is needed")
        self._grounded()
        return self

    def _grounded(self) -> None:
        """Every expected name and fact word must occur in the scenario's own text (catches typos)."""
        said = " ".join(self.spoken()).casefold()
        names = " ".join(self.speakers()).casefold()
        e = self.expect
        if e.accountable is not None and key(e.accountable) not in said + " " + names:
            raise ValueError(f"expect.accountable: '{e.accountable}' is not named anywhere in the scenario")
        for n, r in enumerate(e.roles):
            if key(r.person) not in said + " " + names:
                raise ValueError(f"expect.roles.{n}.person: '{r.person}' is not named anywhere in the scenario")
        for item, words in e.facts.items():
            for w in words:
                if w.casefold() not in said:
                    raise ValueError(f"expect.facts.{item}: '{w}' is never said in the scenario")

    def spoken(self) -> list[str]:
        if self.transcript is not None:
            return [line.text for line in self.transcript]
        return [a for s in self.stakeholders or [] for a in [*s.answers.values(), *s.asks]]

    def speakers(self) -> list[str]:
        if self.transcript is not None:
            return [key(line.speaker) for line in self.transcript]
        return [key(s.name) for s in self.stakeholders or []]

    @property
    def mode(self) -> str:
        return "live" if self.transcript is not None else "interview"


def key(name: str) -> str:
    """A person's name compared ignoring case, spacing and a leading title (Dr. X == x)."""
    return " ".join(_TITLES.sub("", name.strip()).casefold().split())


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def parse_scenario(raw: object, path: Path) -> Scenario:
    if not isinstance(raw, dict):
        raise ScenarioError(path, "(top level)", "expected a mapping of keys (id, title, project, ...)")
    try:
        return Scenario.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        loc = first["loc"]
        # A model-level check reports an empty location; name the block it belongs to instead.
        field = _where(loc)
        msg = first["msg"].removeprefix("Value error, ")
        # Model-level checks prefix their message with the sub-field they are about.
        m = _PREFIXED.match(msg)
        if m and first["type"] == "value_error":
            field = m[1] if field == "(top level)" else f"{field}.{m[1]}"
            msg = m[2]
        more = f" ({e.error_count()} errors in all)" if e.error_count() > 1 else ""
        raise ScenarioError(path, field, msg + more) from e


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(path, "(file)", f"cannot be read: {e}") from e
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ScenarioError(path, "(file)", f"is not valid YAML: {e}") from e
    return parse_scenario(raw, path)


def scenario_files(paths: list[Path]) -> list[Path]:
    """The .yaml/.yml files under each folder (sorted), or the file itself."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(x for x in p.iterdir() if x.suffix in (".yaml", ".yml") and x.is_file())
        else:
            out.append(p)
    return list(dict.fromkeys(out))
