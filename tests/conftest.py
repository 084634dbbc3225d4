"""Shared fixtures. Tests use invented reports in tests/fixtures; ../shared is read only when present."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared_dev() -> Path:
    d = SHARED / "corpus" / "dev"
    if not d.is_dir():
        pytest.skip("../shared/corpus/dev is not present")
    return d
