"""What a real OpenAI-compatible server (llama-cpp-python 0.3.36's, over Gemma 3 270M) does with the requests
the project's LLM client can make: plain chat, response_format, tools, streaming, and cancellation.

These tests record facts to design the client against, not model quality (the model is a 270M base model).
Each test asserts what was observed with this server and writes its figures to
test-artifacts/llm-server-facts.json (see conftest.py). Generation is bounded by max_tokens everywhere; the
`NO_END` logit bias bans the end-of-turn tokens where a test needs generation to run for its whole budget.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any, cast

import openai
import pytest
from openai import OpenAI
from openai.types.chat import ChatCompletionMessageParam
from real_llm_support import LlamaServer  # tests/real_llm/ is on sys.path (rootdir-relative, no package)

Messages = list[ChatCompletionMessageParam]
SHORT: Messages = [{"role": "user", "content": "Say hello to the project team."}]
LONG: Messages = [{"role": "user", "content": "Write a very long story about a dragon who plans a software rollout."}]
# <eos> and <end_of_turn>: with both banned, generation runs to max_tokens.
NO_END: dict[str, int] = {"1": -100, "106": -100}
OWNER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "owner": {"type": "string", "maxLength": 30},
        "priority": {"type": "integer", "minimum": 1, "maximum": 5},
    },
    "required": ["owner", "priority"],
    "additionalProperties": False,
}
OWNER_PROMPT: Messages = [{"role": "user", "content": "Alice owns the rollout; its priority is 2. Who owns it?"}]
# The non-streaming request abandoned by its client: a few seconds of generation on 2 idle cores, 30 s on a busy
# machine (2000 tokens would hold the server for minutes there; the point is only that the server keeps generating).
ABANDONED_MAX_TOKENS = 100
DISCONNECT_LINE = "Disconnected from client"


@pytest.fixture(scope="module")
def client(llama_server: LlamaServer) -> Iterator[OpenAI]:
    # max_retries=0: the openai client retries 5xx and timeouts by default, which would blur what the server did.
    with OpenAI(base_url=llama_server.base_url, api_key="no-key", max_retries=0, timeout=120.0) as c:
        yield c


def _ok(value: Any) -> Any:
    assert value is not None
    return value


def _disconnects(server: LlamaServer) -> int:
    return server.log_path.read_text(errors="replace").count(DISCONNECT_LINE)


def test_a_plain_chat_completion(client: OpenAI, llama_server: LlamaServer, llm_facts: dict[str, Any]) -> None:
    started = time.monotonic()
    r = client.chat.completions.create(model=llama_server.model, messages=SHORT, max_tokens=16, temperature=0)
    seconds = time.monotonic() - started
    usage = _ok(r.usage)
    # The system message reaches the model: Gemma 3's template folds it into the first user turn (serve.py).
    with_system = client.chat.completions.create(
        model=llama_server.model,
        messages=[{"role": "system", "content": "You facilitate kickoffs."}, *SHORT],
        max_tokens=1,
        temperature=0,
    )
    llm_facts["a_plain_chat"] = {
        "seconds": round(seconds, 2),
        "content": r.choices[0].message.content,
        "finish_reason": r.choices[0].finish_reason,
        "usage": usage.model_dump(),
        "response_model_field": r.model,
        "prompt_tokens_with_system_message": _ok(with_system.usage).prompt_tokens,
    }
    assert r.choices[0].message.content  # some text (a base model's text: no quality asserted)
    assert r.choices[0].finish_reason in ("stop", "length")
    assert usage.completion_tokens <= 16 and usage.prompt_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    # The response's `model` echoes the request's (without one in the request it is the GGUF's path).
    assert r.model == llama_server.model
    assert _ok(with_system.usage).prompt_tokens > usage.prompt_tokens


def test_b_response_format_json_schema_is_rejected(
    client: OpenAI, llama_server: LlamaServer, llm_facts: dict[str, Any]
) -> None:
    with pytest.raises(openai.APIStatusError) as caught:
        client.chat.completions.create(
            model=llama_server.model,
            messages=OWNER_PROMPT,
            max_tokens=16,
            temperature=0,
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "owner", "schema": OWNER_SCHEMA, "strict": True},
            },
        )
    err = caught.value
    body = err.body if isinstance(err.body, dict) else {}
    llm_facts["b_json_schema"] = {
        "status_code": err.status_code,
        "exception": type(err).__name__,
        "error_type": body.get("type"),
        "message": body.get("message", err.message),
    }
    # A request-validation failure, reported as a 500 "internal_server_error" (not a 400/422).
    assert err.status_code == 500
    assert isinstance(err, openai.InternalServerError)
    assert body.get("type") == "internal_server_error"
    assert "Input should be 'text' or 'json_object'" in str(body.get("message"))


def test_c_response_format_json_object_with_schema(
    client: OpenAI, llama_server: LlamaServer, llm_facts: dict[str, Any]
) -> None:
    started = time.monotonic()
    r = client.chat.completions.create(
        model=llama_server.model,
        messages=OWNER_PROMPT,
        max_tokens=60,
        temperature=0,
        response_format=cast(Any, {"type": "json_object", "schema": OWNER_SCHEMA}),  # llama-cpp-python's extension
    )
    seconds = time.monotonic() - started
    content = _ok(r.choices[0].message.content)
    data = json.loads(content)
    # json_object without a schema: the generic JSON grammar, much slower per token with Gemma's 262k vocabulary.
    started = time.monotonic()
    free = client.chat.completions.create(
        model=llama_server.model,
        messages=OWNER_PROMPT,
        max_tokens=8,
        temperature=0,
        response_format={"type": "json_object"},
    )
    free_seconds = time.monotonic() - started
    free_usage = _ok(free.usage)
    llm_facts["c_json_object_schema"] = {
        "seconds": round(seconds, 2),
        "content": content,
        "finish_reason": r.choices[0].finish_reason,
        "usage": _ok(r.usage).model_dump(),
        "schemaless_json_object": {
            "seconds": round(free_seconds, 2),
            "content": free.choices[0].message.content,
            "finish_reason": free.choices[0].finish_reason,
            "completion_tokens": free_usage.completion_tokens,
        },
    }
    assert r.choices[0].finish_reason == "stop"
    assert set(data) == {"owner", "priority"}
    assert isinstance(data["owner"], str) and len(data["owner"]) <= 30
    assert isinstance(data["priority"], int) and 1 <= data["priority"] <= 5
    assert (free.choices[0].message.content or "").lstrip().startswith("{")


def test_d_forced_tool_call(client: OpenAI, llama_server: LlamaServer, llm_facts: dict[str, Any]) -> None:
    started = time.monotonic()
    r = client.chat.completions.create(
        model=llama_server.model,
        messages=OWNER_PROMPT,
        max_tokens=60,
        temperature=0,
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "record_owner",
                    "description": "Record who owns a piece of work and its priority.",
                    "parameters": OWNER_SCHEMA,
                },
            }
        ],
        tool_choice={"type": "function", "function": {"name": "record_owner"}},
    )
    seconds = time.monotonic() - started
    msg = r.choices[0].message
    calls = msg.tool_calls or []
    llm_facts["d_forced_tool_call"] = {
        "seconds": round(seconds, 2),
        "finish_reason": r.choices[0].finish_reason,
        "content": msg.content,
        "tool_calls": [c.model_dump() for c in calls],
        "legacy_function_call_also_set": msg.function_call is not None,
        "usage": _ok(r.usage).model_dump(),
    }
    assert r.choices[0].finish_reason == "tool_calls"
    assert msg.content is None
    assert len(calls) == 1
    call = calls[0]
    assert call.type == "function" and call.function.name == "record_owner"
    args = json.loads(call.function.arguments)  # grammar-constrained by the tool's parameters schema
    assert set(args) == {"owner", "priority"}
    assert isinstance(args["owner"], str) and isinstance(args["priority"], int)


def test_e_streaming(client: OpenAI, llama_server: LlamaServer, llm_facts: dict[str, Any]) -> None:
    started = time.monotonic()
    stream = client.chat.completions.create(
        model=llama_server.model,
        messages=SHORT,
        max_tokens=16,
        temperature=0,
        stream=True,
    )
    chunks = list(stream)
    seconds = time.monotonic() - started
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    # stream_options={"include_usage": True}: OpenAI sends a last chunk with `usage` and no choices.
    outcome: dict[str, Any]
    try:
        with_usage = list(
            client.chat.completions.create(
                model=llama_server.model,
                messages=SHORT,
                max_tokens=16,
                temperature=0,
                stream=True,
                stream_options={"include_usage": True},
            )
        )
        usage_chunks = [c.usage.model_dump() for c in with_usage if c.usage is not None]
        outcome = {"error": None, "chunks": len(with_usage), "usage_chunks": usage_chunks}
    except openai.APIStatusError as exc:
        outcome = {"error": f"{exc.status_code}: {exc.message}", "usage_chunks": []}
    llm_facts["e_streaming"] = {
        "seconds": round(seconds, 2),
        "chunks": len(chunks),
        "first_delta": chunks[0].choices[0].delta.model_dump(exclude_none=True) if chunks else None,
        "text": text,
        "finish_reasons": finish,
        "any_usage_in_plain_stream": any(c.usage is not None for c in chunks),
        "stream_options_include_usage": outcome,
    }
    assert len(chunks) >= 2
    assert chunks[0].choices[0].delta.role == "assistant"
    assert text
    assert finish == [chunks[-1].choices[0].finish_reason] and finish[0] in ("stop", "length")
    assert not any(c.usage is not None for c in chunks)
    # Observed: the option is accepted (no error) and ignored: no usage chunk, so streamed token counts are unknown.
    assert outcome["error"] is None and outcome["usage_chunks"] == []


def test_f_cancellation_stream_close_vs_abandoned_request(
    client: OpenAI, llama_server: LlamaServer, llm_facts: dict[str, Any]
) -> None:
    # 1. A stream closed by the client after a few chunks: the server notices the disconnect and stops generating.
    before = _disconnects(llama_server)
    stream = client.chat.completions.create(
        model=llama_server.model,
        messages=LONG,
        max_tokens=2000,
        temperature=0,
        stream=True,
        logit_bias=NO_END,
    )
    read = 0
    for _chunk in stream:
        read += 1
        if read >= 5:
            break
    stream.close()
    closed = time.monotonic()
    disconnect_logged_after: float | None = None
    while time.monotonic() - closed < 10:
        if _disconnects(llama_server) > before:
            disconnect_logged_after = round(time.monotonic() - closed, 2)
            break
        time.sleep(0.05)
    started = time.monotonic()
    after_close = client.chat.completions.create(model=llama_server.model, messages=SHORT, max_tokens=8, temperature=0)
    next_request_after_close = time.monotonic() - started

    # 2. A non-streaming request abandoned by a client timeout: the server generates the whole answer anyway, and
    #    the next request waits for it (one model, one lock).
    impatient = client.with_options(timeout=1.0, max_retries=0)
    log_offset = len(llama_server.log_path.read_text(errors="replace"))
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        impatient.chat.completions.create(
            model=llama_server.model,
            messages=LONG,
            max_tokens=ABANDONED_MAX_TOKENS,
            temperature=0,
            logit_bias=NO_END,
        )
    timed_out_after = time.monotonic() - started
    started = time.monotonic()
    client.chat.completions.create(model=llama_server.model, messages=SHORT, max_tokens=8, temperature=0)
    next_request_after_timeout = time.monotonic() - started
    log_since = llama_server.log_path.read_text(errors="replace")[log_offset:]
    evals = re.findall(r"eval time =\s*([\d.]+) ms /\s*(\d+) runs", log_since)
    abandoned = [(float(ms) / 1000, int(runs)) for ms, runs in evals if int(runs) >= ABANDONED_MAX_TOKENS - 1]

    llm_facts["f_cancellation"] = {
        "stream_close": {
            "chunks_read_before_close": read,
            "disconnect_logged_after_close_s": disconnect_logged_after,
            "next_request_s": round(next_request_after_close, 2),
            "next_request_completion_tokens": _ok(after_close.usage).completion_tokens,
        },
        "abandoned_non_streaming": {
            "max_tokens": ABANDONED_MAX_TOKENS,
            "client_timeout_s": 1.0,
            "client_gave_up_after_s": round(timed_out_after, 2),
            "next_request_s": round(next_request_after_timeout, 2),
            "server_generated_tokens_anyway": abandoned[-1][1] if abandoned else None,
            "server_generation_s": abandoned[-1][0] if abandoned else None,
        },
    }
    # The server logged the disconnect on its own (no other request was pending to interrupt the stream) ...
    assert disconnect_logged_after is not None
    # ... and the next request was served at once: about as fast as the same request on an idle server (had the
    # stream's 2,000 tokens gone on, it would have waited for them). Relative, so a loaded machine does not matter.
    started = time.monotonic()
    client.chat.completions.create(model=llama_server.model, messages=SHORT, max_tokens=8, temperature=0)
    idle_request = time.monotonic() - started
    llm_facts["f_cancellation"]["stream_close"]["idle_request_s"] = round(idle_request, 2)
    assert next_request_after_close < 3 * idle_request + 2
    # The abandoned request ran to its max_tokens; the next request waited for it.
    assert abandoned, "the server's log shows no completion of the abandoned request"
    generation_s = abandoned[-1][0]
    assert next_request_after_timeout >= generation_s - timed_out_after - 0.5


def test_g_new_request_interrupts_a_running_stream(
    client: OpenAI, llama_server: LlamaServer, llm_facts: dict[str, Any]
) -> None:
    """interrupt_requests (on by default): a request arriving while a stream runs ends that stream early."""
    stream = client.chat.completions.create(
        model=llama_server.model,
        messages=LONG,
        max_tokens=2000,
        temperature=0,
        stream=True,
        logit_bias=NO_END,
    )
    chunks = []
    other: dict[str, Any] = {}

    def second_request() -> None:
        started = time.monotonic()
        r = client.chat.completions.create(model=llama_server.model, messages=SHORT, max_tokens=8, temperature=0)
        other.update(seconds=round(time.monotonic() - started, 2), finish_reason=r.choices[0].finish_reason)

    thread = threading.Thread(target=second_request)
    started = time.monotonic()
    for chunk in stream:
        chunks.append(chunk)
        if len(chunks) == 5:
            thread.start()
    stream_seconds = time.monotonic() - started
    thread.join(timeout=60)
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    llm_facts["g_interrupt"] = {
        "stream_chunks_received": len(chunks),
        "stream_seconds": round(stream_seconds, 2),
        "stream_finish_reasons": finish,
        "second_request": other,
    }
    assert not thread.is_alive() and other["finish_reason"] in ("stop", "length")
    # The first stream ended far short of its 2000 tokens, with [DONE] and no finish_reason: a silent truncation.
    assert len(chunks) < 100
    assert finish == []
