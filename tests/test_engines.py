"""Local engine: input order, shared values sent once per worker, a bounded window, and
``--jobs N`` giving byte-identical tables to ``--jobs 1``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import CORPUS
from policy_nlp import tables
from policy_nlp.batch.engines import map_ordered
from policy_nlp.batch.runner import run
from policy_nlp.cli import main

SMALL = [
    "gov-report-2020-national.txt",
    "shanghai-digital-transformation-article.txt",
    "beijing-data-zones-guidance-2022.txt",
    "anhui-rcep-opening-up-opinions-2022.txt",
    "tibet-gov-report-2026.txt",
]


# ----------------------------------------------------------------------------- map_ordered
# module-level functions: worker processes import them by name


def _slow_square(x: int) -> int:
    time.sleep(0.02 * (5 - x % 5))  # later items finish first
    return x * x


def _with_shared(x: int, shared: dict) -> tuple[int, int, int]:
    return x, shared["offset"] + x, os.getpid()


def test_results_come_in_input_order():
    assert list(map_ordered(_slow_square, range(12), jobs=2)) == [x * x for x in range(12)]


def test_shared_value_reaches_every_worker_process():
    out = list(map_ordered(_with_shared, range(10), shared={"offset": 100}, jobs=2))
    assert [(x, y) for x, y, _ in out] == [(x, 100 + x) for x in range(10)]
    assert os.getpid() not in {pid for _, _, pid in out}  # ran in worker processes


def test_one_job_runs_in_this_process():
    out = list(map_ordered(_with_shared, range(3), shared={"offset": 1}, jobs=1))
    assert [(x, y, pid) for x, y, pid in out] == [(x, 1 + x, os.getpid()) for x in range(3)]


def test_items_are_drawn_lazily_within_the_window():
    pulled = []

    def items():
        for i in range(100):
            pulled.append(i)
            yield i

    stream = map_ordered(_slow_square, items(), jobs=2, window=3)
    assert next(stream) == 0
    assert len(pulled) <= 4  # never the whole input at once
    stream.close()  # stopping early shuts the pool down
    assert len(pulled) < 100


def test_bad_engine_or_jobs_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        list(map_ordered(_slow_square, [1], engine="spark"))
    with pytest.raises(ValueError, match="at least 1"):
        list(map_ordered(_slow_square, [1], jobs=0))


# ----------------------------------------------------------------------------- the pipeline


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """A few corpus documents, one in a subfolder, plus a broken PDF and an empty file."""
    src = tmp_path_factory.mktemp("in")
    (src / "sub").mkdir()
    for i, name in enumerate(SMALL):
        shutil.copyfile(CORPUS / name, (src / "sub" if i == 0 else src) / name)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (src / "empty.txt").write_bytes(b"")
    return src


def _same_tables(a, b):
    for name in tables.TABLES:
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name


def test_jobs_give_byte_identical_tables(small_corpus, tmp_path, monkeypatch):
    import policy_nlp.batch.worker as worker

    monkeypatch.setattr(worker, "BATCH_BYTES", 40_000)  # several tasks, some of 2+ files
    run([small_corpus], out=tmp_path / "one", jobs=1)
    result = run([small_corpus], out=tmp_path / "two", jobs=2)
    _same_tables(tmp_path / "one", tmp_path / "two")
    docs = result.documents
    assert sorted(docs["status"]) == ["empty", "error"] + ["ok"] * len(SMALL)
    assert len(result.claims) > 100 and len(result.doc_topics) > 0


def test_jobs_identical_when_models_are_fitted_on_the_batch(small_corpus, tmp_path):
    """No saved models: every content token's count comes back, keywords and topics are fitted."""
    empty_models = tmp_path / "models"
    empty_models.mkdir()
    r1 = run([small_corpus], out=tmp_path / "one", jobs=1, models=empty_models)
    run([small_corpus], out=tmp_path / "two", jobs=2, models=empty_models)
    _same_tables(tmp_path / "one", tmp_path / "two")
    assert len(r1.keywords) > 0 and len(r1.topics) > 0


def test_doc_topics_placed_by_the_workers_equal_the_batch(small_corpus):
    """Workers place each document on the saved topics: the same weights as one batch
    transform over every document's full token counts."""
    from collections import Counter

    from policy_nlp import artifacts
    from policy_nlp.read.document import iter_documents
    from policy_nlp.tokens import get_tokenizer

    result = run([small_corpus], jobs=2)
    tk = get_tokenizer("rjieba")
    counts = {
        d.doc_id: dict(Counter(tk.iter_content_tokens(d.text)))
        for d in iter_documents([small_corpus])
        if d.status == "ok"
    }
    expected = artifacts.load_topics(None).doc_topics_frame(counts)
    assert len(expected) > 0
    assert result.doc_topics.equals(expected)


# ----------------------------------------------------------------------------- command line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "1 or more"),
        (["--engine", "dask"], "needs --scheduler"),
        (["--scheduler", "tcp://127.0.0.1:8786"], "go with --engine dask"),
        (["--dask-input", "paths"], "go with --engine dask"),
    ],
)
def test_engine_options_are_checked(args, message, tmp_path, capsys):
    status = main(["run", str(CORPUS / SMALL[1]), "--out", str(tmp_path), "--quiet", *args])
    assert status == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "claims.csv").exists()


def test_help_imports_no_heavy_module():
    """``policy-nlp --help`` stays fast: no pandas, scikit-learn, jieba or dask behind it."""
    code = (
        "import sys\n"
        "from policy_nlp.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'pandas', 'numpy', 'sklearn', 'scipy', 'jieba', 'rjieba', 'regex', 'dask'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
