"""Wires an Engine from Settings: playbook, understanding (built-in or LLM with fallback), retrieval."""

from __future__ import annotations

from typing import Literal

from assistant.config import Settings
from assistant.engine import Engine, PassageLike
from assistant.knowledge.index import KnowledgeBase
from assistant.playbook import cached_playbook
from assistant.understanding.builtin import BuiltinUnderstanding
from assistant.understanding.interface import Understanding


class TenantRetriever:
    """The engine's view of the knowledge base: the playbook plus one tenant's own documents."""

    def __init__(self, kb: KnowledgeBase, tenant: str) -> None:
        self.kb = kb
        self.tenant = tenant

    def search(self, query: str, k: int) -> list[PassageLike]:
        return list(self.kb.search(query, k, tenant=self.tenant))


def build_engine(
    settings: Settings,
    *,
    model: Literal["builtin", "llm"] | None = None,
    kb: KnowledgeBase | None = None,
    tenant: str = "local",
    retrieval: bool = True,
) -> Engine:
    builtin = BuiltinUnderstanding()
    understanding: Understanding = builtin
    answerer = None
    if (model or settings.model) == "llm":
        from assistant.models import model_from_settings
        from assistant.respond_llm import LLMAnswerer
        from assistant.understanding.llm import LLMUnderstanding

        chat = model_from_settings(settings)
        if chat is not None:
            understanding = LLMUnderstanding(chat, fallback=builtin, prompts_dir=settings.prompts_dir, rules=builtin)
            answerer = LLMAnswerer(chat, prompts_dir=settings.prompts_dir)
    retriever = TenantRetriever(kb or KnowledgeBase(settings), tenant) if retrieval else None
    return Engine(
        cached_playbook(settings.knowledge_dir),
        understanding,
        retriever=retriever,
        answerer=answerer,
        max_turns=settings.max_interview_turns,
        max_chars=settings.max_message_chars,
    )
