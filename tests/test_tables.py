import os
from decimal import Decimal

import pandas as pd
import pytest

from policy_nlp.claims import extract
from policy_nlp.tables import atomic_write, claims_frame, read_csv_table, write_csv


def test_claims_frame_types_and_exact_csv(tmp_path):
    df = claims_frame(extract("全市GDP达到4.32万亿元，增长8.1%，目标为6%-6.5%。", year=2022))
    assert str(df["value"].dtype) == "Float64"
    path = write_csv(df, tmp_path / "claims.csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "4320000000000," in text and "8.1," in text and ",6,6.5," in text
    back = read_csv_table(path, "claims")
    assert back["value"].tolist() == df["value"].tolist()


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target, "w", encoding="utf-8") as f:
        f.write("partial")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["t.csv"]


def test_empty_claims_frame_has_columns():
    df = claims_frame([])
    assert len(df) == 0 and "indicator" in df.columns
    assert isinstance(df, pd.DataFrame)
    assert Decimal("1") == 1
