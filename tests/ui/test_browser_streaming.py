"""The interview chat shows a model-written answer as the model writes it, in Debian's headless Chromium.

`kickoff serve` runs as in test_browser.py, but on the LLM path, pointed at the scripted fake OpenAI server of
tests/fake_openai.py (which this process runs). The fake streams a queued answer in 8-character pieces, slowly;
the page must show the answer part-written (cut mid-word, over a stretch of time) before the whole of it, then
the committed turn in its place. A draft that fails its checks (no citation) gives way to the cited answer.

In CI (CI=true) a missing Chromium or Playwright fails the run; elsewhere the module is skipped, saying why
(the import of test_browser below decides that).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from fake_openai import FakeOpenAI
from test_browser import (  # tests/ui is on sys.path (no package), as for test_browser itself
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    TIMEOUT_MS,
    Browser,
    Page,
    _free_port,
    _kickoff_cmd,
    chat_send,
    expect,
    fill,
    sync_playwright,
    wait_idle,
)

QUESTION = "Why does the playbook say one accountable owner?"
ANSWER = "One accountable owner speeds up decisions [1]."
# The fake's pause between 8-character pieces: the answer's six pieces take 1.25 s to arrive. Generous, so a
# busy machine (where the browser may draw some pieces late, and then several at once) still shows the spread.
PIECE_S = 0.25
NEXT_QUESTION = "Who on your side is the one person accountable"


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory, _fake_openai_server: FakeOpenAI) -> Iterator[str]:
    """`kickoff serve` with KICKOFF_MODEL=llm against the fake server; yields the UI's URL."""
    data = tmp_path_factory.mktemp("kickoff-ui-llm")
    port = _free_port()
    env = {
        **os.environ,
        "KICKOFF_DATA_DIR": str(data),
        "KICKOFF_HOST": "127.0.0.1",
        "KICKOFF_PORT": str(port),
        "KICKOFF_MODEL": "llm",
        "KICKOFF_LLM_BASE_URL": _fake_openai_server.base_url,
        "KICKOFF_LLM_MODEL": "ui-model",
    }
    env.pop("KICKOFF_DATABASE_URL", None)
    log = (data / "server.log").open("w")
    proc = subprocess.Popen([*_kickoff_cmd(), "serve"], cwd=data, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/ui/"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"`kickoff serve` exited with {proc.returncode}:\n{(data / 'server.log').read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"`kickoff serve` did not answer at {url}:\n{(data / 'server.log').read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(data / "server.log", SHOTS / "server-llm.log")


@pytest.fixture(scope="module")
def page(llm_server: str) -> Iterator[Page]:
    with sync_playwright() as p:
        browser: Browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        ctx.set_default_timeout(TIMEOUT_MS)
        expect.set_options(timeout=TIMEOUT_MS)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(llm_server)
        expect(pg.locator("#ko-kickoff")).to_be_visible()
        try:
            yield pg
        finally:
            ctx.close()
            browser.close()
        assert not errors, f"JavaScript errors in the page: {errors}"


def record_chat(page: Page) -> None:
    """From now on, keep (ms, chat text) each time the chat's DOM changes."""
    page.evaluate(
        """() => {
        const el = document.querySelector('#ko-chat');
        window.__chat = [];
        new MutationObserver(() => window.__chat.push([performance.now(), el.innerText]))
            .observe(el, {subtree: true, childList: true, characterData: true});
    }"""
    )


def recorded(page: Page) -> list[tuple[float, str]]:
    rows: list[list[Any]] = page.evaluate("window.__chat")
    return [(float(ms), str(text)) for ms, text in rows]


def drafts(snapshots: list[tuple[float, str]], asked: str) -> list[tuple[float, str]]:
    """(ms, what the chat showed after `asked`) for every snapshot."""
    out = []
    for ms, text in snapshots:
        _before, sep, after = text.rpartition(asked)
        if sep:
            out.append((ms, " ".join(after.split())))
    return out


def test_01_interview_is_running(page: Page, fake_openai: FakeOpenAI) -> None:
    fill(page, "ko-title", "CRM rollout")
    fill(page, "ko-brief", "Rolling out a new CRM to the 40-person sales team, replacing spreadsheets.")
    page.locator("#ko-create").click()
    expect(page.locator("#ko-cov-i")).to_contain_text("0 of 7 checklist items covered")
    fill(page, "ko-sh-name", "Maria Lopez")
    fill(page, "ko-sh-title", "VP Sales")
    page.locator("#ko-add-stakeholder").click()
    expect(page.locator("#ko-who input")).to_have_value("Maria Lopez (VP Sales)")
    page.locator("#ko-start").click()
    expect(page.locator("#ko-chat .ko-chip")).to_have_count(1)
    expect(page.locator("#ko-chat")).to_contain_text(NEXT_QUESTION)
    wait_idle(page)


def test_02_the_answer_streams_in_as_the_model_writes_it(page: Page, fake_openai: FakeOpenAI) -> None:
    fake_openai.reply({"questions": [QUESTION]})  # the understanding call sees a question for the assistant
    fake_openai.trickle(ANSWER, PIECE_S)
    record_chat(page)
    chat_send(page, QUESTION)
    chat = page.locator("#ko-chat")
    expect(chat.locator(".ko-chip")).to_have_count(2)  # the committed turn's next question
    wait_idle(page)
    assert fake_openai.pending == 0 and len(fake_openai.requests) == 2, "the model wrote the answer"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "streaming-01-answer.png"), full_page=True)

    shown = drafts(recorded(page), QUESTION)
    partial = [(ms, t) for ms, t in shown if t.startswith(ANSWER[:8]) and ANSWER not in t]
    assert partial, f"no part-written answer was shown: {[t for _ms, t in shown]}"
    # Part of the answer, cut in the middle of a word: a piece as the model wrote it, not a reveal of whole words.
    assert any(ANSWER.startswith(t) and t[-1].isalpha() and ANSWER[len(t)].isalpha() for _ms, t in partial), partial
    # Shown while it was written, in several steps, not all at once after the turn was committed: the whole
    # answer comes a while after the first piece (nominally 1.25 s; a reveal after the fact takes a few ms).
    assert len({t for _ms, t in partial}) >= 3, partial
    first_full = next(ms for ms, t in shown if ANSWER in t)
    assert first_full - partial[0][0] >= 0.5 * 1000, (first_full, partial)
    # Then the whole answer and the next question, once: the committed turn took the draft's place.
    final = shown[-1][1]
    assert final.count(ANSWER) == 1 and NEXT_QUESTION in final
    expect(chat.get_by_text("Playbook sources").last).to_be_visible()


def test_03_a_draft_that_fails_its_checks_gives_way_to_the_cited_answer(page: Page, fake_openai: FakeOpenAI) -> None:
    draft = "One owner is just faster, trust me, it always works."  # no citation: the built-in answer replaces it
    asked = "And why should the owner be a single person?"
    fake_openai.reply({"questions": [asked]})
    fake_openai.trickle(draft, PIECE_S)
    record_chat(page)
    chat_send(page, asked)
    chat = page.locator("#ko-chat")
    expect(chat.locator(".ko-chip")).to_have_count(3)
    wait_idle(page)
    assert fake_openai.pending == 0
    shown = drafts(recorded(page), asked)
    assert any(t.startswith(draft[:8]) for _ms, t in shown), "the draft was shown while it was written"
    final = shown[-1][1]
    assert draft[:8] not in final and final.startswith("From the playbook ("), final
    assert NEXT_QUESTION in final
    page.screenshot(path=str(SHOTS / "streaming-02-replaced.png"), full_page=True)
