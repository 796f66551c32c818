"""The progress of an exchange on the terminal: two bars (received, sent) drawn by rich on
stderr, so stdout keeps only the summary; a plain line per chunk when stderr is no terminal."""

from __future__ import annotations

import sys
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from lifeline.sync.models import Exchange


class ExchangeBar:
    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.plain = not self.console.is_terminal
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            console=self.console,
            disable=self.plain,
        )
        self.pull: TaskID | None = None
        self.push: TaskID | None = None

    def __enter__(self) -> ExchangeBar:
        self.bars.__enter__()
        self.pull = self.bars.add_task("received", total=None, note="")
        self.push = self.bars.add_task("sent", total=None, note="")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.bars.__exit__(kind, error, trace)

    def update(self, record: Exchange) -> None:
        note = f"{record.retries} resent" if record.retries else ""
        if self.pull is None or self.push is None:
            return
        self.bars.update(
            self.pull, completed=record.pulled, total=record.pull_total or None, note=note
        )
        self.bars.update(
            self.push, completed=record.pushed, total=record.push_total or None, note=note
        )
        if self.plain:
            sys.stderr.write(
                f"{record.phase or 'hello'}: received {record.pulled}/{record.pull_total}, "
                f"sent {record.pushed}/{record.push_total}, resent {record.retries}\n"
            )
