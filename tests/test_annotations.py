"""Our own annotated sets (tests/data/train, heldout, blind) follow the gold format.

See tests/data/ANNOTATION.md. The dev gold is checked too: the scorer relies on it.
"""

from pathlib import Path

import pytest

from conftest import DATA, GOLD, ROOT, load_jsonl
from policy_nlp.evaluate.claims import locate

OWN = ["train", "heldout", "blind", "genre_train", "genre_blind", "genre_blind2", "genre_blind3"]
SETS = [GOLD] + [DATA / name for name in OWN]
FILES = [p for s in SETS for p in sorted(s.glob("*.jsonl"))]
UNITS_FREE = True  # units are open (measure words); only their form is checked
COMPARATORS = {"=", ">", ">=", "<", "<=", "~", "range"}


def _gold_paragraphs() -> set[str]:
    paras = set()
    for doc in (GOLD / "docs").glob("*.txt"):
        for line in doc.read_text(encoding="utf-8").splitlines():
            if len(line.strip()) >= 40:
                paras.add(line.strip())
    return paras


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.stem}" for p in FILES])
def test_annotation_file(path: Path):
    doc = path.parent / "docs" / f"{path.stem}.txt"
    assert doc.is_file(), f"{doc} missing"
    text = doc.read_text(encoding="utf-8")
    for n, g in enumerate(load_jsonl(path), start=1):
        where = f"{path.name}:{n}"
        assert g.get("doc_id", path.stem) == path.stem, where
        start, end = locate(text, g["context"], g["mention"])
        if g.get("start") is not None:
            assert (g["start"], g["end"]) == (start, end), (
                f"{where}: start/end disagree with context"
            )
        assert isinstance(g["value"], int | float), where
        assert g.get("value_high") is None or g["value_high"] >= g["value"], where
        assert g.get("comparator") in COMPARATORS | {None}, where
        assert (g.get("comparator") == "range") == (g.get("value_high") is not None), where
        assert g.get("kind") in {"target", "achievement", "provision", None}, where
        assert g.get("change") in {"up", "down", "", None}, where
        assert g.get("year") is None or 1949 <= g["year"] <= 2100, where
        assert isinstance(g.get("unit"), str | None), where
        assert isinstance(g.get("optional", False), bool), where


@pytest.mark.parametrize("folder", [DATA / name for name in OWN], ids=OWN)
def test_own_sets_do_not_overlap_dev_gold(folder: Path):
    gold = _gold_paragraphs()
    for doc in sorted((folder / "docs").glob("*.txt")):
        for line in doc.read_text(encoding="utf-8").splitlines():
            assert line.strip() not in gold, f"{doc.name} repeats a dev-gold paragraph: {line[:40]}"


@pytest.mark.parametrize(
    ("blind", "others"),
    [
        ("blind", ["train", "heldout"]),
        ("genre_blind", ["train", "heldout", "blind", "genre_train"]),
        ("genre_blind2", ["train", "heldout", "blind", "genre_train", "genre_blind"]),
        (
            "genre_blind3",
            ["train", "heldout", "blind", "genre_train", "genre_blind", "genre_blind2"],
        ),
    ],
)
def test_blind_sets_repeat_no_paragraph_of_the_other_sets_or_corpus(blind: str, others: list[str]):
    seen = {
        line.strip()
        for folder in [DATA / name / "docs" for name in others] + [ROOT / "corpus"]
        for doc in folder.glob("*.txt")
        for line in doc.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 30  # headers and short lines repeat legitimately
    }
    for doc in sorted((DATA / blind / "docs").glob("*.txt")):
        for line in doc.read_text(encoding="utf-8").splitlines():
            assert line.strip() not in seen, f"{doc.name} repeats a paragraph: {line[:40]}"
