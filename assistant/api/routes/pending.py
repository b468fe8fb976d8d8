"""Pending changes: a role recorded for someone, which a later text would take away without a clear source
(their own claim or a recognised correction), waits here for a person to accept or reject it."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.api.deps import PrincipalDep, ServiceDep
from assistant.api.errors import responses
from assistant.charter import Charter
from assistant.service import PendingChangePublic, PendingDecision

router = APIRouter(
    prefix="/kickoffs/{kickoff_id}/pending", tags=["charter"], responses=responses(401, 404, 409, 422, 429)
)


@router.get("", response_model=list[PendingChangePublic])
def list_pending(kickoff_id: str, p: PrincipalDep, service: ServiceDep) -> list[PendingChangePublic]:
    """Every pending change, decided or not, with the exact words it came from."""
    return service.pending_changes(p, kickoff_id)


@router.post("/{pending_id}", response_model=Charter)
def decide(kickoff_id: str, pending_id: str, body: PendingDecision, p: PrincipalDep, service: ServiceDep) -> Charter:
    """Accept (apply it as proposed) or reject (keep the role as recorded) a pending change. Either way a new
    charter version and an audit entry naming the person; 409 when it was decided already."""
    return service.decide_pending(p, kickoff_id, pending_id, body)
