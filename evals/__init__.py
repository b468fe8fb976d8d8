"""Scenario evals: a stakeholder simulator, DOMAIN.md's metrics and a report, run by `kickoff eval`."""
