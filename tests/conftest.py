"""Shared fixtures: where the bundled and shared corpora are."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# CI clones the repo with `shared/` beside it (../shared); the bundled corpus is package data.
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled sample corpus (`unkg/data/corpus`: seeds, texts, pdf, manifest.json)."""
    return Path(str(resources.files("unkg.data").joinpath("corpus")))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED_DIR.is_dir():
        pytest.fail(f"the shared corpus is missing: expected {SHARED_DIR} beside the repository")
    return SHARED_DIR
