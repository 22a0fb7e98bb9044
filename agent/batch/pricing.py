"""Estimated cost of a batch: a small table of list prices, overridable per run.

Prices are US dollars per million tokens (input, output) as the providers listed them for
standard (non-batch, uncached) requests in 2025. They change: the figure shown is an estimate,
and `--price IN,OUT` (or `price=` in the library) replaces the table for a run. A model that is
not in the table, e.g. a local one, has no cost unless a price is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from agent.errors import ConfigError


@dataclass(frozen=True)
class Price:
    """US dollars per million input (prompt) and output (completion) tokens."""

    input_per_mtok: float
    output_per_mtok: float

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (
            prompt_tokens * self.input_per_mtok + completion_tokens * self.output_per_mtok
        ) / 1_000_000


PRICES: dict[str, Price] = {
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-5": Price(1.25, 10.00),
    "gpt-5-mini": Price(0.25, 2.00),
    "gpt-5-nano": Price(0.05, 0.40),
    "o4-mini": Price(1.10, 4.40),
    "o3-mini": Price(1.10, 4.40),
}


def price_for(model: str | None) -> Price | None:
    """The listed price of `model`, matching dated snapshots (gpt-4o-2024-08-06) to their base."""
    if not model:
        return None
    name = model.rsplit("/", 1)[-1].lower()
    best = max((known for known in PRICES if name.startswith(known)), key=len, default=None)
    return PRICES[best] if best else None


def parse_price(value: str) -> Price:
    """`IN,OUT` in dollars per million tokens, e.g. `0.15,0.60`."""
    parts = value.split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        prices = [float(part) for part in parts]
    except ValueError:
        raise ConfigError(
            f"invalid price {value!r}: give dollars per million tokens as IN,OUT, e.g. 0.15,0.60"
        ) from None
    if not all(math.isfinite(price) for price in prices):  # float() reads nan, inf, 1e999
        raise ConfigError(f"invalid price {value!r}: prices must be finite numbers")
    if min(prices) < 0:
        raise ConfigError(f"invalid price {value!r}: prices cannot be negative")
    return Price(prices[0], prices[1])


__all__ = ["PRICES", "Price", "parse_price", "price_for"]
