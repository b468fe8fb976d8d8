"""Property tests: arbitrary, huge, empty and control-character input, through the engine and the API.

Engine: an answer or a live segment gives a normal reply or InvalidInput, nothing else; afterwards the
state is still valid: it round-trips through JSON, and the charter renders to Markdown and DOCX.
API: the same inputs (and arbitrary briefs, titles, names, raw JSON bodies) give a clean 4xx with the
JSON error shape or a normal 2xx, never a 5xx.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.api import create_app
from assistant.charter import to_docx, to_markdown
from assistant.config import Settings
from assistant.engine import AssistantTurn, Engine
from assistant.errors import InvalidInput
from assistant.factory import build_engine
from assistant.live import Segment, add_segment, start_call
from assistant.service import KickoffService
from assistant.state import KickoffState
from assistant.store import Store

BRIEF = "Roll out a new electronic rostering system to the wards by spring."
LIMIT = 8000  # Settings.max_message_chars, the engine's and the API's limit

PROPS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)

# Text that hurts: any unicode (lone surrogates excluded: they cannot be sent as UTF-8 JSON and are
# tested separately below), control and format characters, whitespace only, and huge runs.
controls = st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=50)
mixed = st.text(st.characters(exclude_categories=["Cs"]), max_size=400)
huge = st.builds(
    lambda c, n: c * n,
    st.sampled_from(["a", "é", "👍🏽", "\u200b", "x ", "Tom is accountable. "]),
    st.integers(LIMIT // 20, LIMIT + 500),
)
near_limit = st.builds(
    lambda n: "Tom is accountable. " * (n // 20) + "x" * (n % 20), st.integers(LIMIT - 40, LIMIT + 40)
)
texts = st.one_of(
    mixed,
    controls,
    huge,
    near_limit,
    st.just(""),
    st.just("   \n\t "),
    st.builds(lambda a, b: f"{a} Maria Lopez is accountable. {b}", mixed, controls),
)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine(Settings(), retrieval=False)


def assert_valid(engine: Engine, state: KickoffState) -> None:
    again = KickoffState.model_validate_json(state.model_dump_json())
    assert again == state
    charter = engine.charter(state)
    assert to_markdown(charter, engine.book).startswith("#")
    docx.Document(io.BytesIO(to_docx(charter, engine.book)))  # a DOCX Word can open


@PROPS
@given(answers=st.lists(texts, min_size=1, max_size=3))
def test_engine_answers(engine: Engine, answers: list[str]) -> None:
    state = engine.new_kickoff("k1", BRIEF, "Rostering")
    sid = engine.start_interview(state, "Maria Lopez").session_id
    for text in answers:
        before = state.model_dump_json()
        try:
            turn = engine.reply(state, sid, text)
        except InvalidInput as e:
            assert str(e)
            assert not text.strip() or len(text) > LIMIT or state.session(sid).status == "closed"
            assert state.model_dump_json() == before, "a refused message must leave the state as it was"
        else:
            assert isinstance(turn, AssistantTurn) and turn.text
            assert text.strip() and len(text) <= LIMIT
    assert_valid(engine, state)


@PROPS
@given(
    segments=st.lists(
        st.tuples(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=60), texts),
        min_size=1,
        max_size=3,
    )
)
def test_engine_live_segments(engine: Engine, segments: list[tuple[str, str]]) -> None:
    state = engine.new_kickoff("k1", BRIEF, "Rostering")
    call = start_call(engine, state, "Kickoff call")
    for speaker, text in segments:
        try:
            add_segment(engine, state, call.id, Segment(speaker=speaker, text=text[:20_000]))
        except InvalidInput as e:
            assert str(e)
    assert_valid(engine, state)


@pytest.mark.parametrize("text", ["\ud800", "Maria \udfff is accountable", "ok"])
def test_engine_lone_surrogates(engine: Engine, text: str) -> None:
    """JSON's "\\ud800" escape decodes to a lone surrogate; the state must still serialise."""
    state = engine.new_kickoff("k1", BRIEF, "Rostering")
    sid = engine.start_interview(state, "Maria Lopez").session_id
    before = state.model_dump_json()
    try:
        engine.reply(state, sid, text)
    except InvalidInput:
        assert state.model_dump_json() == before
    assert_valid(engine, state)


# ---- the API ---------------------------------------------------------------------------------------


