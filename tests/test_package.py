"""A built wheel carries the data files: ontology, shapes, vocabularies, authority, queries and
the bundled corpus; and no gold annotations."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


@pytest.mark.slow
def test_wheel_contains_the_data_files(repo_root: Path, tmp_path: Path) -> None:
    pytest.importorskip("build")
    # Build from a copy without local build leftovers: setuptools reuses `build/lib`, so a file
    # deleted from the tree could still reach the wheel from an earlier build.
    source = tmp_path / "src"
    shutil.copytree(repo_root, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "unkg-data", "__pycache__", ".*cache"))
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path),
         str(source)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    [wheel] = tmp_path.glob("unkg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("unkg/ontology/unkg.ttl", "unkg/ontology/shapes.ttl",
                     "unkg/ontology/prefixes.ttl", "unkg/ontology/context.jsonld",
                     "unkg/ontology/undo-alignment.ttl",
                     "unkg/ontology/vocab/relation-types.ttl",
                     "unkg/ontology/vocab/citation-functions.ttl",
                     "unkg/queries/checks/citation-without-target-violation.rq",
                     "unkg/queries/internal/describe-cites.rq",
                     "unkg/data/corpus/seeds/001_88a3ec35e753d387.txt"):
        assert required in names, required
    assert any(n.startswith("unkg/ontology/authority/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("unkg/queries/") and n.endswith(".rq") for n in names)
    # The wheel ships no gold: no manifest, and no file holding gold annotations.
    assert not [n for n in names if n.endswith("manifest.json")]
    with zipfile.ZipFile(wheel) as zf:
        holding_gold = [n for n in names if n.endswith((".json", ".jsonl"))
                        and b'"gold"' in zf.read(n)]
    assert not holding_gold, holding_gold
