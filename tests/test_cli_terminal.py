"""The CLI in a real pseudo-terminal, as a person sees it: log lines print above the progress
bar, never inside it, the bar ends on how the job ended, and Ctrl-C at any moment of start-up
ends in one line, no traceback."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect  # type: ignore[import-untyped]  # pexpect ships no type information
import pytest

from catalogsvc.settings import Settings
from tests.conftest import REPO_ROOT, poll_until, write_papers
from tests.test_cli import command_env

# What the terminal shows, without its colour and cursor sequences.
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
_BAR = "━"
_LOG = re.compile(r"\b(INFO|WARNING|ERROR)\b|catalogsvc\.jobs")


def spawn_cli(settings: Settings, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "catalogsvc.cli", *args],  # as the console script runs it
        cwd=str(REPO_ROOT),
        env=command_env(settings),
        encoding="utf-8",
        dimensions=(40, 80),  # a terminal's default width: the bar must fit it whole
        timeout=120,
    )


def screen_lines(raw: str) -> list[str]:
    """Each line as the terminal drew it: split at new lines and carriage returns."""
    return [line for line in re.split(r"[\r\n]+", _CONTROL.sub("", raw)) if line.strip()]


def test_log_lines_never_print_inside_the_progress_bar(
    settings: Settings, papers_dir: Path, tmp_path: Path
) -> None:
    write_papers(papers_dir, 40)
    child = spawn_cli(settings, "run", str(papers_dir), "--out", str(tmp_path / "out"))
    child.expect(pexpect.EOF)
    child.close()
    lines = screen_lines(child.before)

    bars = [line for line in lines if _BAR in line]
    logs = [line for line in lines if _LOG.search(line)]
    assert child.exitstatus == 0, child.before
    assert bars and logs, lines  # both were drawn: the bar and the jobs' log lines
    assert not [line for line in bars if _LOG.search(line)], "a log line inside the bar"
    whole = r"\d+/\d+ files · \d+ papers [\d.,]+/s \d:\d\d:\d\d \d:\d\d:\d\d left$"
    assert any(re.search(whole, line) for line in bars), bars  # rate and both times, uncut
    assert bars[-1].split()[0] == "completed", bars[-1]  # its last word: how the job ended


def loaded_libraries(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return ""


# Moments of start-up, each marked by what the command has done by then.
MOMENTS = ["imports under way", "database created"]


@pytest.mark.parametrize("moment", MOMENTS)
def test_ctrl_c_during_start_up_ends_in_one_line(
    settings: Settings, papers_dir: Path, tmp_path: Path, moment: str
) -> None:
    """Ctrl-C while the command imports its modules, or once it has created its database."""
    write_papers(papers_dir, 1)
    child = spawn_cli(settings, "run", str(papers_dir), "--out", str(tmp_path / "out"))
    if moment == "imports under way":  # MuPDF's library: loaded by the commands' imports
        poll_until(lambda: "mupdf" in loaded_libraries(child.pid), moment, timeout=60)
    elif moment == "database created":
        poll_until((settings.data_dir / "catalogsvc.db").exists, moment, timeout=60)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    shown = _CONTROL.sub("", child.before)

    assert "Traceback" not in shown, shown
    assert child.exitstatus in (0, 130), shown  # done before the press, or stopped by it
    if child.exitstatus == 130:
        assert "interrupted" in shown or "cancelled" in shown, shown
