"""The `--eval-dir` option of the benchmarks that read ../shared/eval (third-party gold data).

The data is not shipped with the repository, so a checkout elsewhere, or without it, gets one
line naming the folder and the option, not a traceback from the first file opened.
"""

from __future__ import annotations

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "eval"


def add_eval_dir(parser: argparse.ArgumentParser, *needed: str) -> None:
    """Add `--eval-dir` (default ../shared/eval beside the checkout), checked to hold `needed`."""

    def folder(value: str) -> Path:
        path = Path(value)
        missing = [name for name in needed if not (path / name).is_file()]
        if missing:
            raise argparse.ArgumentTypeError(
                f"{path} has no {missing[0]} (the third-party evaluation data): "
                "pass --eval-dir /path/to/shared/eval"
            )
        return path

    parser.add_argument(
        "--eval-dir", type=folder, default=str(DEFAULT), help="default: %(default)s"
    )


__all__ = ["add_eval_dir"]
