"""Extraction quality of the built-in understanding on the held-out half of our labelled answers.

evals/extraction/check.yaml was written together with tune.yaml before any tuning and split by a
hash of the case id; the built-in understanding was tuned on tune.yaml only. The thresholds are
what the check half reached when this test was written, rounded down.
Run the full report with: .venv/bin/python -m evals.extraction.measure
"""

from __future__ import annotations

import pytest

from assistant.understanding import BuiltinUnderstanding
from evals.extraction.measure import Report, run_half


@pytest.fixture(scope="module")
def check() -> Report:
    return run_half("check", BuiltinUnderstanding())


def test_check_half_is_large_enough(check: Report) -> None:
    assert check.n >= 110
    assert check.roles.tp + check.roles.fn >= 80  # labelled (person, role) pairs


def test_role_precision_and_recall(check: Report) -> None:
    assert check.roles.p >= 0.95, check.roles.line("roles")
    assert check.roles.r >= 0.90, check.roles.line("roles")


def test_open_items(check: Report) -> None:
    assert check.open.p >= 0.90, check.open.line("open")
    assert check.open.r >= 0.90, check.open.line("open")


def test_risks(check: Report) -> None:
    assert check.risks.p >= 0.95, check.risks.line("risks")
    assert check.risks.r >= 0.95, check.risks.line("risks")


def test_no_false_coverage(check: Report) -> None:
    assert check.false_coverage == 0, check.covered.line("covered")
    assert check.covered.r >= 0.95, check.covered.line("covered")


def test_every_span_is_an_exact_substring(check: Report) -> None:
    assert not [e for e in check.errors if "span not in text" in e]
