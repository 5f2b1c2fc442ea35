"""What the package's models share before scikit-learn is imported.

A run applies saved models (``PlainKeywordExtractor``, ``PlainTopicModel``): NumPy only.
Importing scikit-learn costs about a second of CPU per run (it brings SciPy's statistics), so
the models are plain classes, and the scikit-learn estimators a user imports
(``keywords.KeywordExtractor``, ``topics.TopicModel``) add scikit-learn's base to them on first
use (``policy_nlp.estimator``).
"""

from __future__ import annotations

import inspect

__all__ = ["PlainModel", "with_estimator_base"]


class PlainModel:
    """Keyword-only constructor parameters and the not-fitted check, without scikit-learn."""

    @classmethod
    def param_names(cls) -> list[str]:
        """The constructor's keyword-only parameters, sorted (``get_params``' keys)."""
        params = inspect.signature(cls.__init__).parameters.values()
        return sorted(p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY)

    def params(self) -> dict[str, object]:
        """The constructor's parameters as set (``get_params(deep=False)`` of the estimator)."""
        return {name: getattr(self, name) for name in self.param_names()}

    def _check_fitted(self, attribute: str) -> None:
        if not hasattr(self, attribute):
            from policy_nlp.estimator import ModelNotFittedError  # a rare path: imports sklearn

            raise ModelNotFittedError(
                f"{type(self).__name__} is not fitted: call fit() or load() first"
            )


def with_estimator_base(plain: type, name: str, summary: str) -> type:
    """``plain`` with scikit-learn's estimator base added, as the class ``name`` of ``plain``'s
    module (so it pickles by its public name); imports scikit-learn."""
    from policy_nlp.estimator import Estimator

    doc = (
        f"{summary}: ``{plain.__name__}`` (its parameters and methods) with "
        "``get_params``/``set_params``, ``sklearn.base.clone``, ``fit_transform`` and "
        "``set_output``."
    )
    namespace = {
        "__doc__": doc,
        "__module__": plain.__module__,
        "__qualname__": name,
        # scikit-learn's set_output wraps only the methods a class defines itself
        "transform": plain.transform,
    }
    return type(name, (plain, Estimator), namespace)
