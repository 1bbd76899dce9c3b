"""The progress bar of `catalogsvc run` and `resume`: phase, bar, files done of all, papers,
rate, elapsed and time left, all of it at 80 columns."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class FilesPerSecond(ProgressColumn):
    """Files a second, short enough that the bar keeps its times at 80 columns."""

    def render(self, task: Task) -> Text:
        speed = task.speed or 0
        return Text("" if not speed else f"{speed:.1f}/s" if speed < 10 else f"{speed:,.0f}/s")


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("files · {task.fields[papers]} papers"),
        FilesPerSecond(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("left"),  # after the time it names: "0:00:03 0:00:01 left"
        console=console,
    )
