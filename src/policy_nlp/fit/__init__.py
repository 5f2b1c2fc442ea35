"""Fitting the shipped models from the repository's own data, apart from the runtime code:
keyword IDF and topics (``fit_models``), the review/plan classifier (``fit_tense``,
``training_sentences``). The command line: ``policy-nlp fit topics|tense``.
"""

from policy_nlp.fit.topics import fit_models

__all__ = ["fit_models", "fit_tense", "training_sentences"]


def __getattr__(name: str):
    # fit.tense is imported on first use, so that ``python -m policy_nlp.fit.tense`` runs a
    # module the package has not imported yet
    if name in ("fit_tense", "training_sentences"):
        from policy_nlp.fit import tense

        return getattr(tense, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
