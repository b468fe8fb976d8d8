"""Extraction quality of the built-in understanding on the held-out half of our labelled answers.

evals/extraction/check.yaml (137 cases) was written together with tune.yaml before any tuning and
split by a hash of the case id; those cases keep the gates they reached when this test was first
written. evals/extraction/written/ (1,140 cases) was written later by people who had not seen the
rules, and split the same way before any tuning against it; its check half (551 cases) is gated at
what it reaches today, rounded down. The goal for it is roles P >= 0.95 and R >= 0.90 (not reached
yet; see evals/README.md). Run the full report with: .venv/bin/python -m evals.extraction.measure
"""

from __future__ import annotations

import pytest

from assistant.understanding import BuiltinUnderstanding
from evals.extraction.measure import Report, load_file, load_written, run_cases


@pytest.fixture(scope="module")
def engine() -> BuiltinUnderstanding:
    return BuiltinUnderstanding()


@pytest.fixture(scope="module")
def first(engine: BuiltinUnderstanding) -> Report:
    return run_cases("check (first 137)", load_file("check"), engine)


@pytest.fixture(scope="module")
def blind(engine: BuiltinUnderstanding) -> Report:
    return run_cases("check (written blind)", load_written("check"), engine)


def test_check_halves_are_large_enough(first: Report, blind: Report) -> None:
    assert first.n >= 110 and blind.n >= 500
    assert first.roles.tp + first.roles.fn >= 80
    assert blind.roles.tp + blind.roles.fn >= 300  # labelled (person, role) pairs


def test_first_cases_keep_their_gates(first: Report) -> None:
    assert first.roles.p >= 0.95 and first.roles.r >= 0.90, first.roles.line("roles")
    assert first.open.p >= 0.90 and first.open.r >= 0.90, first.open.line("open")
    assert first.risks.p >= 0.95 and first.risks.r >= 0.95, first.risks.line("risks")
    assert first.false_coverage == 0 and first.covered.r >= 0.95, first.covered.line("covered")


def test_blind_cases_roles(blind: Report) -> None:
    assert blind.roles.p >= 0.91, blind.roles.line("roles")
    assert blind.roles.r >= 0.83, blind.roles.line("roles")


def test_blind_cases_items_and_risks(blind: Report) -> None:
    assert blind.covered.p >= 0.91 and blind.covered.r >= 0.88, blind.covered.line("covered")
    assert blind.open.p >= 0.76 and blind.open.r >= 0.70, blind.open.line("open")
    assert blind.risks.p >= 0.95 and blind.risks.r >= 0.64, blind.risks.line("risks")


def test_every_span_is_an_exact_substring(first: Report, blind: Report) -> None:
    assert not [e for e in first.errors + blind.errors if "span not in text" in e]
