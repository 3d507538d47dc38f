"""Keep ``separ serve``'s processes running: N participant workers and Voila.

A room must not notice one crashed process. Each service is a child process with
its own log; when one exits, its exit status is logged (to the terminal and to
``supervisor.log`` beside the services' logs) and it is started again, alone: the
other workers and Voila keep running. A service that keeps dying (more than
``MAX_RESTARTS`` times within ``RESTART_WINDOW`` seconds) stops the whole serve with a
clear error instead of looping.

Portability: on Linux the participant workers share one port with ``SO_REUSEPORT``
(the kernel spreads new connections over them; a websocket is one TCP connection, so
it stays on the worker that holds its virtual kernel). Windows has no such balancing
and macOS's ``SO_REUSEPORT`` sends every connection to one socket, so there ``auto``
means one worker. Children are detached with a new session on POSIX and a new process
group on Windows; stopping uses ``terminate()`` and psutil, no POSIX signals.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_RESTARTS = 5
RESTART_WINDOW = 60.0
CHECK_SECONDS = 0.5

CREATE_NEW_PROCESS_GROUP = 0x00000200
"""``subprocess.CREATE_NEW_PROCESS_GROUP``, which exists only on Windows builds."""


class GaveUp(RuntimeError):
    """A service died too often in a short time; ``service`` names it."""

    def __init__(self, service: Service) -> None:
        super().__init__(
            f"{service.name} exited {MAX_RESTARTS + 1} times within {RESTART_WINDOW:.0f} s"
        )
        self.service = service


def shares_port(platform: str | None = None) -> bool:
    """Whether several processes can listen on one port with the kernel balancing them."""
    return (platform or sys.platform).startswith("linux")


def workers_for(value: str, *, platform: str | None = None, cpus: int | None = None) -> int:
    """``--workers``: ``auto`` is one per core where the port can be shared, else 1.

    An explicit number above 1 on a platform that cannot share the port is lowered to
    1 (two processes there would not both receive phones).
    """
    if value == "auto":
        wanted = cpus if cpus is not None else (os.cpu_count() or 1)
    else:
        wanted = int(value)
        if wanted < 1:
            raise ValueError("workers must be at least 1")
    return max(1, wanted) if shares_port(platform) else 1


def popen_options(platform: str | None = None) -> dict[str, Any]:
    """Detach a child from the terminal's Ctrl-C, so serve stops it in order."""
    if (platform or sys.platform) == "win32":
        return {"creationflags": CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def describe_exit(code: int, platform: str | None = None) -> str:
    """``status 1`` or, on POSIX, ``signal SIGKILL`` for a negative return code."""
    if code < 0 and (platform or sys.platform) != "win32":
        import signal

        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"status {code}"


@dataclass
class Service:
    """One supervised child process."""

    name: str
    cmd: list[str]
    env: dict[str, str]
    log: Path
    cwd: Path
    proc: subprocess.Popen[bytes] | None = None
    exits: list[float] = field(default_factory=list)
    """When it exited (monotonic), for the restart limit."""


class Supervisor:
    """Starts services, restarts any that exits, stops them all (children included)."""

    def __init__(
        self, services: list[Service], log: Path, echo: Callable[[str], None] | None = None
    ) -> None:
        self.services = services
        self._log = log
        self._echo = echo or (lambda line: print(line, file=sys.stderr, flush=True))

    def note(self, line: str) -> None:
        stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        with self._log.open("a", encoding="utf-8") as out:
            out.write(f"{stamp} {line}\n")
        self._echo(f"separ serve: {line}")

    def start(self) -> None:
        for service in self.services:
            self._spawn(service)

    def _spawn(self, service: Service) -> None:
        with service.log.open("ab") as out:
            service.proc = subprocess.Popen(
                service.cmd,
                env=service.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=str(service.cwd),
                **popen_options(),
            )

    def check(self) -> list[Service]:
        """Restart every service that has exited; return them. Raises GaveUp."""
        restarted = []
        now = time.monotonic()
        for service in self.services:
            proc = service.proc
            if proc is None or proc.poll() is None:
                continue
            assert proc.returncode is not None
            service.exits = [t for t in service.exits if now - t < RESTART_WINDOW] + [now]
            self.note(
                f"{service.name} (pid {proc.pid}) exited with "
                f"{describe_exit(proc.returncode)}; log: {service.log}"
            )
            if len(service.exits) > MAX_RESTARTS:
                raise GaveUp(service)
            self._spawn(service)
            assert service.proc is not None
            self.note(f"{service.name} restarted (pid {service.proc.pid})")
            restarted.append(service)
        return restarted

    def run(self) -> None:
        """Check every ``CHECK_SECONDS`` until interrupted (Ctrl-C) or GaveUp."""
        while True:
            time.sleep(CHECK_SECONDS)
            self.check()

    def stop(self, grace: float = 8.0) -> None:
        """Terminate every service and what it started (Voila's kernels included)."""
        import psutil

        family: list[psutil.Process] = []
        running = [s.proc for s in self.services if s.proc is not None]
        for proc in running:
            with contextlib.suppress(psutil.NoSuchProcess):
                parent = psutil.Process(proc.pid)
                family += [parent, *parent.children(recursive=True)]
        for proc in running:
            if proc.poll() is None:
                proc.terminate()
        _gone, alive = psutil.wait_procs(family, timeout=grace)
        for leftover in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                leftover.kill()
        psutil.wait_procs(alive, timeout=3)
        for proc in running:  # reap, so no zombie is left behind
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=1)


def private_dir(prefix: str) -> Path:
    """A fresh folder only this user can read (mkdtemp creates it 0700)."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=prefix))


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file created readable by this user only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
