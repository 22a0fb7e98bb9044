"""One batch run per output: an exclusive OS lock on the output file while a run appends to it.

Two runs on one output would both extract everything (each reads the output once, at its
start) and interleave duplicate ids. `fcntl.flock` on the output file itself, rather than the
`filelock` library: no lock file is left beside the output, the lock follows the file through
links and renames, the kernel releases it however the process ends (`kill -9` included), and
Linux's `/proc/locks` names the PID that holds it, so the second run is refused at once, saying
who has the file.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from agent.errors import OutputError


class OutputLock:
    """`with OutputLock(path):` holds the lock (creating the file), or refuses naming the PID."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = -1

    def __enter__(self) -> OutputLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"cannot open {self.path} for writing: {exc.strerror}") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _lock_holder(self._fd)
            os.close(self._fd)
            self._fd = -1
            by = f" (PID {holder})" if holder else ""
            raise OutputError(
                f"{self.path} is being written by another khabar batch{by}: wait for it to "
                "finish, or write to another file"
            ) from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = -1


def _lock_holder(fd: int) -> int | None:
    """The PID holding a `flock` on the file of `fd`, from /proc/locks (Linux); else None."""
    info = os.fstat(fd)
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for row in locks:
                fields = row.split()
                if "->" in fields or len(fields) < 6 or fields[1] != "FLOCK":
                    continue
                if fields[5] == device or fields[5].endswith(f":{info.st_ino}"):
                    pid = int(fields[4])
                    if pid != os.getpid():
                        return pid
    except (OSError, ValueError):
        return None
    return None


__all__ = ["OutputLock"]
