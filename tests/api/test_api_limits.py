"""Limits (413, 429 + Retry-After), the one error shape, idempotency, auth and revocation, health."""

from __future__ import annotations

import threading

from api_support import Api, ApiFactory

from assistant.engine import Engine


def error_of(r: object) -> dict[str, str]:
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) >= {"error"} and set(body["error"]) == {"code", "message"}, body
    return body["error"]  # type: ignore[no-any-return]


def interview(api: Api, h: dict[str, str]) -> tuple[str, str]:
    kid = api.client.post("/v1/kickoffs", json={"brief": "A CRM rollout"}, headers=h).json()["id"]
    iid = api.client.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Ann Lee"}, headers=h).json()[
        "interview_id"
    ]
    return kid, iid


def test_size_limits_answer_413_before_any_model_call(make_api: ApiFactory, monkeypatch: object) -> None:
    api = make_api(max_message_chars=200, max_upload_bytes=2000, max_request_bytes=5000)
    h = api.tenant()
    kid, iid = interview(api, h)
    calls: list[str] = []
    original = Engine.reply

    def spy(self: Engine, *args: object) -> object:
        calls.append("reply")
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "reply", spy)  # type: ignore[attr-defined]
    url = f"/v1/kickoffs/{kid}/interviews/{iid}/messages"
    r = api.client.post(url, json={"text": "x" * 201}, headers=h)
    assert r.status_code == 413 and error_of(r)["code"] == "payload_too_large"
    r = api.client.post(url, json={"text": "x" * 6000}, headers=h)
    assert r.status_code == 413 and error_of(r)["code"] == "payload_too_large"
    seg = {"speaker": "Ann", "text": "y" * 201}
    cid = api.client.post(f"/v1/kickoffs/{kid}/calls", json={}, headers=h).json()["id"]
    assert api.client.post(f"/v1/kickoffs/{kid}/calls/{cid}/segments", json=seg, headers=h).status_code == 413
    assert calls == []
    r = api.client.post("/v1/documents", files={"file": ("big.md", b"# Big\n\n" + b"word " * 600)}, headers=h)
    assert r.status_code == 413 and error_of(r)["code"] == "payload_too_large"
    assert api.client.post(url, json={"text": "Fine."}, headers=h).status_code == 200 and calls == ["reply"]


def test_rate_limit_429_with_retry_after(make_api: ApiFactory) -> None:
    api = make_api(rate_limit_per_minute=3)
    h, other = api.tenant(), api.tenant()
    codes = [api.client.get("/v1/kickoffs", headers=h).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = api.client.get("/v1/kickoffs", headers=h)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
    assert error_of(r)["code"] == "rate_limited"
    assert api.client.get("/v1/kickoffs", headers=other).status_code == 200, "the limit is per key"


def test_one_error_shape_everywhere(api: Api) -> None:
    c = api.client
    h = api.tenant()
    cases = [
        (c.get("/v1/kickoffs"), 401, "unauthorized"),
        (c.get("/v1/kickoffs", headers={"Authorization": "Bearer nope"}), 401, "unauthorized"),
        (c.get("/v1/kickoffs/ko_missing", headers=h), 404, "not_found"),
        (c.get("/no/such/path"), 404, "not_found"),
        (c.delete("/v1/kickoffs", headers=h), 405, "method_not_allowed"),
        (c.post("/v1/kickoffs", json={"brief": ""}, headers=h), 422, "validation_error"),
        (c.post("/v1/kickoffs", content=b"{not json", headers={**h, "content-type": "application/json"}), 422, None),
        (c.get("/v1/kickoffs?limit=0", headers=h), 422, "validation_error"),
    ]
    for r, status, code in cases:
        assert r.status_code == status, (r.request.url, r.text)
        err = error_of(r)
        assert code is None or err["code"] == code
    assert "Allow" in cases[4][0].headers


def test_a_5xx_never_leaks_a_stack_trace(api: Api, monkeypatch: object) -> None:
    h = api.tenant()

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("secret internals at /srv/app.py line 42")

    monkeypatch.setattr(api.service, "list_kickoffs", boom)  # type: ignore[attr-defined]
    r = api.client.get("/v1/kickoffs", headers=h)
    assert r.status_code == 500 and error_of(r)["code"] == "internal_error"
    assert "secret" not in r.text and "Traceback" not in r.text and "line 42" not in r.text


def test_idempotency_key_processes_a_message_at_most_once(api: Api) -> None:
    h = api.tenant()
    kid, iid = interview(api, h)
    url = f"/v1/kickoffs/{kid}/interviews/{iid}/messages"
    body = {"text": "I'll be accountable for it, and I'm your main contact."}
    headers = {**h, "Idempotency-Key": "msg-1"}
    results: list[object] = []

    def send() -> None:
        results.append(api.client.post(url, json=body, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = [r.status_code for r in results]  # type: ignore[attr-defined]
    assert statuses == [200, 200, 200]
    turns = {r.json()["turn_id"] for r in results}  # type: ignore[attr-defined]
    assert len(turns) == 1, "every retry replays the same turn"
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in results) == 2  # type: ignore[attr-defined]
    said = [t for t in api.client.get(f"/v1/kickoffs/{kid}/interviews/{iid}", headers=h).json()["turns"]]
    assert [t["text"] for t in said if t["role"] == "stakeholder"] == [body["text"]]
    # Replay as a stream too.
    r = api.client.post(url, json=body, headers={**headers, "Accept": "text/event-stream"})
    assert r.status_code == 200 and '"replayed": true' in r.text
    # The same key for a different request is refused.
    r = api.client.post(url, json={"text": "Something else."}, headers=headers)
    assert r.status_code == 409 and error_of(r)["code"] == "idempotency_conflict"
    # Keys are per tenant: another tenant's same key is unrelated.
    h2 = api.tenant()
    k2, i2 = interview(api, h2)
    r = api.client.post(
        f"/v1/kickoffs/{k2}/interviews/{i2}/messages", json=body, headers={**h2, "Idempotency-Key": "msg-1"}
    )
    assert r.status_code == 200 and r.headers.get("Idempotent-Replayed") is None


def test_revoked_key_and_health(api: Api) -> None:
    h = api.tenant("revokable")
    assert api.client.get("/v1/kickoffs", headers=h).status_code == 200
    api.service.store.revoke_tenant("revokable")
    r = api.client.get("/v1/kickoffs", headers=h)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == "Bearer"
    assert api.client.get("/healthz").json() == {"status": "ok", "checks": {}}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "vector_store": "ok"}
    assert api.client.get("/openapi.json").json()["paths"]["/v1/kickoffs"]
    assert api.client.get("/docs").status_code == 200


def test_cors_origins_from_settings(make_api: ApiFactory) -> None:
    api = make_api(cors_origins=["https://portal.example"], max_request_bytes=2000)
    big = api.client.post("/v1/kickoffs", content=b"x" * 3000, headers={"Origin": "https://portal.example"})
    assert big.status_code == 413 and big.headers["access-control-allow-origin"] == "https://portal.example"
    r = api.client.options(
        "/v1/kickoffs",
        headers={"Origin": "https://portal.example", "Access-Control-Request-Method": "POST"},
    )
    assert r.headers["access-control-allow-origin"] == "https://portal.example"
    r = api.client.options(
        "/v1/kickoffs", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in r.headers
