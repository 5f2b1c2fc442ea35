"""The tables over corpus/, the dev gold documents and the series (tests/data/series) equal the
pinned ones, byte for byte."""

import json

from pinned_tables import PINS, table_hashes


def test_tables_equal_the_pinned_ones():
    pinned = json.loads(PINS.read_text(encoding="utf-8"))
    actual = table_hashes()
    assert sorted(actual) == sorted(pinned), "the set of tables changed"
    changed = [name for name in sorted(pinned) if actual[name] != pinned[name]]
    assert not changed, f"tables changed: {changed} (update the pins only on purpose)"
