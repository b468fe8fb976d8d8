"""Interviews and messages; a message's reply can stream as server-sent events."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from sse_starlette import EventSourceResponse, ServerSentEvent

from assistant.api.deps import PrincipalDep, ServiceDep
from assistant.api.errors import ErrorBody, responses, sse_schema
from assistant.engine import AssistantTurn
from assistant.service import InterviewCreate, InterviewPublic, InterviewStarted, MessageCreate

router = APIRouter(
    prefix="/kickoffs/{kickoff_id}/interviews", tags=["interviews"], responses=responses(401, 404, 409, 413, 422, 429)
)

_CHUNK = re.compile(r"\S+\s*|\s+")


@router.post("", response_model=InterviewStarted, status_code=201)
def start_interview(kickoff_id: str, body: InterviewCreate, p: PrincipalDep, service: ServiceDep) -> InterviewStarted:
    """Start interviewing a stakeholder; the response holds the assistant's first question."""
    return service.start_interview(p, kickoff_id, body)


@router.get("/{interview_id}", response_model=InterviewPublic)
def get_interview(kickoff_id: str, interview_id: str, p: PrincipalDep, service: ServiceDep) -> InterviewPublic:
    """The interview with its transcript."""
    return service.get_interview(p, kickoff_id, interview_id)


@router.post("/{interview_id}/end", response_model=AssistantTurn)
def end_interview(kickoff_id: str, interview_id: str, p: PrincipalDep, service: ServiceDep) -> AssistantTurn:
    """Close the interview early; the reply summarises what was gathered."""
    return service.end_interview(p, kickoff_id, interview_id)


def _stream(turn: AssistantTurn, replayed: bool) -> AsyncIterator[ServerSentEvent]:
    async def events() -> AsyncIterator[ServerSentEvent]:
        # The turn is committed before the first byte is sent; streaming is presentation only.
        words = _CHUNK.findall(turn.text)
        for i in range(0, len(words), 4):
            yield ServerSentEvent(event="delta", data=json.dumps({"text": "".join(words[i : i + 4])}))
        yield ServerSentEvent(event="turn", data=turn.model_dump_json())
        yield ServerSentEvent(event="done", data=json.dumps({"replayed": replayed}))

    return events()


_MESSAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The assistant's turn: the reply, the targeted checklist item and the state delta. With "
        "`Accept: text/event-stream`: `delta` events with chunks of the reply, a `turn` event with the whole "
        "turn, then `done`.",
        "content": {"text/event-stream": {"schema": sse_schema("delta", "turn", "done")}},
    },
    409: {
        "model": ErrorBody,
        "description": "The interview is closed, or the Idempotency-Key was used elsewhere",
    },
}


@router.post("/{interview_id}/messages", response_model=AssistantTurn, responses=_MESSAGE_RESPONSES)
async def post_message(
    kickoff_id: str,
    interview_id: str,
    body: MessageCreate,
    request: Request,
    p: PrincipalDep,
    service: ServiceDep,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Process this message at most once; a retry replays the stored turn."),
    ] = None,
) -> Any:
    """Send the stakeholder's message; get the assistant's turn back (JSON, or SSE when asked for)."""
    # 413 for an over-long message comes from here, before any engine or model work.
    service.check_message(body.text)
    turn, replayed = await run_in_threadpool(
        service.post_message, p, kickoff_id, interview_id, body.text, idempotency_key or None
    )
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    if "text/event-stream" in request.headers.get("accept", ""):
        return EventSourceResponse(_stream(turn, replayed), headers=headers, ping=15)
    from fastapi.responses import JSONResponse

    return JSONResponse(turn.model_dump(mode="json"), headers=headers)
