"""Is an assistant question about the checklist item it says it targets?

A question is on-topic when the cosine similarity of its embedding to its target item's
description (the same vectors as TopicClassifier.similarity_to_description, batched here for
speed) clears a threshold. The threshold is calibrated on the checklist itself, at run time, so it
follows edits to knowledge/checklist.yaml: every question, follow-up, confirm question and role
question of the checklist, worded for several projects, is a positive for its own item and a
negative for every other item. The threshold sits a margin below the lowest positive, because the
built-in engine asks exactly these questions and must never fail on its own wording. The
calibration reports how many negative pairs fall below it (see evals/README.md).
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel

from assistant.domain import ItemId
from assistant.gaps import ROLE_ITEM
from assistant.knowledge.embeddings import Embedder, get_embedder
from assistant.playbook import Playbook

# Project phrases the engine would put in place of {project}: lengths and domains vary on purpose.
CALIBRATION_PROJECTS = (
    "the project",
    "the claims platform migration",
    "the rollout of a new warehouse management system in two distribution centres",
    "the electronic health record upgrade at a regional hospital",
    "the student information system replacement",
)
MARGIN = 0.03


class Calibration(BaseModel):
    threshold: float
    positives: int
    negatives: int
    lowest_positive: float
    median_positive: float
    negatives_rejected: float
    highest_negative: float


class OnTopic:
    # Calibration costs a few hundred embeddings; runs in one process (tests) share it per checklist.
    _shared: dict[str, tuple[np.ndarray, dict[str, np.ndarray], Calibration]] = {}

    def __init__(self, book: Playbook, embedder: Embedder | None = None) -> None:
        self._embedder = embedder or get_embedder()
        self.items: list[ItemId] = [i.id for i in book.items]
        key = f"{id(self._embedder)}:{book.model_dump_json()}"
        if key in OnTopic._shared:
            self._desc, self._cache, self.calibration = OnTopic._shared[key]
            return
        self._desc = self._embedder.embed([i.description for i in book.items])
        self._cache = {}
        self.calibration = self._calibrate(book)
        OnTopic._shared[key] = (self._desc, self._cache, self.calibration)

    def _vectors(self, texts: list[str]) -> list[np.ndarray]:
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if todo:
            for t, v in zip(todo, self._embedder.embed(todo), strict=True):
                self._cache[t] = v
        return [self._cache[t] for t in texts]

    def similarities(self, pairs: list[tuple[str, ItemId]]) -> list[float]:
        vecs = self._vectors([q for q, _ in pairs])
        return [float(self._desc[self.items.index(item)] @ v) for v, (_, item) in zip(vecs, pairs, strict=True)]

    def _calibrate(self, book: Playbook) -> Calibration:
        texts: list[str] = []
        owners: list[int] = []
        for n, item in enumerate(book.items):
            role_qs = [r.question for r in book.roles if ROLE_ITEM.get(r.id, "roles") == item.id]
            for q in [*item.questions, *item.follow_ups, item.confirm_question, *role_qs]:
                for project in CALIBRATION_PROJECTS:
                    texts.append(q.replace("{project}", project))
                    owners.append(n)
        sims = np.stack(self._vectors(texts)) @ self._desc.T
        own = np.array(owners)
        pos = sims[np.arange(len(texts)), own]
        mask = np.ones_like(sims, dtype=bool)
        mask[np.arange(len(texts)), own] = False
        neg = sims[mask]
        threshold = float(pos.min()) - MARGIN
        return Calibration(
            threshold=round(threshold, 4),
            positives=int(pos.size),
            negatives=int(neg.size),
            lowest_positive=round(float(pos.min()), 4),
            median_positive=round(float(np.median(pos)), 4),
            negatives_rejected=round(float((neg < threshold).mean()), 4),
            highest_negative=round(float(neg.max()), 4),
        )

    def check(self, pairs: list[tuple[str, ItemId]]) -> list[tuple[float, bool]]:
        t = self.calibration.threshold
        return [(s, s >= t) for s in self.similarities(pairs)]
