"""Shared paths and fixtures. Tests use the project's own copies of data (never ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
CORPUS = ROOT / "corpus"
GOLD = DATA / "gold"


def load_jsonl(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.fixture(scope="session")
def spec_cases() -> list[dict]:
    """The spec's examples as a table: text -> expected claims (tests/data/spec_cases.jsonl)."""
    return load_jsonl(DATA / "spec_cases.jsonl")
