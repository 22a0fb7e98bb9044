"""`khabar eval`: extraction quality against human gold, per model and per prompt.

    from agent.eval import evaluate
    report = evaluate("newsfane", data="../shared/eval", limit=100)

`datasets` (the gold format and loaders), `scoring` (entities and statements), `report` (the
typed report), `cassettes` (one cassette per document), `runner` (`evaluate`), `table` (the
terminal view). `evaluate` is imported on first use: loading the datasets or the scorer needs no
SDK.
"""

from __future__ import annotations

from typing import Any

__all__ = ["EvalReport", "evaluate", "load_dataset"]


def __getattr__(name: str) -> Any:
    if name == "evaluate":
        from agent.eval.runner import evaluate

        return evaluate
    if name == "EvalReport":
        from agent.eval.report import EvalReport

        return EvalReport
    if name == "load_dataset":
        from agent.eval.datasets import load_dataset

        return load_dataset
    raise AttributeError(f"module 'agent.eval' has no attribute {name!r}")
