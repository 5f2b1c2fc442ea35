"""One error vocabulary: every exception the package raises on purpose derives from
``PolicyNLPError``, so a caller can catch the package's failures in one clause and let
programming errors through.
"""

from __future__ import annotations

__all__ = [
    "ModelError",
    "NotFittedError",
    "OptionError",
    "PolicyNLPError",
    "TableError",
    "UnknownTableError",
]


class PolicyNLPError(Exception):
    """Base of every error policy_nlp raises on purpose (bad input, bad options, bad files)."""


class OptionError(PolicyNLPError, ValueError):
    """An argument or option out of its allowed values."""


class ModelError(PolicyNLPError, ValueError):
    """A model or data file that is missing, damaged or of another format."""


class NotFittedError(PolicyNLPError, ValueError, AttributeError):
    """A model used before ``fit`` or ``load`` (like scikit-learn's, a ValueError and an
    AttributeError)."""


class TableError(PolicyNLPError, ValueError):
    """A table (a file or rows) that cannot be read or written as the table it claims to be."""


class UnknownTableError(PolicyNLPError, KeyError):
    """A table name that is not one of the package's tables."""
