"""A full interview over the API (JSON and SSE), the charter in three formats, edits, versions, audit, calls."""

from __future__ import annotations

import io
import json

import pytest
from api_support import Api
from docx import Document
from starlette.websockets import WebSocketDisconnect

from assistant.domain import ITEM_IDS

BRIEF = "A 40-store retail chain is rolling out a new analytics dashboard to its store managers."


def sse_events(body: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a text/event-stream body."""
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events


def new_kickoff(api: Api, h: dict[str, str]) -> str:
    r = api.client.post(
        "/v1/kickoffs",
        json={"brief": BRIEF, "title": "Retail analytics rollout", "stakeholders": [{"name": "Maria Lopez"}]},
        headers=h,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_full_interview_json_and_streaming(api: Api) -> None:
    h = api.tenant()
    kid = new_kickoff(api, h)
    assert [k["id"] for k in api.client.get("/v1/kickoffs", headers=h).json()] == [kid]

    r = api.client.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Maria Lopez"}, headers=h)
    assert r.status_code == 201, r.text
    iid = r.json()["interview_id"]
    first = r.json()["turn"]
    assert first["question"] and first["target_item"] in ITEM_IDS

    answers = [
        "I'll be accountable for it, and I'm your main contact.",
        "Weekly stand-up on Teams every Tuesday; Sam Ortiz runs it.",
    ]
    versions = []
    for text in answers:
        r = api.client.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json={"text": text}, headers=h)
        assert r.status_code == 200, r.text
        turn = r.json()
        assert turn["text"] and turn["session_id"] == iid
        assert "delta" in turn and "coverage" in turn["delta"]
        versions.append(turn["delta"]["version"])
    assert versions == sorted(versions)

    # Streaming: chunks of the reply as `delta` events, then the whole turn, then `done`.
    with api.client.stream(
        "POST",
        f"/v1/kickoffs/{kid}/interviews/{iid}/messages",
        json={"text": "Why does it matter that just one person is accountable?"},
        headers={**h, "Accept": "text/event-stream"},
    ) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = sse_events(r.read().decode())
    names = [e for e, _ in events]
    assert names[-2:] == ["turn", "done"] and names.count("delta") >= 2
    turn = json.loads(events[-2][1])
    assert "".join(json.loads(d)["text"] for e, d in events if e == "delta") == turn["text"]
    assert turn["answer"], "a stakeholder's question gets an answer"

    interview = api.client.get(f"/v1/kickoffs/{kid}/interviews/{iid}", headers=h).json()
    said = [t["text"] for t in interview["turns"] if t["role"] == "stakeholder"]
    assert said[:2] == answers

    charter = api.client.get(f"/v1/kickoffs/{kid}/charter", headers=h).json()
    assert charter["accountable"] == "Maria Lopez"
    assert api.client.get(f"/v1/kickoffs/{kid}/coverage", headers=h).json()["accountability"] == "covered"
    gaps = api.client.get(f"/v1/kickoffs/{kid}/gaps", headers=h).json()
    assert "training_lead" in gaps["missing_roles"] and gaps["suggestions"]

    ended = api.client.post(f"/v1/kickoffs/{kid}/interviews/{iid}/end", headers=h).json()
    assert ended["done"] is True and ended["kind"] == "closing"
    r = api.client.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json={"text": "one more"}, headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"


def test_charter_formats_edits_versions_and_audit(api: Api) -> None:
    h = api.tenant()
    kid = new_kickoff(api, h)
    iid = api.client.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Maria Lopez"}, headers=h).json()[
        "interview_id"
    ]
    api.client.post(
        f"/v1/kickoffs/{kid}/interviews/{iid}/messages",
        json={"text": "I'll be accountable for it, and I'm your main contact."},
        headers=h,
    )
    md = api.client.get(f"/v1/kickoffs/{kid}/charter?format=md", headers=h)
    assert md.headers["content-type"].startswith("text/markdown") and "Maria Lopez" in md.text
    md2 = api.client.get(f"/v1/kickoffs/{kid}/charter", headers={**h, "Accept": "text/markdown"})
    assert md2.text.splitlines()[0] == md.text.splitlines()[0]
    docx = api.client.get(f"/v1/kickoffs/{kid}/charter?format=docx", headers=h)
    assert docx.status_code == 200 and docx.headers["content-type"].startswith("application/vnd.openxml")
    doc = Document(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "Maria Lopez" in text

    before = api.client.get(f"/v1/kickoffs/{kid}/charter/versions", headers=h).json()
    r = api.client.put(
        f"/v1/kickoffs/{kid}/charter",
        json={"author": "Priya Shah", "sections": {"training": "Ana Ruiz will run the training."}, "note": "review"},
        headers=h,
    )
    assert r.status_code == 200, r.text
    edited = r.json()
    assert edited["sections"]["training"]["notes"][0]["author"] == "Priya Shah"
    after = api.client.get(f"/v1/kickoffs/{kid}/charter/versions", headers=h).json()
    assert len(after) == len(before) + 1
    assert after[-1]["author"] == "Priya Shah" and after[-1]["version"] == edited["version"]
    old = api.client.get(f"/v1/kickoffs/{kid}/charter/versions/{before[-1]['version']}", headers=h).json()
    assert old["edits"] == [] and old["version"] == before[-1]["version"]
    audit = api.client.get(f"/v1/kickoffs/{kid}/audit", headers=h).json()
    edit = [a for a in audit if a["action"] == "charter.edit"]
    assert edit and "Priya Shah" in edit[0]["actor"] and edit[0]["detail"]["sections"]["training"]
    assert {"kickoff.create", "interview.start", "interview.message"} <= {a["action"] for a in audit}


def test_live_call_segments_events_websocket(api: Api) -> None:
    h = api.tenant()
    kid = new_kickoff(api, h)
    r = api.client.post(f"/v1/kickoffs/{kid}/calls", json={"title": "Kickoff call"}, headers=h)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    seg = {"speaker": "Maria Lopez", "text": "I'll be accountable for it, and I'm your main contact.", "id": "s-1"}
    first = api.client.post(f"/v1/kickoffs/{kid}/calls/{cid}/segments", json=seg, headers=h).json()
    again = api.client.post(f"/v1/kickoffs/{kid}/calls/{cid}/segments", json=seg, headers=h).json()
    assert first["applied"] is True and again == {"applied": False, "events": []}
    turns = [t for t in api.service.get_state(api.principal(h), kid).turns if t.session_id == cid]
    assert len(turns) == 1, "a repeated segment is not applied twice"

    # The feed, as SSE from a cursor.
    r = api.client.get(f"/v1/kickoffs/{kid}/calls/{cid}/events", headers=h)
    events = sse_events(r.text)
    assert events[-1][0] == "done"
    feed = [json.loads(d) for e, d in events if e == "event"]
    assert [e["cursor"] for e in feed] == [e["cursor"] for e in first["events"]]
    if feed:
        rest = api.client.get(f"/v1/kickoffs/{kid}/calls/{cid}/events?after={feed[-1]['cursor']}", headers=h)
        assert [e for e, _ in sse_events(rest.text)] == ["done"]

    # The WebSocket: segments in, {applied, events} out.
    token = h["Authorization"].split()[1]
    with api.client.websocket_connect(f"/v1/kickoffs/{kid}/calls/{cid}/ws?token={token}") as ws:
        ws.send_json({"speaker": "Sam Ortiz", "text": "Weekly stand-up on Teams every Tuesday; I run it.", "id": "s-2"})
        got = ws.receive_json()
        assert got["applied"] is True
        ws.send_json({"speaker": "Sam Ortiz"})
        assert ws.receive_json()["error"]["code"] == "validation_error"

    with (
        pytest.raises(WebSocketDisconnect) as refused,
        api.client.websocket_connect(f"/v1/kickoffs/{kid}/calls/{cid}/ws?token=wrong") as ws,
    ):
        ws.receive_json()
    assert refused.value.code == 4401

    review = api.client.post(f"/v1/kickoffs/{kid}/calls/{cid}/end", headers=h).json()
    assert set(review) == {"call_id", "uncovered", "missing_roles", "open_risks"}
    r = api.client.post(f"/v1/kickoffs/{kid}/calls/{cid}/segments", json={**seg, "id": "s-3"}, headers=h)
    assert r.status_code == 409
    # follow=true on an ended call drains and closes; Last-Event-ID resumes like ?after=.
    everything = sse_events(api.client.get(f"/v1/kickoffs/{kid}/calls/{cid}/events?follow=true", headers=h).text)
    assert everything[-1][0] == "done" and json.loads(everything[-1][1])["ended"] is True
    cursors = [json.loads(d)["cursor"] for e, d in everything if e == "event"]
    assert len(cursors) >= len(feed)
    if cursors:
        resumed = api.client.get(
            f"/v1/kickoffs/{kid}/calls/{cid}/events", headers={**h, "Last-Event-ID": str(cursors[0])}
        )
        assert [json.loads(d)["cursor"] for e, d in sse_events(resumed.text) if e == "event"] == cursors[1:]
