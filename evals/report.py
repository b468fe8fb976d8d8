"""Eval results as JSON and as a Markdown report a reader can act on without opening the code.

`diagnose` explains a failing scenario: expected vs found for each part of the charter, and the
turn where it went wrong (the charter's provenance for something wrong that entered it, or the
message in which a missed person or item was spoken about).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evals.metrics import SUMMARY_KEYS, ScenarioScore, section_text
from evals.scenario import Scenario, key
from evals.simulator import Message, Question, Run

if TYPE_CHECKING:
    from evals.runner import EvalResult

ROLE_ITEM = {
    "accountable_owner": "accountability",
    "training_lead": "training",
    "communications_lead": "communication",
    "metrics_owner": "monitoring",
}
# Words that usually carry a reported risk signal; used only to point at a likely source message.
RISK_CUES = {
    "resistance_to_change": (
        "sceptic",
        "skeptic",
        "worried",
        "worry",
        "pushback",
        "push back",
        "reluctan",
        "resist",
        "unhappy",
        "complain",
        "doubt",
        "nervous",
        "not convinced",
        "hate",
    ),
    "lack_of_ownership": (
        "nobody",
        "no one",
        "no-one",
        "not decided",
        "undecided",
        "no owner",
        "not settled",
        "unassigned",
        "tbd",
        "haven't decided",
        "not sure who",
        "don't know who",
    ),
}
MEANING = {
    "coverage_recall": "expected-covered items the charter shows covered (pooled over scenarios)",
    "false_coverage": "items shown covered that should be open or were never discussed (count; lower is better)",
    "accountable_accuracy": "scenarios whose accountable person (or null) is right",
    "role_f1": "F1 of (person, role) pairs, mean over scenarios",
    "missing_role_f1": "F1 of missing-role flags, mean over scenarios",
    "risk_f1": "F1 of risk flags, mean over scenarios",
    "fact_recall": "expected fact words found in the right charter section (pooled)",
    "mean_turns": "questions the assistant asked per interview",
    "scenarios_passed": "scenarios that pass every check (count)",
    "scenarios": "scenarios run (count)",
}

_MD = re.compile(r"([\\`*_\[\]<>|#])")


def md(text: str) -> str:
    """Scenario or charter text shown verbatim: no Markdown, HTML or table syntax survives."""
    return _MD.sub(r"\\\1", " ".join(str(text).split()))


def quote(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return "\u201c" + md(flat if len(flat) <= limit else flat[: limit - 1] + "\u2026") + "\u201d"


def _prov(p: Mapping[str, Any]) -> str:
    return f"turn {md(p.get('turn_id', '?'))} ({md(p.get('speaker', '?'))}): {quote(str(p.get('span', '')))}"


def _msg(m: Message) -> str:
    where = f", answering the {m.item} question" if m.item else ""
    after = f" after turn {m.after_turn}" if m.after_turn else ""
    return f"message {m.n} ({md(m.speaker)}{where}{after}): {quote(m.text)}"


# Words that usually come with a role; they rank candidate messages when pointing at a missed role.
ROLE_CUES = {
    "accountable_owner": ("accountab", "own", "mine", "in charge", "responsible", "on the hook", "that's me"),
    "training_lead": ("train",),
    "communications_lead": (
        "run",
        "host",
        "send",
        "chair",
        "newsletter",
        "meeting",
        "call",
        "briefing",
        "update",
        "stand-up",
        "huddle",
        "email",
        "bulletin",
    ),
    "metrics_owner": ("review", "metric", "number", "look at", "report", "kpi"),
    "technical_lead": ("integration", "data", "technical", "interface", "migration", "system", "it "),
    "project_manager": ("coordinat", "project manager", "pm", "day to day", "on track", "programme manager"),
    "executive_sponsor": ("sponsor", "backing", "budget"),
}
_FIRST_PERSON = re.compile(r"\b(i|i'm|i'll|i am|me|my|mine)\b")


def _mentions(messages: Sequence[Message], name: str, role: str) -> Message | None:
    """The message where a person was most likely given a role: named (in full or in part) or speaking
    in the first person, near the role's usual words, answering that role's item. Earliest wins ties."""
    full = key(name)
    parts = [p for p in full.split() if len(p) > 2]
    item = ROLE_ITEM.get(role, "roles")
    best: tuple[int, int] = (0, 0)
    hit: Message | None = None
    for m in messages:
        if m.kind == "dont_know":
            continue
        text = m.text.casefold()
        named_part = any(re.search(rf"\b{re.escape(p)}\b", text) for p in parts)
        speaks = key(m.speaker) == full and _FIRST_PERSON.search(text) is not None
        score = 4 if full in text else 3 if named_part or speaks else 0
        if not score:
            continue
        score += 2 * sum(1 for c in ROLE_CUES.get(role, ()) if c in text) + (3 if m.item == item else 0)
        if (score, -m.n) > best:
            best, hit = (score, -m.n), m
    return hit


def _unasked_answers(scn: Scenario, messages: Sequence[Message]) -> list[tuple[str, str, str]]:
    """(speaker, item, text) of scenario answers the simulated stakeholder never got to give."""
    given = {(key(m.speaker), m.item) for m in messages if m.kind == "answer"}
    return [
        (st.name, item, text)
        for st in scn.stakeholders or []
        for item, text in st.answers.items()
        if (key(st.name), item) not in given
    ]


def _roles_by_pair(charter: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    return {(key(str(r.get("person", ""))), str(r.get("role", ""))): r for r in charter.get("roles") or []}


def _flag_evidence(charter: Mapping[str, Any], kind: str, ident: str) -> list[Mapping[str, Any]]:
    for f in charter.get("flags") or []:
        if f.get("kind") == kind and f.get("id") == ident:
            return list(f.get("evidence") or [])
    return []


def diagnose(
    scn: Scenario, s: ScenarioScore, charter: Mapping[str, Any], run: Run | None, off_topic: Sequence[Question]
) -> list[str]:
    """Markdown bullet lines: expected vs found, each wrong part with the turn it came from."""
    messages = run.messages if run else []
    out: list[str] = []
    roles = _roles_by_pair(charter)

    # Accountable.
    mark = "ok" if s.accountable_accuracy == 1.0 else "WRONG"
    out.append(
        f"- **Accountable** ({mark}): expected {md(str(s.accountable_expected))}, found {md(str(s.accountable_found))}"
    )
    if s.accountable_accuracy != 1.0:
        if s.accountable_found is not None:
            owner = roles.get((key(s.accountable_found), "accountable_owner"))
            for p in (owner or {}).get("provenance", [])[:2]:
                out.append(f"  - entered at {_prov(p)}")
        for c in charter.get("conflicts") or []:
            for h in c.get("claims", []):
                for p in h.get("provenance", [])[:1]:
                    out.append(f"  - conflicting claim for {md(h.get('person', '?'))}: {_prov(p)}")
        if s.accountable_expected is not None:
            m = _mentions(messages, s.accountable_expected, "accountable_owner")
            if m:
                out.append(f"  - {md(s.accountable_expected)} was stated at {_msg(m)}")

    # Roles.
    exp = {(key(p), r) for p, r in s.roles_expected}
    found = {(key(p), r) for p, r in s.roles_found}
    wrong = [(p, r) for p, r in s.roles_found if (key(p), r) not in exp]
    missed = [(p, r) for p, r in s.roles_expected if (key(p), r) not in found]
    mark = "ok" if not wrong and not missed else f"F1 {s.role_f1:.2f}"
    out.append(f"- **Roles** ({mark}): expected {_pairs(s.roles_expected)}; found {_pairs(s.roles_found)}")
    for person, role in wrong:
        out.append(f"  - wrong: {md(person)} as {role}")
        for prov in roles.get((key(person), role), {}).get("provenance", [])[:2]:
            out.append(f"    - entered at {_prov(prov)}")
    unasked = _unasked_answers(scn, messages)
    for person, role in missed:
        hidden = next(((who, item, text) for who, item, text in unasked if key(person) in text.casefold()), None)
        m = _mentions(messages, person, role)
        if hidden:
            who, item, text = hidden
            where = (
                f" \u2014 named only in {md(who)}'s {item} answer, which the assistant never asked for: {quote(text)}"
            )
        else:
            where = f" \u2014 said at {_msg(m)}" if m else " \u2014 no message names them"
        out.append(f"  - missed: {md(person)} as {role}{where}")

    # Missing roles.
    mark = "ok" if s.missing_role_f1 == 1.0 else f"F1 {s.missing_role_f1:.2f}"
    out.append(
        f"- **Missing roles** ({mark}): expected {_list(s.missing_roles_expected)}; "
        f"found {_list(s.missing_roles_found)}"
    )

    # Risks.
    mark = "ok" if s.risk_f1 == 1.0 else f"F1 {s.risk_f1:.2f}"
    out.append(f"- **Risks** ({mark}): expected {_list(s.risks_expected)}; found {_list(s.risks_found)}")
    for risk in sorted(set(s.risks_found) - set(s.risks_expected)):
        ev = _flag_evidence(charter, "risk", risk)
        src = "; ".join(_prov(p) for p in ev[:2]) if ev else "derived from the charter's roles and metrics"
        out.append(f"  - wrongly flagged {risk}: {src}")
    for risk in sorted(set(s.risks_expected) - set(s.risks_found)):
        cues = RISK_CUES.get(risk, ())
        m = next((m for m in messages if any(c in m.text.casefold() for c in cues)), None) if cues else None
        out.append(f"  - not flagged {risk}" + (f": likely signal at {_msg(m)}" if m else ""))

    # Coverage.
    cov = charter.get("coverage") or {}
    mark = "ok" if s.coverage_recall == 1.0 and s.false_coverage == 0 else "WRONG"
    out.append(
        f"- **Coverage** ({mark}): expected covered {_list(sorted(scn.expect.covered))}, open "
        f"{_list(s.open_expected)}; found covered {_list(sorted(i for i, v in cov.items() if v == 'covered'))}, "
        f"open {_list(s.open_found)}"
    )
    for item in s.missed_coverage:
        m = next((m for m in messages if m.item == item and m.kind == "answer"), None)
        where = f"; answered at {_msg(m)}" if m else ""
        out.append(f"  - {item} not covered (found {cov.get(item, 'missing')}){where}")
    for item in s.false_coverage_items:
        should = "open" if item in s.open_expected else "not discussed"
        entries = [
            e for e in ((charter.get("sections") or {}).get(item) or {}).get("entries", []) if not e.get("superseded")
        ]
        src = "; ".join(_prov(e.get("provenance", {})) for e in entries[:2]) or "no entry"
        out.append(f"  - {item} covered but should be {should}: {src}")
    for item in sorted(set(s.open_expected) - set(s.open_found)):
        out.append(f"  - {item} should be open, found {cov.get(item, 'missing')} (not a pass criterion)")

    # Facts.
    if s.facts_total:
        mark = "ok" if not s.facts_missed else f"{s.facts_found}/{s.facts_total}"
        out.append(f"- **Facts** ({mark})")
        for item, words in s.facts_missed.items():
            text = section_text(charter, item)
            out.append(f"  - {item}: missing {_list(words)}; section holds {quote(text) if text else 'nothing'}")

    for q in off_topic:
        out.append(
            f"- **Off-topic question** at turn {md(q.turn_id)} (target {q.item}, similarity "
            f"{q.similarity:.2f}): {quote(q.text)}"
        )
    for problem in run.problems if run else []:
        out.append(f"- **Note:** {md(problem)}")
    return out


def _pairs(pairs: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{md(p)}/{r}" for p, r in pairs) or "none"


def _list(values: Sequence[str]) -> str:
    return ", ".join(md(v) for v in values) or "none"


def _fmt(v: object) -> str:
    if v is None:
        return "\u2013"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def to_json(result: EvalResult) -> str:
    return json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False)


def llm_line(llm: Mapping[str, Any]) -> str:
    """One sentence on what the model did, so a run carried by the fallback cannot pass for a model run."""
    causes = ", ".join(f"{n} {cause}" for cause, n in llm["fallbacks"].items()) or "none"
    return (
        f"LLM: {llm['turns']} steps asked the model in {llm['calls']} calls ({llm['failed_calls']} failed); "
        f"{sum(llm['fallbacks'].values())} fell back to the built-in path (rate {llm['fallback_rate']:.3f}; "
        f"by cause: {causes}); tokens: {llm['prompt_tokens']} prompt, {llm['completion_tokens']} completion"
        + (f" ({llm['calls_without_usage']} calls reported none)" if llm["calls_without_usage"] else "")
        + "."
    )


def to_markdown(result: EvalResult, sources: Sequence[str] = ()) -> str:
    x = result.extra
    out = ["# Kickoff eval report", ""]
    where = f" from {', '.join(md(s) for s in sources)}" if sources else ""
    out.append(
        f"{result.summary['scenarios']} scenarios{where}, model `{x.get('model')}`, "
        f"wall time {x.get('wall_time_s')} s. {result.summary['scenarios_passed']} passed."
    )
    out += ["", "## Summary", "", "| metric | value | meaning |", "| --- | --- | --- |"]
    for k in SUMMARY_KEYS:
        out.append(f"| `{k}` | {_fmt(result.summary[k])} | {MEANING[k]} |")
    cal = x.get("on_topic_calibration") or {}
    asks = x.get("asks") or {}
    out += [
        "",
        f"- On-topic rate: {_fmt(x.get('on_topic_rate'))} of {x.get('questions')} questions (threshold "
        f"{_fmt(cal.get('threshold'))} on similarity to the target item's description).",
        f"- Stakeholder questions: {asks.get('sent', 0)} sent, {asks.get('answered', 0)} answered, "
        f"{asks.get('with_citations', 0)} with citations.",
        f"- Turn cap: {x.get('turn_cap')} questions per interview.",
    ]
    if x.get("llm"):
        out.append(f"- {llm_line(x['llm'])}")
    out += ["", "## Scenarios", ""]
    head = [
        "scenario",
        "mode",
        "result",
        "coverage",
        "false cov.",
        "accountable",
        "role F1",
        "missing F1",
        "risk F1",
        "facts",
        "turns",
        "on-topic",
    ]
    out += ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in result.scenarios:
        m = r.metrics
        res = "pass" if r.passed else "**FAIL**"
        acct = None if m.get("accountable_accuracy") is None else m["accountable_accuracy"] == 1.0
        cells = [
            md(r.id),
            r.mode + (" (hostile)" if r.hostile else ""),
            res,
            _fmt(m.get("coverage_recall")),
            _fmt(m.get("false_coverage")),
            _fmt(acct),
            _fmt(m.get("role_f1")),
            _fmt(m.get("missing_role_f1")),
            _fmt(m.get("risk_f1")),
            _fmt(m.get("fact_recall")),
            _fmt(m.get("mean_turns")),
            _fmt(r.on_topic_rate),
        ]
        out.append("| " + " | ".join(cells) + " |")
    if result.malformed:
        out += ["", "## Malformed scenario files", ""]
        for bad in result.malformed:
            out.append(f"- `{md(bad.path)}`: field `{md(bad.field)}`: {md(bad.message)}")
    failing = [r for r in result.scenarios if not r.passed or r.details]
    if failing:
        out += [
            "",
            "## Details",
            "",
            "Scenarios that failed (or missed fact words). Turn ids are the engine's; message numbers "
            "count what the simulated people said, in order.",
        ]
        for r in failing:
            status = "failed on " + ", ".join(r.why_failed) if r.why_failed else "passed, but missed fact words"
            out += ["", f"### {md(r.id)}: {md(r.title)}", "", f"`{md(r.path)}`; {status}.", ""]
            if r.error:
                out.append(f"- **Engine error:** {md(r.error)}")
            out += r.details
    return "\n".join(out) + "\n"


def write(result: EvalResult, json_path: Path | None, md_path: Path | None, sources: Sequence[str] = ()) -> None:
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(to_json(result) + "\n", encoding="utf-8")
    if md_path:
        md_path.parent.mkdir(parents=True, exist_ok=True)
        md_path.write_text(to_markdown(result, sources), encoding="utf-8")
