"""Pending changes over the API: listed with the exact words, accepted or rejected by a named person (a new
charter version and an audit entry each), 409 once decided, and invisible to other tenants."""

from __future__ import annotations

from api_support import Api
from test_api_interview import new_kickoff


def owner_then_other(api: Api, h: dict[str, str]) -> tuple[str, str]:
    kid = new_kickoff(api, h)
    iid = api.client.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Maria Lopez"}, headers=h).json()[
        "interview_id"
    ]
    for text in ("I'm accountable for the rollout.", "Trent Walker is the accountable owner."):
        r = api.client.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json={"text": text}, headers=h)
        assert r.status_code == 200, r.text
    (pending,) = api.client.get(f"/v1/kickoffs/{kid}/pending", headers=h).json()
    return kid, pending["id"]


def test_accept_applies_the_change_with_a_version_and_an_audit_entry(api: Api) -> None:
    h = api.tenant()
    kid, pid = owner_then_other(api, h)
    (listed,) = api.client.get(f"/v1/kickoffs/{kid}/pending", headers=h).json()
    assert listed == {
        "id": pid,
        "role": "accountable_owner",
        "person": "Trent Walker",
        "replaces": ["Maria Lopez"],
        "said_by": "Maria Lopez",
        "words": "Trent Walker is the accountable owner.",
        "status": "pending",
        "decided_by": None,
        "note": "",
    }
    charter = api.client.get(f"/v1/kickoffs/{kid}/charter", headers=h).json()
    assert charter["accountable"] == "Maria Lopez"
    assert any(f["kind"] == "pending_change" for f in charter["flags"])
    versions = len(api.client.get(f"/v1/kickoffs/{kid}/charter/versions", headers=h).json())

    r = api.client.post(f"/v1/kickoffs/{kid}/pending/{pid}", json={"decision": "accept", "author": "Fay"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["accountable"] == "Trent Walker"
    assert not any(f["kind"] == "pending_change" for f in r.json()["flags"])
    assert len(api.client.get(f"/v1/kickoffs/{kid}/charter/versions", headers=h).json()) == versions + 1
    audit = api.client.get(f"/v1/kickoffs/{kid}/audit", headers=h).json()
    assert audit[-1]["action"] == "pending.accept" and audit[-1]["actor"].endswith("/Fay")

    again = api.client.post(
        f"/v1/kickoffs/{kid}/pending/{pid}", json={"decision": "reject", "author": "Fay"}, headers=h
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_reject_keeps_the_owner(api: Api) -> None:
    h = api.tenant()
    kid, pid = owner_then_other(api, h)
    body = {"decision": "reject", "author": "Fay", "note": "Maria confirmed she owns it"}
    r = api.client.post(f"/v1/kickoffs/{kid}/pending/{pid}", json=body, headers=h)
    assert r.status_code == 200 and r.json()["accountable"] == "Maria Lopez"
    (listed,) = api.client.get(f"/v1/kickoffs/{kid}/pending", headers=h).json()
    assert (listed["status"], listed["decided_by"], listed["note"]) == ("rejected", "Fay", body["note"])


def test_bad_input_and_other_tenants(api: Api) -> None:
    h, other = api.tenant(), api.tenant()
    kid, pid = owner_then_other(api, h)
    assert api.client.get(f"/v1/kickoffs/{kid}/pending", headers=other).status_code == 404
    r = api.client.post(f"/v1/kickoffs/{kid}/pending/{pid}", json={"decision": "accept", "author": "x"}, headers=other)
    assert r.status_code == 404
    missing = api.client.post(f"/v1/kickoffs/{kid}/pending/p999", json={"decision": "accept", "author": "x"}, headers=h)
    assert missing.status_code == 404
    bad = api.client.post(f"/v1/kickoffs/{kid}/pending/{pid}", json={"decision": "maybe", "author": "x"}, headers=h)
    assert bad.status_code == 422
    blank = api.client.post(f"/v1/kickoffs/{kid}/pending/{pid}", json={"decision": "accept", "author": " "}, headers=h)
    assert blank.status_code == 422
    assert api.client.get(f"/v1/kickoffs/{kid}/charter", headers=h).json()["accountable"] == "Maria Lopez"
