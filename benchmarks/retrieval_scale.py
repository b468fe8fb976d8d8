"""How retrieval scales: query latency and ingest throughput at 1k and 10k synthetic chunks.

Run: `.venv/bin/python -m benchmarks.retrieval_scale` (or `python benchmarks/retrieval_scale.py`).
Writes benchmarks/results/retrieval_scale.json.

Embedding 10k real chunks would take many minutes on a 2-core machine (MiniLM runs at roughly
10-20 chunks of ~130 tokens per second), so the two costs are measured apart:
- embedding throughput, on a sample of real playbook chunks;
- the store: synthetic vectors written through KnowledgeBase's own write path, then queried through
  KnowledgeBase.search (query embedding + playbook + tenant collection) and through a bare chroma
  query. The synthetic vectors are real chunk embeddings plus noise, so they cluster like real text
  rather than spreading evenly over the sphere as random vectors would.
Baseline, measured in the same run over the same vectors: exact brute-force search with numpy (one
matrix-vector product and argpartition). The ratio chroma/numpy and chroma's recall against the
exact top-k are reported; a ratio above 1 means the brute force was faster at that size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # `python benchmarks/retrieval_scale.py` from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from assistant.config import PROJECT_ROOT, Settings  # noqa: E402
from assistant.domain import Citation  # noqa: E402
from assistant.knowledge.embeddings import get_embedder  # noqa: E402
from assistant.knowledge.index import KnowledgeBase  # noqa: E402
from assistant.knowledge.splitter import Chunk, split_markdown  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "retrieval_scale.json"
TENANT = "bench"
K = 3
# Chunks written file by file and timed at each size; the rest of a larger size is pre-filled.
TIMED_WRITES = 2000
PREFILL_BATCH = 5000


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def playbook_chunks(settings: Settings) -> list[Chunk]:
    chunks: list[Chunk] = []
    for path in sorted((settings.knowledge_dir / "playbook").glob("*.md")):
        chunks.extend(split_markdown(path.read_text(encoding="utf-8"), f"playbook/{path.name}"))
    return chunks


def synthetic(
    base: np.ndarray, base_chunks: list[Chunk], n: int, rng: np.random.Generator
) -> tuple[list[Chunk], np.ndarray]:
    """n chunks whose vectors are noisy copies of real chunk vectors (normalised)."""
    pick = rng.integers(0, len(base), size=n)
    vectors = base[pick] + rng.normal(0, 0.04, size=(n, base.shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = []
    for i, j in enumerate(pick):
        source = f"synthetic/doc-{i // 20:04d}.md"
        text = base_chunks[j].text
        chunks.append(
            Chunk(
                text=text,
                citation=Citation(
                    source=source, heading=base_chunks[j].citation.heading, chunk_id=f"{source}#{i % 20}"
                ),
                embed_text=text,
            )
        )
    return chunks, vectors.astype(np.float32)


def run_size(
    n: int, base: np.ndarray, base_chunks: list[Chunk], questions: list[str], queries: np.ndarray, seed: int
) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    chunks, vectors = synthetic(base, base_chunks, n, rng)
    with tempfile.TemporaryDirectory() as tmp:
        kb = KnowledgeBase(Settings(data_dir=Path(tmp)))
        kb.ensure_playbook_indexed()
        client = kb._connect()
        collection = kb._get_or_create(client, kb._collection_name(TENANT))

        # Large sizes are pre-filled in big batches (untimed), so the timed part fits the 5-minute
        # budget yet still measures writing into a collection that already holds n - timed chunks.
        timed = min(n, TIMED_WRITES)
        for start in range(0, n - timed, PREFILL_BATCH):
            end = min(start + PREFILL_BATCH, n - timed)
            kb._write(client, collection, chunks[start:end], vectors[start:end], [])
        # Ingest, store side: batches of one "file" (20 chunks) at a time, as `kickoff ingest` writes.
        started = time.perf_counter()
        for start in range(n - timed, n, 20):
            source = chunks[start].citation.source
            previous = collection.get(where={"source": source}, include=[])["ids"]
            kb._write(client, collection, chunks[start : start + 20], vectors[start : start + 20], previous)
        ingest_s = time.perf_counter() - started

        # Bare chroma query vs numpy brute force over the same vectors, same query vectors.
        chroma_ms, numpy_ms, overlap = [], [], []
        ids = np.array([c.citation.chunk_id for c in chunks])
        for q in queries:
            t0 = time.perf_counter()
            result = collection.query(query_embeddings=q[None, :], n_results=K, include=["distances"])
            chroma_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            scores = vectors @ q
            top = np.argpartition(-scores, K)[:K]
            top = top[np.argsort(-scores[top])]
            numpy_ms.append((time.perf_counter() - t0) * 1000)
            overlap.append(len(set(result["ids"][0]) & set(ids[top].tolist())) / K)

        # End to end, as a caller sees it: embed the question, query playbook + tenant, merge.
        search_ms = []
        for question in questions:
            t0 = time.perf_counter()
            kb.search(question, k=K, tenant=TENANT)
            search_ms.append((time.perf_counter() - t0) * 1000)

    chroma_p95, numpy_p95 = percentile(chroma_ms, 95), percentile(numpy_ms, 95)
    return {
        "chunks": n,
        "store_ingest_chunks_per_s": round(timed / ingest_s, 1),
        "timed_writes": timed,
        "chroma_query_ms": {"p50": round(percentile(chroma_ms, 50), 3), "p95": round(chroma_p95, 3)},
        "numpy_bruteforce_query_ms": {"p50": round(percentile(numpy_ms, 50), 3), "p95": round(numpy_p95, 3)},
        "p95_ratio_chroma_over_numpy": round(chroma_p95 / numpy_p95, 2),
        "chroma_recall_vs_exact_top3": round(float(np.mean(overlap)), 4),
        "kb_search_end_to_end_ms": {
            "p50": round(percentile(search_ms, 50), 2),
            "p95": round(percentile(search_ms, 95), 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    settings = Settings()
    embedder = get_embedder()
    base_chunks = playbook_chunks(settings)
    question_file = PROJECT_ROOT / "tests" / "data" / "retrieval_questions.yaml"
    questions = [q["question"] for q in yaml.safe_load(question_file.read_text())]

    started = time.perf_counter()
    base = embedder.embed([c.embed_text for c in base_chunks])
    embed_s = time.perf_counter() - started
    rng = np.random.default_rng(0)
    question_vectors = embedder.embed(questions)
    picks = question_vectors[rng.integers(0, len(questions), size=args.queries)]
    queries = picks + rng.normal(0, 0.02, size=picks.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    report = {
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "python": platform.python_version()},
        "embedding": {
            "sample_chunks": len(base_chunks),
            "mean_chars": round(float(np.mean([len(c.embed_text) for c in base_chunks])), 1),
            "chunks_per_s": round(len(base_chunks) / embed_s, 1),
        },
        "k": K,
        "query_vectors": args.queries,
        "sizes": [run_size(n, base, base_chunks, questions, queries, seed=n) for n in args.sizes],
    }
    for size in report["sizes"]:
        # End-to-end ingest is bounded by the slower stage: embedding, then the store write.
        size["end_to_end_ingest_chunks_per_s_estimate"] = round(
            1 / (1 / report["embedding"]["chunks_per_s"] + 1 / size["store_ingest_chunks_per_s"]), 1
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
