"""What the package's models share with scikit-learn: the estimator base classes and a
not-fitted error that both ``except policy_nlp.errors.NotFittedError`` and
``except sklearn.exceptions.NotFittedError`` catch.

``KeywordExtractor`` and ``TopicModel`` are their plain models (``policy_nlp.fitted``) with
``Estimator`` (scikit-learn's ``TransformerMixin`` and ``BaseEstimator``) added: ``sklearn.base.clone``, ``get_params`` /
``set_params``, ``fit_transform``, ``get_feature_names_out`` and ``set_output`` work as for
any scikit-learn transformer, and they fit into a ``Pipeline``.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

from policy_nlp import errors

__all__ = ["Estimator", "ModelNotFittedError"]


class ModelNotFittedError(errors.NotFittedError, _SklearnNotFittedError):
    """A model used before ``fit`` or ``load``: a ``policy_nlp.errors.NotFittedError`` that is
    also scikit-learn's ``NotFittedError``."""


class Estimator(TransformerMixin, BaseEstimator):
    """Base of the package's transformers (scikit-learn's contract)."""
