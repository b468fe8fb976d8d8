"""Peak RSS of `kickoff serve`, idle and under 20 concurrent interviews, next to a bare FastAPI app.

Run: `.venv/bin/python -m benchmarks.memory`. The figures come from the same run as the throughput
benchmark (the load is what makes the peak), so this runs benchmarks.api_throughput and writes both
benchmarks/results/memory.json and benchmarks/results/api_throughput.json.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # `python benchmarks/memory.py` from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.api_throughput import main  # noqa: E402

if __name__ == "__main__":
    main()
