"""Model tokens over HTTP: a message's SSE stream carries the model's draft answer as it is written, then the
committed turn; a draft that fails its checks is reset; errors before any output keep their status code."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from api_support import Api, ApiFactory
from fake_openai import FakeOpenAI
from test_api_interview import new_kickoff, sse_events

QUESTION = "Why does it matter that just one person is accountable?"
ANSWER = "One accountable owner makes decisions quickly and ends finger-pointing [1]."


@pytest.fixture
def llm_api(make_api: ApiFactory, fake_openai: FakeOpenAI) -> Api:
    return make_api(model="llm", llm_base_url=fake_openai.base_url, llm_model="m", llm_timeout_s=10)


def interview(api: Api) -> tuple[dict[str, str], str, str]:
    h = api.tenant()
    kid = new_kickoff(api, h)
    r = api.client.post(f"/v1/kickoffs/{kid}/interviews", json={"stakeholder": "Maria Lopez"}, headers=h)
    assert r.status_code == 201, r.text
    return h, kid, r.json()["interview_id"]


def ask(fake: FakeOpenAI, answer: str, trickle: float = 0.0) -> None:
    fake.reply({"questions": [QUESTION]})  # the understanding call sees a question for the assistant
    if trickle:
        fake.trickle(answer, trickle)
    else:
        fake.reply(answer)


def test_the_models_pieces_arrive_as_deltas_then_the_turn(llm_api: Api, fake_openai: FakeOpenAI) -> None:
    h, kid, iid = interview(llm_api)
    ask(fake_openai, ANSWER)
    with llm_api.client.stream(
        "POST",
        f"/v1/kickoffs/{kid}/interviews/{iid}/messages",
        json={"text": QUESTION},
        headers={**h, "Accept": "text/event-stream"},
    ) as r:
        assert r.status_code == 200
        events = sse_events(r.read().decode())
    names = [e for e, _ in events]
    assert names[-2:] == ["turn", "done"] and "reset" not in names
    deltas = [json.loads(d)["text"] for e, d in events if e == "delta"]
    # The first pieces are the model's own (the fake streams 8 characters at a time), not re-chunked words.
    assert deltas[:3] == [ANSWER[0:8], ANSWER[8:16], ANSWER[16:24]]
    turn = json.loads(events[-2][1])
    assert turn["answer"] == ANSWER and turn["text"].startswith(ANSWER)
    assert "".join(deltas) == turn["text"]


def test_a_draft_that_fails_its_checks_is_reset(llm_api: Api, fake_openai: FakeOpenAI) -> None:
    h, kid, iid = interview(llm_api)
    stats = llm_api.service.engine(llm_api.principal(h).tenant_id).understanding.model.stats  # type: ignore[attr-defined]
    counted = stats.snapshot()  # the counters are the endpoint's, shared by every engine in the process
    ask(fake_openai, "Because it is simply better, trust me.")  # no citation: the built-in answer replaces it
    with llm_api.client.stream(
        "POST",
        f"/v1/kickoffs/{kid}/interviews/{iid}/messages",
        json={"text": QUESTION},
        headers={**h, "Accept": "text/event-stream"},
    ) as r:
        events = sse_events(r.read().decode())
    names = [e for e, _ in events]
    assert "reset" in names and names[-2:] == ["turn", "done"]
    after_reset = names.index("reset")
    before = "".join(json.loads(d)["text"] for e, d in events[:after_reset] if e == "delta")
    after = "".join(json.loads(d)["text"] for e, d in events[after_reset:] if e == "delta")
    turn = json.loads(events[-2][1])
    assert before == "Because it is simply better, trust me."
    assert after == turn["text"] and "trust me" not in turn["text"] and "[1]" in turn["text"]
    assert stats.snapshot().minus(counted).fallbacks == {"ungrounded": 1}


def test_errors_before_any_output_keep_their_status(llm_api: Api, fake_openai: FakeOpenAI) -> None:
    h, kid, iid = interview(llm_api)
    sse = {**h, "Accept": "text/event-stream"}
    missing = llm_api.client.post(f"/v1/kickoffs/{kid}/interviews/nope/messages", json={"text": "hi"}, headers=sse)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    llm_api.client.post(f"/v1/kickoffs/{kid}/interviews/{iid}/end", headers=h)
    closed = llm_api.client.post(f"/v1/kickoffs/{kid}/interviews/{iid}/messages", json={"text": "hi"}, headers=sse)
    assert closed.status_code == 409 and fake_openai.requests == []


@pytest.fixture
def served(llm_api: Api) -> Iterator[str]:
    """The same app on a real socket, so the test sees bytes as the server sends them."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(llm_api.client.app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_tokens_reach_the_client_before_the_turn_is_done(llm_api: Api, fake_openai: FakeOpenAI, served: str) -> None:
    h, kid, iid = interview(llm_api)
    ask(fake_openai, ANSWER, trickle=0.1)  # ten pieces, about a second in all
    arrivals: list[tuple[float, str, str]] = []
    start = time.monotonic()
    with httpx.stream(
        "POST",
        f"{served}/v1/kickoffs/{kid}/interviews/{iid}/messages",
        json={"text": QUESTION},
        headers={**h, "Accept": "text/event-stream"},
        timeout=30,
    ) as r:
        assert r.status_code == 200
        buffer = ""
        for text in r.iter_text():
            buffer += text
            *blocks, buffer = buffer.replace("\r\n", "\n").split("\n\n")
            for name, data in sse_events("\n\n".join(blocks)):
                arrivals.append((time.monotonic() - start, name, data))
    first_delta = next(t for t, name, _ in arrivals if name == "delta")
    turn_at = next(t for t, name, _ in arrivals if name == "turn")
    assert turn_at - first_delta > 0.5, arrivals  # the first words were shown long before the turn was done
    assert json.loads(next(d for _, n, d in arrivals if n == "turn"))["answer"] == ANSWER
