"""Fitting the shipped models from the repository's own data, apart from the runtime code:
keyword IDF and topics (``fit_models``), the review/plan classifier (``fit_tense``,
``training_sentences``). The command line: ``policy-nlp fit topics|tense``.
"""

import importlib

__all__ = ["fit_models", "fit_tense", "training_sentences"]

# name -> the module that defines it; imported on first use, so that the command line's parser
# (which reads fit.tense's arguments) stays light and ``python -m policy_nlp.fit.tense`` runs
# a module the package has not imported yet
_HOMES = {
    "fit_models": "policy_nlp.fit.topics",
    "fit_tense": "policy_nlp.fit.tense",
    "training_sentences": "policy_nlp.fit.tense",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
