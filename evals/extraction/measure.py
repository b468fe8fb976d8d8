"""Extraction quality of the built-in understanding on our own labelled answers.

Run: .venv/bin/python -m evals.extraction.measure [--half tune|check|both] [--errors] [--rules]

Each case in tune.yaml / check.yaml:
  {id, item (or null), speaker, speaker_title?, side?, stakeholders?, recent_people?, provider_people?, text,
   expect: {roles: [{person, role}], open: [items], covered: [items], risks: [risk ids], groups: [role ids],
            tags: [named_metric | usage_metric], retracts: [role ids], dont_know: bool, question: bool}}
`covered` never lists `roles` (the engine derives it from assignments), so it is not scored.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.domain import Extraction, UnderstandingContext, Utterance
from assistant.understanding import BuiltinUnderstanding, Understanding

HERE = Path(__file__).parent
HALVES = ("tune", "check")
_TITLES = {"dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "captain", "capt"}


def norm_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace(".", " ")
    parts = s.split()
    while len(parts) > 1 and parts[0] in _TITLES:
        parts = parts[1:]
    return " ".join(parts)


def half_of(case_id: str) -> str:
    """Cases written since round 6 go to a half by the hash of their id, fixed before any tuning."""
    return HALVES[hashlib.sha1(case_id.encode("utf-8")).digest()[0] % 2]


def load_file(half: str) -> list[dict[str, Any]]:
    """Only the half's own file: the first 390 cases, written by the team that tuned the rules."""
    return list(yaml.safe_load((HERE / f"{half}.yaml").read_text(encoding="utf-8")) or [])


def load_written(half: str) -> list[dict[str, Any]]:
    """The half's share of written/: cases written without looking at the rules."""
    cases: list[dict[str, Any]] = []
    for path in sorted((HERE / "written").glob("*.yaml")):
        cases += [c for c in yaml.safe_load(path.read_text(encoding="utf-8")) or [] if half_of(c["id"]) == half]
    return cases


def load(half: str) -> list[dict[str, Any]]:
    """The whole half: its own file plus its share of written/."""
    return load_file(half) + load_written(half)


def to_input(case: dict[str, Any]) -> tuple[Utterance, UnderstandingContext]:
    side = case.get("side", "client")
    speaker = case["speaker"]
    stakeholders = case.get("stakeholders") or ([speaker] if side == "client" else [])
    utt = Utterance(
        text=case["text"],
        speaker=speaker,
        speaker_title=case.get("speaker_title"),
        side=side,
        turn_id=case["id"],
        item=case.get("item"),
        question=case.get("question"),
    )
    ctx = UnderstandingContext(
        stakeholders=stakeholders,
        provider_people=case.get("provider_people") or ([speaker] if side == "provider" else []),
        recent_people=case.get("recent_people") or [],
    )
    return utt, ctx


@dataclass
class PR:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: set[Any], found: set[Any]) -> None:
        self.tp += len(expected & found)
        self.fp += len(found - expected)
        self.fn += len(expected - found)

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def line(self, label: str) -> str:
        return (
            f"{label:<10} P {self.p:.3f}  R {self.r:.3f}  F1 {self.f1:.3f}   (tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


@dataclass
class Report:
    half: str
    n: int = 0
    roles: PR = field(default_factory=PR)
    open: PR = field(default_factory=PR)
    covered: PR = field(default_factory=PR)
    risks: PR = field(default_factory=PR)
    groups: PR = field(default_factory=PR)
    tags: PR = field(default_factory=PR)
    retracts: PR = field(default_factory=PR)
    questions: PR = field(default_factory=PR)
    dont_know: PR = field(default_factory=PR)
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_rule: dict[str, PR] = field(default_factory=dict)  # (person, role) pairs each rule proposed
    item_rules: dict[str, PR] = field(default_factory=dict)  # covered / open items each rule proposed
    risk_rules: dict[str, PR] = field(default_factory=dict)  # risk signals each rule proposed

    @property
    def false_coverage(self) -> int:
        return self.covered.fp

    def print_rules(self) -> None:
        """Precision of each rule, and the share of all labelled entries it recovers (its recall)."""
        for what, rules, expected in (
            ("roles", self.by_rule, self.roles.tp + self.roles.fn),
            ("items", self.item_rules, self.covered.tp + self.covered.fn + self.open.tp + self.open.fn),
            ("risks", self.risk_rules, self.risks.tp + self.risks.fn),
        ):
            print(f"  {what} per rule ({expected} labelled):")
            for rule, pr in sorted(rules.items(), key=lambda kv: -(kv[1].tp + kv[1].fp)):
                share = pr.tp / expected if expected else 0.0
                print(f"    {rule:<30} P {pr.p:.3f}  R {share:.3f}   (tp {pr.tp}, fp {pr.fp})")

    def percentile(self, q: float) -> float:
        xs = sorted(self.latencies_ms)
        if not xs:
            return 0.0
        return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]

    def print(self) -> None:
        print(f"== {self.half}: {self.n} cases")
        for label in ("roles", "open", "risks", "covered", "groups", "tags", "retracts", "questions", "dont_know"):
            print("  " + getattr(self, label).line(label))
        print(f"  false coverage: {self.false_coverage}")
        if self.latencies_ms:
            print(
                f"  latency ms: p50 {statistics.median(self.latencies_ms):.2f}  p95 {self.percentile(0.95):.2f}"
                f"  max {max(self.latencies_ms):.2f}"
            )


