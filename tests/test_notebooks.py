"""Every notebook in notebooks/ runs clean on the bundled corpus and shows at least one plot."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_plots(path: Path, tmp_path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    # The venv's own ipykernel (kernel "python3"), run in a scratch directory.
    client = NotebookClient(notebook, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError with the failing cell's traceback
    images = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", [])
              if "image/png" in output.get("data", {}) or "image/svg+xml" in output.get("data", {})]
    assert images, f"{path.name} shows no plot"
