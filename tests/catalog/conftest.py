"""The sample papers as a fixture (sample_catalog.py)."""

from __future__ import annotations

import pytest

from catalogsvc.domain import Paper
from tests.catalog.sample_catalog import sample_papers


@pytest.fixture
def papers() -> list[Paper]:
    return sample_papers()
