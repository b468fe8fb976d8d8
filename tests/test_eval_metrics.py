"""Eval metrics against hand-computed cases. Charters are plain dicts, as the JSON export gives them."""

from __future__ import annotations

from typing import Any

import pytest

from evals.metrics import SUMMARY_KEYS, Counted, f1, score, summarize
from evals.scenario import Expect

ALL_REQUIRED = ["accountable_owner", "training_lead", "communications_lead", "metrics_owner"]


def expect(**kw: Any) -> Expect:
    base: dict[str, Any] = {
        "accountable": None,
        "roles": [],
        "missing_roles": ALL_REQUIRED,
        "risks": [],
        "covered": [],
        "open": [],
        "facts": {},
    }
    return Expect.model_validate({**base, **kw})


def charter(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "accountable": None,
        "roles": [],
        "missing_roles": [],
        "risks": [],
        "coverage": {},
        "sections": {},
    }
    return {**base, **kw}


def role(person: str, role_id: str) -> dict[str, Any]:
    return {"person": person, "role": role_id, "provenance": []}


def entry(text: str, superseded: bool = False) -> dict[str, Any]:
    return {"kind": "fact", "text": text, "superseded": superseded, "provenance": {"speaker": "x", "turn_id": "t1"}}


# ---- F1 ----


def test_f1_of_two_empty_sets_is_one() -> None:
    assert f1([], []) == 1.0


def test_f1_with_one_side_empty_is_zero() -> None:
    assert f1([], ["poor_adoption"]) == 0.0
    assert f1(["poor_adoption"], []) == 0.0


def test_f1_partial_overlap() -> None:
    # precision 2/4, recall 2/3 -> F1 = 2 * (1/2 * 2/3) / (1/2 + 2/3) = 4/7
    assert f1({"a", "b", "c"}, {"a", "b", "d", "e"}) == pytest.approx(4 / 7)


# ---- roles and names ----


def test_names_match_ignoring_case_and_a_leading_title() -> None:
    e = expect(
        accountable="Amara Okafor",
        roles=[{"person": "Amara Okafor", "role": "accountable_owner"}],
        missing_roles=["training_lead", "communications_lead", "metrics_owner"],
    )
    c = charter(accountable="Dr. Amara Okafor", roles=[role("dr. AMARA okafor", "accountable_owner")])
    s = score(e, c)
    assert s.accountable_accuracy == 1.0
    assert s.role_f1 == 1.0


def test_expected_title_matches_an_untitled_charter_name() -> None:
    e = expect(
        accountable="Prof. Miriam Adeyemi",
        roles=[{"person": "Prof. Miriam Adeyemi", "role": "accountable_owner"}],
        missing_roles=["training_lead", "communications_lead", "metrics_owner"],
    )
    s = score(e, charter(accountable="Miriam Adeyemi", roles=[role("Miriam Adeyemi", "accountable_owner")]))
    assert (s.accountable_accuracy, s.role_f1) == (1.0, 1.0)


def test_a_different_person_is_not_matched_by_a_shared_surname() -> None:
    e = expect(
        accountable="Amara Okafor",
        roles=[{"person": "Amara Okafor", "role": "accountable_owner"}],
        missing_roles=["training_lead", "communications_lead", "metrics_owner"],
    )
    s = score(e, charter(accountable="Chidi Okafor", roles=[role("Chidi Okafor", "accountable_owner")]))
    assert s.accountable_accuracy == 0.0
    assert s.role_f1 == 0.0


def test_null_accountable_expected_and_found_is_right() -> None:
    assert score(expect(), charter()).accountable_accuracy == 1.0
    assert score(expect(), charter(accountable="Someone Else")).accountable_accuracy == 0.0


def test_a_person_holding_two_roles_needs_both_pairs() -> None:
    e = expect(
        roles=[
            {"person": "Grace Mensah", "role": "training_lead"},
            {"person": "Grace Mensah", "role": "communications_lead"},
        ],
        missing_roles=["accountable_owner", "metrics_owner"],
    )
    s = score(e, charter(roles=[role("Grace Mensah", "training_lead")]))
    # precision 1/1, recall 1/2 -> 2/3
    assert s.role_f1 == pytest.approx(2 / 3)
    both = charter(roles=[role("Grace Mensah", "training_lead"), role("Grace Mensah", "communications_lead")])
    assert score(e, both).role_f1 == 1.0


def test_role_partial_overlap_with_a_wrong_pair() -> None:
    e = expect(
        roles=[{"person": "Ines Duarte", "role": "technical_lead"}, {"person": "Laura Chen", "role": "training_lead"}],
        missing_roles=["accountable_owner", "communications_lead", "metrics_owner"],
    )
    c = charter(
        roles=[
            role("Ines Duarte", "technical_lead"),
            role("Laura Chen", "project_manager"),
            role("Tom Becker", "technical_lead"),
        ]
    )
    # tp 1, precision 1/3, recall 1/2 -> F1 = 2 * (1/6) / (5/6) = 0.4
    assert score(e, c).role_f1 == pytest.approx(0.4)


