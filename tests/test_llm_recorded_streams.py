"""Streamed replies as OpenAI, vLLM, Ollama and llama-cpp-python send them (their documented chunk formats),
replayed byte for byte by the fake server and read by the real client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fake_openai import FakeOpenAI

from assistant.errors import ModelError
from assistant.llm_stats import LLMStats
from assistant.openai_client import OpenAICompatibleModel

HI = [{"role": "user", "content": "hi"}]


def sse(*chunks: dict[str, Any] | str) -> str:
    return "".join(f"data: {c if isinstance(c, str) else json.dumps(c)}\n\n" for c in chunks)


def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "m",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, **extra}],
    }


OPENAI = sse(
    chunk({"role": "assistant", "content": "", "refusal": None}),
    chunk({"content": "One owner "}),
    chunk({"content": "decides [1]."}),
    chunk({}, "stop"),
    {**chunk({}), "choices": [], "usage": {"prompt_tokens": 30, "completion_tokens": 5, "total_tokens": 35}},
    "[DONE]",
)
# vLLM sends "usage": null on every chunk when usage is asked for, then a usage-only chunk.
VLLM = sse(
    {**chunk({"role": "assistant", "content": ""}, logprobs=None), "usage": None},
    {**chunk({"content": "One owner "}, logprobs=None), "usage": None},
    {**chunk({"content": "decides [1]."}, "stop", logprobs=None, stop_reason=None), "usage": None},
    {**chunk({}), "choices": [], "usage": {"prompt_tokens": 30, "completion_tokens": 5, "total_tokens": 35}},
    "[DONE]",
)
# Ollama's OpenAI-compatible endpoint: a system fingerprint, content and finish in the chunks, usage at the end.
OLLAMA = sse(
    {**chunk({"role": "assistant", "content": "One owner "}), "system_fingerprint": "fp_ollama"},
    {**chunk({"role": "assistant", "content": "decides [1]."}), "system_fingerprint": "fp_ollama"},
    {**chunk({"role": "assistant", "content": ""}, "stop"), "system_fingerprint": "fp_ollama"},
    {**chunk({}), "choices": [], "usage": {"prompt_tokens": 30, "completion_tokens": 5, "total_tokens": 35}},
    "[DONE]",
)
# llama-cpp-python: no usage in streams, and a forced tool call arrives as tool_calls plus the legacy function_call.
LLAMA_CPP_TOOL = sse(
    chunk(
        {
            "role": "assistant",
            "content": None,
            "function_call": {"name": "Extraction", "arguments": ""},
            "tool_calls": [
                {"index": 0, "id": "call_0", "type": "function", "function": {"name": "Extraction", "arguments": ""}}
            ],
        }
    ),
    chunk(
        {
            "content": None,
            "function_call": {"arguments": '{"people": '},
            "tool_calls": [{"index": 0, "function": {"arguments": '{"people": '}}],
        }
    ),
    chunk(
        {
            "content": None,
            "function_call": {"arguments": '["Ana"]}'},
            "tool_calls": [{"index": 0, "function": {"arguments": '["Ana"]}'}}],
        }
    ),
    chunk({}, "tool_calls"),
    "[DONE]",
)


@pytest.mark.parametrize("recorded", [OPENAI, VLLM, OLLAMA], ids=["openai", "vllm", "ollama"])
def test_text_streams_with_usage(
    fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel, llm_stats: LLMStats, recorded: str
) -> None:
    fake_openai.raw_stream(recorded)
    assert list(llm_model.stream(HI)) == ["One owner ", "decides [1]."]
    usage = llm_stats.snapshot()
    assert (usage.calls, usage.prompt_tokens, usage.completion_tokens, usage.calls_without_usage) == (1, 30, 5, 0)


def test_llama_cpp_tool_call_stream(
    fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel, llm_stats: LLMStats
) -> None:
    fake_openai.raw_stream(LLAMA_CPP_TOOL)
    assert json.loads(llm_model.complete(HI, json_schema={"title": "Extraction", "type": "object"})) == {
        "people": ["Ana"]
    }
    assert llm_stats.snapshot().calls_without_usage == 1


def test_an_error_inside_the_stream_is_a_model_error(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel) -> None:
    fake_openai.raw_stream(
        sse(chunk({"content": "One "}), {"error": {"message": "CUDA out of memory", "type": "server_error"}})
    )
    with pytest.raises(ModelError, match="broke off its reply") as e:
        llm_model.complete(HI)
    assert e.value.cause == "http_error"


def test_a_stream_cut_short_is_a_model_error(fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel) -> None:
    fake_openai.raw_stream("data: {not json\n\n")
    with pytest.raises(ModelError) as e:
        llm_model.complete(HI)
    assert e.value.cause == "http_error"


def test_a_stream_without_a_finish_reason_was_cut_short(
    fake_openai: FakeOpenAI, llm_model: OpenAICompatibleModel
) -> None:
    # What llama-cpp-python sends when another request interrupts a running stream: [DONE], no finish reason.
    fake_openai.raw_stream(sse(chunk({"role": "assistant"}), chunk({"content": "One owner "}), "[DONE]"))
    with pytest.raises(ModelError, match="cut short") as e:
        llm_model.complete(HI)
    assert e.value.cause == "http_error"
