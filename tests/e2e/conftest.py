"""A running ``separ serve`` on the Seosan sample, and headless Chromium to drive it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from separ.workspace import import_file
from tests.conftest import ARTIFACTS, SAMPLES

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port_pair() -> int:
    """A port p with p and p+1 free (participant server and Voila)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        with socket.socket() as s2:
            try:
                s2.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair")


@dataclass
class Served:
    folder: Path
    participant: str
    facilitator: str
    projector: str
    proc: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    @property
    def origins(self) -> tuple[str, str]:
        base = self.participant.rstrip("/")
        host, port = base.rsplit(":", 1)
        return base, f"{host}:{int(port) + 1}"


def start_serve(
    folder: Path, extra: list[str] | None = None, env: dict[str, str] | None = None
) -> Served:
    port = free_port_pair()
    cmd = [
        sys.executable,
        "-c",
        # Ctrl-C as in a terminal: a runner started in the background (nohup, &, some CI
        # agents) passes on an *ignored* SIGINT, and Python then never raises
        # KeyboardInterrupt, so stop_serve's Ctrl-C would wait 30 s and fail
        "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from separ.cli import main; main()",
        "serve",
        str(folder),
        "--port",
        str(port),
        "--no-browser",
        *(extra or []),
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    lines: list[str] = []
    urls: dict[str, str] = {}
    end = time.monotonic() + 90
    assert proc.stdout is not None
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line or line.startswith("QR: "):  # the last line serve prints
            break
        lines.append(line)
        found = re.match(r"^(participant|facilitator|projector): (\S+)$", line.strip())
        if found:
            urls[found.group(1)] = found.group(2)
    if len(urls) < 3:
        proc.kill()
        raise AssertionError("separ serve did not start:\n" + "".join(lines))
    return Served(folder, urls["participant"], urls["facilitator"], urls["projector"], proc, lines)


def stop_serve(served: Served) -> list[Any]:
    """Ctrl-C the server; return the processes of its family still alive afterwards."""
    import psutil

    family = [psutil.Process(served.proc.pid)]
    family += family[0].children(recursive=True)
    served.proc.send_signal(signal.SIGINT)
    served.proc.wait(timeout=30)
    time.sleep(0.5)
    return [p for p in family if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


@pytest.fixture(scope="module")
def serve_workers() -> int:
    """Participant processes of the module's ``separ serve``: one, unless the module is
    about phones landing on different processes (each more costs a server start, and the
    suite runs on 2 cores). A module overrides this fixture to ask for more."""
    return 1


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, serve_workers: int) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("live") / "seosan"
    import_file(folder, SAMPLES["seosan"]).close()
    running = start_serve(folder, ["--workers", str(serve_workers)])
    try:
        yield running
    finally:
        left = stop_serve(running)
        assert left == [], f"processes left after Ctrl-C: {left}"


TAB_DRAWN = """() => [...document.querySelectorAll('.widget-tab-contents > *')]
  .some(c => !c.classList.contains('lm-mod-hidden') && c.getBoundingClientRect().height > 80)"""
"""The open tab shows something (an empty tab's frame is about 30 px tall)."""


def chromium_path() -> str:
    """The system's Chromium (or Chrome, or $SEPAR_CHROMIUM): the browser the PDF uses."""
    from separ.report.pdf import find_chromium

    return find_chromium()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module.

    Not per session: Playwright's sync API keeps an asyncio loop marked running in the main
    thread while it is started, so every ``asyncio.run`` later on the same xdist worker (the
    protocol-level page clients of tests/live_server.py) would fail. Stopping it at the end
    of each e2e module costs a Chromium start (about a second) per module.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
