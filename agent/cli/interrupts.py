"""Ctrl-C and SIGTERM for a long run: the first stops taking work, the second stops at once.

`khabar batch` and `khabar eval` both let what is in flight settle on the first signal (the
answers are paid for), then cancel the run on the second. SIGTERM (a service manager, `kill`,
a CI timeout) counts as a first Ctrl-C.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from types import TracebackType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupts:
    """Installed on the running event loop for the `with` block; removed on any exit."""

    def __init__(self, stop: Callable[[], None], say: Callable[[], None]) -> None:
        self._stop = stop
        self._say = say
        self.presses = 0

    def __enter__(self) -> Interrupts:
        self._loop = asyncio.get_running_loop()
        self._main = asyncio.current_task()
        for signum in SIGNALS:
            self._loop.add_signal_handler(signum, self._on_signal)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for signum in SIGNALS:
            self._loop.remove_signal_handler(signum)

    def _on_signal(self) -> None:
        self.presses += 1
        if self.presses == 1:
            self._stop()
            self._say()
        elif self._main is not None:
            self._main.cancel()


__all__ = ["Interrupts"]
