"""Live calls: transcript segments in, feed events out (JSON, SSE from a cursor, or a WebSocket)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, WebSocket, WebSocketDisconnect
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from sse_starlette import EventSourceResponse, ServerSentEvent

from assistant.api.deps import PrincipalDep, ServiceDep, authenticate, get_service
from assistant.api.errors import ApiError, _kickoff_error, responses, sse_schema
from assistant.errors import KickoffError
from assistant.service import (
    CallCreate,
    CallEnded,
    Principal,
    SegmentCreate,
    SegmentResult,
    SessionPublic,
)

router = APIRouter(
    prefix="/kickoffs/{kickoff_id}/calls", tags=["calls"], responses=responses(401, 404, 409, 413, 422, 429)
)

# How long `follow=true` keeps an event stream open, and how often it polls the store.
FOLLOW_SECONDS = 300.0
POLL_SECONDS = 0.5


@router.post("", response_model=SessionPublic, status_code=201)
def start_call(kickoff_id: str, body: CallCreate, p: PrincipalDep, service: ServiceDep) -> SessionPublic:
    """Start a live call; then send its transcript segments."""
    return service.start_call(p, kickoff_id, body)


@router.post("/{call_id}/segments", response_model=SegmentResult)
def add_segment(
    kickoff_id: str, call_id: str, body: SegmentCreate, p: PrincipalDep, service: ServiceDep
) -> SegmentResult:
    """One transcript segment; a repeat (same id, or same speaker, start and text) is not applied twice."""
    return service.add_segment(p, kickoff_id, call_id, body)


_EVENTS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-sent events: one `event` per feed event (id = cursor), then `done`.",
        "content": {"text/event-stream": {"schema": sse_schema("event", "done")}},
    }
}


@router.get("/{call_id}/events", response_model=None, response_class=EventSourceResponse, responses=_EVENTS)
async def call_events(
    kickoff_id: str,
    call_id: str,
    p: PrincipalDep,
    service: ServiceDep,
    after: Annotated[int, Query(ge=0, le=2**31 - 1, description="Cursor: send events after this one")] = 0,
    follow: Annotated[bool, Query(description="Keep the stream open for new events until the call ends")] = False,
    last_event_id: Annotated[str | None, Header(max_length=30)] = None,
) -> EventSourceResponse:
    """Feed events recorded since the cursor, as SSE; any worker can serve them (they live in the store)."""
    cursor = after
    if last_event_id and last_event_id.isdigit():
        cursor = min(max(cursor, int(last_event_id)), 2**31 - 1)
    # Resolve the kickoff and call now, so a wrong id answers 404 rather than an empty stream.
    first, ended = await run_in_threadpool(service.call_events, p, kickoff_id, call_id, cursor)

    async def stream() -> AsyncIterator[ServerSentEvent]:
        nonlocal cursor, ended
        batch = first
        deadline = time.monotonic() + FOLLOW_SECONDS
        while True:
            for e in batch:
                cursor = e.cursor
                yield ServerSentEvent(event="event", id=str(e.cursor), data=e.model_dump_json())
            if not follow or ended or time.monotonic() > deadline:
                break
            await asyncio.sleep(POLL_SECONDS)
            batch, ended = await run_in_threadpool(service.call_events, p, kickoff_id, call_id, cursor)
        yield ServerSentEvent(event="done", data=json.dumps({"cursor": cursor, "ended": ended}))

    return EventSourceResponse(stream(), ping=15)


@router.post("/{call_id}/end", response_model=CallEnded)
def end_call(kickoff_id: str, call_id: str, p: PrincipalDep, service: ServiceDep) -> CallEnded:
    """End the call; the response is the gap review (what is uncovered, missing roles, open risks)."""
    return service.end_call(p, kickoff_id, call_id)


@router.websocket("/{call_id}/ws")
async def call_ws(websocket: WebSocket, kickoff_id: str, call_id: str, token: str | None = None) -> None:
    """Send segments as JSON ({speaker, text, start?, end?, id?}); receive {applied, events} for each.

    Auth: `Authorization: Bearer <key>` on the handshake, or `?token=<key>` where a browser cannot set headers.
    """
    service = get_service(websocket)  # type: ignore[arg-type]
    header = websocket.headers.get("authorization", "")
    key = header[7:].strip() if header.lower().startswith("bearer ") else token
    try:
        p: Principal = await run_in_threadpool(authenticate, service, websocket.app.state.limiter, key)
        await run_in_threadpool(service.call_events, p, kickoff_id, call_id, 2**31 - 1)
    except ApiError as exc:
        await websocket.close(code=4401 if exc.status_code == 401 else 4429, reason=str(exc.detail)[:120])
        return
    except KickoffError as exc:
        await websocket.close(code=4404, reason=str(exc)[:120])
        return
    await websocket.accept()
    try:
        while True:
            raw = await websocket.receive_text()
            try:
                seg = SegmentCreate.model_validate_json(raw)
                result = await run_in_threadpool(service.add_segment, p, kickoff_id, call_id, seg)
                await websocket.send_text(result.model_dump_json())
            except ValidationError as exc:
                msg = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
                await websocket.send_json({"error": {"code": "validation_error", "message": msg}})
            except KickoffError as exc:
                status, code = _kickoff_error(exc)
                message = str(exc) if status < 500 else "The server could not apply the segment."
                await websocket.send_json({"error": {"code": code, "message": message}})
    except WebSocketDisconnect:
        return
