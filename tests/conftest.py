"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_openai import FakeOpenAI  # tests/ is on sys.path (rootdir-relative, no package)

from assistant.llm_negotiation import ENDPOINTS
from assistant.llm_stats import LLMStats
from assistant.openai_client import OpenAICompatibleModel


@pytest.fixture(scope="session")
def _fake_openai_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def fake_openai(_fake_openai_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """A scripted OpenAI-compatible server on 127.0.0.1, emptied before each test (and what the process
    learnt about its endpoint forgotten, since every test shares its port)."""
    _fake_openai_server.reset()
    ENDPOINTS.forget()
    yield _fake_openai_server
    _fake_openai_server.reset()
    ENDPOINTS.forget()


@pytest.fixture
def llm_stats() -> LLMStats:
    return LLMStats()


@pytest.fixture
def llm_model(fake_openai: FakeOpenAI, llm_stats: LLMStats) -> OpenAICompatibleModel:
    """The real client against the fake server, with counters of its own."""
    return OpenAICompatibleModel(fake_openai.base_url, "m", timeout=2.0, stats=llm_stats)
