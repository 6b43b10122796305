"""What some tests need beyond the repository, and what they do when it is absent.

The shared folder (bulk corpus, links-dev, gold beyond the bundled corpus) is not part of the
repository: $UNKG_SHARED names it, else `shared/` beside the clone. Chromium renders pages in the
browser tests (`make test-browser` installs Debian's). A plain clone has neither and those tests
skip, saying so; under CI (`CI=true`, set by CI services and by `.ci/run`) a skip would hide a
broken feature, so there they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("UNKG_SHARED") or REPO_ROOT.parent / "shared")


def in_ci() -> bool:
    """True under CI (`CI=true`)."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing(what: str) -> None:
    """Skip a test whose infrastructure is absent, or fail it under CI."""
    if in_ci():
        pytest.fail(f"{what} (CI=true: this test must run in CI)")
    pytest.skip(f"skipped: {what}")


def shared_path(*parts: str) -> Path:
    """A file or folder of the shared folder, or a skip (a failure under CI) when absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        missing(f"shared corpus not present (no {path}; set UNKG_SHARED or put shared/ beside "
                "the repository)")
    return path


def chromium() -> str:
    """Debian's Chromium, or a skip (a failure under CI) when it is not installed."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        missing("Chromium not installed (`make test-browser` installs Debian's chromium)")
    assert found is not None
    return found


def chromedriver() -> str:
    """Debian's chromedriver (package chromium-driver), or a skip (a failure under CI)."""
    found = shutil.which("chromedriver")
    if found is None:
        missing("chromedriver not installed (`make test-browser` installs Debian's "
                "chromium-driver)")
    assert found is not None
    return found
