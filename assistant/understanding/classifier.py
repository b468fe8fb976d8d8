"""A small role classifier over sentence embeddings: the fallback when no rule recognises a clause.

roles.py rewrites a clause about one client person with the person as "X" ("X sorts out the data
feeds") and asks here which DOMAIN.md role, if any, the clause gives X. The model is a multinomial
logistic regression on MiniLM vectors, trained on data/role_examples.yaml: seven roles plus "none",
a large class of clauses about a person that give no role (titles, attending, being trained,
compiling numbers for someone else, being on leave, opinions). A learned layer generalises to
paraphrases of the work that no rule or example spells out; the abstain zone (P_MIN, MARGIN) keeps
it quiet when it is unsure.

The weights are cached next to the examples (role_examples.npz, keyed by a hash of the YAML and the
training settings), so a fresh process does not embed ~1,900 sentences at start; a stale or missing
cache is retrained in memory (and saved when the folder is writable). Nothing here downloads
anything, and training has no randomness: the same examples give the same weights.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
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
CLASSES: tuple[str, ...] = (*ROLE_IDS, "none")

# Training: L2-regularised softmax regression, full-batch Nesterov gradient descent from zero weights.
# The constants below were chosen by 5-fold cross-validation on the examples
# (python -m evals.role_classifier_cv --l2 3e-4 1e-3 3e-3): L2 = 1e-3 had the best held-out
# log-loss and accuracy (0.859); 3e-4 overfits the many short examples, 3e-3 flattens probabilities.
L2 = 1e-3
STEPS = 400  # the loss stops moving after ~200 steps

# The abstain zone, from the pooled out-of-fold probabilities of that cross-validation: on a grid
# (P_MIN 0.30..0.95, MARGIN 0.00..0.80, steps of 0.05), the points whose precision on accepted role
# predictions is at least 0.95, then those within 0.02 of the best recall among them, then the most
# precise: P 0.963, R 0.630 over role examples, 21 of 773 "none" examples given a role. Held-out
# examples are closer to the training ones than live clauses are, hence a knee, not the 0.95 edge.
P_MIN = 0.75  # the top class must have at least this probability
MARGIN = 0.60  # and beat the second class by this much
_lock = threading.Lock()


@dataclass(frozen=True)
class Prediction:
    role: str  # a role id or "none"
    score: float  # probability margin of the top class over the second
    top: float  # probability of the top class


def load_examples(raw: str) -> tuple[list[str], list[int]]:
    """Texts and class indices (into CLASSES) from the examples YAML; unknown labels are an error."""
    data = yaml.safe_load(raw) or {}
    texts: list[str] = []
    labels: list[int] = []
    for label, examples in data.items():
        if label not in CLASSES:
            raise ValueError(f"{_DATA}: unknown role {label!r}; use a DOMAIN.md role id or 'none'")
        for ex in examples or []:
            texts.append(str(ex))
            labels.append(CLASSES.index(label))
    return texts, labels


def train(vectors: np.ndarray, labels: list[int], l2: float = L2, steps: int = STEPS) -> tuple[np.ndarray, np.ndarray]:
    """Weights (dim x classes) and bias for raw embedding vectors.

    The vectors are centred and divided by one global scale, the spread along their widest
    direction: MiniLM vectors share a large common direction and little variance elsewhere, which
    makes plain gradient descent crawl, and one scale (not per dimension) keeps the penalty the same
    in every direction, as cosine similarity does. The centring and scale are folded back into the
    returned weights, so prediction needs no extra state."""
    x = vectors.astype(np.float64)
    n, k = x.shape[0], len(CLASSES)
    mu = x.mean(axis=0)
    scale = float(np.sqrt(np.linalg.eigvalsh((x - mu).T @ (x - mu) / n).max())) or 1.0
    z = (x - mu) / scale
    y = np.zeros((n, k))
    y[np.arange(n), labels] = 1.0
    # With the widest direction at unit variance (and the bias a constant feature of 1), the mean
    # softmax loss has curvature at most 1/2: step 1/L with L = 1/2 + l2.
    lr = 1.0 / (0.5 + l2)
    w = np.zeros((z.shape[1], k))
    b = np.zeros(k)
    w_prev, b_prev = w.copy(), b.copy()
    for t in range(1, steps + 1):
        mom = (t - 1) / (t + 2)  # Nesterov momentum: converges in a few hundred steps, not thousands
        vw, vb = w + mom * (w - w_prev), b + mom * (b - b_prev)
        g = _softmax(z @ vw + vb) - y
        w_prev, b_prev = w, b
        w = vw - lr * (z.T @ g / n + l2 * vw)
        b = vb - lr * g.mean(axis=0)
    w_raw = w / scale
    return w_raw.astype(np.float32), (b - mu @ w_raw).astype(np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return cast(np.ndarray, e / e.sum(axis=1, keepdims=True))


class RoleClassifier:
    def __init__(self, weights: np.ndarray, bias: np.ndarray) -> None:
        self.weights = weights.astype(np.float32)
        self.bias = bias.astype(np.float32)

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return _softmax(vectors.astype(np.float64) @ self.weights + self.bias)

    def predict_vectors(self, vectors: np.ndarray) -> list[Prediction]:
        out: list[Prediction] = []
        for row in self.probabilities(vectors):
            order = np.argsort(-row, kind="stable")
            top, second = float(row[order[0]]), float(row[order[1]])
            out.append(Prediction(CLASSES[int(order[0])], top - second, top))
        return out

    def predict_many(self, queries: list[str]) -> list[Prediction]:
        if not queries:
            return []
        from assistant.knowledge.embeddings import get_embedder

        return self.predict_vectors(get_embedder().embed(queries))

    def accept(self, p: Prediction) -> RoleId | None:
        if p.role == "none" or p.role not in ROLE_IDS or p.top < P_MIN or p.score < MARGIN:
            return None
        return cast(RoleId, p.role)


def _digest(raw: str) -> str:
    """The YAML's hash plus the training settings: changing either retrains."""
    return hashlib.sha256(f"{raw}\n#l2={L2} steps={STEPS} classes={','.join(CLASSES)}".encode()).hexdigest()


