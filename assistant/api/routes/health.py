"""Liveness and readiness; no auth, so load balancers can probe them."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from assistant.api.deps import ServiceDep
from assistant.api.errors import responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    checks: dict[str, str] = {}


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is up."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses=responses(503))
async def readyz(service: ServiceDep) -> JSONResponse:
    """The database and the vector store answer."""
    checks = await run_in_threadpool(service.ready)
    if all(v == "ok" for v in checks.values()):
        return JSONResponse(Health(status="ok", checks=checks).model_dump())
    failing = ", ".join(f"{k} {v}" for k, v in checks.items() if v != "ok")
    return JSONResponse(
        {"error": {"code": "not_ready", "message": f"Not ready: {failing}."}, "checks": checks}, status_code=503
    )