def test_missing_roles_and_risks_f1() -> None:
    e = expect(missing_roles=ALL_REQUIRED, risks=["decision_ambiguity", "poor_adoption"])
    c = charter(missing_roles=["accountable_owner", "training_lead"], risks=["decision_ambiguity"])
    s = score(e, c)
    assert s.missing_role_f1 == pytest.approx(2 * 1 * 0.5 / 1.5)  # precision 1, recall 2/4
    assert s.risk_f1 == pytest.approx(2 / 3)  # precision 1, recall 1/2
    assert score(expect(), charter(missing_roles=ALL_REQUIRED)).risk_f1 == 1.0  # both empty


# ---- coverage ----


def test_false_coverage_counts_open_and_unlisted_items() -> None:
    e = expect(covered=["scope", "communication"], open=["training"])
    c = charter(
        coverage={
            "scope": "covered",
            "communication": "open",  # expected covered, found open: a recall miss, not false coverage
            "training": "covered",  # expected open: false coverage
            "collaboration": "covered",  # listed in neither: false coverage
            "monitoring": "open",  # open but unlisted: not coverage, so not counted
        }
    )
    s = score(e, c)
    assert s.false_coverage == 2
    assert s.false_coverage_items == ["collaboration", "training"]
    assert s.coverage_hits == 1 and s.coverage_expected == 2
    assert s.coverage_recall == 0.5
    assert s.missed_coverage == ["communication"]


def test_coverage_recall_with_nothing_expected_is_one() -> None:
    assert score(expect(), charter()).coverage_recall == 1.0


# ---- facts ----


def test_fact_recall_counts_words_in_the_right_section_only() -> None:
    e = expect(
        covered=["communication", "monitoring"],
        facts={"communication": ["Teams", "Thursday"], "monitoring": ["18 percent"]},
    )
    c = charter(
        sections={
            "communication": {"entries": [entry("A weekly check-in on teams every Monday")]},
            # "Thursday" and "18 percent" appear, but in the wrong sections.
            "scope": {"entries": [entry("Thursday deliveries change; 18 percent fewer spreadsheets")]},
            "monitoring": {"entries": [entry("Weekly active users")]},
        }
    )
    s = score(e, c)
    assert (s.facts_found, s.facts_total) == (1, 3)
    assert s.fact_recall == pytest.approx(1 / 3)
    assert s.facts_missed == {"communication": ["Thursday"], "monitoring": ["18 percent"]}


def test_superseded_entries_do_not_count_for_facts() -> None:
    e = expect(covered=["training"], facts={"training": ["e-learning"]})
    old = charter(sections={"training": {"entries": [entry("E-learning modules", superseded=True)]}})
    assert score(e, old).fact_recall == 0.0
    live = charter(sections={"training": {"entries": [entry("E-LEARNING modules")]}})
    assert score(e, live).fact_recall == 1.0


def test_no_expected_facts_gives_no_fact_recall() -> None:
    assert score(expect(), charter()).fact_recall is None


# ---- summary ----


def test_summary_has_exactly_the_domain_keys_and_aggregates_by_the_documented_rule() -> None:
    e1 = expect(covered=["scope", "roles"], facts={"scope": ["a", "b"]})
    c1 = charter(
        coverage={"scope": "covered", "collaboration": "covered"},
        sections={"scope": {"entries": [entry("a")]}},
        risks=["poor_adoption"],
    )
    e2 = expect(
        covered=["scope", "roles", "monitoring", "training"],
        facts={"scope": ["x", "y", "z", "w"]},
        risks=["poor_adoption"],
    )
    c2 = charter(
        coverage={i: "covered" for i in ["scope", "roles", "monitoring", "training"]},
        sections={"scope": {"entries": [entry("x y z w")]}},
        risks=["poor_adoption"],
        missing_roles=ALL_REQUIRED,
    )
    s1, s2 = score(e1, c1), score(e2, c2)
    rows = [
        Counted(score=s1, questions=10, interviews=2, passed=s1.domain_pass),
        Counted(score=s2, questions=5, interviews=1, passed=s2.domain_pass),
    ]
    summary = summarize(rows)
    assert tuple(summary) == SUMMARY_KEYS
    assert summary["coverage_recall"] == pytest.approx(5 / 6, abs=1e-4)  # micro: (1 + 4) / (2 + 4)
    assert summary["false_coverage"] == 1  # collaboration in scenario 1
    assert summary["accountable_accuracy"] == 1.0
    assert summary["risk_f1"] == 0.5  # macro: mean(0, 1)
    assert summary["missing_role_f1"] == 0.5  # scenario 1 found none of the four expected
    assert summary["role_f1"] == 1.0
    assert summary["fact_recall"] == pytest.approx(5 / 6, abs=1e-4)  # micro: (1 + 4) / (2 + 4)
    assert summary["mean_turns"] == 5.0  # (10 + 5) questions / 3 interviews
    assert summary["scenarios_passed"] == 1
    assert summary["scenarios"] == 2
    assert not s1.domain_pass and s2.domain_pass