def found_sets(x: Extraction) -> dict[str, set[Any]]:
    return {
        "roles": {(norm_name(a.person), a.role) for a in x.assignments},
        "open": {f.item for f in x.facts if f.status == "open"},
        "covered": {f.item for f in x.facts if f.status == "covered" and f.item != "roles"},
        "risks": {r.risk for r in x.risks},
        "groups": {g.role for g in x.groups},
        "tags": {t for f in x.facts if f.item == "monitoring" for t in f.tags},
        "retracts": {r.role for r in x.retractions},
        "questions": {"q"} if x.questions else set(),
        "dont_know": {"dk"} if x.dont_know else set(),
    }


def expected_sets(case: dict[str, Any]) -> dict[str, set[Any]]:
    e = case.get("expect") or {}
    return {
        "roles": {(norm_name(r["person"]), r["role"]) for r in e.get("roles", [])},
        "open": set(e.get("open", [])),
        "covered": set(e.get("covered", [])) - {"roles"},
        "risks": set(e.get("risks", [])),
        "groups": set(e.get("groups", [])),
        "tags": set(e.get("tags", [])),
        "retracts": set(e.get("retracts", [])),
        "questions": {"q"} if e.get("question") else set(),
        "dont_know": {"dk"} if e.get("dont_know") else set(),
    }


def run_half(half: str, engine: Understanding) -> Report:
    return run_cases(half, load(half), engine)


def run_cases(label: str, cases: list[dict[str, Any]], engine: Understanding) -> Report:
    rep = Report(label)
    for case in cases:
        utt, ctx = to_input(case)
        t0 = time.perf_counter()
        x = engine.understand(utt, ctx)
        rep.latencies_ms.append((time.perf_counter() - t0) * 1000)
        for span in [a.span for a in x.assignments] + [f.span for f in x.facts] + [r.span for r in x.risks]:
            if span not in utt.text:
                rep.errors.append(f"{case['id']}: span not in text: {span!r}")
        rep.n += 1
        exp, got = expected_sets(case), found_sets(x)
        for a in x.assignments:
            hit = (norm_name(a.person), a.role) in exp["roles"]
            rep.by_rule.setdefault(a.rule or "?", PR()).add({1} if hit else set(), {1})
        for f in x.facts:
            if f.item != "roles":
                hit = f.item in exp["covered" if f.status == "covered" else "open"]
                rep.item_rules.setdefault(f"{f.status}:{f.rule or '?'}", PR()).add({1} if hit else set(), {1})
        for r in x.risks:
            rep.risk_rules.setdefault(f"{r.risk}:{r.rule or '?'}", PR()).add(
                {1} if r.risk in exp["risks"] else set(), {1}
            )
        diffs = []
        for key, pr in (
            ("roles", rep.roles),
            ("open", rep.open),
            ("covered", rep.covered),
            ("risks", rep.risks),
            ("groups", rep.groups),
            ("tags", rep.tags),
            ("retracts", rep.retracts),
            ("questions", rep.questions),
            ("dont_know", rep.dont_know),
        ):
            pr.add(exp[key], got[key])
            if exp[key] != got[key]:
                miss, extra = exp[key] - got[key], got[key] - exp[key]
                diffs.append(f"{key}: missing {sorted(miss)} extra {sorted(extra)}")
        if diffs:
            rep.errors.append(f"{case['id']} [{case.get('item')}] {case['text']!r}\n      " + "\n      ".join(diffs))
    return rep


def main(argv: list[str] | None = None) -> list[Report]:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--half", choices=[*HALVES, "both"], default="both")
    ap.add_argument("--errors", action="store_true", help="list the cases that differ from their labels")
    ap.add_argument("--rules", action="store_true", help="role precision and recall per rule (or model) id")
    args = ap.parse_args(argv)
    engine = BuiltinUnderstanding()
    halves = HALVES if args.half == "both" else (args.half,)
    reports = [run_half(h, engine) for h in halves]
    for rep in reports:
        rep.print()
        if args.rules:
            rep.print_rules()
        if args.errors:
            for e in rep.errors:
                print("   - " + e)
    return reports


if __name__ == "__main__":
    main()
