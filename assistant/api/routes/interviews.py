"""Interviews and messages; a message's reply can stream as server-sent events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse

from assistant.api.deps import PrincipalDep, ServiceDep
from assistant.api.errors import ErrorBody, responses, sse_schema
from assistant.api.token_stream import TurnStream, replay_events
from assistant.engine import AssistantTurn
from assistant.service import InterviewCreate, InterviewPublic, InterviewStarted, MessageCreate

router = APIRouter(
    prefix="/kickoffs/{kickoff_id}/interviews", tags=["interviews"], responses=responses(401, 404, 409, 413, 422, 429)
)


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


_MESSAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The assistant's turn: the reply, the targeted checklist item and the state delta. With "
        "`Accept: text/event-stream`: `delta` events with pieces of the reply (a model-written answer as the "
        "model writes it), a `reset` event if that draft was replaced (discard what was shown), a `turn` "
        "event with the whole committed turn, then `done`; or an `error` event if the turn failed after "
        "the stream began.",
        "content": {"text/event-stream": {"schema": sse_schema("delta", "reset", "turn", "done", "error")}},
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
    key = idempotency_key or None
    if "text/event-stream" in request.headers.get("accept", ""):
        stream = TurnStream(
            lambda sink: run_in_threadpool(service.post_message, p, kickoff_id, interview_id, body.text, key, sink)
        )
        finished = await stream.started()
        if finished is None:
            return EventSourceResponse(stream.events(), ping=15)
        turn, replayed = finished
        headers = {"Idempotent-Replayed": "true"} if replayed else None
        return EventSourceResponse(replay_events(turn, replayed), headers=headers, ping=15)
    turn, replayed = await run_in_threadpool(service.post_message, p, kickoff_id, interview_id, body.text, key)
    headers = {"Idempotent-Replayed": "true"} if replayed else None
    return JSONResponse(turn.model_dump(mode="json"), headers=headers)
