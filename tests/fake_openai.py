"""A scripted OpenAI-compatible chat server on 127.0.0.1, for tests of the LLM path through the real client.

    server = FakeOpenAI().start()
    server.reply({"people": ["Ana"]})          # next request gets this JSON as the message content
    server.garbage()                            # ...then a reply that is not JSON
    server.error(500)                           # ...then an HTTP 500
    server.slow(2.0)                            # ...then a reply after 2 s (longer than a client timeout)
    server.reject_json_schema = True            # answer json_schema response_format with a 400
    server.refuse("temperature", 400, "...")    # any request carrying that key gets this error (kept until reset)
    server.responder = lambda body: "{}"        # with the queue empty, answer from the request instead
    server.requests                             # every request body received, in order

Each request takes the next queued action; with the queue empty the server answers 500 "nothing queued",
so a test that makes an unexpected call fails loudly. A request with `"stream": true` gets the reply as
server-sent chunks (and a usage chunk when `stream_options.include_usage` is set); a request with a forced
tool gets the content as that tool's arguments.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse


@dataclass
class _Action:
    kind: str  # "content" | "trickle" | "raw" | "error"
    content: str = ""
    status: int = 200
    delay: float = 0.0


class FakeOpenAI:
    def __init__(self) -> None:
        self._queue: deque[_Action] = deque()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._closing = threading.Event()
        self.requests: list[dict[str, Any]] = []
        self.reject_json_schema = False
        self.refusals: list[tuple[str, int, str | dict[str, Any]]] = []
        self.cancelled = 0  # streams whose client went away before the last chunk
        self.responder: Callable[[dict[str, Any]], str] | None = None
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.app = self._build_app()

    # ---- scripting

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def reply(self, content: str | dict[str, Any] | list[Any], delay: float = 0.0) -> FakeOpenAI:
        text = content if isinstance(content, str) else json.dumps(content)
        return self._push(_Action("content", text, delay=delay))

    def garbage(self, text: str = "Sure! Here is what I found: Maria is in charge, I think.") -> FakeOpenAI:
        return self._push(_Action("content", text))

    def error(self, status: int = 500, message: str = "internal server error") -> FakeOpenAI:
        return self._push(_Action("error", message, status=status))

    def slow(self, seconds: float, content: str | dict[str, Any] = "{}") -> FakeOpenAI:
        return self.reply(content, delay=seconds)

    def trickle(self, content: str, seconds_per_piece: float) -> FakeOpenAI:
        """A streamed reply whose pieces come slowly (the delay is between pieces, not before the first)."""
        return self._push(_Action("trickle", content, delay=seconds_per_piece))

    def raw_stream(self, body: str) -> FakeOpenAI:
        """The next request gets this text/event-stream body exactly as given (a recorded server response)."""
        return self._push(_Action("raw", body))

    def refuse(self, key: str, status: int, message: str | dict[str, Any]) -> FakeOpenAI:
        """Answer every request whose body has `key` (dotted path, e.g. "response_format.schema") with an error:
        OpenAI's error shape around a message, or a recorded body (a dict) as it is."""
        with self._lock:
            self.refusals.append((key, status, message))
        return self

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self.requests.clear()
            self.reject_json_schema = False
            self.refusals.clear()
            self.cancelled = 0
            self.responder = None

    @property
    def pending(self) -> int:
        return len(self._queue)

    def _push(self, action: _Action) -> FakeOpenAI:
        with self._lock:
            self._queue.append(action)
        return self

    # ---- the server

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat_completions(request: Request) -> Any:
            body = await request.json()
            with self._lock:
                self.requests.append(body)
                fmt = body.get("response_format") or {}
                if self.reject_json_schema and fmt.get("type") == "json_schema":
                    return _error(
                        400, 'response_format type must be one of "text" or "json_object", but got: json_schema'
                    )
                for key, status, message in self.refusals:
                    if _has(body, key):
                        if isinstance(message, dict):
                            return JSONResponse(message, status_code=status)
                        return _error(status, message)
                if self._queue:
                    action = self._queue.popleft()
                elif self.responder is not None:
                    action = _Action("content", self.responder(body))
                else:
                    action = _Action("error", "nothing queued", 500)
            if action.delay and action.kind != "trickle":
                deadline = time.monotonic() + action.delay
                while time.monotonic() < deadline and not self._closing.is_set():
                    await asyncio.sleep(0.02)
            if action.kind == "error":
                return _error(action.status, action.content)
            if action.kind == "raw":
                return StreamingResponse(iter([action.content]), media_type="text/event-stream")
            if body.get("stream"):
                return StreamingResponse(self._chunks(body, action), media_type="text/event-stream")
            return JSONResponse(
                {
                    "id": f"chatcmpl-fake-{next(self._ids)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "fake"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": action.content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
            )

        return app

    async def _chunks(self, body: dict[str, Any], action: _Action) -> Any:
        """The reply as OpenAI streams it: a role chunk, content (or tool-argument) chunks, a finish chunk,
        an optional usage chunk, then [DONE]."""
        cid, model = f"chatcmpl-fake-{next(self._ids)}", body.get("model", "fake")
        tool = ((body.get("tool_choice") or {}).get("function") or {}).get("name") if body.get("tools") else None

        def chunk(delta: dict[str, Any], finish: str | None = None, usage: dict[str, int] | None = None) -> str:
            choices = [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}]
            data = {"id": cid, "object": "chat.completion.chunk", "created": 0, "model": model, "choices": choices}
            if usage:
                data["usage"] = usage
            return f"data: {json.dumps(data)}\n\n"

        sent_all = False
        try:
            yield chunk({"role": "assistant", "content": ""})
            pieces = [action.content[i : i + 8] for i in range(0, len(action.content), 8)]
            for n, piece in enumerate(pieces):
                if action.kind == "trickle" and n:
                    await asyncio.sleep(action.delay)
                if tool:
                    call = {"index": 0, "function": {"arguments": piece}}
                    if n == 0:
                        call.update(id="call_1", type="function", function={"name": tool, "arguments": piece})
                    yield chunk({"tool_calls": [call]})
                else:
                    yield chunk({"content": piece})
            yield chunk({}, finish="tool_calls" if tool else "stop")
            if (body.get("stream_options") or {}).get("include_usage"):
                yield chunk({}, usage={"prompt_tokens": 11, "completion_tokens": len(pieces), "total_tokens": 0})
            yield "data: [DONE]\n\n"
            sent_all = True
        finally:
            if not sent_all:
                with self._lock:
                    self.cancelled += 1

    def start(self) -> FakeOpenAI:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))  # loopback only, a free port chosen by the OS
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._closing.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)


def _has(body: dict[str, Any], dotted: str) -> bool:
    node: Any = body
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _error(status: int, message: str) -> JSONResponse:
    kind = "invalid_request_error" if status < 500 else "server_error"
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": None}}, status_code=status)
