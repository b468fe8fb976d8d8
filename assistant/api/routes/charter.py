"""The charter: JSON, Markdown or DOCX; human edits make new versions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Response

from assistant.api.deps import PrincipalDep, ServiceDep
from assistant.api.errors import responses
from assistant.charter import Charter
from assistant.service import CharterEditCreate, CharterVersionPublic

router = APIRouter(
    prefix="/kickoffs/{kickoff_id}/charter", tags=["charter"], responses=responses(401, 404, 413, 422, 429)
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_FORMATS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The charter as JSON (default), Markdown (`?format=md` or `Accept: text/markdown`) or "
        "DOCX (`?format=docx` or that Accept type).",
        "content": {
            "text/markdown": {"schema": {"type": "string"}},
            DOCX: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get("", response_model=Charter, responses=_FORMATS)
def get_charter(
    kickoff_id: str,
    p: PrincipalDep,
    service: ServiceDep,
    format: Annotated[Literal["json", "md", "docx"] | None, Query(description="Overrides the Accept header")] = None,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Any:
    """The charter as it stands now, rendered from the kickoff's state."""
    fmt = format
    if fmt is None:
        wanted = (accept or "").lower()
        fmt = "md" if "text/markdown" in wanted else "docx" if DOCX in wanted else "json"
    if fmt == "md":
        return Response(service.charter_markdown(p, kickoff_id), media_type="text/markdown; charset=utf-8")
    if fmt == "docx":
        return Response(
            service.charter_docx(p, kickoff_id),
            media_type=DOCX,
            headers={"Content-Disposition": f'attachment; filename="charter-{kickoff_id}.docx"'},
        )
    return service.charter(p, kickoff_id)


@router.put("", response_model=Charter)
def edit_charter(kickoff_id: str, body: CharterEditCreate, p: PrincipalDep, service: ServiceDep) -> Charter:
    """A person's edits to sections; makes a new charter version and an audit entry naming the author."""
    return service.edit_charter(p, kickoff_id, body)


@router.get("/versions", response_model=list[CharterVersionPublic])
def charter_versions(kickoff_id: str, p: PrincipalDep, service: ServiceDep) -> list[CharterVersionPublic]:
    """Every version of the charter: one per change (turn, edit), with its author."""
    return service.charter_versions(p, kickoff_id)


@router.get("/versions/{version}", response_model=Charter)
def charter_version(
    kickoff_id: str, version: Annotated[int, Path(ge=0, le=2**31 - 1)], p: PrincipalDep, service: ServiceDep
) -> Charter:
    """The charter as it was at that version."""
    return service.charter_version(p, kickoff_id, version)
