"""The FastAPI app factory: `create_app(settings)`. `kickoff serve` runs it under uvicorn."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from assistant.api.errors import install_error_handlers
from assistant.api.limits import RateLimiter, RequestSizeLimit
from assistant.api.routes import calls, charter, documents, health, interviews, kickoffs, pending
from assistant.config import Settings
from assistant.service import KickoffService
from assistant.store import Store

log = logging.getLogger("kickoff.api")

API_PREFIX = "/v1"


def create_app(
    settings: Settings,
    *,
    service: KickoffService | None = None,
    migrate: bool = True,
    mount_ui: Callable[[FastAPI, KickoffService], object] | None = None,
) -> FastAPI:
    """The API app. The store is migrated here (idempotent), so every worker starts on the newest schema."""
    if service is None:
        store = Store(settings)
        service = KickoffService(store, settings)
    if migrate:
        service.store.migrate()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        service.store.dispose()

    app = FastAPI(
        title="Kickoff API",
        version="1",
        description="Facilitates the kickoff of a technology deployment: interviews stakeholders, drafts an "
        "accountability charter, flags missing roles and risks. Every /v1 call needs `Authorization: Bearer <key>`.",
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.settings = settings
    app.state.limiter = RateLimiter(settings.rate_limit_per_minute)

    install_error_handlers(app)
    # An oversized body is refused before routing, parsing or auth.
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    # Outermost, so that even a 413 from the size limit carries the CORS headers a portal needs to read it.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID", "Accept"],
            expose_headers=["Retry-After", "Idempotent-Replayed"],
        )

    app.include_router(health.router)
    for module in (kickoffs, interviews, charter, pending, calls, documents):
        app.include_router(module.router, prefix=API_PREFIX)

    # The browser UI mounts here, at /ui, over this same service (`kickoff serve` passes ui.mount.mount_ui).
    if mount_ui is not None:
        mount_ui(app, service)
    return app
