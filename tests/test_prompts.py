"""The strict prompt loader and the project's own prompt files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.config import PROJECT_ROOT
from assistant.errors import PromptError
from assistant.prompts import load_prompt, parse_prompt, template_fields

PROMPTS = PROJECT_ROOT / "prompts"


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """\
name: greet
description: says hello
variables: [who, where]
system: You greet people.
user: |
  Hello {who}, welcome to {where}. Literal braces: {{"a": 1}}
"""


def test_render_fills_every_placeholder(tmp_path: Path) -> None:
    write(tmp_path, "greet", GOOD)
    p = load_prompt("greet", tmp_path)
    messages = p.render(who="Ana", where="the kickoff")
    assert messages == [
        {"role": "system", "content": "You greet people."},
        {"role": "user", "content": 'Hello Ana, welcome to the kickoff. Literal braces: {"a": 1}'},
    ]


def test_values_are_not_reparsed_as_templates(tmp_path: Path) -> None:
    write(tmp_path, "greet", GOOD)
    out = load_prompt("greet", tmp_path).render(who="{where} {0} {x.__class__}", where="here")
    assert "{where} {0} {x.__class__}" in out[1]["content"]


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match=r"nope\.yaml does not exist"):
        load_prompt("nope", tmp_path)


@pytest.mark.parametrize("key", ["name", "description", "system", "user"])
def test_missing_key_names_file_and_key(tmp_path: Path, key: str) -> None:
    data = yaml.safe_load(GOOD)
    del data[key]
    write(tmp_path, "greet", yaml.safe_dump(data))
    with pytest.raises(PromptError, match=rf"greet\.yaml: missing key '{key}'"):
        load_prompt("greet", tmp_path)


def test_caller_missing_a_variable(tmp_path: Path) -> None:
    write(tmp_path, "greet", GOOD)
    with pytest.raises(PromptError, match=r"greet\.yaml: missing variable\(s\) where"):
        load_prompt("greet", tmp_path).render(who="Ana")


def test_caller_passing_an_unknown_variable(tmp_path: Path) -> None:
    write(tmp_path, "greet", GOOD)
    with pytest.raises(PromptError, match=r"greet\.yaml: unknown variable\(s\) extra"):
        load_prompt("greet", tmp_path).render(who="Ana", where="x", extra="y")


def test_declared_but_unused_variable(tmp_path: Path) -> None:
    write(tmp_path, "greet", GOOD.replace("[who, where]", "[who, where, when]"))
    with pytest.raises(PromptError, match=r"greet\.yaml: declared variable\(s\) when not used"):
        load_prompt("greet", tmp_path)


def test_used_but_undeclared_variable(tmp_path: Path) -> None:
    write(tmp_path, "greet", GOOD.replace("[who, where]", "[who]"))
    with pytest.raises(PromptError, match=r"greet\.yaml: template uses undeclared variable\(s\) where"):
        load_prompt("greet", tmp_path)


def test_without_a_variables_list_the_templates_define_them(tmp_path: Path) -> None:
    body = "\n".join(line for line in GOOD.splitlines() if not line.startswith("variables:"))
    write(tmp_path, "greet", body)
    assert load_prompt("greet", tmp_path).variables == {"who", "where"}


@pytest.mark.parametrize("template", ["Hi {0}", "Hi {}", "Hi {a.b}", "Hi {a[0]}"])
def test_positional_and_attribute_fields_are_refused(template: str) -> None:
    with pytest.raises(PromptError, match="not a plain name"):
        template_fields(template, "x.yaml")


def test_lone_brace_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path, "greet", GOOD.replace("Literal braces: {{", "Literal braces: {"))
    with pytest.raises(PromptError, match="malformed template"):
        load_prompt("greet", tmp_path)


def test_name_must_match_file_and_unknown_keys_fail(tmp_path: Path) -> None:
    write(tmp_path, "greet", GOOD.replace("name: greet", "name: hello"))
    with pytest.raises(PromptError, match="does not match the file name"):
        load_prompt("greet", tmp_path)
    write(tmp_path, "greet", GOOD + "temperature: 0.2\n")
    with pytest.raises(PromptError, match="unknown key"):
        load_prompt("greet", tmp_path)


def test_not_yaml_and_not_a_mapping(tmp_path: Path) -> None:
    write(tmp_path, "bad", "name: [unclosed\n")
    with pytest.raises(PromptError, match="not valid YAML"):
        parse_prompt(tmp_path / "bad.yaml")
    write(tmp_path, "list", "- a\n- b\n")
    with pytest.raises(PromptError, match="expected a mapping"):
        parse_prompt(tmp_path / "list.yaml")


def test_path_like_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="not a plain file name"):
        load_prompt("../secrets", tmp_path)


def test_edited_file_is_reloaded(tmp_path: Path) -> None:
    import os

    path = write(tmp_path, "greet", GOOD)
    assert "You greet people." in load_prompt("greet", tmp_path).system
    path.write_text(GOOD.replace("You greet people.", "You welcome people."), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert "You welcome people." in load_prompt("greet", tmp_path).system


# ---- the project's own prompts


def test_understand_prompt_renders_without_the_schema() -> None:
    # The client sends the schema once, in whatever form the server accepts; the prompt never repeats it.
    p = load_prompt("understand", PROMPTS)
    assert p.variables == {
        "item",
        "question",
        "speaker",
        "side",
        "stakeholders",
        "recent_people",
        "brief",
        "vocabulary",
        "text",
    }
    messages = p.render(
        item="training",
        question="Who will lead the training?",
        speaker="Maria Lopez",
        side="client",
        stakeholders="Maria Lopez",
        recent_people="Sam Ortiz",
        brief="A 40-store rollout.",
        vocabulary="- recurring channels: stand-up, newsletter",
        text="I'll lead it.",
    )
    system, user = messages[0]["content"], messages[1]["content"]
    assert "stand-up, newsletter" in system and "Who will lead the training?" in user
    for rule in (
        "accountable_owner",
        "training_lead",
        "communications_lead",
        "metrics_owner",
        "executive_sponsor",
        "project_manager",
        "technical_lead",
        "resistance_to_change",
        "lack_of_ownership",
        "usage_metric",
    ):
        assert rule in system
    assert "exact" in system and "substring" in system
    assert "provider side" in system.lower() and "never follow" in system.lower()
    assert "I'll lead it." in user and "Maria Lopez" in user and '"$defs"' not in system + user


def test_answer_question_prompt_renders() -> None:
    p = load_prompt("answer_question", PROMPTS)
    assert p.variables == {"question", "passages", "brief"}
    messages = p.render(
        question="Why one owner?", passages="[1] (playbook/01.md > Why) One owner decides.", brief="ERP rollout"
    )
    assert "[1] (playbook/01.md > Why) One owner decides." in messages[1]["content"]
    assert "ONLY" in messages[0]["content"]


def test_every_project_prompt_parses() -> None:
    files = sorted(PROMPTS.glob("*.yaml"))
    assert {f.stem for f in files} >= {"understand", "answer_question"}
    for f in files:
        parse_prompt(f)
