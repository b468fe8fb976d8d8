"""The knowledge base: the built-in playbook plus each tenant's own documents, in chromadb.

One collection holds the playbook ("{prefix}-playbook"); each tenant gets its own collection
("{prefix}-tenant-{tenant}"), so a query for one tenant cannot reach another's documents.
We embed with our offline MiniLM ourselves (the embedded text carries the heading path, the
stored document stays clean) and still hand chromadb our embedding function, because its
default one downloads a model.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
import httpx
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError, NotFoundError
from pydantic import BaseModel, Field

from assistant.config import Settings, get_settings
from assistant.domain import Citation
from assistant.errors import ConfigError, IngestError, InvalidInput, KickoffError, NotFound, RetrievalUnavailable
from assistant.knowledge.embeddings import DIM, MODEL_NAME, ChromaEmbeddingFunction, Embedder, get_embedder
from assistant.knowledge.loaders import is_supported, load_document
from assistant.knowledge.splitter import SPLITTER_VERSION, Chunk, split_markdown

DEFAULT_TENANT = "local"
PLAYBOOK_DIR = "playbook"

# (done, total, what) after each unit of work; the CLI drives a progress bar from it.
ProgressFn = Callable[[int, int, str], None]

_SAFE_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")


class Passage(BaseModel):
    text: str
    citation: Citation
    score: float = Field(description="Cosine similarity to the query; higher is closer")


class IngestedFile(BaseModel):
    path: str
    source: str = Field(description="The name its passages are cited by")
    chunks: int
    replaced: int = Field(default=0, description="Chunks of an earlier version that this one replaced")
    unchanged: bool = Field(default=False, description="Already indexed with this exact text; nothing was rewritten")


class IngestFailure(BaseModel):
    path: str
    message: str


class SkippedFile(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    tenant: str
    added: list[IngestedFile] = Field(default_factory=list)
    errors: list[IngestFailure] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class DocumentInfo(BaseModel):
    source: str
    chunks: int


def collection_suffix(tenant: str) -> str:
    """A collection-name-safe form of a tenant id that never maps two tenants to one name."""
    if not tenant or not tenant.strip():
        raise InvalidInput("The tenant id is empty; pass a tenant such as 'local'.")
    if _SAFE_TENANT.match(tenant):
        return tenant
    # Anything else is hashed; the '.' cannot occur in a plain id, so the two forms never meet.
    return "h." + hashlib.sha256(tenant.encode()).hexdigest()[:32]


class _LazyEmbeddingFunction(ChromaEmbeddingFunction):
    """Our embedding function for chromadb, loading the model only if chromadb itself embeds.

    We hand chromadb our own vectors for every write and query, so it never needs to embed; but
    it rebuilds the function from its config (build_from_config) on collection calls, and the base
    class would load a second ONNX session each time (measured: 0.3-0.6 s, on every fast path).
    """

    def __init__(self, embedder: Callable[[], Embedder] = get_embedder) -> None:
        self._get_embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._get_embedder().embed(list(input)))

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _LazyEmbeddingFunction:
        return _LazyEmbeddingFunction()


class KnowledgeBase:
    """Retrieval with citations over chromadb, embedded (default) or a server (settings.chroma_url)."""

    def __init__(
        self,
        settings: Settings | None = None,
        client: ClientAPI | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self._client = client
        self._embedder = embedder
        self._embedding_function = _LazyEmbeddingFunction(lambda: self.embedder)
        self._playbook_checked = False

    # ---- connection -------------------------------------------------------------------------

    @property
    def where(self) -> str:
        return self.settings.chroma_url or str(self.settings.chroma_path)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    def _connect(self) -> ClientAPI:
        if self._client is not None:
            return self._client
        chroma_settings = ChromaSettings(anonymized_telemetry=False)  # no phoning home
        url = self.settings.chroma_url
        try:
            if url:
                host, port, ssl = _parse_chroma_url(url)
                self._client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
            else:
                self.settings.chroma_path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.settings.chroma_path), settings=chroma_settings)
        except KickoffError:
            raise
        # chromadb reports a refused connection as ValueError and a bad directory as OSError or
        # its own errors; whatever the cause, the store is not there to use.
        except Exception as exc:
            raise RetrievalUnavailable(self._unavailable_message(exc)) from exc
        return self._client

    def _unavailable_message(self, exc: BaseException) -> str:
        if self.settings.chroma_url:
            hint = (
                "start the Chroma server (e.g. `chroma run --path .kickoff/chroma --port 8000`) "
                "or unset KICKOFF_CHROMA_URL to use the embedded store"
            )
        else:
            hint = "check that KICKOFF_DATA_DIR is writable and that no other process holds the index"
        return f"The vector store at {self.where} is unavailable ({type(exc).__name__}: {exc}); {hint}."

    @contextmanager
    def _store(self) -> Iterator[ClientAPI]:
        client = self._connect()
        try:
            yield client
        except (httpx.TransportError, OSError, ChromaError) as exc:
            if isinstance(exc, NotFoundError):
                raise
            raise RetrievalUnavailable(self._unavailable_message(exc)) from exc

    def _collection_name(self, tenant: str | None) -> str:
        prefix = self.settings.collection_prefix
        return f"{prefix}-playbook" if tenant is None else f"{prefix}-tenant-{collection_suffix(tenant)}"

    def _get_or_create(self, client: ClientAPI, name: str) -> Collection:
        return client.get_or_create_collection(
            name,
            embedding_function=self._embedding_function,  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
        )

    def _get(self, client: ClientAPI, name: str) -> Collection | None:
        """The collection, or None when it was never created (reads must not create it)."""
        try:
            return client.get_collection(
                name,
                embedding_function=self._embedding_function,  # type: ignore[arg-type]
            )
        except NotFoundError:
            return None

    # ---- the playbook -----------------------------------------------------------------------

    def playbook_files(self) -> list[Path]:
        return sorted((self.settings.knowledge_dir / PLAYBOOK_DIR).glob("*.md"))

    def playbook_hash(self) -> str:
        """Changes when a playbook file, the chunking or the embedding model changes."""
        digest = hashlib.sha256(f"{SPLITTER_VERSION}|{MODEL_NAME}".encode())
        for path in self.playbook_files():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def ensure_playbook_indexed(self, progress: ProgressFn | None = None) -> bool:
        """Index knowledge/playbook/*.md when missing or changed; True when it (re)indexed."""
        files = self.playbook_files()
        content_hash = self.playbook_hash()
        with self._store() as client:
            collection = self._get_or_create(client, self._collection_name(None))
            if (collection.metadata or {}).get("content_hash") == content_hash:
                self._playbook_checked = True
                return False
            chunks: list[Chunk] = []
            vectors: list[np.ndarray] = []
            for done, path in enumerate(files, start=1):
                source = f"{PLAYBOOK_DIR}/{path.name}"
                try:
                    file_chunks = split_markdown(load_document(path), source)
                except IngestError as exc:
                    raise ConfigError(f"The built-in playbook cannot be indexed: {exc}") from exc
                chunks.extend(file_chunks)
                vectors.append(self.embedder.embed([c.embed_text for c in file_chunks]))
                if progress:
                    progress(done, len(files), source)
            matrix = np.concatenate(vectors) if vectors else np.zeros((0, DIM), dtype=np.float32)
            self._write(client, collection, chunks, matrix, previous=collection.get(include=[])["ids"])
            # Written last: a run that dies before this line re-indexes on the next start.
            collection.modify(metadata={"content_hash": content_hash})
        self._playbook_checked = True
        return True

    # ---- tenant documents -------------------------------------------------------------------

    def ingest(
        self, paths: Sequence[Path], tenant: str = DEFAULT_TENANT, progress: ProgressFn | None = None
    ) -> IngestReport:
        """Add (or replace) documents for a tenant. A bad file is reported; the others still go in."""
        report = IngestReport(tenant=tenant)
        name = self._collection_name(tenant)  # validates the tenant before any work
        files = _discover(paths, report)
        if not files:
            return report
        with self._store() as client:
            collection = self._get_or_create(client, name)
            seen: dict[str, Path] = {}
            for done, (path, source) in enumerate(files, start=1):
                if source in seen:
                    message = f"{path}: has the same name as {seen[source]} in this run; rename one."
                    report.errors.append(IngestFailure(path=str(path), message=message))
                else:
                    seen[source] = path
                    self._ingest_file(client, collection, path, source, report)
                if progress:
                    progress(done, len(files), str(path))
        return report

    def _ingest_file(
        self, client: ClientAPI, collection: Collection, path: Path, source: str, report: IngestReport
    ) -> None:
        try:
            # Read, split (and below, embed) the whole file before writing anything, so a file that
            # fails half-way never leaves part of itself behind, nor removes its earlier version.
            text = load_document(path, self.settings.max_upload_bytes)
            chunks = split_markdown(text, source)
            if not chunks:
                raise IngestError(f"{path}: no text found; nothing to index.")
        except IngestError as exc:
            report.errors.append(IngestFailure(path=str(path), message=str(exc)))
            return
        digest = _text_digest(text)
        stored = collection.get(where={"source": source}, include=["metadatas"])
        if sorted(stored["ids"]) == sorted(c.citation.chunk_id for c in chunks) and all(
            m.get("digest") == digest for m in stored["metadatas"] or []
        ):
            # Embedding is the slow part (~10-20 chunks/s on 2 cores): skip files already indexed as they are.
            report.added.append(IngestedFile(path=str(path), source=source, chunks=len(chunks), unchanged=True))
            return
        vectors = self.embedder.embed([c.embed_text for c in chunks])
        replaced = self._write(client, collection, chunks, vectors, previous=stored["ids"], digest=digest)
        report.added.append(IngestedFile(path=str(path), source=source, chunks=len(chunks), replaced=replaced))

    def list_documents(self, tenant: str = DEFAULT_TENANT) -> list[DocumentInfo]:
        with self._store() as client:
            collection = self._get(client, self._collection_name(tenant))
            if collection is None:
                return []
            metadatas = collection.get(include=["metadatas"])["metadatas"] or []
        counts = Counter(str(m["source"]) for m in metadatas)
        return [DocumentInfo(source=s, chunks=n) for s, n in sorted(counts.items())]

    def delete_document(self, tenant: str, source: str) -> int:
        """Remove a tenant document's chunks; returns how many were removed."""
        with self._store() as client:
            collection = self._get(client, self._collection_name(tenant))
            ids = collection.get(where={"source": source}, include=[])["ids"] if collection else []
            if not ids:
                raise NotFound(f"No document {source!r} for tenant {tenant!r}; `kickoff ingest` lists what it added.")
            assert collection is not None
            collection.delete(ids=ids)
        return len(ids)

    # ---- search -----------------------------------------------------------------------------

    def search(self, query: str, k: int | None = None, tenant: str = DEFAULT_TENANT) -> list[Passage]:
        """The k passages closest to the query, from the playbook and this tenant's documents."""
        query = query.strip()
        if not query:
            raise InvalidInput("The search query is empty; ask a question.")
        k = k or self.settings.retrieval_k
        if k < 1:
            raise InvalidInput("k must be at least 1.")
        if not self._playbook_checked:
            self.ensure_playbook_indexed()
        vector = self.embedder.embed([query])
        passages: list[Passage] = []
        with self._store() as client:
            for name in (self._collection_name(None), self._collection_name(tenant)):
                collection = self._get(client, name)
                if collection is None:
                    continue
                n = min(k, collection.count())
                if n == 0:
                    continue
                result = collection.query(
                    query_embeddings=vector, n_results=n, include=["documents", "metadatas", "distances"]
                )
                passages.extend(_passages(result))
        # Both collections use cosine distance, so their scores compare directly.
        passages.sort(key=lambda p: p.score, reverse=True)
        return passages[:k]

    # ---- writing ----------------------------------------------------------------------------

    def _write(
        self,
        client: ClientAPI,
        collection: Collection,
        chunks: list[Chunk],
        vectors: np.ndarray,
        previous: list[str],
        digest: str = "",
    ) -> int:
        """Upsert the chunks, then delete the `previous` ids they do not overwrite; returns len(previous).

        Upsert-then-prune keeps the previous version searchable until the new one is fully in.
        """
        ids = [c.citation.chunk_id for c in chunks]
        batch = client.get_max_batch_size()
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            collection.upsert(
                ids=ids[start : start + batch],
                embeddings=vectors[start : start + batch],
                documents=[c.text for c in part],
                metadatas=[
                    {"source": c.citation.source, "heading": c.citation.heading, "digest": digest} for c in part
                ],
            )
        keep = set(ids)
        stale = [i for i in previous if i not in keep]
        for start in range(0, len(stale), batch):
            collection.delete(ids=stale[start : start + batch])
        return len(previous)


def _text_digest(text: str) -> str:
    """Identifies a document's indexed form: its text, the chunking and the embedding model."""
    return hashlib.sha256(f"{SPLITTER_VERSION}|{MODEL_NAME}|{text}".encode()).hexdigest()


def _parse_chroma_url(url: str) -> tuple[str, int, bool]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"KICKOFF_CHROMA_URL={url!r} is not a URL like http://localhost:8000; fix or unset it.")
    ssl = parts.scheme == "https"
    return parts.hostname, parts.port or (443 if ssl else 8000), ssl


def _discover(paths: Sequence[Path], report: IngestReport) -> list[tuple[Path, str]]:
    """(file, source name) pairs: named files as given, folders walked (hidden entries skipped)."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if not child.is_file() or any(part.startswith(".") for part in relative.parts):
                    continue
                if is_supported(child):
                    # Relative to the folder, so docs/a/notes.md and docs/b/notes.md stay distinct.
                    found.append((child, relative.as_posix()))
                else:
                    report.skipped.append(SkippedFile(path=str(child), reason=f"unsupported type {child.suffix!r}"))
        elif path.is_file():
            # Named explicitly: an unsupported type is an error (load_document says so), not a skip.
            found.append((path, path.name))
        else:
            report.errors.append(
                IngestFailure(path=str(path), message=f"{path}: no such file or folder; check the path.")
            )
    return found


def _passages(result: Any) -> list[Passage]:
    ids, docs, metas, dists = (result[key][0] for key in ("ids", "documents", "metadatas", "distances"))
    passages = []
    for chunk_id, text, meta, distance in zip(ids, docs, metas, dists, strict=True):
        citation = Citation(source=str(meta["source"]), heading=str(meta["heading"]), chunk_id=chunk_id, text=text)
        passages.append(Passage(text=text, citation=citation, score=round(1.0 - float(distance), 4)))
    return passages
