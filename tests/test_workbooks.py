"""Every notebook in workbooks/ runs headless (papermill) on the Nonsan sample.

The Seosan sample's run of each notebook is the Voila page the facilitator opens:
tests/e2e/test_console.py opens every one of them (00–06) through the facilitator bar, clicks
every tab and fails on a traceback, so a second headless run here would only repeat
~5 CPU-seconds of kernel start-up and imports per notebook.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from separ.workspace import import_file
from tests.conftest import ROOT, SAMPLES

NOTEBOOKS = sorted((ROOT / "workbooks").glob("*.ipynb"))


def test_workbooks_exist() -> None:
    assert NOTEBOOKS or pytest.skip("no workbooks yet")


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_workbook_runs(notebook: Path, tmp_path: Path) -> None:
    import papermill

    sample = "nonsan"

    folder = tmp_path / sample
    import_file(folder, SAMPLES[sample]).close()
    papermill.execute_notebook(
        str(notebook),
        str(tmp_path / notebook.name),
        parameters={"workshop_dir": str(folder)},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_workbook_is_committed_clean(notebook: Path) -> None:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    assert nb.cells[0].cell_type == "markdown", "a workbook opens with a short explanation"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert params and "workshop_dir = None" in params[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