class Client:
    def __init__(self, tmp: Path) -> None:
        self.settings = Settings(
            data_dir=tmp, database_url=f"sqlite:///{tmp / 'k.db'}", rate_limit_per_minute=1_000_000
        )
        self.store = Store(self.settings)
        engine = build_engine(self.settings, retrieval=False)
        service = KickoffService(self.store, self.settings, engine_for=lambda _t: engine)
        self.c = TestClient(create_app(self.settings, service=service), raise_server_exceptions=False)
        _, key = self.store.create_tenant("props")
        self.h = {"Authorization": f"Bearer {key}"}
        r = self.c.post("/v1/kickoffs", json={"brief": BRIEF}, headers=self.h)
        self.kickoff = r.json()["id"]

    def interview(self) -> str:
        r = self.c.post(f"/v1/kickoffs/{self.kickoff}/interviews", json={"stakeholder": "Maria Lopez"}, headers=self.h)
        assert r.status_code == 201, r.text
        return str(r.json()["interview_id"])


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    client = Client(tmp_path_factory.mktemp("props-api"))
    yield client
    client.c.close()
    client.store.dispose()


def clean(r: Any) -> None:
    """A normal 2xx, or a 4xx with the one error shape; never a 5xx."""
    assert r.status_code < 500, f"{r.status_code}: {r.text[:300]}"
    if r.status_code >= 400:
        body = r.json()
        assert set(body["error"]) >= {"code", "message"} and body["error"]["message"]


@PROPS
@given(text=texts)
def test_api_message(api: Client, text: str) -> None:
    iid = api.interview()
    clean(api.c.post(f"/v1/kickoffs/{api.kickoff}/interviews/{iid}/messages", json={"text": text}, headers=api.h))
    clean(api.c.get(f"/v1/kickoffs/{api.kickoff}/interviews/{iid}", headers=api.h))


@PROPS
@given(brief=texts, title=st.one_of(mixed, controls), names=st.lists(st.one_of(mixed, controls), max_size=3))
def test_api_kickoff_and_charter(api: Client, brief: str, title: str, names: list[str]) -> None:
    body = {"brief": brief, "title": title, "stakeholders": [{"name": n} for n in names]}
    r = api.c.post("/v1/kickoffs", json=body, headers=api.h)
    clean(r)
    if r.status_code == 201:
        k = r.json()["id"]
        for n in names:
            clean(api.c.post(f"/v1/kickoffs/{k}/interviews", json={"stakeholder": n}, headers=api.h))
        clean(api.c.get(f"/v1/kickoffs/{k}/charter", headers=api.h))
        clean(api.c.get(f"/v1/kickoffs/{k}/charter?format=md", headers=api.h))
        clean(api.c.get(f"/v1/kickoffs/{k}/charter?format=docx", headers=api.h))


@PROPS
@given(speaker=st.one_of(mixed, controls), text=texts)
def test_api_live_segment(api: Client, speaker: str, text: str) -> None:
    r = api.c.post(f"/v1/kickoffs/{api.kickoff}/calls", json={"title": "call"}, headers=api.h)
    clean(r)
    if r.status_code < 300:
        call = r.json()["id"]
        seg = {"speaker": speaker, "text": text}
        clean(api.c.post(f"/v1/kickoffs/{api.kickoff}/calls/{call}/segments", json=seg, headers=api.h))


@PROPS
@given(raw=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_api_raw_bodies(api: Client, raw: bytes) -> None:
    iid = api.interview()
    url = f"/v1/kickoffs/{api.kickoff}/interviews/{iid}/messages"
    clean(api.c.post(url, content=raw, headers={**api.h, "Content-Type": "application/json"}))


@pytest.mark.parametrize("escaped", ['"\\ud800"', '"Maria \\udfff is accountable"', '"\\u0000"', '"a\\ud83d"'])
def test_api_lone_surrogate_escapes(api: Client, escaped: str) -> None:
    """Valid JSON, invalid Unicode: must not reach the store as a string it cannot encode."""
    iid = api.interview()
    raw = ('{"text": ' + escaped + "}").encode()
    url = f"/v1/kickoffs/{api.kickoff}/interviews/{iid}/messages"
    clean(api.c.post(url, content=raw, headers={**api.h, "Content-Type": "application/json"}))
    clean(
        api.c.post(
            "/v1/kickoffs",
            content=('{"brief": ' + escaped + "}").encode(),
            headers={**api.h, "Content-Type": "application/json"},
        )
    )
    clean(api.c.get(f"/v1/kickoffs/{api.kickoff}", headers=api.h))
    assert json.loads(api.c.get(f"/v1/kickoffs/{api.kickoff}", headers=api.h).text)["id"] == api.kickoff
