"""python/notebooks/explore.ipynb runs top to bottom on the sample warehouse and every
figure cell draws its figure."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from dbt_harness import REPO_ROOT, DbtResult
from nbclient import NotebookClient

NOTEBOOK = REPO_ROOT / "python" / "notebooks" / "explore.ipynb"


def test_notebook_is_stored_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs for cell in code)


def test_notebook_runs_and_draws(
    sample_warehouse: DbtResult, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SESSION_ANALYTICS_DB", str(sample_warehouse.db_path))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "matplotlib"))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    figures = [cell for cell in code if "figure" in cell.metadata.get("tags", [])]
    assert len(figures) >= 5
    for cell in figures:
        images = [
            out
            for out in cell.outputs
            if out.output_type == "display_data" and "image/png" in out.data
        ]
        assert images, f"no figure from cell:\n{cell.source[:200]}"
        assert len(images[0].data["image/png"]) > 10_000  # a real plot, not a blank
    errors = [
        out
        for cell in code
        for out in cell.outputs
        if out.output_type == "error"
        or (out.output_type == "stream" and out.name == "stderr")
    ]
    assert errors == []
