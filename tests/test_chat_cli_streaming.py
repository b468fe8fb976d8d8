"""`kickoff chat` on the LLM path: a model-written answer is printed piece by piece as the model writes it, then
the rest of the committed turn; a draft that fails its checks is followed by a marker line and the cited answer.
With the built-in model nothing is drafted, and the turn is printed in its panel as before."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_openai import FakeOpenAI
from rich.console import Console

from assistant.chat_cli import REPLACED, run_chat
from assistant.config import get_settings
from assistant.engine import Engine
from assistant.factory import build_engine
from assistant.state import Stakeholder

QUESTION = "Why does the playbook say one accountable owner?"
ANSWER = "One accountable owner speeds up decisions [1]."
PIECES = [ANSWER[i : i + 8] for i in range(0, len(ANSWER), 8)]  # how the fake server streams a reply
PAUSE_S = 0.1


class Tape(io.StringIO):
    """A terminal stand-in that keeps every write with the time it was made."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[float, str]] = []

    def write(self, s: str) -> int:
        self.writes.append((time.monotonic(), s))
        return super().write(s)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chat-cli")  # shared, so the playbook is indexed once for the module


def _env(monkeypatch: pytest.MonkeyPatch, data_dir: Path, **extra: str) -> Iterator[None]:
    monkeypatch.setenv("KICKOFF_DATA_DIR", str(data_dir))
    for key, value in extra.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def llm_env(fake_openai: FakeOpenAI, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Iterator[None]:
    yield from _env(
        monkeypatch,
        data_dir,
        KICKOFF_MODEL="llm",
        KICKOFF_LLM_BASE_URL=fake_openai.base_url,
        KICKOFF_LLM_MODEL="chat-model",
    )


@pytest.fixture
def builtin_env(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Iterator[None]:
    monkeypatch.delenv("KICKOFF_LLM_BASE_URL", raising=False)
    yield from _env(monkeypatch, data_dir, KICKOFF_MODEL="builtin")


def chat(engine: Engine, *said: str) -> Tape:
    """A whole `kickoff chat` session: the stakeholder says `said`, then /quit."""
    tape = Tape()
    console = Console(file=tape, width=120, color_system=None, force_terminal=False)
    answers = iter([*said, "/quit"])
    maria = Stakeholder(name="Maria Lopez")
    run_chat(engine, "CRM", "A CRM for the sales team.", maria, lambda _prompt: next(answers), console)
    return tape


def test_the_answer_is_printed_piece_by_piece_before_the_next_question(fake_openai: FakeOpenAI, llm_env: None) -> None:
    engine = build_engine(get_settings())
    fake_openai.reply({"questions": [QUESTION]})  # the understanding call sees a question for the assistant
    fake_openai.trickle(ANSWER, PAUSE_S)
    tape = chat(engine, QUESTION)
    assert fake_openai.pending == 0 and len(fake_openai.requests) == 2
    writes = [w for _t, w in tape.writes]
    first = writes.index(PIECES[0])
    # Each piece is written on its own, in order, with no line break between them...
    assert writes[first : first + len(PIECES)] == PIECES
    # ...as it arrived: the last piece is written a while after the first, not all at once after the turn.
    times = [t for t, _w in tape.writes[first : first + len(PIECES)]]
    assert times[-1] - times[0] >= (len(PIECES) - 1) * PAUSE_S * 0.8
    # Then the rest of the committed turn: the next question, in its panel, without the answer again.
    after = "".join(writes[first + len(PIECES) :])
    assert "asks about:" in after and "?" in after
    assert "accountable owner speeds" not in after
    out = tape.getvalue()
    assert out.count(ANSWER) == 1 and REPLACED not in out
    assert ANSWER + "\n╭─ asks about:" in out  # the draft's line ends before the panel


def test_a_draft_without_a_citation_is_followed_by_the_marker_and_the_cited_answer(
    fake_openai: FakeOpenAI, llm_env: None
) -> None:
    engine = build_engine(get_settings())
    draft = "One owner is just faster, trust me."  # no citation: the built-in answer replaces it
    fake_openai.reply({"questions": [QUESTION]})
    fake_openai.reply(draft)
    out = chat(engine, QUESTION).getvalue()
    assert fake_openai.pending == 0
    lines = out.splitlines()
    marker = lines.index(REPLACED)  # a line of its own...
    assert lines[marker - 1] == draft  # ...right after the draft as it was printed,
    # ...then the committed turn in its panel: the built-in answer with its citation, and the next question.
    assert lines[marker + 1].startswith("╭─ asks about:")
    assert lines[marker + 2].startswith("│ From the playbook (")
    assert out.count(draft) == 1 and "?" in out[out.index("From the playbook (") :]


def test_the_builtin_model_drafts_nothing_and_prints_the_turn_in_its_panel(builtin_env: None) -> None:
    engine = build_engine(get_settings())
    out = chat(engine, QUESTION).getvalue()
    assert REPLACED not in out
    lines = out.splitlines()
    answer_line = next(n for n, line in enumerate(lines) if "From the playbook (" in line)
    assert lines[answer_line].startswith("│ ")  # inside the turn's panel, not printed before it
    assert lines[answer_line - 1].startswith("╭") and "Kickoff" not in lines[answer_line - 1]
