"""Two tenants: every route and method, with B's key and A's ids, gets 0 successes and none of A's data."""

from __future__ import annotations

import re

import pytest
from api_support import Api
from starlette.websockets import WebSocketDisconnect

MARKER = "Zanzibar-Quokka"
DOC = f"""# Quokka programme

## Ownership

The {MARKER} programme is owned by Dana Whitcombe, who signs off every release of the
quokka telemetry pipeline. Whitcombe chairs the quokka review each Thursday.
"""

# A valid body for each route that takes one, so B's requests fail on ownership, not on validation.
BODIES: dict[tuple[str, str], dict[str, object]] = {
    ("POST", "/v1/kickoffs/{kickoff_id}/stakeholders"): {"name": "Mallory"},
    ("POST", "/v1/kickoffs/{kickoff_id}/interviews"): {"stakeholder": "Mallory"},
    ("POST", "/v1/kickoffs/{kickoff_id}/interviews/{interview_id}/messages"): {"text": "I own it now."},
    ("PUT", "/v1/kickoffs/{kickoff_id}/charter"): {"author": "Mallory", "sections": {"scope": "x"}},
    ("POST", "/v1/kickoffs/{kickoff_id}/calls"): {"title": "x"},
    ("POST", "/v1/kickoffs/{kickoff_id}/calls/{call_id}/segments"): {"speaker": "Mallory", "text": "Mine."},
    ("POST", "/v1/kickoffs/{kickoff_id}/pending/{pending_id}"): {"decision": "accept", "author": "Mallory"},
}
# Routes with no id of A's in them: B may use them, but must see none of A's data.
UNSCOPED = {
    ("POST", "/v1/kickoffs"),
    ("GET", "/v1/kickoffs"),
    ("POST", "/v1/documents"),
    ("GET", "/v1/documents"),
    ("GET", "/v1/search"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
}


def test_cross_tenant(api: Api) -> None:
    a, b = api.tenant("tenant-a"), api.tenant("tenant-b")
    c = api.client
    kid = c.post("/v1/kickoffs", json={"brief": f"{MARKER} telemetry rollout", "title": MARKER}, headers=a).json()["id"]
    iid = c.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Dana Whitcombe"}, headers=a).json()[
        "interview_id"
    ]
    c.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json={"text": "I'll be accountable for it."}, headers=a)
    said = {"text": "Trent Walker is the accountable owner."}  # a pending change of A's, for B to try
    c.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json=said, headers=a)
    (pending,) = c.get(f"/v1/kickoffs/{kid}/pending", headers=a).json()
    cid = c.post(f"/v1/kickoffs/{kid}/calls", json={"title": "call"}, headers=a).json()["id"]
    up = c.post("/v1/documents", files={"file": ("quokka.md", DOC.encode(), "text/markdown")}, headers=a)
    assert up.status_code == 201, up.text
    source = up.json()["source"]
    ids = {
        "kickoff_id": kid,
        "interview_id": iid,
        "call_id": cid,
        "version": "1",
        "source": source,
        "pending_id": pending["id"],
    }
    a_state = c.get(f"/v1/kickoffs/{kid}", headers=a).json()

    tried, successes = 0, []
    # Every operation the app publishes (new routes are covered automatically), plus the WebSocket.
    paths = c.get("/openapi.json").json()["paths"]
    for template, operations in paths.items():
        for method in operations:
            key = (method.upper(), template)
            if key in UNSCOPED:
                continue
            path = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
            r = c.request(method.upper(), path, headers=b, json=BODIES.get(key))
            tried += 1
            if r.status_code != 404:
                successes.append((method, template, r.status_code, r.text[:200]))
                continue
            assert r.json()["error"]["code"] == "not_found"
            assert MARKER not in r.text and "Whitcombe" not in r.text
    token = b["Authorization"].split()[1]
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        c.websocket_connect(f"/v1/kickoffs/{kid}/calls/{cid}/ws?token={token}") as ws,
    ):
        ws.receive_json()
    assert closed.value.code == 4404
    tried += 1
    assert successes == []
    assert tried >= 20, "every kickoff-scoped route was tried"

    # The unscoped routes, as B: nothing of A's.
    assert c.get("/v1/kickoffs", headers=b).json() == []
    assert c.get("/v1/documents", headers=b).json() == []
    hits = c.get(
        "/v1/search", params={"q": f"Who owns the {MARKER} programme and the quokka review?", "k": 10}, headers=b
    )
    assert hits.status_code == 200 and hits.json()
    assert all(p["source"] != source and "Whitcombe" not in p["text"] for p in hits.json())
    # ...while A's own search finds it.
    mine = c.get("/v1/search", params={"q": f"Who owns the {MARKER} programme?", "k": 10}, headers=a).json()
    assert any(p["source"] == source for p in mine)

    # B's own interview: the answer to the same question never cites A's document.
    bk = c.post("/v1/kickoffs", json={"brief": "A CRM rollout"}, headers=b).json()["id"]
    bi = c.post(f"/v1/kickoffs/{bk}/interviews", json={"stakeholder": "Bo Berg"}, headers=b).json()["interview_id"]
    r = c.post(
        f"/v1/kickoffs/{bk}/interviews/{bi}/messages",
        json={"text": f"Who owns the {MARKER} programme and chairs the quokka review?"},
        headers=b,
    )
    assert r.status_code == 200
    assert "Whitcombe" not in r.text and all(x["source"] != source for x in r.json()["citations"])

    # A is untouched by all of B's attempts.
    assert c.get(f"/v1/kickoffs/{kid}", headers=a).json() == a_state
    assert [d["source"] for d in c.get("/v1/documents", headers=a).json()] == [source]
