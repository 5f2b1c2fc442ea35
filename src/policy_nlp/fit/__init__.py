"""Fitting the shipped models from the repository's own data, apart from the runtime code:
keyword IDF and topics (``fit_models``)."""

from policy_nlp.fit.topics import fit_models

__all__ = ["fit_models"]
