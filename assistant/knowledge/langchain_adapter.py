"""The one place LangChain meets the knowledge base: a retriever for LangChain chains.

LangChain's APIs churn, so nothing else in the package imports langchain_core retrievers. The
retriever goes through KnowledgeBase.search, so it inherits tenant isolation and the merge of
playbook and tenant passages instead of reimplementing them over a raw Chroma collection.
"""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.knowledge.index import DEFAULT_TENANT, KnowledgeBase


class KnowledgeRetriever(BaseRetriever):
    """Documents whose metadata carry the citation: source, heading, chunk_id and score."""

    knowledge_base: KnowledgeBase
    tenant: str = DEFAULT_TENANT
    k: int | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=p.text,
                id=p.citation.chunk_id,
                metadata={
                    "source": p.citation.source,
                    "heading": p.citation.heading,
                    "chunk_id": p.citation.chunk_id,
                    "score": p.score,
                },
            )
            for p in self.knowledge_base.search(query, k=self.k, tenant=self.tenant)
        ]


def as_retriever(knowledge_base: KnowledgeBase, tenant: str = DEFAULT_TENANT, k: int | None = None) -> BaseRetriever:
    return KnowledgeRetriever(knowledge_base=knowledge_base, tenant=tenant, k=k)
