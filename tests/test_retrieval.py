"""Retrieval over the real playbook: recall, re-index only on change, tenant isolation, store outages."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from assistant.config import PROJECT_ROOT, Settings
from assistant.errors import ConfigError, InvalidInput, NotFound, RetrievalUnavailable
from assistant.knowledge.index import KnowledgeBase, collection_suffix
from assistant.knowledge.langchain_adapter import as_retriever

QUESTIONS = yaml.safe_load((PROJECT_ROOT / "tests" / "data" / "retrieval_questions.yaml").read_text())


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    knowledge = KnowledgeBase(Settings(data_dir=tmp_path_factory.mktemp("retrieval")))
    assert knowledge.ensure_playbook_indexed() is True
    return knowledge


def is_hit(passages: list, file: str, heading: str) -> bool:
    return any(p.citation.source.endswith(file) and heading in p.citation.heading for p in passages)


def test_recall_at_3_over_the_question_set(kb: KnowledgeBase) -> None:
    assert len(QUESTIONS) >= 20
    misses = []
    for q in QUESTIONS:
        passages = kb.search(q["question"], k=3)
        assert len(passages) == 3
        if not is_hit(passages, q["file"], q["heading"]):
            misses.append((q["question"], [(p.citation.source, p.citation.heading) for p in passages]))
    recall = 1 - len(misses) / len(QUESTIONS)
    print(f"recall@3 = {recall:.3f} over {len(QUESTIONS)} questions")
    assert recall >= 0.9, misses


def test_passages_carry_scored_citations_in_order(kb: KnowledgeBase) -> None:
    passages = kb.search("who should own the rollout on the client side", k=5)
    assert len(passages) == 5
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    top = passages[0]
    assert top.citation.source == "playbook/01-why-accountability.md"
    assert top.citation.heading.startswith("Why Accountability Comes First > ")
    assert top.citation.chunk_id.startswith("playbook/01-why-accountability.md#")
    assert top.citation.text == top.text and top.text and not top.text.startswith("#")


def test_default_k_comes_from_settings_and_empty_queries_are_refused(kb: KnowledgeBase) -> None:
    assert len(kb.search("training plan")) == kb.settings.retrieval_k
    with pytest.raises(InvalidInput):
        kb.search("   ")


def test_playbook_reindexes_only_when_its_content_changes(tmp_path: Path) -> None:
    playbook = tmp_path / "knowledge" / "playbook"
    playbook.mkdir(parents=True)
    (playbook / "01-a.md").write_text("# A\n\n## Kiwis\n\nKiwi fruit grows on vines in New Zealand.\n")
    (playbook / "02-b.md").write_text("# B\n\n## Trains\n\nThe night train leaves at ten.\n")
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=tmp_path / "knowledge")

    assert KnowledgeBase(settings).ensure_playbook_indexed() is True
    # A new process (a new KnowledgeBase) on the same store takes the fast path: no model is even loaded.
    fresh = KnowledgeBase(settings)
    assert fresh.ensure_playbook_indexed() is False
    assert fresh._embedder is None
    assert fresh.ensure_playbook_indexed() is False

    (playbook / "01-a.md").write_text("# A\n\n## Apples\n\nApples grow on trees in orchards.\n")
    (playbook / "02-b.md").unlink()
    assert fresh.ensure_playbook_indexed() is True
    passages = fresh.search("where does the fruit grow", k=10)
    assert [(p.citation.source, p.citation.heading) for p in passages] == [("playbook/01-a.md", "A > Apples")]
    assert KnowledgeBase(settings).ensure_playbook_indexed() is False


def test_a_tenant_never_sees_another_tenants_documents(kb: KnowledgeBase, tmp_path: Path) -> None:
    secret = tmp_path / "acme-pricing.md"
    secret.write_text("# Pricing\n\nAcme pays 12 euros per seat for the zebra-striped dashboard licence.\n")
    assert kb.ingest([secret], tenant="acme").ok
    query = "how much per seat for the zebra-striped dashboard licence"

    acme = kb.search(query, k=3, tenant="acme")
    assert acme[0].citation.source == "acme-pricing.md"
    for other in ("globex", "local", "Acme", "acme/..", "acme "):
        passages = kb.search(query, k=50, tenant=other)
        assert all(p.citation.source.startswith("playbook/") for p in passages), other
        assert kb.list_documents(other) == []
    with pytest.raises(NotFound):
        kb.delete_document("globex", "acme-pricing.md")

    assert kb.list_documents("acme")[0].source == "acme-pricing.md"
    assert kb.delete_document("acme", "acme-pricing.md") >= 1
    assert kb.list_documents("acme") == []


def test_tenant_ids_map_to_distinct_collection_names() -> None:
    ids = ["local", "acme", "Acme", "acme_1", "acme-1", "a/b", "a_b", "a b", "x" * 100, "x" * 101, "ümlaut"]
    names = [collection_suffix(t) for t in ids]
    assert len(set(names)) == len(ids)
    assert all(len(n) <= 63 and "/" not in n and " " not in n for n in names)
    with pytest.raises(InvalidInput):
        collection_suffix("")


def test_langchain_retriever_returns_cited_documents(kb: KnowledgeBase) -> None:
    documents = as_retriever(kb, k=2).invoke("who should own the rollout on the client side")
    assert len(documents) == 2
    assert documents[0].metadata["source"] == "playbook/01-why-accountability.md"
    assert {"heading", "chunk_id", "score"} <= set(documents[0].metadata)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server_raises_retrieval_unavailable(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(RetrievalUnavailable, match="chroma run"):
        KnowledgeBase(settings).search("who owns the rollout")
    with pytest.raises(ConfigError, match="KICKOFF_CHROMA_URL"):
        KnowledgeBase(Settings(data_dir=tmp_path, chroma_url="localhost:8000")).search("x")


CHROMA = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real `chroma run` on loopback (the multi-worker deployment's store): (url, process)."""
    if CHROMA is None:
        pytest.skip("the chroma CLI is not installed")
    port = free_port()
    server = subprocess.Popen(
        [CHROMA, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/api/v2/heartbeat", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("chroma run did not start")
                time.sleep(0.1)
        yield url, server
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)


def test_server_store_search_isolation_and_outage(
    chroma_server: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    url, server = chroma_server
    playbook = tmp_path / "knowledge" / "playbook"
    playbook.mkdir(parents=True)
    (playbook / "01-owner.md").write_text("# Owner\n\n## Who\n\nOne named client person owns the rollout.\n")
    kb = KnowledgeBase(Settings(data_dir=tmp_path, knowledge_dir=tmp_path / "knowledge", chroma_url=url))
    assert kb.ensure_playbook_indexed() is True
    assert KnowledgeBase(kb.settings).ensure_playbook_indexed() is False

    doc = tmp_path / "plan.md"
    doc.write_text("# Plan\n\nGo-live is on the first of June.\n")
    assert kb.ingest([doc], tenant="acme").ok
    assert kb.search("when is go-live", k=1, tenant="acme")[0].citation.source == "plan.md"
    assert all(p.citation.source == "playbook/01-owner.md" for p in kb.search("go-live", k=5, tenant="globex"))

    # The server goes away under a live client: callers get RetrievalUnavailable, not httpx errors.
    server.terminate()
    server.wait(timeout=10)
    with pytest.raises(RetrievalUnavailable, match="unavailable"):
        kb.search("when is go-live", tenant="acme")
