"""Dependencies: the service, and the calling tenant (Bearer API key, rate-limited).

Routes take `ServiceDep` and `PrincipalDep`; tests override `get_service`/`get_principal` if they need to.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.api.errors import ApiError
from assistant.api.limits import RateLimiter
from assistant.service import KickoffService, Principal
from assistant.store import hash_key

bearer = HTTPBearer(auto_error=False, description="The tenant's API key from `kickoff tenant create NAME`.")


def get_service(request: Request) -> KickoffService:
    service: KickoffService = request.app.state.service
    return service


ServiceDep = Annotated[KickoffService, Depends(get_service)]


def authenticate(service: KickoffService, limiter: RateLimiter, key: str | None) -> Principal:
    if not key:
        raise ApiError(
            401,
            "unauthorized",
            "Send the tenant's API key as 'Authorization: Bearer <key>'; `kickoff tenant create NAME` makes one.",
            {"WWW-Authenticate": "Bearer"},
        )
    tenant = service.store.tenant_for_key(key)
    if tenant is None:
        raise ApiError(401, "unauthorized", "The API key is unknown or revoked.", {"WWW-Authenticate": "Bearer"})
    wait = limiter.acquire(hash_key(key))
    if wait > 0:
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests for this API key; retry in {RateLimiter.retry_after(wait)} s.",
            {"Retry-After": RateLimiter.retry_after(wait)},
        )
    return Principal(tenant_id=tenant.id, tenant_name=tenant.name)


def get_principal(
    request: Request,
    service: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    key = credentials.credentials if credentials and credentials.scheme.lower() == "bearer" else None
    return authenticate(service, request.app.state.limiter, key)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
