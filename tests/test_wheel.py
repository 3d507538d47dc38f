"""The wheel is the whole of separ: built, installed into a fresh venv, run from there.

Built the way a release is (``python -m build --wheel``), installed non-editable with
``pip install <wheel>`` into a new venv (dependencies from the package index, through
pip's cache), and run from a folder outside the checkout, so nothing can be found beside
the source tree: ``separ demo`` serves the participant page and the facilitator's
dashboard, ``separ guide`` finds the guides and their images, and a workbook runs from the
installed package data. Slow (a venv and a full install: 1-3 minutes with uv's cache on
the busy 2-core box, 4-6 with plain pip): it catches a wheel missing its workbooks, guides
or samples.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


def _run(
    cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{cmd}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)], cwd=out)
    (built,) = out.glob("separ-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv with the wheel installed (not editable); yields its bin folder.

    uv (the test extra) does what ``python -m venv`` and ``pip install`` do, from its own
    cache: first ``--offline`` (every dependency from the cache: under a second; asking the
    index about each of some 200 packages again cost 13 CPU-seconds), and when the cache
    lacks one, from the index (20-30 s). Without uv, plain venv and pip (3-4 minutes).
    """
    root = tmp_path_factory.mktemp("venv")
    bin_dir = root / "venv" / ("Scripts" if os.name == "nt" else "bin")
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv:
        _run([uv, "venv", "--quiet", "--python", sys.executable, str(root / "venv")], cwd=root)
        install = [uv, "pip", "install", "--quiet", "--python", str(bin_dir / "python")]
        cached = subprocess.run(
            [*install, "--offline", str(wheel)], cwd=root, capture_output=True, text=True
        )
        if cached.returncode != 0:
            _run([*install, str(wheel)], cwd=root)
    else:
        _run([sys.executable, "-m", "venv", str(root / "venv")], cwd=root)
        _run(
            [
                str(bin_dir / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-compile",
                str(wheel),
            ],
            cwd=root,
        )
    yield bin_dir


def _env(home: Path) -> dict[str, str]:
    """The user's environment without this checkout on any path."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "PYTHONPATH",
            "SEPAR_WORKBOOKS",
            "SEPAR_GUIDES",
            "VIRTUAL_ENV",
            "SOLARA_ASSETS_PROXY_CACHE_DIR",
            "JUPYTER_PATH",
        )
    }
    return {**env, "HOME": str(home), "SEPAR_LANG": "en"}


def test_the_wheel_carries_workbooks_guides_images_and_samples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in ("workbooks", "facilitator_guides", "sample_data"):
        for path in (ROOT / source).rglob("*"):
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and ".ipynb_checkpoints" not in path.parts
            ):
                assert f"separ/_data/{path.relative_to(ROOT).as_posix()}" in names
    assert "separ/_data/facilitator_guides/img/live-join.png" in names
    assert "separ/live/jupyter/voila/templates/separ/index.html.j2" in names


def test_installed_separ_finds_its_files_in_site_packages(venv: Path, tmp_path: Path) -> None:
    done = _run(
        [
            str(venv / "python"),
            "-c",
            "from separ.resources import data_dir; import separ; "
            "print(separ.__file__); print(data_dir('workbooks'))",
        ],
        cwd=tmp_path,
        env=_env(tmp_path),
    )
    module, workbooks = done.stdout.split()
    assert "site-packages" in module and str(ROOT) not in module
    assert Path(workbooks) == Path(module).parent / "_data" / "workbooks"


def test_separ_guide_from_the_wheel(venv: Path, tmp_path: Path) -> None:
    out = tmp_path / "guide.html"
    _run(
        [str(venv / "separ"), "guide", "--out", str(out), "--lang", "ko"],
        cwd=tmp_path,
        env=_env(tmp_path),
    )
    page = out.read_text(encoding="utf-8")
    assert "진행자 안내서" in page
    assert page.count("data:image/png;base64,") >= 20  # the screenshots came along


def test_a_workbook_runs_from_the_installed_package(venv: Path, tmp_path: Path) -> None:
    workshop = tmp_path / "seosan"
    env = {**_env(tmp_path), "SEPAR_WORKSHOP": str(workshop)}
    sample = _run(
        [
            str(venv / "python"),
            "-c",
            "from separ.resources import sample_workshop; print(sample_workshop())",
        ],
        cwd=tmp_path,
        env=env,
    ).stdout.strip()
    _run([str(venv / "separ"), "import", str(workshop), sample], cwd=tmp_path, env=env)
    book = Path(sample).parents[2] / "workbooks" / "01_context.ipynb"
    _run(
        [
            str(venv / "jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--output-dir",
            str(tmp_path),
            str(book),
        ],
        cwd=tmp_path,
        env=env,
    )
    ran = (tmp_path / "01_context.ipynb").read_text(encoding="utf-8")
    assert '"output_type": "error"' not in ran
    assert "서산시" in ran


def test_separ_demo_from_the_wheel_serves_the_page_and_the_dashboard(
    venv: Path, tmp_path: Path
) -> None:
    from tests.e2e.conftest import free_port_pair

    port = free_port_pair()
    proc = subprocess.Popen(
        # one participant process: the page and the dashboard are what is checked here
        [
            str(venv / "separ"),
            "demo",
            str(tmp_path / "demo"),
            "--port",
            str(port),
            "--no-browser",
            "--workers",
            "1",
        ],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        end = time.monotonic() + 240
        while time.monotonic() < end:
            line = proc.stdout.readline()
            if not line or line.startswith("QR: "):
                break
            lines.append(line)
        urls = dict(
            line.strip().split(": ", 1)
            for line in lines
            if line.startswith(("participant: ", "facilitator: "))
        )
        assert len(urls) == 2, "".join(lines)
        # page bundles: fetched at start, or the one line saying phones need internet
        output = "".join(lines)
        fresh_cache = venv.parent / "share" / "solara" / "cdn"
        assert (
            "for offline pages" in output
            or "phones will need internet" in output
            or all((fresh_cache / spec).is_dir() for spec in ("requirejs@2.3.6",))
        ), output
        with urllib.request.urlopen(urls["participant"], timeout=60) as reply:
            assert reply.status == 200
            page = reply.read().decode("utf-8", "replace")
            assert "<form" in page and "참여하기" in page  # the join form names the workshop
        with urllib.request.urlopen(urls["facilitator"], timeout=180) as reply:
            assert reply.status == 200
            assert "00_live" in reply.read().decode("utf-8", "replace")
    finally:
        proc.terminate()  # SIGTERM stops serve as Ctrl-C does, even where SIGINT is ignored
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
