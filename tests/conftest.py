"""Shared fixtures: sample workshops, fresh stores, and a throwaway PostgreSQL server.

The suite runs on pytest-xdist workers (``make test``: ``-n 3 --dist loadgroup``). A test
that uses a module-scoped fixture (a running server, a printed report) shares it with the
other tests of its module, so those tests are kept on one worker (one xdist group per
module, added below); every other test goes to whichever worker is free. Everything a
test writes goes to a temporary folder, never into the checkout.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.separ_cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {name: ROOT / "sample_data" / name / "workshop.json" for name in ("nonsan", "seosan")}
ARTIFACTS = Path(
    os.environ.get("SEPAR_TEST_ARTIFACTS") or Path(tempfile.gettempdir()) / "separ-test-artifacts"
)
"""Screenshots the e2e tests leave for a person to look at: outside the checkout."""


def pytest_configure(config: pytest.Config) -> None:
    """Let the suite's Python processes keep their bytecode, as on a user's machine.

    The suite starts well over a hundred Python processes (servers, Voila and papermill
    kernels, the wheel's fresh venv). With ``PYTHONDONTWRITEBYTECODE`` set (the CI box sets
    it) none of them writes a ``.pyc``, so each compiled from source every module that
    pip had not compiled at install time: separ's own, and in the wheel's venv (uv does not
    compile) every dependency -- about 3 CPU-seconds more per process there. The bytecode
    goes to ``__pycache__`` folders, which git ignores.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Keep the tests sharing a module-scoped fixture on one xdist worker (``loadgroup``).

    Without it, each worker that gets one of a module's tests would start that module's
    server or print its report again; and tests that build on each other's state (a
    check-in, then the projector showing it) would see a different server. (Marked as each
    test is collected: xdist turns the marks into node ids in its collection hook.)
    """
    info = getattr(item, "_fixtureinfo", None)
    if info is None or item.get_closest_marker("xdist_group"):
        return
    if "sample_reports" in info.names_closure:  # printed once: one worker reads them all
        item.add_marker(pytest.mark.xdist_group("sample_reports"))
        return
    scopes = {d.scope for defs in info.name2fixturedefs.values() for d in defs}
    if "module" in scopes:
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Make ``--dist loadgroup`` group again: put the group into the node id.

    xdist (3.8) does it by writing ``Item._nodeid``, which pytest 9 no longer reads (node ids
    live in ``Item._id``), so every group was silently spread over the workers. Remove this
    once xdist follows; until then it is the same node id xdist means to send.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        mark = item.get_closest_marker("xdist_group")
        if mark is not None and "@" not in item.nodeid and hasattr(item, "_id"):
            name = mark.args[0] if mark.args else mark.kwargs.get("name", "default")
            item._id = NodeId.parse(f"{item.nodeid}@{name}")


def xlsx_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An Excel file with these sheets and rows, as a user's spreadsheet would be."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


Report = tuple[subprocess.CompletedProcess[str], dict[str, Path]]


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Report]:
    """A sample's report in HTML, PDF and Excel, made by ``separ report --format all`` once
    per run (printing the PDF is the slowest thing the report tests do); every test that
    reads a sample's full report reads these files."""
    made: dict[str, Report] = {}

    def report(sample: str) -> Report:
        if sample not in made:
            out = tmp_path_factory.mktemp(f"report-{sample}") / sample
            result = run("report", SAMPLES[sample], "--format", "all", "--out", out, lang="en")
            made[sample] = (
                result,
                {fmt: out.with_name(f"{sample}.{fmt}") for fmt in ("html", "pdf", "xlsx")},
            )
        return made[sample]

    return report


@pytest.fixture(params=sorted(SAMPLES))
def sample_json(request: pytest.FixtureRequest) -> Path:
    """Each sample workshop's JSON document in turn."""
    return SAMPLES[request.param]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server on loopback for this test run; yields its base URL.

    SEPAR_TEST_PG_URL points at an existing server instead. Without either, the
    tests that need it skip locally and fail on CI (where the Makefile installs it).
    """
    url = os.environ.get("SEPAR_TEST_PG_URL")
    if url:
        yield url
        return
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed (make system-deps installs it)")
        pytest.skip("PostgreSQL is not installed")
    bindir = Path(initdb[-1]).parent
    data = Path(tempfile.mkdtemp(prefix="separ-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "separ",
                "-E",
                "UTF8",
                "--locale",
                "C",
            ]
        ),
        check=True,
        capture_output=True,
    )
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-w",
                "-l",
                str(data / "log"),
                "-o",
                f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://separ@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty database on the test server."""
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(
        f"postgresql+psycopg://{pg_server.split('://', 1)[1]}/postgres",
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{pg_server}/{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """None (the folder's SQLite file) or a PostgreSQL URL: store tests run on both."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_url"))
