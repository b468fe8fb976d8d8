"""The client against servers that differ: what each refuses is learnt from its errors, every call is bounded
and cancellable, and every fallback is counted by cause. The error bodies are the ones those servers send
(llama-cpp-python's pydantic 500, OpenAI's parameter errors, vLLM's and Ollama's error shapes)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from fake_openai import FakeOpenAI

from assistant.domain import Extraction, UnderstandingContext, Utterance
from assistant.errors import ModelError
from assistant.llm_negotiation import ENDPOINTS
from assistant.llm_stats import LLMStats
from assistant.openai_client import OpenAICompatibleModel, brief_error
from assistant.respond_llm import LLMAnswerer
from assistant.understanding.llm import LLMUnderstanding, parse_extraction

SCHEMA = Extraction.model_json_schema()
VALID = {"people": ["Maria Lopez"], "dont_know": False}
HI = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]
UTT = Utterance(text="Maria Lopez owns it.", speaker="Sam Ortiz", turn_id="t-1")
CTX = UnderstandingContext(stakeholders=["Maria Lopez", "Sam Ortiz"])

# llama-cpp-python's server (0.3.x) validates response_format with pydantic and answers 500.
LLAMA_CPP_500 = {
    "error": {
        "message": "[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), 'msg': \"Input should be "
        "'text' or 'json_object'\", 'input': 'json_schema', 'ctx': {'expected': \"'text' or 'json_object'\"}}]",
        "type": "internal_server_error",
    }
}
# vLLM's error shape (a top-level object, not nested under "error").
VLLM_400 = {"object": "error", "message": "tools are not supported by this server", "type": "BadRequestError"}
# Ollama's OpenAI-compatible endpoint.
OLLAMA_400 = {"error": {"message": "invalid response_format schema", "type": "invalid_request_error", "param": None}}
# OpenAI, for reasoning models.
OPENAI_MAX_TOKENS = {
    "error": {
        "message": "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
        "'max_completion_tokens' instead.",
        "type": "invalid_request_error",
        "param": "max_tokens",
        "code": "unsupported_parameter",
    }
}
OPENAI_TEMPERATURE = {
    "error": {
        "message": "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) "
        "value is supported.",
        "type": "invalid_request_error",
        "param": "temperature",
        "code": "unsupported_value",
    }
}


def test_llama_cpp_500_on_json_schema_is_negotiated_not_a_fallback(
    fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel, llm_stats: LLMStats
) -> None:
    fake_openai.refuse("response_format.json_schema", 500, LLAMA_CPP_500)
    fake_openai.reply(VALID).reply(VALID)
    llm = LLMUnderstanding(llm_model, fallback=_Unused())
    assert llm.understand(UTT, CTX).people == ["Maria Lopez"]
    assert llm.understand(UTT, CTX).people == ["Maria Lopez"]
    assert [("response_format" in r, "tools" in r) for r in fake_openai.requests] == [
        (True, False),
        (False, True),
        (False, True),  # remembered: no second refusal
    ]
    usage = llm_stats.snapshot()
    assert usage.fallbacks == {} and usage.turns == 2 and usage.calls == 3 and usage.failed_calls == 1


def test_every_mode_down_to_plain_prompting(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel) -> None:
    fake_openai.refuse("response_format.json_schema", 500, LLAMA_CPP_500)
    fake_openai.refuse("tools", 400, VLLM_400)
    fake_openai.refuse("response_format.schema", 400, OLLAMA_400)
    fake_openai.refuse("response_format.type", 400, "response_format is not supported")
    fake_openai.reply(json.dumps(VALID))
    assert json.loads(llm_model.complete(HI, json_schema=SCHEMA)) == VALID
    modes = [
        (r.get("response_format") or {}).get("type") or ("tools" if "tools" in r else None)
        for r in fake_openai.requests
    ]
    assert modes == ["json_schema", "tools", "json_object", "json_object", None]
    last = fake_openai.requests[-1]
    schema_text = json.dumps(SCHEMA, separators=(",", ":"))
    # In prompting mode the schema travels once, in the first (shared, cacheable) message.
    assert sum(m["content"].count(schema_text) for m in last["messages"]) == 1
    assert schema_text in last["messages"][0]["content"] and last["messages"][0]["role"] == "system"
    assert ENDPOINTS.get(fake_openai.base_url, "m").mode == "prompt"


def test_json_object_mode_also_carries_the_schema_in_the_prompt(
    fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel
) -> None:
    fake_openai.refuse("response_format.json_schema", 400, "json_schema is not supported")
    fake_openai.refuse("tools", 400, "tool calling is unsupported")
    fake_openai.reply(VALID)
    llm_model.complete(HI, json_schema=SCHEMA)
    third = fake_openai.requests[2]
    assert third["response_format"] == {"type": "json_object", "schema": SCHEMA}
    assert all('"$defs"' not in m["content"] for m in third["messages"])  # the grammar has it; the prompt not


def test_openai_reasoning_model_parameters(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel) -> None:
    fake_openai.refuse("max_tokens", 400, OPENAI_MAX_TOKENS)
    fake_openai.refuse("temperature", 400, OPENAI_TEMPERATURE)
    fake_openai.reply("fine")
    assert llm_model.complete(HI) == "fine"
    last = fake_openai.requests[-1]
    assert last["max_completion_tokens"] == 1024 and "max_tokens" not in last and "temperature" not in last
    assert len(fake_openai.requests) == 3


def test_stream_options_refused(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel, llm_stats: LLMStats) -> None:
    fake_openai.refuse("stream_options", 400, "Extra inputs are not permitted: stream_options")
    fake_openai.reply("fine")
    assert llm_model.complete(HI) == "fine"
    assert "stream_options" not in fake_openai.requests[-1]
    assert llm_stats.snapshot().calls_without_usage == 1


def test_template_without_a_system_role(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel) -> None:
    # What a Mistral-style chat template raises, through vLLM.
    fake_openai.refuse(
        "messages",
        400,
        {
            "object": "error",
            "message": "Conversation roles must alternate user/assistant/user/assistant/...",
            "type": "BadRequestError",
        },
    )
    fake_openai.reply("fine")
    # The refusal matches every request with messages, so the client gives up after adapting once.
    with pytest.raises(ModelError, match="HTTP 400"):
        llm_model.complete(HI)
    first, second = fake_openai.requests
    assert [m["role"] for m in second["messages"]] == ["user"]
    assert second["messages"][0]["content"] == "Be brief.\n\nhi"
    assert ENDPOINTS.get(fake_openai.base_url, "m").system_role is False


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_fault_is_not_taken_for_a_refusal(
    fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel, status: int
) -> None:
    fake_openai.error(status, "model is loading")
    with pytest.raises(ModelError) as e:
        llm_model.complete(HI, json_schema=SCHEMA)
    assert e.value.cause == "http_error" and len(fake_openai.requests) == 1
    assert ENDPOINTS.get(fake_openai.base_url, "m").mode == "json_schema"


def test_usage_is_counted(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel, llm_stats: LLMStats) -> None:
    fake_openai.reply("sixteen characters")
    llm_model.complete(HI)
    usage = llm_stats.snapshot()
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens, usage.calls_without_usage) == (1, 11, 3, 0)


def test_the_deadline_cancels_the_request(fake_openai: FakeOpenAI, llm_stats: LLMStats) -> None:
    llm_model = OpenAICompatibleModel(fake_openai.base_url, "m", timeout=0.6, stats=llm_stats)
    fake_openai.trickle("x" * 200, seconds_per_piece=0.1)  # 25 pieces: 2.5 s in all
    start = time.monotonic()
    with pytest.raises(ModelError, match="cancelled") as e:
        llm_model.complete(HI)
    assert e.value.cause == "timeout" and time.monotonic() - start < 1.5
    _until(lambda: fake_openai.cancelled == 1)  # the server saw the client go away
    assert llm_stats.snapshot().failed_calls == 1


def test_closing_a_stream_early_cancels_it(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel) -> None:
    fake_openai.trickle("one two three four five six seven eight nine ten", seconds_per_piece=0.05)
    pieces = llm_model.stream(HI)
    first = next(pieces)
    pieces.close()
    assert first == "one two "
    _until(lambda: fake_openai.cancelled == 1)


def test_stream_yields_the_pieces_in_order(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel) -> None:
    text = "Name one owner: it speeds up decisions [1]."
    fake_openai.reply(text)
    pieces = list(llm_model.stream(HI))
    assert len(pieces) > 3 and "".join(pieces) == text


def test_fallbacks_are_counted_by_cause(
    fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel, llm_stats: LLMStats
) -> None:
    llm = LLMUnderstanding(llm_model, fallback=_Fallback(), max_reasks=0)
    fake_openai.error(503, "overloaded")
    llm.understand(UTT, CTX)
    fake_openai.reply("not json at all")
    llm.understand(UTT, CTX)
    answerer = LLMAnswerer(llm_model)
    fake_openai.reply("An answer without a citation.")
    assert answerer("Why?", [_Passage()], "") is None
    usage = llm_stats.snapshot()
    assert usage.fallbacks == {"http_error": 1, "invalid_content": 1, "ungrounded": 1}
    assert usage.turns == 3 and usage.fallback_rate == 1.0 and usage.protocol_fallbacks == 1


def test_answer_tokens_reach_the_sink(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel) -> None:
    fake_openai.reply("One owner decides quickly [1].")
    seen: list[str] = []
    assert LLMAnswerer(llm_model)("Why?", [_Passage()], "", seen.append) == "One owner decides quickly [1]."
    assert len(seen) > 1 and "".join(seen) == "One owner decides quickly [1]."


def test_fallback_warnings_carry_no_server_paths(
    fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel, caplog: pytest.LogCaptureFixture
) -> None:
    trace = "Traceback: File /usr/lib/python3/site-packages/llama_cpp/server/app.py line 9 " + "x" * 900
    fake_openai.error(500, trace)
    LLMUnderstanding(llm_model, fallback=_Fallback()).understand(UTT, CTX)
    (record,) = [r for r in caplog.records if r.name == "kickoff.llm" and r.levelno == logging.WARNING]
    assert "site-packages" not in record.getMessage() and "<path>" in record.getMessage()
    assert len(record.getMessage()) < 600


def test_brief_error_bounds_and_cleans() -> None:
    assert brief_error("a\n  b /srv/app/x.py and C:\\srv\\app.py") == "a b <path> and <path>"
    assert len(brief_error("y" * 500)) == 160


def test_control_characters_inside_strings_parse() -> None:
    assert parse_extraction('{"people": ["Maria\tLopez"]}').people == ["Maria\tLopez"]


class _Passage:
    from assistant.domain import Citation

    text = "One accountable owner makes decisions quickly."
    citation = Citation(source="playbook/01-why.md", heading="Why")


class _Fallback:
    name = "fallback"

    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        return Extraction()


class _Unused(_Fallback):
    def understand(self, utt: Utterance, ctx: UnderstandingContext) -> Extraction:
        raise AssertionError("the fallback must not be used")


def _until(check: Any, seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.02)
