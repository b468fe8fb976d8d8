"""The tenant's own documents: upload, list, delete; and a search over the playbook plus them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool

from assistant.api.deps import PrincipalDep, ServiceDep
from assistant.api.errors import ApiError, responses
from assistant.service import NONBLANK, DocumentPublic, PassagePublic

_ERRORS = responses(401, 404, 413, 422, 429)
router = APIRouter(tags=["documents"], responses=_ERRORS)


@router.post("/documents", response_model=DocumentPublic, status_code=201, responses=responses(415))
async def upload_document(file: UploadFile, p: PrincipalDep, service: ServiceDep) -> DocumentPublic:
    """Add (or replace, by file name) a document in this tenant's own collection (.md, .txt, .pdf, .docx)."""
    limit = service.settings.max_upload_bytes
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise ApiError(
            413, "payload_too_large", f"The upload is over the {limit:,}-byte limit (KICKOFF_MAX_UPLOAD_BYTES)."
        )
    added = await run_in_threadpool(service.upload_document, p, file.filename or "", content)
    return DocumentPublic(source=added.source, chunks=added.chunks)


@router.get("/documents", response_model=list[DocumentPublic])
def list_documents(p: PrincipalDep, service: ServiceDep) -> list[DocumentPublic]:
    return [DocumentPublic(source=d.source, chunks=d.chunks) for d in service.list_documents(p)]


@router.delete("/documents/{source}", status_code=204, response_class=Response)
def delete_document(source: str, p: PrincipalDep, service: ServiceDep) -> Response:
    service.delete_document(p, source)
    return Response(status_code=204)


@router.get("/search", response_model=list[PassagePublic])
def search(
    p: PrincipalDep,
    service: ServiceDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, pattern=NONBLANK)],
    k: Annotated[int, Query(ge=1, le=20)] = 3,
) -> list[PassagePublic]:
    """Passages from the playbook and this tenant's documents (never another tenant's), with citations."""
    return [
        PassagePublic(text=x.text, source=x.citation.source, heading=x.citation.heading, score=x.score)
        for x in service.search(p, q, k)
    ]
