import subprocess
import sys

from conftest import CORPUS
from policy_nlp.cli import main


def test_run_exit_status_and_summary(tmp_path, capsys):
    status = main(
        [
            "run",
            str(CORPUS / "gov-report-2024-national.txt"),
            "--out",
            str(tmp_path),
            "--quiet",
            "--jobs",
            "1",
        ]
    )
    assert status == 0
    assert (tmp_path / "claims.csv").is_file()


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    status = main(["run", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert status == 2
    assert "no such file" in capsys.readouterr().err


def test_bad_document_fails_with_status_1_and_keeps_good_ones(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("政府工作报告\n今年城镇新增就业1200万人以上。", encoding="utf-8")
    (src / "bad.pdf").write_bytes(b"not a pdf at all")
    (src / "empty.txt").write_bytes(b"")
    status = main(["run", str(src), "--out", str(tmp_path / "o"), "--quiet", "--jobs", "1"])
    assert status == 1
    err = capsys.readouterr().err
    assert "bad.pdf" in err and "empty.txt" in err
    docs = (tmp_path / "o" / "documents.csv").read_text(encoding="utf-8-sig")
    assert "good," in docs and ",error," in docs and ",empty," in docs
    claims = (tmp_path / "o" / "claims.csv").read_text(encoding="utf-8-sig")
    assert "1200万人以上" in claims


def test_extract_prints_a_table(capsys):
    assert main(["extract", str(CORPUS / "gov-report-2024-national.txt")]) == 0
    out = capsys.readouterr().out
    assert "126万亿元" in out and "target" in out and "achievement" in out


def test_usage_error_from_argparse_exits_2():
    proc = subprocess.run(
        [sys.executable, "-m", "policy_nlp", "run"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "usage" in proc.stderr


def test_tokenize_command(tmp_path, capsys):
    f = tmp_path / "t.txt"
    f.write_text("全面推进城市数字化转型，发展数字经济。", encoding="utf-8")
    assert main(["tokenize", str(f)]) == 0
    tokens = capsys.readouterr().out.split()
    assert "数字经济" in tokens and "数字化转型" in tokens


def test_run_collects_garbage_less_often_and_restores_the_settings(tmp_path, monkeypatch):
    import gc

    import policy_nlp.batch
    from policy_nlp.cli import GC_THRESHOLDS

    seen = []
    real = policy_nlp.batch.write_tables

    def spy(*args, **kwargs):
        seen.append((gc.get_threshold(), gc.get_freeze_count() > 0))
        return real(*args, **kwargs)

    monkeypatch.setattr(policy_nlp.batch, "write_tables", spy)
    before = gc.get_threshold()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("2025年全市地区生产总值增长6%。\n", encoding="utf-8")
    assert main(["run", str(docs), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert seen == [(GC_THRESHOLDS, True)]
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
