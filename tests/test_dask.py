"""The Dask engine against a real cluster on loopback: ``dask scheduler`` and ``dask worker``
started here as subprocesses (two worker processes), tables byte-identical to a local run."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the dask extra: pip install 'policy_nlp[dask]'")

from conftest import CORPUS
from policy_nlp import tables
from policy_nlp.cli import main

DASK = Path(sys.executable).parent / "dask"
DOCS = [
    "gov-report-2020-national.txt",
    "shanghai-digital-transformation-article.txt",
    "beijing-data-zones-guidance-2022.txt",
    "anhui-rcep-opening-up-opinions-2022.txt",
]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """A scheduler and two single-threaded workers on 127.0.0.1; yields the address."""
    if not DASK.exists():
        pytest.skip(f"no dask command next to {sys.executable}")
    home = tmp_path_factory.mktemp("cluster")
    info = home / "scheduler.json"
    procs = []
    log = (home / "cluster.log").open("w")
    try:
        procs.append(
            subprocess.Popen(
                [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                 "--scheduler-file", info],
                cwd=home, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not info.exists() or not info.read_text().strip():
            if time.monotonic() > deadline or procs[0].poll() is not None:
                pytest.fail(f"dask scheduler did not start:\n{(home / 'cluster.log').read_text()}")
            time.sleep(0.1)
        address = json.loads(info.read_text())["address"]
        # the workers run in a folder of their own: they cannot see the inputs' relative paths
        procs.append(
            subprocess.Popen(
                [DASK, "worker", address, "--host", "127.0.0.1", "--nworkers", "2",
                 "--nthreads", "1", "--no-dashboard", "--local-directory", home / "work"],
                cwd=home, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
        yield address
    finally:
        for p in reversed(procs):
            _stop(p)
        log.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    src = tmp_path_factory.mktemp("in")
    (src / "sub").mkdir()
    for i, name in enumerate(DOCS):
        shutil.copyfile(CORPUS / name, (src / "sub" if i == 0 else src) / name)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (src / "empty.txt").write_bytes(b"")
    (src / "gbk.txt").write_bytes("政府工作报告\n2023年粮食产量达到6.95亿吨。".encode("gb18030"))
    return src


@pytest.fixture(scope="module")
def local_tables(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    cwd = os.getcwd()
    os.chdir(inputs.parent)
    try:
        assert main(["run", inputs.name, "--out", str(out), "--quiet", "--jobs", "1"]) == 1
    finally:
        os.chdir(cwd)
    return out


@pytest.mark.parametrize("dask_input", ["bytes", "paths"])
def test_dask_tables_are_byte_identical_to_local(
    scheduler, inputs, local_tables, dask_input, tmp_path, monkeypatch
):
    # relative input paths: with "bytes" the workers never see them, only the files' bytes
    monkeypatch.chdir(inputs.parent)
    out = tmp_path / "dask"
    argv = ["run", inputs.name, "--out", str(out), "--quiet", "--engine", "dask"]
    status = main([*argv, "--scheduler", scheduler, "--dask-input", dask_input])
    assert status == 1  # the broken and the empty file, as in the local run
    for name in tables.TABLES:
        assert (out / f"{name}.csv").read_bytes() == (local_tables / f"{name}.csv").read_bytes(), (
            name
        )
    docs = (out / "documents.csv").read_text(encoding="utf-8-sig")
    assert f"{inputs.name}/sub/{DOCS[0]}" in docs  # paths as the user gave them
    assert ",error," in docs and ",empty," in docs


def test_work_runs_on_the_workers(scheduler):
    from dask.distributed import Client

    from policy_nlp.batch.worker import Options, Task, process_batch

    with Client(scheduler, set_as_default=False, timeout=30) as client:
        client.wait_for_workers(2, timeout=60)
        text = "政府工作报告\n今年城镇新增就业1200万人以上。".encode()
        fut = client.submit(process_batch, [Task("x/a.txt", "a", text)], Options(), pure=False)
        (res,) = fut.result(timeout=60)
        assert res.document.path == "x/a.txt" and res.document.status == "ok"
        assert [row[3] for row in res.claims] == ["1200万人以上"]
        assert client.who_has(fut)[fut.key]  # the result lives on a worker


def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    import socket

    import policy_nlp.batch.dask_engine as dask_engine

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 2)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    argv = ["run", str(CORPUS / DOCS[1]), "--out", str(tmp_path), "--quiet", "--engine", "dask"]
    status = main([*argv, "--scheduler", f"tcp://127.0.0.1:{port}"])
    assert status == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err


# ----------------------------------------------------------------------------- faults on the cluster


def _task_functions():
    """The tasks of these tests, made here: local functions are sent to the workers by value
    (the workers cannot import this test module)."""

    def flaky(item: tuple[str, str]) -> str:
        """Fails the first time it runs for ``item`` (a marker file remembers), then succeeds;
        ``how`` is "raise" (an exception) or "die" (the worker process exits)."""
        import os

        marker, how = item
        if not os.path.exists(marker):
            with open(marker, "w") as f:
                f.write("tried")
            if how == "die":
                os._exit(1)
            raise RuntimeError("failing once")
        return f"done {os.path.basename(marker)}"

    def always_raises(item: str) -> str:
        if item == "bad":
            raise ValueError("this task always fails")
        return item.upper()

    return flaky, always_raises


@pytest.mark.parametrize("how", ["raise", "die"])
def test_a_task_that_fails_once_is_retried_and_the_run_goes_on(scheduler, tmp_path, how):
    from policy_nlp.batch.dask_engine import map_on_cluster

    flaky, _ = _task_functions()
    items = [(str(tmp_path / f"m{i}"), how if i == 1 else "ok") for i in range(3)]
    for i in (0, 2):
        Path(items[i][0]).write_text("tried")  # these succeed at once
    got = list(map_on_cluster(flaky, items, scheduler=scheduler, failed=None))
    assert got == ["done m0", "done m1", "done m2"]
    assert Path(items[1][0]).read_text() == "tried"  # it did fail once


def test_a_task_that_keeps_failing_is_marked_with_its_reason(scheduler):
    from policy_nlp.batch.dask_engine import RETRIES, map_on_cluster

    _, always_raises = _task_functions()
    got = list(
        map_on_cluster(
            always_raises,
            ["a", "bad", "c"],
            scheduler=scheduler,
            failed=lambda item, reason: ("failed", item, reason),
        )
    )
    assert got[0] == "A" and got[2] == "C"
    assert got[1][:2] == ("failed", "bad")
    assert f"after {RETRIES} retries (ValueError: this task always fails)" in got[1][2]


def test_limits_per_document_apply_on_the_cluster(scheduler, inputs, local_tables, tmp_path):
    # a memory limit no process can keep: every document's watched child is stopped over it,
    # and the run still ends with every table written and each reason in documents.csv
    out = tmp_path / "dask"
    argv = ["run", str(inputs), "--out", str(out), "--quiet", "--engine", "dask"]
    assert main([*argv, "--scheduler", scheduler, "--memory-limit", "1"]) == 1
    docs = list(csv.DictReader((out / "documents.csv").open(encoding="utf-8-sig")))
    read = [d for d in docs if d["status"] not in ("empty",) and "broken" not in d["path"]]
    # memory is looked at every POLL_SECONDS: a document done sooner is never stopped, so on a
    # fast machine some finish; those stopped say why, and none is lost
    stopped = [d for d in read if d["status"] == "error"]
    assert stopped and all("memory limit of 1 MB per document" in d["error"] for d in stopped)
    assert all(d["status"] in ("ok", "error") for d in read)
    assert all((out / f"{name}.csv").exists() for name in tables.TABLES)
