"""Tables written document by document (``write_tables``, ``policy_nlp.batch.spill``): the
same bytes as the in-memory ``run``, rows in doc_id order whatever order documents come in,
nothing held back, and no part file left after success or failure."""

import random
import shutil
from dataclasses import replace

import pytest

from conftest import CORPUS
from policy_nlp import atomic, tables
from policy_nlp.batch import RunConfig, spill, worker
from policy_nlp.batch.lock import LOCK_NAME
from policy_nlp.batch.runner import run, write_tables
from policy_nlp.batch.sources import SOURCES_FILE
from policy_nlp.batch.worker import Options, Task, process_document
from policy_nlp.read import find_inputs
from policy_nlp.schema import CLAIM_FIELDS

# national reports: the 2009 report's targets are settled by the 2010 report's review
FIRST = ["gov-report-2010-national", "gov-report-2011-national"]  # read first, sort last
LATER = ["gov-report-2009-national", "beijing-gov-report-2026"]


def _batch(root):
    """Files whose reading order is not their doc_id order: a/z-… is read before b/…."""
    (root / "a").mkdir(parents=True)
    (root / "b").mkdir()
    for name in FIRST:
        shutil.copy(CORPUS / f"{name}.txt", root / "a" / f"z-{name}.txt")
    for name in LATER:
        shutil.copy(CORPUS / f"{name}.txt", root / "b" / f"{name}.txt")
    (root / "b" / "broken.pdf").write_bytes(b"not a pdf")
    return root


def _temporary(folder):
    """Hidden files left in the output folder, but the writer lock (kept: batch.lock) and the
    record of where the documents came from (kept: batch.sources)."""
    kept = {LOCK_NAME, SOURCES_FILE}
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name not in kept)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    return _batch(tmp_path_factory.mktemp("batch"))


@pytest.mark.parametrize(
    "case", ["saved models", "fitted on the batch", "two partitions, two jobs"]
)
def test_streamed_tables_equal_the_in_memory_run(batch, tmp_path, monkeypatch, case):
    kw = {"jobs": 1}
    if case == "fitted on the batch":  # keyword IDF and topics learned after the map
        (tmp_path / "no-models").mkdir()
        kw["models"] = tmp_path / "no-models"
    if case == "two partitions, two jobs":  # buckets share partition files
        monkeypatch.setattr(spill, "LINK_PARTITIONS", 2)
        kw["jobs"] = 2
    memory, streamed = tmp_path / "memory", tmp_path / "streamed"
    result = run([batch], out=memory, **kw)
    summary = write_tables([batch], streamed, **kw)
    for name in tables.TABLES:
        assert (streamed / f"{name}.csv").read_bytes() == (memory / f"{name}.csv").read_bytes(), (
            name
        )
    assert _temporary(streamed) == []
    # the batch exercises what could go wrong: documents out of doc_id order, links, a failure
    first = find_inputs([batch])[0]
    assert first.stem.startswith("z-") and result.claims["doc_id"].iloc[0] != first.stem
    assert {"met", "missed"} & set(result.tracking["status"])
    assert summary.claims == len(result.claims) and summary.targets == len(result.targets)
    assert summary.achievements == len(result.achievements)
    assert summary.batch.equals(result.batch)


def test_part_files_are_assembled_in_doc_id_order(tmp_path):
    header = (tables.BOM + tables.csv_header("keywords")).encode()
    docs = [f"d{i:02d}" for i in range(30)]
    blocks = {
        d: tables.csv_text("keywords", [(d, 1, f"词{d}", 0.5), (d, 2, 'x,"y"\n', 1)]) for d in docs
    }
    expected = header + "".join(blocks[d] for d in docs).encode()
    for order in (docs, random.Random(0).sample(docs, len(docs))):  # renamed, or copied
        out = tmp_path / f"out-{order[0]}"
        with spill.TableFiles(out) as files:
            for d in order:
                files.add("keywords", d, blocks[d])
            files.add("keywords", "empty", "")  # a document without rows adds nothing
            with pytest.raises(ValueError, match="given twice"):
                files.add("keywords", order[0], blocks[order[0]])
            files.commit(["keywords", "claims"])
        assert (out / "keywords.csv").read_bytes() == expected
        claims = (out / "claims.csv").read_bytes()  # no rows: the header alone
        assert claims == (tables.BOM + tables.csv_header("claims")).encode()
        assert _temporary(out) == []


