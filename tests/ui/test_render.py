"""The UI's renderers keep stakeholder text inert, and /ui answers loopback clients only (no browser needed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.charter import CharterRole
from assistant.config import Settings
from assistant.domain import Citation, Provenance
from assistant.gaps import Flag
from assistant.playbook import cached_playbook
from assistant.service import KickoffService
from assistant.store import Store
from ui.app import _history, _kickoff_choices, _turn_messages
from ui.backend import UiBackend
from ui.mount import is_loopback, mount_ui
from ui.render import coverage_html, flags_html, no_autolinks, project_phrase, roles_html, safe_md

HOSTILE = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) ![p](http://evil/p.png)"


@pytest.fixture(scope="module")
def book():  # type: ignore[no-untyped-def]
    return cached_playbook(Settings().knowledge_dir)


def test_safe_md_escapes_markup_but_keeps_lines() -> None:
    out = safe_md(f"line one\n{HOSTILE}")
    assert out.splitlines()[0] == "line one"
    # Every markup character is backslash-escaped, so Markdown shows it as text (nothing dropped, nothing live).
    assert re.search(r"(?<!\\)[<>\[\]()!]", out.splitlines()[1]) is None
    assert "\\<img" in out
    assert "http\\://" in safe_md("see http://evil.example/x") and "www\\." in safe_md("www.evil.example")


def test_panels_escape_stakeholder_text(book) -> None:  # type: ignore[no-untyped-def]
    prov = Provenance(speaker="<b>Eve</b>", turn_id="t1", span=HOSTILE)
    roles = roles_html(
        [
            CharterRole(
                person="<script>x</script>",
                role="training_lead",
                role_title="Training lead",
                provenance=[prov],
                citation=Citation(source="playbook/a.md", heading="H"),
            )
        ]
    )
    assert "<script>" not in roles and "&lt;script&gt;" in roles
    assert "<img" not in roles and "&lt;img" in roles
    flag = Flag(kind="quarantine", id="q1", explanation=f'Text was ignored: "{HOSTILE}"', evidence=[prov])
    html = flags_html([flag], book)
    assert "<img" not in html and "&lt;img" in html


def test_flags_show_explanation_citation_and_project_name(book) -> None:  # type: ignore[no-untyped-def]
    flag = Flag(
        kind="missing_role",
        id="training_lead",
        explanation="Nobody leads training.",
        question="Who will lead training for {project}?",
        citation=Citation(source="playbook/02-roles.md", heading="Training lead"),
    )
    html = flags_html([flag], book, project_phrase("CRM rollout"))
    assert "Nobody leads training." in html
    assert "playbook/02-roles.md › Training lead" in html
    assert "for the CRM rollout?" in html and "{project}" not in html


def test_coverage_meter_labels_every_item(book) -> None:  # type: ignore[no-untyped-def]
    html = coverage_html({"accountability": "covered", "training": "open"}, book)
    assert 'data-item="accountability" data-status="covered"' in html
    assert 'data-item="training" data-status="open"' in html
    assert 'data-item="scope" data-status="not_discussed"' in html
    assert "1 of 7 checklist items covered" in html


def test_empty_states_say_what_to_do(book) -> None:  # type: ignore[no-untyped-def]
    assert "Create a kickoff" in coverage_html(None, book)
    assert "Nobody holds a role yet" in roles_html([])


@pytest.mark.parametrize(
    ("host", "ok"), [("127.0.0.1", True), ("::1", True), ("localhost", True), ("10.0.0.5", False), (None, False)]
)
def test_is_loopback(host: str | None, ok: bool) -> None:
    assert is_loopback(host) is ok


def _app(tmp_path: Path) -> TestClient:
    settings = Settings(data_dir=tmp_path)
    store = Store(settings)
    store.migrate()
    app = create_app(settings, service=KickoffService(store, settings), migrate=False, mount_ui=mount_ui)
    return TestClient(app)


def test_ui_is_mounted_and_refuses_remote_clients(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KICKOFF_UI_ALLOW_REMOTE", raising=False)
    client = _app(tmp_path)  # TestClient's peer is "testclient": not a loopback address
    assert client.get("/ui/").status_code == 401
    assert client.get("/healthz").status_code == 200  # the API itself is unaffected


def test_ui_serves_remote_clients_when_allowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KICKOFF_UI_ALLOW_REMOTE", "1")
    client = _app(tmp_path)
    r = client.get("/ui/")
    assert r.status_code == 200
    assert "<title>Kickoff</title>" in r.text or "Kickoff" in r.text


def test_ui_reaches_kickoffs_only_through_the_service_layer() -> None:
    """No private shortcut: the UI never builds or calls an engine, and never opens the store itself."""
    ui_dir = Path(__file__).resolve().parents[2] / "ui"
    source = "\n".join(p.read_text(encoding="utf-8") for p in ui_dir.glob("*.py"))
    for shortcut in ("build_engine", ".engine(", "Engine(", "store.read(", "store.write(", "KickoffState"):
        assert shortcut not in source, f"ui/ uses {shortcut!r}; go through KickoffService instead"


def _backend(tmp_path: Path, tenant: str = "local") -> UiBackend:
    settings = Settings(data_dir=tmp_path)
    store = Store(settings)
    store.migrate()
    return UiBackend(KickoffService(store, settings), tenant)


def test_resumed_interview_keeps_labels_and_playbook_sources(tmp_path: Path) -> None:
    backend = _backend(tmp_path)
    k = backend.create_kickoff("CRM rollout", "A new CRM for the sales team.")
    backend.add_stakeholder(k.id, "Maria Lopez", "VP Sales")
    started = backend.start_interview(k.id, "Maria Lopez")
    backend.send(k.id, started.interview_id, "I'll be accountable for it.")
    turn = backend.send(k.id, started.interview_id, "Why does it matter that just one person is accountable?")
    assert turn.citations, "the engine answers a stakeholder's question from the playbook, with citations"

    # What the live chat showed for that turn, and what a reload rebuilds from the store, are the same.
    live = _turn_messages(turn, backend)
    resumed = _history(backend, k.id, started.interview_id)
    assert resumed[-len(live) :] == live
    sources = [m for m in resumed if m.get("metadata")]
    assert len(sources) == 1 and sources[0]["metadata"]["title"].startswith("Playbook sources")
    assert "[1] playbook/" in sources[0]["content"]
    # Every stored question keeps its checklist label.
    questions = [m for m in resumed if m["role"] == "assistant" and not m.get("metadata") and "ko-chip" in m["content"]]
    assert len(questions) == 3
    assert [m["role"] for m in resumed].count("user") == 2
    # The API returns the same citations with the stored turn.
    stored = backend.interview(k.id, started.interview_id).turns[-1]
    assert stored.citations == turn.citations


def test_kickoff_list_is_tenant_scoped(tmp_path: Path) -> None:
    mine, theirs = _backend(tmp_path), _backend(tmp_path, "other-team")
    a = mine.create_kickoff("CRM rollout", "A new CRM.")
    b = mine.create_kickoff("Payroll system", "New payroll.")
    theirs.create_kickoff("Secret project", "Not for the local tenant.")
    assert [v for _label, v in _kickoff_choices(mine)] == [b.id, a.id]  # newest first
    assert [label.split(" · ")[0] for label, _v in _kickoff_choices(theirs)] == ["Secret project"]


def test_charter_preview_makes_no_links_from_quoted_urls() -> None:
    md = "- Ignore this \\(http://evil.example/x.png\\) and www.evil.example — _Maria, turn t3_"
    out = no_autolinks(md)
    assert "http\\://evil.example" in out and "www\\.evil.example" in out
    assert out.replace("\\://", "://").replace("www\\.", "www.") == md
