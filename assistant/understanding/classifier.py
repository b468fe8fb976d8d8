"""A small role classifier over sentence embeddings: the fallback when no rule recognises a clause.

It takes the label of the nearest example clause in data/role_examples.yaml (MiniLM vectors,
cosine) when that example is close and clearly closer than any example of another label, so it
only fires on near-paraphrases of its examples and stays silent otherwise.
The example vectors are cached next to the examples (role_examples.npz, keyed by a hash of the
YAML) so a fresh process does not embed ~200 sentences at start; a stale or missing cache is
rebuilt in memory. Nothing here downloads anything.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import cast

import numpy as np
import yaml

from assistant.domain import ROLE_IDS, RoleId

log = logging.getLogger(__name__)

_DATA = "data/role_examples.yaml"
_CACHE = "data/role_examples.npz"
MIN_TOP = 0.80  # the nearest example must be at least this similar
MIN_MARGIN = 0.08  # and closer than the nearest example of any other label by this much
_lock = threading.Lock()


@dataclass(frozen=True)
class Prediction:
    role: str  # a role id or "none"
    score: float  # margin of the nearest example over the nearest example of any other label
    top: float  # similarity of the nearest example


class RoleClassifier:
    def __init__(self, labels: list[str], texts: list[str], vectors: np.ndarray) -> None:
        self.labels = labels
        self.texts = texts
        self.vectors = vectors.astype(np.float32)

    def predict_many(self, queries: list[str]) -> list[Prediction]:
        """Nearest example per label; the prediction is the closest label, scored by its margin over
        the closest "none" example (a clause about a person that gives them no role)."""
        if not queries:
            return []
        from assistant.knowledge.embeddings import get_embedder

        q = get_embedder().embed(queries)
        sims = q @ self.vectors.T
        out: list[Prediction] = []
        for row in sims:
            best: dict[str, float] = {}
            for label, sim in zip(self.labels, row.tolist(), strict=True):
                if sim > best.get(label, -1.0):
                    best[label] = sim
            role, top = max(best.items(), key=lambda kv: kv[1])
            margin = top - max((v for k, v in best.items() if k != role), default=0.0)
            out.append(Prediction(role, margin, top))
        return out

    def accept(self, p: Prediction) -> RoleId | None:
        if p.role == "none" or p.role not in ROLE_IDS or p.top < MIN_TOP or p.score < MIN_MARGIN:
            return None
        return cast(RoleId, p.role)


def _package_file(rel: str) -> Path:
    return Path(str(resources.files("assistant.understanding") / rel))


@lru_cache(maxsize=1)
def classifier() -> RoleClassifier:
    with _lock:
        raw = _package_file(_DATA).read_text(encoding="utf-8")
        data = yaml.safe_load(raw) or {}
        labels: list[str] = []
        texts: list[str] = []
        for label, examples in data.items():
            if label != "none" and label not in ROLE_IDS:
                raise ValueError(f"{_DATA}: unknown role {label!r}; use a DOMAIN.md role id or 'none'")
            for ex in examples or []:
                labels.append(label)
                texts.append(str(ex))
        digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
        cache = _package_file(_CACHE)
        vectors: np.ndarray | None = None
        if cache.is_file():
            try:
                with np.load(cache) as npz:
                    if str(npz["digest"]) == digest and npz["vectors"].shape[0] == len(texts):
                        vectors = npz["vectors"].astype(np.float32)
            except Exception:  # pragma: no cover - a corrupt cache is rebuilt
                vectors = None
        if vectors is None:
            from assistant.knowledge.embeddings import get_embedder

            vectors = get_embedder().embed(texts)
            try:
                np.savez_compressed(cache, digest=np.array(digest), vectors=vectors.astype(np.float16))
            except OSError:  # read-only install: keep it in memory
                log.debug("role classifier cache not writable: %s", cache)
        return RoleClassifier(labels, texts, vectors)
