"""What the claims and the tracking scorers share: the gold error, locating an annotated
mention in its document, and precision/recall/F1."""

from __future__ import annotations

from policy_nlp.errors import PolicyNLPError

__all__ = ["GoldError", "locate", "prf"]


class GoldError(PolicyNLPError, ValueError):
    """A gold file that does not follow the format (the message names file and line)."""


def locate(text: str, context: str, mention: str) -> tuple[int, int]:
    """Offsets of ``mention`` inside the unique occurrence of ``context`` in ``text``."""
    first = text.find(context)
    if first < 0:
        raise GoldError(f"context {context!r} not found in the document")
    if text.find(context, first + 1) >= 0:
        raise GoldError(f"context {context!r} occurs more than once")
    inner = context.find(mention)
    if inner < 0:
        raise GoldError(f"mention {mention!r} not inside context {context!r}")
    start = first + inner
    return start, start + len(mention)


def prf(hit: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 of ``hit`` right out of ``n_pred`` predicted and ``n_gold``
    gold (0.0 where a denominator is 0)."""
    p = hit / n_pred if n_pred else 0.0
    r = hit / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
