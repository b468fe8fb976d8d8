"""Paths and helpers for the real-LLM tests (imported by conftest.py and the tests: no package, no conftest import)."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ROOT = Path(__file__).resolve().parents[2]
SERVER_DIR = ROOT / ".llm-server"
SERVER_PYTHON = SERVER_DIR / "bin" / "python"
SERVE = Path(__file__).resolve().parent / "serve.py"  # the server, with Gemma 3's chat template
MODEL = SERVER_DIR / "models" / "gemma-3-270m-q4_k_m.gguf"
STAMP = SERVER_DIR / ".installed"
ARTIFACTS = ROOT / "test-artifacts"
LOG = ARTIFACTS / "llama-server.log"
FACTS = ARTIFACTS / "llm-server-facts.json"
MODEL_ALIAS = "gemma-3-270m-q4_k_m"
SEED = 1234
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class LlamaServer:
    """A running llama-cpp-python server: point an OpenAI client at `base_url` and ask for `model`."""

    base_url: str  # http://127.0.0.1:PORT/v1
    model: str  # the id the server reports in /v1/models
    log_path: Path
    start_seconds: float  # from spawn to the first 200 from /v1/models (model load included)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
