"""DOMAIN.md's eval metrics, computed only from a charter's JSON export and a scenario's `expect`.

Nothing here looks at engine state: a metric that read internals could pass while the charter a
user sees is wrong. Averaging over scenarios is documented in evals/README.md:
recalls are pooled (micro), F1s are averaged per scenario (macro).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from assistant.domain import ITEM_IDS
from evals.scenario import Expect, key

SUMMARY_KEYS: tuple[str, ...] = (
    "coverage_recall",
    "false_coverage",
    "accountable_accuracy",
    "role_f1",
    "missing_role_f1",
    "risk_f1",
    "fact_recall",
    "mean_turns",
    "scenarios_passed",
    "scenarios",
)
# Keys where a smaller value is better (`--fail-over` applies to them, not `--fail-under`).
LOWER_IS_BETTER: frozenset[str] = frozenset({"false_coverage"})


def f1(expected: Iterable[Any], found: Iterable[Any]) -> float:
    """F1 of two sets; DOMAIN.md fixes F1 over an empty expected and empty found set at 1."""
    e, f = set(expected), set(found)
    if not e and not f:
        return 1.0
    tp = len(e & f)
    if tp == 0:
        return 0.0
    precision, recall = tp / len(f), tp / len(e)
    return 2 * precision * recall / (precision + recall)


class ScenarioScore(BaseModel):
    """One scenario's figures, plus the sets behind them (the report shows expected vs found)."""

    coverage_hits: int
    coverage_expected: int
    coverage_recall: float
    false_coverage: int
    false_coverage_items: list[str]
    missed_coverage: list[str]
    open_expected: list[str]
    open_found: list[str]
    accountable_expected: str | None
    accountable_found: str | None
    accountable_accuracy: float = Field(description="1.0 when right (a null expected and found is right)")
    roles_expected: list[tuple[str, str]]
    roles_found: list[tuple[str, str]]
    role_f1: float
    missing_roles_expected: list[str]
    missing_roles_found: list[str]
    missing_role_f1: float
    risks_expected: list[str]
    risks_found: list[str]
    risk_f1: float
    facts_found: int
    facts_total: int
    fact_recall: float | None = Field(description="None when the scenario expects no fact words")
    facts_missed: dict[str, list[str]]

    @property
    def domain_pass(self) -> bool:
        """DOMAIN.md's pass rule; the runner adds its own conditions (on-topic, no crash, no runaway)."""
        return (
            self.accountable_accuracy == 1.0
            and self.role_f1 == 1.0
            and self.missing_role_f1 == 1.0
            and self.risk_f1 == 1.0
            and self.coverage_recall == 1.0
            and self.false_coverage == 0
        )


def section_text(charter: Mapping[str, Any], item: str) -> str:
    """The words of an item's live charter entries (superseded entries no longer count)."""
    section = (charter.get("sections") or {}).get(item) or {}
    return " ".join(str(e.get("text", "")) for e in section.get("entries", []) if not e.get("superseded", False))


def _display(name: str | None) -> str | None:
    return None if name is None else " ".join(name.split())


def score(expect: Expect, charter: Mapping[str, Any]) -> ScenarioScore:
    coverage: Mapping[str, str] = charter.get("coverage") or {}
    covered: set[str] = {i for i in ITEM_IDS if coverage.get(i) == "covered"}
    opened: list[str] = sorted(i for i in ITEM_IDS if coverage.get(i) == "open")
    exp_cov: set[str] = set(expect.covered)
    hits = len(exp_cov & covered)
    false_items: list[str] = sorted(i for i in covered if i in expect.open or i not in exp_cov)

    acc_found = _display(charter.get("accountable"))
    if expect.accountable is None:
        acc_ok = acc_found is None
    else:
        acc_ok = acc_found is not None and key(acc_found) == key(expect.accountable)

    # Pairs keep the expected spelling for display, but compare by key (case and title ignored).
    exp_pairs = {(key(r.person), r.role): r.person for r in expect.roles}
    found_pairs: dict[tuple[str, str], str] = {}
    for r in charter.get("roles") or []:
        found_pairs.setdefault((key(str(r.get("person", ""))), str(r.get("role", ""))), str(r.get("person", "")))

    missing_found = sorted({str(r) for r in charter.get("missing_roles") or []})
    risks_found = sorted({str(r) for r in charter.get("risks") or []})

    facts_total = facts_found = 0
    facts_missed: dict[str, list[str]] = {}
    for item, words in expect.facts.items():
        text = section_text(charter, item).casefold()
        for w in words:
            facts_total += 1
            if w.casefold() in text:
                facts_found += 1
            else:
                facts_missed.setdefault(item, []).append(w)

    return ScenarioScore(
        coverage_hits=hits,
        coverage_expected=len(exp_cov),
        coverage_recall=hits / len(exp_cov) if exp_cov else 1.0,
        false_coverage=len(false_items),
        false_coverage_items=false_items,
        missed_coverage=sorted(exp_cov - covered),
        open_expected=sorted(expect.open),
        open_found=opened,
        accountable_expected=expect.accountable,
        accountable_found=acc_found,
        accountable_accuracy=1.0 if acc_ok else 0.0,
        roles_expected=sorted((name, role) for (_, role), name in exp_pairs.items()),
        roles_found=sorted((name, role) for (_, role), name in found_pairs.items()),
        role_f1=f1(exp_pairs, found_pairs),
        missing_roles_expected=sorted(expect.missing_roles),
        missing_roles_found=missing_found,
        missing_role_f1=f1(expect.missing_roles, missing_found),
        risks_expected=sorted(expect.risks),
        risks_found=risks_found,
        risk_f1=f1(expect.risks, risks_found),
        facts_found=facts_found,
        facts_total=facts_total,
        fact_recall=facts_found / facts_total if facts_total else None,
        facts_missed=facts_missed,
    )


class Counted(BaseModel):
    """What the summary needs from one scenario row."""

    score: ScenarioScore
    questions: int = Field(0, description="Questions the assistant asked, over all this scenario's interviews")
    interviews: int = 0
    passed: bool


def summarize(rows: Sequence[Counted]) -> dict[str, float | int]:
    """The `summary` block, with exactly DOMAIN.md's keys.

    Micro (pooled): coverage_recall, fact_recall, mean_turns (per interview). Macro (mean over
    scenarios): accountable_accuracy and the three F1s. Counts: false_coverage, scenarios_passed.
    """
    n = len(rows)
    cov_exp = sum(r.score.coverage_expected for r in rows)
    fact_total = sum(r.score.facts_total for r in rows)
    interviews = sum(r.interviews for r in rows)

    def mean(values: Iterable[float]) -> float:
        vals = list(values)
        return sum(vals) / len(vals) if vals else 0.0

    out: dict[str, float | int] = {
        "coverage_recall": sum(r.score.coverage_hits for r in rows) / cov_exp if cov_exp else 1.0,
        "false_coverage": sum(r.score.false_coverage for r in rows),
        "accountable_accuracy": mean(r.score.accountable_accuracy for r in rows),
        "role_f1": mean(r.score.role_f1 for r in rows),
        "missing_role_f1": mean(r.score.missing_role_f1 for r in rows),
        "risk_f1": mean(r.score.risk_f1 for r in rows),
        "fact_recall": sum(r.score.facts_found for r in rows) / fact_total if fact_total else 1.0,
        "mean_turns": sum(r.questions for r in rows) / interviews if interviews else 0.0,
        "scenarios_passed": sum(1 for r in rows if r.passed),
        "scenarios": n,
    }
    assert tuple(out) == SUMMARY_KEYS
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in out.items()}
