"""Every notebook in workbooks/ runs headless on the Nonsan sample, cell by cell in
IPython, with ``workshop_dir`` set as papermill would set it.

Not in a kernel of its own: the Seosan sample's run of each notebook is the Voila page the
facilitator opens -- tests/e2e/test_console.py opens every one of them (00–06) through the
facilitator bar in a real kernel, clicks every tab and fails on a traceback -- so a kernel
per notebook here would repeat ~3 CPU-seconds of process start and imports each. IPython's
shell is what the kernel runs the cells with (the display of the page's widget included);
the kernel adds only the messaging.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from separ.workspace import import_file
from tests.conftest import ROOT, SAMPLES

NOTEBOOKS = sorted((ROOT / "workbooks").glob("*.ipynb"))


def test_workbooks_exist() -> None:
    assert NOTEBOOKS or pytest.skip("no workbooks yet")


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """IPython's shell, emptied after each notebook; the pages' followers (threads that
    re-read the store every few seconds) left asleep."""
    from IPython.core.interactiveshell import InteractiveShell

    import separ.ui.base as base

    monkeypatch.setattr(base, "FOLLOW_SECONDS", 3600.0)
    monkeypatch.setattr(base, "_hubs", {})
    running = InteractiveShell.instance()
    yield running
    running.reset(new_session=False)


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_workbook_runs(notebook: Path, tmp_path: Path, shell: Any) -> None:
    import nbformat

    folder = tmp_path / "nonsan"
    import_file(folder, SAMPLES["nonsan"]).close()
    nb = nbformat.read(notebook, as_version=4)
    ran = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if "parameters" in cell.metadata.get("tags", []):  # papermill's injected cell
            source += f"\nworkshop_dir = {str(folder)!r}"
        result = shell.run_cell(source, store_history=False)
        assert result.success, (
            f"{notebook.name}: {result.error_before_exec or result.error_in_exec}"
        )
        ran += 1
    assert ran >= 2
    assert shell.user_ns["workshop_dir"] == str(folder)


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
