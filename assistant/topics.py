"""Which checklist item a question is about, by embedding similarity to the checklist's own wording.

Used to set the context of a live call from the facilitator's questions, and by the evals to check
that the assistant's questions are on-topic.
"""

from __future__ import annotations

import numpy as np

from assistant.domain import ItemId
from assistant.knowledge.embeddings import Embedder, get_embedder
from assistant.playbook import Playbook


class TopicClassifier:
    def __init__(self, book: Playbook, embedder: Embedder | None = None) -> None:
        self._embedder = embedder or get_embedder()
        self.items: list[ItemId] = [i.id for i in book.items]
        self._descriptions = self._embedder.embed([i.description for i in book.items])
        examples: list[str] = []
        owners: list[int] = []
        for n, item in enumerate(book.items):
            for text in [item.description, *item.questions, *item.follow_ups, item.confirm_question]:
                examples.append(text.replace("{project}", "the project"))
                owners.append(n)
        self._examples = self._embedder.embed(examples)
        self._owners = np.array(owners)

    def classify(self, text: str) -> tuple[ItemId, float]:
        """The best-matching item and its similarity (max over the item's example wordings)."""
        v = self._embedder.embed([text])[0]
        sims = self._examples @ v
        best = np.full(len(self.items), -1.0)
        np.maximum.at(best, self._owners, sims)
        n = int(best.argmax())
        return self.items[n], float(best[n])

    def similarity_to_description(self, text: str, item: ItemId) -> float:
        v = self._embedder.embed([text])[0]
        return float(self._descriptions[self.items.index(item)] @ v)
