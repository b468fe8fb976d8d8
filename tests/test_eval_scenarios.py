"""The project's scenario files load; malformed files are reported with path and field; the runner,
simulator and `kickoff eval` command keep going past bad files. The engine here uses a toy
understanding, so these tests check the eval machinery, not the built-in understanding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from assistant.domain import Extraction, ProposedAssignment, ProposedFact, UnderstandingContext, Utterance
from assistant.engine import Engine
from assistant.playbook import load_playbook
from evals import runner as runner_mod
from evals.report import to_markdown
from evals.runner import run_eval
from evals.scenario import ScenarioError, load_scenario
from evals.simulator import simulate

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "evals" / "scenarios").glob("*.yaml"))
BOOK = load_playbook(ROOT / "knowledge")

GOOD: dict[str, Any] = {
    "id": "toy-rollout",
    "title": "Toy rollout",
    "project": "A small team adopts a new tool.",
    "stakeholders": [
        {
            "name": "Ada Lund",
            "title": "Director",
            "answers": {"accountability": "I'm accountable.", "scope": "The support team moves its tickets."},
            "asks": ["Why does one owner matter?"],
        }
    ],
    "expect": {
        "accountable": "Ada Lund",
        "roles": [{"person": "Ada Lund", "role": "accountable_owner"}],
        "missing_roles": ["training_lead", "communications_lead", "metrics_owner"],
        "risks": ["poor_adoption"],
        "covered": ["accountability", "roles", "scope"],
        "open": [],
        "facts": {"scope": ["tickets"]},
    },
}


class ToyUnderstanding:
    """'accountable' assigns the speaker; a question is a question; anything else covers the asked item."""

    name = "toy"

    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        if utt.text.rstrip().endswith("?"):
            return Extraction(questions=[utt.text])
        if "don't know" in utt.text:
            return Extraction(dont_know=True)
        if "accountable" in utt.text:
            return Extraction(
                assignments=[ProposedAssignment(person=utt.speaker, role="accountable_owner", span=utt.text)]
            )
        if utt.item:
            return Extraction(facts=[ProposedFact(item=utt.item, span=utt.text, status="covered")])
        return Extraction()


def toy_engine() -> Engine:
    return Engine(BOOK, ToyUnderstanding())


def write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# ---- the project's own scenarios ----


def test_the_scenario_set_is_big_and_varied_enough() -> None:
    loaded = [load_scenario(p) for p in SCENARIOS]
    assert len(loaded) >= 22
    assert sum(1 for s in loaded if s.mode == "live") >= 6
    assert any(s.hostile for s in loaded)
    assert any(st.asks for s in loaded for st in s.stakeholders or [])
    assert len({s.id for s in loaded}) == len(loaded)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_file_loads_and_is_named_after_its_id(path: Path) -> None:
    scn = load_scenario(path)
    assert scn.id == path.stem


# ---- malformed files ----


def _bad(tmp_path: Path, mutate: Any) -> ScenarioError:
    data = json.loads(json.dumps(GOOD))
    mutate(data)
    path = write(tmp_path / "x.yaml", data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(path) in str(info.value)
    return info.value


def test_an_unknown_role_names_the_path_and_field(tmp_path: Path) -> None:
    err = _bad(tmp_path, lambda d: d["expect"]["roles"][0].update(role="boss"))
    assert err.field == "expect.roles.0.role"
    assert str(err).startswith(f"{tmp_path / 'x.yaml'}: field 'expect.roles.0.role': ")


def test_an_unknown_item_in_answers_is_reported(tmp_path: Path) -> None:
    err = _bad(tmp_path, lambda d: d["stakeholders"][0]["answers"].update(budget="lots"))
    assert err.field.startswith("stakeholders.0.answers.budget")


def test_stakeholders_and_transcript_together_are_refused(tmp_path: Path) -> None:
    err = _bad(tmp_path, lambda d: d.update(transcript=[{"speaker": "Ada Lund", "text": "Hello"}]))
    assert err.field == "stakeholders"
    err = _bad(tmp_path, lambda d: d.pop("stakeholders"))
    assert err.field == "stakeholders"


def test_unquoted_numbers_in_facts_are_refused(tmp_path: Path) -> None:
    err = _bad(tmp_path, lambda d: d["expect"]["facts"].update(scope=[18]))
    assert err.field == "expect.facts.scope.0"


def test_a_required_role_neither_held_nor_missing_is_refused(tmp_path: Path) -> None:
    err = _bad(tmp_path, lambda d: d["expect"].update(missing_roles=["training_lead"]))
    assert err.field == "expect.missing_roles"


def test_an_expected_person_never_named_is_refused(tmp_path: Path) -> None:
    err = _bad(tmp_path, lambda d: d["expect"]["roles"].append({"person": "Bo Nobody", "role": "technical_lead"}))
    assert err.field == "expect.roles.1.person"


def test_a_typo_in_a_key_is_refused(tmp_path: Path) -> None:
    err = _bad(tmp_path, lambda d: d["expect"].update(missing_role=[]))
    assert err.field == "expect.missing_role"


def test_invalid_yaml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.field == "(file)" and str(path) in str(info.value)


# ---- simulator and runner ----


def test_the_simulator_answers_asks_and_ends_the_interview() -> None:
    from evals.scenario import Scenario

    scn = Scenario.model_validate(GOOD)
    engine = toy_engine()
    state = engine.new_kickoff(scn.id, scn.project, title=scn.title)
    run = simulate(engine, state, scn)
    # The first real answer, then the ask (right after it), then the item that was pending.
    assert [(m.kind, m.item) for m in run.messages] == [
        ("answer", "accountability"),
        ("ask", None),
        ("dont_know", "roles"),
        ("answer", "scope"),
    ]
    # The repeated roles question after the answer to the ask is not counted as a new question.
    assert [q.item for q in run.questions] == ["accountability", "roles", "scope", "communication"]
    assert run.asks and run.asks[0].question == "Why does one owner matter?"
    assert run.interviews[0].ended_by == "stakeholder"
    assert state.sessions[0].status == "closed"
    assert not run.cap_hit


def test_the_turn_cap_stops_a_runaway_interview() -> None:
    from evals.scenario import Scenario

    scn = Scenario.model_validate(GOOD)
    engine = toy_engine()
    state = engine.new_kickoff(scn.id, scn.project, title=scn.title)
    run = simulate(engine, state, scn, cap=1)
    assert run.cap_hit and run.interviews[0].ended_by == "cap"
    assert run.question_count == 1


def test_the_runner_keeps_going_past_a_malformed_file(tmp_path: Path) -> None:
    write(tmp_path / "a-good.yaml", GOOD)
    bad = json.loads(json.dumps(GOOD))
    bad["id"] = "b-bad"
    bad["expect"]["risks"] = ["gremlins"]
    write(tmp_path / "b-bad.yaml", bad)
    (tmp_path / "c-broken.yaml").write_text("id: [\n", encoding="utf-8")
    result = run_eval([tmp_path], engine=toy_engine())
    assert [r.id for r in result.scenarios] == ["toy-rollout"]
    assert {(Path(m.path).name, m.field) for m in result.malformed} == {
        ("b-bad.yaml", "expect.risks.0"),
        ("c-broken.yaml", "(file)"),
    }
    assert not result.ok
    assert result.summary["scenarios"] == 1
    row = result.scenarios[0]
    assert row.metrics["accountable_accuracy"] == 1.0
    assert row.on_topic_rate == 1.0  # the engine asks the checklist's own questions
    report = to_markdown(result)
    assert "b-bad.yaml" in report and "expect.risks.0" in report
    assert "| toy-rollout |" in report


def test_duplicate_ids_are_reported_as_malformed(tmp_path: Path) -> None:
    write(tmp_path / "one.yaml", GOOD)
    write(tmp_path / "two.yaml", GOOD)
    result = run_eval([tmp_path], engine=toy_engine())
    assert len(result.scenarios) == 1
    assert [m.field for m in result.malformed] == ["id"]


def test_a_failing_scenario_report_says_where_it_went_wrong(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD))
    data["stakeholders"][0]["answers"]["training"] = "Noor Haddad runs the training."
    data["expect"]["roles"].append({"person": "Noor Haddad", "role": "training_lead"})
    data["expect"]["missing_roles"] = ["communications_lead", "metrics_owner"]
    data["expect"]["covered"].append("training")
    write(tmp_path / "t.yaml", data)
    result = run_eval([tmp_path], engine=toy_engine())
    row = result.scenarios[0]
    assert not row.passed and "roles" in row.why_failed
    text = "\n".join(row.details)
    assert "missed: Noor Haddad as training_lead" in text
    assert "Noor Haddad runs the training." in text  # the message where she was named


# ---- the command ----


def test_kickoff_eval_writes_reports_and_fails_on_malformed_files(tmp_path: Path, monkeypatch: Any) -> None:
    from assistant.cli import app

    monkeypatch.setattr(runner_mod, "make_engine", lambda model: toy_engine())
    write(tmp_path / "good.yaml", GOOD)
    out, md = tmp_path / "r.json", tmp_path / "r.md"
    cli = CliRunner()
    ok = cli.invoke(app, ["eval", str(tmp_path), "--out", str(out), "--report", str(md)])
    assert ok.exit_code == 0, ok.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert list(data["summary"]) == [
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
    ]
    assert "on_topic_rate" in data["extra"] and "wall_time_s" in data["extra"]
    assert md.read_text(encoding="utf-8").startswith("# Kickoff eval report")

    gated = cli.invoke(app, ["eval", str(tmp_path), "--fail-under", "scenarios_passed=2"])
    assert gated.exit_code == 1
    over = cli.invoke(app, ["eval", str(tmp_path), "--fail-over", "false_coverage=0"])
    assert over.exit_code == 0, over.output
    wrong_way = cli.invoke(app, ["eval", str(tmp_path), "--fail-under", "false_coverage=0"])
    assert wrong_way.exit_code == 2

    (tmp_path / "zz-bad.yaml").write_text("id: 3\n", encoding="utf-8")
    bad = cli.invoke(app, ["eval", str(tmp_path)])
    assert bad.exit_code == 1


def test_a_role_named_only_in_an_unasked_answer_is_reported_as_such() -> None:
    from evals.metrics import score
    from evals.report import diagnose
    from evals.scenario import Scenario
    from evals.simulator import Message, Run

    data = json.loads(json.dumps(GOOD))
    data["stakeholders"][0]["answers"]["roles"] = "Noor Haddad owns the integrations."
    data["expect"]["roles"].append({"person": "Noor Haddad", "role": "technical_lead"})
    scn = Scenario.model_validate(data)
    run = Run(
        mode="interview",
        messages=[
            Message(n=1, speaker="Ada Lund", kind="answer", text="I'm accountable.", item="accountability"),
        ],
    )
    charter = {
        "accountable": "Ada Lund",
        "roles": [{"person": "Ada Lund", "role": "accountable_owner"}],
        "missing_roles": ["training_lead", "communications_lead", "metrics_owner"],
        "risks": [],
        "coverage": {"accountability": "covered", "roles": "covered"},
        "sections": {},
    }
    lines = diagnose(scn, score(scn.expect, charter), charter, run, [])
    assert any(
        "Noor Haddad as technical_lead" in x and "roles answer, which the assistant never asked for" in x for x in lines
    )
