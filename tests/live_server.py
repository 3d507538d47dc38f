"""Start separ's participant server (Solara) on a sample workshop, for protocol-level tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from separ.actors import Actor
from separ.store import Store
from separ.tokens import issue_facilitator_token, set_live
from separ.workspace import import_file
from tests.conftest import ROOT, SAMPLES

FACILITATOR = Actor.facilitator_actor()


@dataclass
class Running:
    base: str
    folder: Path
    db: str | None
    facilitator_token: str
    proc: subprocess.Popen[bytes]

    def store(self) -> Store:
        return Store.open(self.folder, self.db)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(folder: Path, db: str | None = None) -> str:
    """The Seosan sample with check-in live for session s1; returns the facilitator token."""
    if not (folder / "workshop.db").exists() and not (folder / "separ.json").exists():
        import_file(folder, SAMPLES["seosan"], db).close()
    with Store.open(folder, db) as store:
        token = issue_facilitator_token(store)
        set_live(store, FACILITATOR, "checkin", "s1")
    return token


@contextmanager
def participant_server(
    folder: Path,
    db: str | None = None,
    *,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Running]:
    token = prepare(folder, db)
    port = port or free_port()
    cmd = [
        sys.executable,
        "-m",
        "separ.live.server",
        "--workshop",
        str(folder),
        "--port",
        str(port),
    ]
    if db:
        cmd += ["--db", db]
    log = (folder / f"server-{port}.log").open("wb")
    proc = subprocess.Popen(
        cmd,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=str(ROOT),
        env={
            **os.environ,
            "SEPAR_POLL_SECONDS": "0.1",
            "PYTHONPATH": str(ROOT / "src"),
            **(env or {}),
        },
    )
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > end:
                    raise RuntimeError((folder / f"server-{port}.log").read_text()) from None
                time.sleep(0.2)
        yield Running(base, folder, db, token, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def worker_servers(
    folder: Path, db: str | None = None, *, workers: int = 2, env: dict[str, str] | None = None
) -> Iterator[list[Running]]:
    """``workers`` participant servers sharing one port (``--reuse-port``), as
    ``separ serve --workers N`` runs them; all are ready when this yields."""
    token = prepare(folder, db)
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "separ.live.server",
        "--workshop",
        str(folder),
        "--port",
        str(port),
        "--reuse-port",
    ]
    if db:
        cmd += ["--db", db]
    logs = [(folder / f"worker-{i}-{port}.log").open("wb") for i in range(workers)]
    procs = [
        subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=str(ROOT),
            env={
                **os.environ,
                "SEPAR_POLL_SECONDS": "0.1",
                "PYTHONPATH": str(ROOT / "src"),
                **(env or {}),
            },
        )
        for log in logs
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        import psutil

        end = time.monotonic() + 60
        while (
            sum(
                any(
                    c.status == psutil.CONN_LISTEN and c.laddr.port == port
                    for c in psutil.Process(p.pid).net_connections("tcp")
                )
                for p in procs
                if p.poll() is None
            )
            < workers
        ):
            if time.monotonic() > end or any(p.poll() is not None for p in procs):
                raise RuntimeError(
                    "workers did not start: "
                    + " | ".join(
                        (folder / f"worker-{i}-{port}.log").read_text() for i in range(workers)
                    )
                )
            time.sleep(0.2)
        yield [Running(base, folder, db, token, proc) for proc in procs]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in logs:
            log.close()
