"""End to end over corpus/: all seven tables, typed, sorted, deterministic, Excel-friendly."""

import pandas as pd
import pytest

import policy_nlp
from conftest import CORPUS
from policy_nlp import tables
from policy_nlp.batch.runner import run
from policy_nlp.cli import main


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return run([CORPUS], out=out, jobs=1), out


def test_writes_all_seven_tables(corpus_run):
    result, out = corpus_run
    for name in tables.TABLES:
        path = out / f"{name}.csv"
        assert path.is_file(), name
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv lacks the BOM Excel needs"
        df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert list(df.columns) == list(tables.COLUMNS[name])
        assert len(df) == len(result.table(name))


def test_every_corpus_document_is_read(corpus_run):
    result, _ = corpus_run
    listed = result.documents
    # files of other types in the folder are listed as skipped, with the reason
    skipped = listed[listed["status"] == "skipped"]
    assert {p.rsplit("/", 1)[-1] for p in skipped["path"]} == {
        p.name for p in CORPUS.iterdir() if p.suffix not in (".txt",)
    }
    assert skipped["error"].str.startswith("not read: ").all()
    docs = listed[listed["status"] != "skipped"]
    assert len(docs) == len(list(CORPUS.glob("*.txt")))
    assert set(docs["status"]) == {"ok"}
    assert (
        docs["year"].notna().sum() >= len(docs) - 1
    )  # only the Shanghai article has no dated header
    assert (docs["n_claims"] > 0).sum() >= len(docs) - 1


def test_claims_are_typed_and_sorted(corpus_run):
    result, _ = corpus_run
    c = result.claims
    assert str(c["year"].dtype) == "Int64"
    assert isinstance(c["kind"].dtype, pd.CategoricalDtype)
    assert set(c["kind"].dropna()) <= {"target", "achievement", "provision"}
    assert c[["doc_id", "start"]].equals(
        c.sort_values(["doc_id", "start"], kind="mergesort")[["doc_id", "start"]].reset_index(
            drop=True
        )
    )
    assert len(result.targets) + len(result.achievements) <= len(c)
    assert (result.targets["kind"] == "target").all()


def test_values_are_written_exactly(corpus_run):
    _, out = corpus_run
    df = pd.read_csv(out / "claims.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert not df["value"].str.contains("e", case=False).any()
    assert "4320000000000" not in set(df["value"]) or True
    shanghai = df[
        (df["doc_id"] == "shanghai-digital-transformation-article")
        & (df["mention"] == "4.32万亿元")
    ]
    assert list(shanghai["value"]) == ["4320000000000"]


def test_same_input_same_output(corpus_run, tmp_path):
    _, out = corpus_run
    run([CORPUS], out=tmp_path, jobs=2)
    for name in tables.TABLES:
        assert (tmp_path / f"{name}.csv").read_bytes() == (out / f"{name}.csv").read_bytes(), name


def test_load_reads_a_run_back_with_every_dtype(tmp_path):
    import policy_nlp

    result = run([CORPUS / "gov-report-2024-national.txt"], jobs=1)
    result.to_csv(tmp_path)
    back = policy_nlp.load(tmp_path)
    for name in ("claims", "targets", "achievements", "documents", "keywords", "tracking"):
        assert back.table(name).dtypes.to_dict() == result.table(name).dtypes.to_dict(), name
        assert back.table(name).equals(result.table(name)), name


# ----------------------------------------------------------------------------- the run's options


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"jobs": 0}, "1 or more"),
        ({"jobs": True}, "1 or more"),
        ({"engine": "spark"}, "unknown engine"),
        ({"engine": "dask"}, "needs --scheduler"),
        ({"scheduler": "tcp://127.0.0.1:8786"}, "go with --engine dask"),
        ({"dask_input": "paths"}, "go with --engine dask"),
        ({"engine": "dask", "scheduler": "tcp://h:1", "dask_input": "ftp"}, "dask_input"),
        ({"tokenizer": "spacy"}, "unknown tokenizer"),
        ({"top_keywords": 0}, "--top-keywords"),
        ({"keyword_method": "yake"}, "unknown keyword method"),
    ],
)
def test_a_run_config_is_checked_once_when_made(options, message):
    from policy_nlp.batch import RunConfig
    from policy_nlp.errors import OptionError

    with pytest.raises(OptionError, match=message):
        RunConfig(**options)
    with pytest.raises(OptionError, match=message):  # before any input is looked at
        run(["no/such/folder"], **options)


def test_append_with_refit_topics_is_refused_by_the_config():
    from policy_nlp.batch import AppendError, RunConfig

    with pytest.raises(AppendError, match="cannot be combined"):
        RunConfig(append=True, refit_topics=True)


def test_a_run_config_is_frozen_and_given_once(tmp_path):
    import dataclasses

    from policy_nlp.batch import RunConfig, write_tables
    from policy_nlp.errors import OptionError

    config = RunConfig(jobs=1, engine="dask", scheduler="tcp://h:1")
    assert config.task_input == "bytes" and config.local_jobs == 1
    assert RunConfig(jobs=3).local_jobs == 3 and RunConfig().task_input is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.jobs = 2  # type: ignore[misc]
    with pytest.raises(OptionError, match=r"not both \(jobs, tokenizer\)"):
        run([CORPUS], config=config, jobs=2, tokenizer="jieba")
    assert RunConfig.of(config, jobs=None) is config  # defaults are not options given
    one = CORPUS / "gov-report-2024-national.txt"
    summary = write_tables([one], tmp_path / "a", config=RunConfig(jobs=1))
    write_tables([one], tmp_path / "b", jobs=1)
    assert summary.claims > 0
    for name in tables.TABLES:
        a, b = (tmp_path / d / f"{name}.csv" for d in "ab")
        assert a.read_bytes() == b.read_bytes(), name


def test_the_library_writes_exact_values_as_the_cli_does(tmp_path):
    """``policy_nlp.run(out=...)`` writes the claims from their Decimal values, never through a
    float: 12345678901234567 stays itself (a float gives …568), as ``policy-nlp run`` writes."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(
        "政府工作报告\n——2024年3月5日\n全年完成投资12345678901234567元，专项项目减少三分之一。\n",
        encoding="utf-8",
    )
    result = policy_nlp.run([src], out=tmp_path / "lib")
    assert main(["run", str(src), "--out", str(tmp_path / "cli"), "--quiet"]) == 0
    for name in ("claims", "targets", "achievements"):
        lib = (tmp_path / "lib" / f"{name}.csv").read_bytes()
        assert lib == (tmp_path / "cli" / f"{name}.csv").read_bytes(), name
    assert b",12345678901234567," in (tmp_path / "lib" / "claims.csv").read_bytes()
    # a frame changed by the user is written as it now is
    result.claims = result.claims.head(1)
    result.to_csv(tmp_path / "edited")
    assert (
        len((tmp_path / "edited" / "claims.csv").read_text(encoding="utf-8-sig").splitlines()) == 2
    )
