"""One error vocabulary: every exception class of the package derives from PolicyNLPError."""

import importlib
import inspect
import pkgutil

import policy_nlp
from policy_nlp.errors import PolicyNLPError

OPTIONAL = {"policy_nlp.batch.dask_engine"}  # needs the dask extra


def _modules():
    for info in pkgutil.walk_packages(policy_nlp.__path__, "policy_nlp."):
        if info.name in OPTIONAL or info.name.endswith("__main__"):
            continue
        yield importlib.import_module(info.name)


def test_every_exception_class_of_the_package_derives_from_policy_nlp_error():
    found = {
        f"{cls.__module__}.{cls.__qualname__}": cls
        for module in _modules()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, BaseException) and cls.__module__.startswith("policy_nlp")
    }
    assert len(found) >= 8, sorted(found)  # the walk reached the sub-packages
    strays = sorted(name for name, cls in found.items() if not issubclass(cls, PolicyNLPError))
    assert not strays


def test_policy_nlp_error_is_public():
    assert policy_nlp.PolicyNLPError is PolicyNLPError


def test_public_api_is_visible_to_dir_and_every_name_resolves():
    names = set(dir(policy_nlp))
    expected = {
        "extract_claims", "tokenize", "run", "write_tables", "write_report", "track", "load",
        "Claim", "Result", "PolicyNLPError",
    }  # fmt: skip
    assert expected <= names and expected <= set(policy_nlp.__all__)
    for name in expected:
        assert callable(getattr(policy_nlp, name)), name


def test_every_lazy_public_name_is_in_all():
    assert set(policy_nlp._LAZY) <= set(policy_nlp.__all__)