@pytest.mark.parametrize("where", ["while reading", "while linking", "between tables"])
def test_a_failed_run_removes_its_part_files(batch, tmp_path, monkeypatch, where):
    out = tmp_path / "out"
    write_tables([CORPUS / "gov-report-2024-national.txt"], out, jobs=1)
    old = {name: (out / f"{name}.csv").read_bytes() for name in tables.TABLES}
    if where == "while reading":  # Ctrl-C at the last document: the others' parts are written
        process = worker.analyse_document

        def interrupted(doc, options):
            if doc.doc_id == LATER[0]:
                raise KeyboardInterrupt
            return process(doc, options)

        monkeypatch.setattr(worker, "analyse_document", interrupted)
        error = KeyboardInterrupt
    elif where == "while linking":

        def broken(*args, **kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(spill.tracking, "link_rows", broken)
        error = RuntimeError
    else:
        commit = atomic.commit

        def stops_at_keywords(tmp, path):
            if path.name == "keywords.csv":
                raise OSError("disk full")
            commit(tmp, path)

        monkeypatch.setattr(atomic, "commit", stops_at_keywords)
        error = OSError
    parts = []
    if where == "while reading":  # see that part files exist when it stops
        add = spill.TableFiles.add

        def noting(self, table, doc_id, text):
            add(self, table, doc_id, text)
            parts[:] = _temporary(out)

        monkeypatch.setattr(spill.TableFiles, "add", noting)
    # in this process (no limits, so no watched worker), where the monkeypatches act
    in_process = RunConfig(jobs=1, time_limit=0, memory_limit_mb=0, overwrite=True)
    with pytest.raises(error):
        write_tables([batch], out, config=in_process)
    assert _temporary(out) == []
    assert parts or where != "while reading"
    replaced = {"claims", "targets", "achievements"} if where == "between tables" else set()
    for name in tables.TABLES:
        assert ((out / f"{name}.csv").read_bytes() == old[name]) == (name not in replaced), name


def test_a_streaming_worker_sends_text_not_rows():
    from policy_nlp import artifacts

    path = CORPUS / "gov-report-2010-national.txt"
    options = Options(
        keyword_model=artifacts.load_keywords(None), topic_model=artifacts.load_topics(None)
    )
    rows = process_document(Task(str(path), "doc"), options)
    text = process_document(Task(str(path), "doc"), replace(options, stream=True))
    assert rows.claims and not text.claims and not text.facts and not text.keywords
    claims = tables.sort_rows("claims", rows.claims)
    assert text.text["claims"] == tables.csv_text("claims", claims)
    assert text.text["keywords"] == tables.csv_text("keywords", worker.keyword_rows(rows))
    kinds = [c[CLAIM_FIELDS.index("kind")] for c in rows.claims]
    assert text.kinds["target"] == kinds.count("target") > 0
    assert text.link_facts and text.document == rows.document


def test_a_bucket_without_a_target_is_never_read(tmp_path):
    """The facts of a link bucket no target asks about are spilled but never read: a broken
    record there goes unnoticed, while one in a bucket with a target is an error."""
    from policy_nlp.errors import TableError
    from policy_nlp.tracking import DocInfo, Fact, indicator_key
    from policy_nlp.tracking.government import CENTRAL_GOVERNMENT

    def fact(doc, start, kind, year):
        return Fact(doc, start, start + 3, "8%", kind, year, 8.0, None, "%", "~", "up",
                    "国内生产总值", key=indicator_key("国内生产总值"))  # fmt: skip

    docs = {"a": DocInfo(2010, CENTRAL_GOVERNMENT), "b": DocInfo(2011, CENTRAL_GOVERNMENT)}
    target = spill.link_records([fact("a", 0, "target", 2010)], CENTRAL_GOVERNMENT)
    outcomes = spill.link_records(
        [fact("b", 0, "achievement", 2010), fact("b", 9, "achievement", 2009)], CENTRAL_GOVERNMENT
    )
    assert len(outcomes) == 2 and [line.split("\t")[1] for line in outcomes.values()] == ["0"] * 2
    (alone,) = [b for b in outcomes if b not in target]  # 2009: no target asks about it

    def linked(records):
        with spill.TableFiles(tmp_path / "out") as files:
            files.add_link_facts(target)
            files.add_link_facts(records)
            files.link(docs)
            (path,) = files.commit(["tracking"])
            return path.read_text(encoding="utf-8-sig")

    broken = outcomes[alone].replace('"8%"', '"8%", "an extra field"')
    assert ",met," in linked({**outcomes, alone: broken})  # 2010's target settled by b
    (together,) = [b for b in outcomes if b in target]
    with pytest.raises(TableError):
        linked({**outcomes, together: outcomes[together].replace('"8%"', '"8%", "x"')})
