import os
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_nlp import tables
from policy_nlp.atomic import atomic_write
from policy_nlp.claims.extractor import extract
from policy_nlp.tables import claims_frame, read_csv_table, write_csv


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


# ----------------------------------------------------------------------------- rows as text

_TRICKY = st.text(alphabet="a甲,\"\n\r =-\t'", max_size=6)
_CELLS = {
    "string": st.one_of(st.none(), _TRICKY, st.integers(-5, 5)),
    "Int64": st.one_of(st.none(), st.integers(-(10**12), 10**12), st.sampled_from([2010.0])),
    "Float64": st.one_of(
        st.none(),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=True, allow_infinity=False, width=64),
        st.sampled_from([1e21, 1e22, 4.32e12, 1e-7, -0.0, 0.1 + 0.2]),
    ),
    "category": st.one_of(st.none(), st.sampled_from(["target", "achievement", "provision"])),
}


def _rows(table):
    cells = [_CELLS[dtype] for dtype in tables.COLUMNS[table].values()]
    if table == "claims":  # few doc_ids and offsets, so that sort keys tie and repeat
        cells[0] = st.sampled_from(["b", "a", "a-1", "甲"])
        cells[1] = cells[2] = st.one_of(st.none(), st.integers(0, 3))
    return st.lists(st.tuples(*cells), max_size=12)


@pytest.mark.parametrize("table", ["claims", "tracking", "keywords"])
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_rows_as_text_equal_the_written_table(tmp_path, table, data):
    """``csv_text(sort_rows(rows))`` is byte for byte what ``write_csv(typed(rows))`` writes."""
    rows = data.draw(_rows(table))
    frame = pd.DataFrame(rows, columns=list(tables.COLUMNS[table]), dtype="object")
    written = write_csv(tables.typed(frame, table), tmp_path / "t.csv").read_bytes()
    text = (
        tables.BOM
        + tables.csv_header(table)
        + tables.csv_text(table, tables.sort_rows(table, rows))
    )
    assert text.encode("utf-8") == written
    lines = tables.csv_lines(table, rows)
    assert len(lines) == len(rows) and "".join(lines) == tables.csv_text(table, rows)


def _decimal_reference(d: Decimal) -> str:
    """decimal_text as first written: normalize, then plain notation."""
    if not d.is_finite():
        return ""
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


@settings(max_examples=300, deadline=None)
@given(
    d=st.one_of(
        st.decimals(allow_nan=True, allow_infinity=True),
        st.builds(
            lambda digits, exp, sign: Decimal((sign, digits, exp)),
            st.lists(st.integers(0, 9), min_size=1, max_size=8).map(tuple),
            st.integers(-9, 9),
            st.integers(0, 1),
        ),
        st.sampled_from(
            [Decimal(t) for t in ("6.50", "100", "1E+2", "-0", "-0.0", "0E-7", "4.32E+12")]
        ),
    )
)
def test_decimal_text_is_plain_exact_and_without_trailing_zeros(d):
    """The fast path (a Decimal's own text) gives what normalize and plain format give."""
    assert tables.decimal_text(d) == _decimal_reference(d)
