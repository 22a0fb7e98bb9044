"""Writing files whole or not at all, and never over what khabar reads.

Every file khabar writes for a user goes through here, so a crash, a full disk or a kill never
leaves half a file behind, a symlinked output stays a symlink (its target is written), a
read-only output is refused rather than replaced, and no output can overwrite an article,
a cassette or a batch input (`check_outputs`, run before any request is sent).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path

from agent.errors import OutputError


def write_atomic(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temp file beside the target, then a rename.

    `path` may be a symlink: its target is replaced and the link kept. An existing target
    keeps its permissions; a read-only one is refused. Every failure is one `OutputError`.
    """
    target = Path(os.path.realpath(path))
    _refuse_read_only(path, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        os.fchmod(fd, mode)  # mkstemp makes 0600; a result file is an ordinary file
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _cannot_write(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def rescue_copy(text: str, suffix: str) -> Path | None:
    """Save `text` in the temp folder when its real destination failed; None if that fails too.

    For results already paid for: a full disk or a wrong `-o` should not lose the answer."""
    try:
        fd, name = tempfile.mkstemp(prefix="khabar-result-", suffix=suffix)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return Path(name)
    except OSError:
        return None


def check_outputs(
    outputs: Mapping[str, Path | None],
    inputs: Iterable[str | Path | None],
    *,
    read_from_folder: Callable[[Path], bool] = lambda path: True,
) -> None:
    """Refuse, before any work, outputs that cannot be written or would destroy an input.

    `outputs` maps each option (`-o`, `--html`) to its file. An output may not be one of the
    `inputs` (by inode, so links and `./` spellings count), nor lie inside an input folder when
    `read_from_folder` says the folder walk would read it back as an input, nor be another
    output. Each must be writable: an existing target not read-only, its folder writable.
    """
    given = {option: path for option, path in outputs.items() if path is not None}
    sources = [Path(p) for p in inputs if p is not None and str(p) != "-"]
    claimed: dict[str, str] = {}
    for option, path in given.items():
        target = os.path.realpath(path)
        if target in claimed:
            raise OutputError(f"{option} {path} is also the file of {claimed[target]}")
        claimed[target] = option
        for source in sources:
            if source.is_dir():
                if _inside(Path(target), source) and read_from_folder(Path(target)):
                    raise OutputError(
                        f"{option} {path} is inside the input folder {source} and would be read "
                        "back as an article: write it outside that folder"
                    )
            elif _same_file(Path(target), source):
                raise OutputError(
                    f"{option} {path} is the input {source}: writing it would destroy the input; "
                    "choose another file"
                )
        check_writable(path, option)


def check_writable(path: Path, option: str = "output") -> None:
    """An `OutputError` now, instead of after the endpoint has answered, if `path` cannot be
    written: it is a folder or read-only, or its nearest existing folder is not writable."""
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise OutputError(f"{option} {path} is a folder: give a file name")
    _refuse_read_only(path, target)
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {path}: the folder {folder} is not writable")


def _refuse_read_only(path: Path, target: Path) -> None:
    """Refuse a target that is read-only (even to root: its mode says not to replace it), or
    not a regular file (a device such as /dev/full, a pipe: a rename would replace the node)."""
    try:  # the path itself: /dev/stdout's target is a pipe, which realpath cannot name
        info = path.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{path} is not a regular file: khabar writes results to files")
    writable = bool(info.st_mode & 0o222) if os.geteuid() == 0 else os.access(target, os.W_OK)
    if not writable:
        raise OutputError(
            f"{path} is read-only: khabar does not replace it (make it writable, or choose "
            "another file)"
        )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def _inside(path: Path, folder: Path) -> bool:
    return path.is_relative_to(os.path.realpath(folder))


def _cannot_write(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


@cache
def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


__all__ = ["check_outputs", "check_writable", "rescue_copy", "write_atomic"]
