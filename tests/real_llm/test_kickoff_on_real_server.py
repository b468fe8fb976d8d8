"""Kickoff's own LLM path against the real llama-cpp-python server (Gemma 3 270M): an interview with a question,
a live call, cancellation, and streamed answer tokens.

The model is weak, so these tests judge the protocol, not the charter: no fallback may be caused by the
protocol (the server refuses `json_schema` with HTTP 500, and the client must negotiate past it); fallbacks
for invalid content are allowed, counted by cause and written to test-artifacts/llm-server-facts.json.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from real_llm_support import LlamaServer

from assistant.config import Settings
from assistant.engine import Engine
from assistant.errors import ModelError
from assistant.factory import build_engine
from assistant.knowledge.index import KnowledgeBase
from assistant.live import Segment, add_segment, set_side, start_call
from assistant.llm_negotiation import ENDPOINTS
from assistant.llm_stats import LLMUsage
from assistant.openai_client import OpenAICompatibleModel
from assistant.respond_llm import LLMAnswerer
from assistant.state import Stakeholder

BRIEF = "A regional hospital group rolls out electronic rostering to its wards by spring."
OWNER = "Maria Lopez"


@pytest.fixture(scope="module")
def engine(llama_server: LlamaServer, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    ENDPOINTS.forget()
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("real-llm"),
        model="llm",
        llm_base_url=llama_server.base_url,
        llm_model=llama_server.model,
        llm_timeout_s=120,
        llm_max_tokens=200,  # the JSON a turn needs fits; a rambling small model is cut off, not waited for
    )
    return build_engine(settings, kb=KnowledgeBase(settings))


def _usage(engine: Engine) -> LLMUsage:
    return engine.understanding.model.stats.snapshot()  # type: ignore[attr-defined]


def _record(llm_facts: dict[str, Any], key: str, usage: LLMUsage, seconds: float, **more: Any) -> None:
    llm_facts[key] = {**usage.model_dump(), "protocol_fallbacks": usage.protocol_fallbacks, "seconds": seconds, **more}


def test_an_interview_has_no_protocol_fallback(
    engine: Engine, llama_server: LlamaServer, llm_facts: dict[str, Any]
) -> None:
    before, start = _usage(engine), time.monotonic()
    state = engine.new_kickoff("k1", BRIEF, "Rostering rollout", [Stakeholder(name=OWNER, title="Director of Nursing")])
    sid = engine.start_interview(state, OWNER).session_id
    drafted: list[str] = []
    for answer in (
        "I'm accountable for the rollout and I'm your main contact.",
        "Tom Becker from IT looks after the integration with payroll.",
        "Why does the playbook want one accountable owner?",
        "We will hold a weekly stand-up on Teams, run by Priya Shah.",
    ):
        engine.reply(state, sid, answer, on_token=drafted.append)
    usage = _usage(engine).minus(before)
    _record(llm_facts, "kickoff_interview", usage, round(time.monotonic() - start, 1), draft_pieces=len(drafted))
    assert usage.turns >= 4 and usage.calls >= usage.turns
    assert usage.protocol_fallbacks == 0, usage.fallbacks
    # The server refused json_schema (HTTP 500); the client moved on and remembered.
    assert ENDPOINTS.get(llama_server.base_url, llama_server.model).mode != "json_schema"
    assert usage.calls_without_usage == usage.calls - usage.failed_calls  # this server reports no usage when streaming


def test_a_live_call_has_no_protocol_fallback(engine: Engine, llm_facts: dict[str, Any]) -> None:
    before, start = _usage(engine), time.monotonic()
    state = engine.new_kickoff(
        "k2", BRIEF, "Rostering rollout", [Stakeholder(name=OWNER), Stakeholder(name="Lena Voss")]
    )
    call = start_call(engine, state, "Kickoff call")
    set_side(state, call.id, "Lena Voss", "provider")
    for speaker, text in (
        ("Lena Voss", "Thanks for joining. Who is accountable for the rollout on your side?"),
        (OWNER, "That's me. Tom Becker is our technical lead."),
        ("Lena Voss", "Who will run the training for the ward staff?"),
        (OWNER, "Our practice educator, Aisha Khan, will lead the training."),
    ):
        add_segment(engine, state, call.id, Segment(speaker=speaker, text=text))
    usage = _usage(engine).minus(before)
    _record(llm_facts, "kickoff_live_call", usage, round(time.monotonic() - start, 1))
    assert usage.turns >= 2 and usage.protocol_fallbacks == 0, usage.fallbacks


def test_the_deadline_stops_generation_on_the_server(llama_server: LlamaServer, llm_facts: dict[str, Any]) -> None:
    writer = OpenAICompatibleModel(llama_server.base_url, llama_server.model, timeout=2.0, max_tokens=2000)
    long = [{"role": "user", "content": "Write a very long story about a hospital rollout, chapter by chapter."}]
    start = time.monotonic()
    with pytest.raises(ModelError) as e:
        writer.complete(long)
    gave_up = time.monotonic() - start
    assert e.value.cause == "timeout" and gave_up < 10
    # Had the server kept generating up to 2,000 tokens, this small call would wait a minute behind it.
    quick = OpenAICompatibleModel(llama_server.base_url, llama_server.model, timeout=60.0, max_tokens=8)
    start = time.monotonic()
    quick.complete([{"role": "user", "content": "Say hello."}])
    next_call = time.monotonic() - start
    llm_facts["kickoff_cancellation"] = {"gave_up_after_s": round(gave_up, 2), "next_call_s": round(next_call, 2)}
    assert next_call < 20


def test_answer_tokens_stream_from_the_server(engine: Engine, llama_server: LlamaServer) -> None:
    model = OpenAICompatibleModel(llama_server.base_url, llama_server.model, timeout=60.0, max_tokens=60)
    assert engine.retriever is not None
    passages = engine.retriever.search("why one accountable owner", 2)  # the index the interview test built
    pieces: list[str] = []
    LLMAnswerer(model)("Why one accountable owner?", passages, BRIEF, pieces.append)
    assert len(pieces) > 3 and "".join(pieces).strip()  # whatever its quality, it arrived in pieces
