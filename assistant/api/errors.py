"""One error shape for every error: {"error": {"code", "message"}}. A 5xx never carries a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import ConfigError, InvalidInput, KickoffError, NotFound, RetrievalUnavailable
from assistant.service import Conflict, IdempotencyConflict, TooLarge, UnsupportedType

log = logging.getLogger("kickoff.api")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    503: "unavailable",
}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message)).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


class ApiError(StarletteHTTPException):
    """An HTTP error with our own code (e.g. 401 unauthorized, 429 rate_limited)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers)
        self.code = code


def _kickoff_error(exc: KickoffError) -> tuple[int, str]:
    if isinstance(exc, NotFound):
        return 404, "not_found"
    if isinstance(exc, TooLarge):
        return 413, "payload_too_large"
    if isinstance(exc, IdempotencyConflict):
        return 409, "idempotency_conflict"
    if isinstance(exc, UnsupportedType):
        return 415, "unsupported_media_type"
    if isinstance(exc, Conflict):
        return 409, "conflict"
    if isinstance(exc, InvalidInput):
        return 422, "invalid_input"
    if isinstance(exc, RetrievalUnavailable):
        return 503, "retrieval_unavailable"
    if isinstance(exc, ConfigError):
        return 500, "configuration_error"
    return 500, "internal_error"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "The request is invalid."


def error_after_output(exc: Exception) -> tuple[int, ErrorBody]:
    """The status and body for an error raised once a streamed response has begun (sent as an event, not
    a status line), with the same wording as the handlers below."""
    status, code, message = 500, "internal_error", "The server could not complete the request; it has been logged."
    if isinstance(exc, KickoffError):
        status, code = _kickoff_error(exc)
        if status < 500 or status != 500:
            message = str(exc)
    elif isinstance(exc, OperationalError | InterfaceError | PoolTimeout):
        status, code = 503, "database_unavailable"
        message = "The database is busy or unavailable; nothing was saved. Retry shortly."
    if status >= 500:
        log.error("error after the stream began: %s", exc)
    return status, ErrorBody(error=ErrorDetail(code=code, message=message))


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = getattr(exc, "code", None) or _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = exc.detail if isinstance(exc.detail, str) else "The request failed."
        if exc.status_code == 404 and message == "Not Found":
            message = "No such resource. The API lives under /v1; see /docs."
        return error_response(exc.status_code, code, message, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "validation_error", _validation_message(exc))

    @app.exception_handler(KickoffError)
    async def _kickoff(_: Request, exc: KickoffError) -> JSONResponse:
        status, code = _kickoff_error(exc)
        if status >= 500:
            log.error("kickoff error: %s", exc)
            if status == 500:
                return error_response(status, code, "The server could not complete the request; it has been logged.")
        return error_response(status, code, str(exc))

    # A locked, unreachable or unopenable database is the service being unavailable, not a bug: a 503 the client
    # may retry. Raised inside the store's transaction, so whatever the request had written was rolled back.
    async def _database(_: Request, exc: Exception) -> JSONResponse:
        log.error("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return error_response(
            503,
            "database_unavailable",
            "The database is busy or unavailable; nothing was saved. Retry shortly.",
            {"Retry-After": "1"},
        )

    for exc_type in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(exc_type, _database)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # Logged with its traceback on the server; the client gets no internals.
        log.exception("unhandled error", exc_info=exc)
        return error_response(500, "internal_error", "The server could not complete the request; it has been logged.")


def sse_schema(*events: str) -> dict[str, Any]:
    """The OpenAPI schema of one server-sent event, as schemathesis and clients parse it."""
    return {
        "type": "object",
        "properties": {
            "event": {"type": "string", "enum": list(events)},
            "data": {"type": "string", "description": "JSON"},
            "id": {"type": "string"},
        },
        "required": ["event", "data"],
    }


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries with the error shape, for the statuses a route can answer."""
    return {s: {"model": ErrorBody, "description": _HTTP_CODES.get(s, "error")} for s in statuses}