def _read_cache(cache: Path, digest: str) -> RoleClassifier | None:
    if not cache.is_file():
        return None
    try:
        with np.load(cache) as npz:
            if str(npz["digest"]) != digest:
                return None
            return RoleClassifier(npz["weights"], npz["bias"])
    except Exception:  # a corrupt or old-format cache is retrained
        return None


def _write_cache(cache: Path, digest: str, clf: RoleClassifier) -> None:
    """Written to a temporary file and renamed, so a concurrent reader never sees half a file."""
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".npz.tmp")
        with os.fdopen(fd, "wb") as f:
            np.savez_compressed(f, digest=np.array(digest), weights=clf.weights, bias=clf.bias)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache ships with the package
        os.replace(tmp, cache)
    except OSError:  # read-only install: keep it in memory
        log.debug("role classifier cache not writable: %s", cache)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def build(data: Path, cache: Path) -> RoleClassifier:
    """The classifier for an examples file: from the cache when it matches, else trained now."""
    raw = data.read_text(encoding="utf-8")
    texts, labels = load_examples(raw)
    digest = _digest(raw)
    clf = _read_cache(cache, digest)
    if clf is None:
        from assistant.knowledge.embeddings import get_embedder

        log.info("training the role classifier on %d examples", len(texts))
        clf = RoleClassifier(*train(get_embedder().embed(texts), labels))
        _write_cache(cache, digest, clf)
    return clf


def _package_file(rel: str) -> Path:
    return Path(str(resources.files("assistant.understanding") / rel))


@lru_cache(maxsize=1)
def classifier() -> RoleClassifier:
    with _lock:
        return build(_package_file(_DATA), _package_file(_CACHE))
