"""Kickoffs, stakeholders, gaps and coverage, audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from assistant.api.deps import PrincipalDep, ServiceDep
from assistant.api.errors import responses
from assistant.domain import Coverage, ItemId
from assistant.service import (
    AuditPublic,
    GapsPublic,
    KickoffCreate,
    KickoffPublic,
    KickoffSummary,
    StakeholderCreate,
)
from assistant.state import Stakeholder

_ERRORS = responses(401, 404, 413, 422, 429)
router = APIRouter(prefix="/kickoffs", tags=["kickoffs"], responses=_ERRORS)


@router.post("", response_model=KickoffPublic, status_code=201)
def create_kickoff(body: KickoffCreate, p: PrincipalDep, service: ServiceDep) -> KickoffPublic:
    """Open a kickoff with a brief (and, optionally, the stakeholders to interview)."""
    return service.create_kickoff(p, body)


@router.get("", response_model=list[KickoffSummary])
def list_kickoffs(
    p: PrincipalDep,
    service: ServiceDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[KickoffSummary]:
    """This tenant's kickoffs, newest first."""
    return service.list_kickoffs(p, limit, offset)


@router.get("/{kickoff_id}", response_model=KickoffPublic)
def get_kickoff(kickoff_id: str, p: PrincipalDep, service: ServiceDep) -> KickoffPublic:
    return service.get_kickoff(p, kickoff_id)


@router.delete("/{kickoff_id}", status_code=204, response_class=Response)
def delete_kickoff(kickoff_id: str, p: PrincipalDep, service: ServiceDep) -> Response:
    """Delete the kickoff, its charter versions and call events (the audit log keeps the deletion)."""
    service.delete_kickoff(p, kickoff_id)
    return Response(status_code=204)


@router.get("/{kickoff_id}/stakeholders", response_model=list[Stakeholder])
def list_stakeholders(kickoff_id: str, p: PrincipalDep, service: ServiceDep) -> list[Stakeholder]:
    return service.list_stakeholders(p, kickoff_id)


@router.post("/{kickoff_id}/stakeholders", response_model=Stakeholder, status_code=201)
def add_stakeholder(kickoff_id: str, body: StakeholderCreate, p: PrincipalDep, service: ServiceDep) -> Stakeholder:
    """Add a stakeholder (adding a name twice returns the existing one)."""
    return service.add_stakeholder(p, kickoff_id, body)


@router.get("/{kickoff_id}/gaps", response_model=GapsPublic)
def gaps(kickoff_id: str, p: PrincipalDep, service: ServiceDep) -> GapsPublic:
    """Coverage, missing roles, risks, and the questions that would close each gap."""
    return service.gaps(p, kickoff_id)


@router.get("/{kickoff_id}/coverage", response_model=dict[ItemId, Coverage])
def coverage(kickoff_id: str, p: PrincipalDep, service: ServiceDep) -> dict[ItemId, Coverage]:
    """Each checklist item: covered, open or not_discussed."""
    return service.assessment(p, kickoff_id).coverage


@router.get("/{kickoff_id}/audit", response_model=list[AuditPublic])
def audit(kickoff_id: str, p: PrincipalDep, service: ServiceDep) -> list[AuditPublic]:
    """Who changed what, and when (charter edits name their author)."""
    return service.audit(p, kickoff_id)
