"""A message's reply as server-sent events: the model's draft as it is written, then the committed turn.

The turn runs in a worker thread; the draft's pieces cross to the event loop through a queue. The
response starts only once the first piece exists or the turn is done, so an error before any output
(unknown interview, closed interview, too long) still gets its own status code. An error after output
began is sent as an `error` event. The committed turn's text is what counts: when it does not continue
the draft (the draft failed its checks and the built-in answer replaced it), a `reset` event tells the
client to discard what it showed before the final text is sent.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sse_starlette import ServerSentEvent

from assistant.api.errors import error_after_output
from assistant.engine import AssistantTurn, TokenSink

_CHUNK = re.compile(r"\S+\s*|\s+")
TurnResult = tuple[AssistantTurn, bool]


def _deltas(text: str) -> list[ServerSentEvent]:
    words = _CHUNK.findall(text)
    return [
        ServerSentEvent(event="delta", data=json.dumps({"text": "".join(words[i : i + 4])}))
        for i in range(0, len(words), 4)
    ]


def _closing(turn: AssistantTurn, replayed: bool, drafted: str) -> list[ServerSentEvent]:
    shown = drafted.lstrip().rstrip()
    if turn.text.startswith(shown):
        events = _deltas(turn.text[len(shown) :])
    else:
        reset = ServerSentEvent(event="reset", data=json.dumps({"reason": "the draft answer was replaced"}))
        events = [reset, *_deltas(turn.text)]
    return [
        *events,
        ServerSentEvent(event="turn", data=turn.model_dump_json()),
        ServerSentEvent(event="done", data=json.dumps({"replayed": replayed})),
    ]


class TurnStream:
    """Runs `work(sink)` and relays what the sink receives."""

    def __init__(self, work: Callable[[TokenSink], Awaitable[TurnResult]]) -> None:
        loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[str] = asyncio.Queue()

        def sink(piece: str) -> None:
            loop.call_soon_threadsafe(self._queue.put_nowait, piece)

        self._task: asyncio.Future[TurnResult] = asyncio.ensure_future(work(sink))
        self._drafted: list[str] = []

    async def started(self) -> TurnResult | None:
        """Waits for the first draft piece or the end of the turn; returns the turn when it ended first.
        Raises what the turn raised, when it failed before any output."""
        getter = asyncio.ensure_future(self._queue.get())
        await asyncio.wait(_both(self._task, getter), return_when=asyncio.FIRST_COMPLETED)
        if getter.done():
            self._drafted.append(getter.result())
        else:
            getter.cancel()
        if self._task.done() and not self._drafted:
            return self._task.result()
        return None

    async def events(self) -> AsyncIterator[ServerSentEvent]:
        for piece in self._drafted:
            yield ServerSentEvent(event="delta", data=json.dumps({"text": piece}))
        while True:
            getter = asyncio.ensure_future(self._queue.get())
            await asyncio.wait(_both(self._task, getter), return_when=asyncio.FIRST_COMPLETED)
            if not getter.done():
                getter.cancel()
                break
            piece = getter.result()
            self._drafted.append(piece)
            yield ServerSentEvent(event="delta", data=json.dumps({"text": piece}))
        while not self._queue.empty():  # pieces that arrived with the end of the turn
            piece = self._queue.get_nowait()
            self._drafted.append(piece)
            yield ServerSentEvent(event="delta", data=json.dumps({"text": piece}))
        try:
            turn, replayed = self._task.result()
        except Exception as e:  # the turn failed after the draft began: say so in the stream
            status, body = error_after_output(e)
            yield ServerSentEvent(event="error", data=json.dumps({"status": status, **body.model_dump()}))
            return
        for event in _closing(turn, replayed, "".join(self._drafted)):
            yield event


def _both(a: asyncio.Future[TurnResult], b: asyncio.Future[str]) -> set[asyncio.Future[Any]]:
    return {a, b}


def replay_events(turn: AssistantTurn, replayed: bool) -> AsyncIterator[ServerSentEvent]:
    """A finished turn as events (no draft): its text in chunks, the turn, done."""

    async def events() -> AsyncIterator[ServerSentEvent]:
        for event in _closing(turn, replayed, ""):
            yield event

    return events()
