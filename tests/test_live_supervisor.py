"""separ serve's supervision: restart what dies (logged), leave the rest running,
choose workers and process options by platform, keep the facilitator token off ``ps``."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from separ.cli.live import participant_services, voila_service
from separ.live import supervisor as sv


def test_workers_auto_is_one_per_core_only_where_the_port_is_shared() -> None:
    assert sv.workers_for("auto", platform="linux", cpus=2) == 2
    assert sv.workers_for("auto", platform="linux", cpus=8) == 8
    assert sv.workers_for("3", platform="linux", cpus=2) == 3
    for other in ("win32", "darwin"):
        assert sv.workers_for("auto", platform=other, cpus=8) == 1
        assert sv.workers_for("4", platform=other, cpus=8) == 1
    with pytest.raises(ValueError):
        sv.workers_for("0", platform="linux")


def test_process_options_use_no_posix_session_on_windows() -> None:
    assert sv.popen_options("win32") == {"creationflags": 0x200}
    assert sv.popen_options("linux") == {"start_new_session": True}
    assert sv.popen_options("darwin") == {"start_new_session": True}
    assert sv.describe_exit(-9, "linux") == "signal SIGKILL"
    assert sv.describe_exit(-9, "win32") == "status -9"
    assert sv.describe_exit(3, "linux") == "status 3"


def test_reuse_port_only_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for platform, expected in (("linux", True), ("win32", False), ("darwin", False)):
        monkeypatch.setattr(sv.sys, "platform", platform)
        (one,) = participant_services(
            tmp_path, "127.0.0.1", 9000, None, "http://x/", 1, {}, tmp_path, tmp_path
        )
        assert ("--reuse-port" in one.cmd) is expected


def _sleeper(name: str, tmp_path: Path) -> sv.Service:
    return sv.Service(
        name,
        [sys.executable, "-c", "import time; time.sleep(60)"],
        {},
        tmp_path / f"{name}.log",
        tmp_path,
    )


def test_a_dead_worker_is_restarted_alone_and_its_exit_logged(tmp_path: Path) -> None:
    lines: list[str] = []
    one, two, voila = (_sleeper(n, tmp_path) for n in ("participant-1", "participant-2", "voila"))
    boss = sv.Supervisor([one, two, voila], tmp_path / "supervisor.log", echo=lines.append)
    boss.start()
    try:
        assert one.proc and two.proc and voila.proc
        first, others = one.proc.pid, (two.proc.pid, voila.proc.pid)
        one.proc.kill()
        one.proc.wait()
        assert boss.check() == [one]
        assert one.proc.pid != first and one.proc.poll() is None
        assert (two.proc.pid, voila.proc.pid) == others  # Voila and the other worker untouched
        assert two.proc.poll() is None and voila.proc.poll() is None
        logged = (tmp_path / "supervisor.log").read_text()
        assert f"participant-1 (pid {first}) exited with signal SIGKILL" in logged
        assert f"participant-1 restarted (pid {one.proc.pid})" in logged
        assert lines[0].startswith("separ serve: participant-1 (pid")
        assert boss.check() == []
    finally:
        boss.stop(grace=2)
    assert all(s.proc is not None and s.proc.poll() is not None for s in (one, two, voila))


def test_a_service_that_keeps_dying_stops_serve(tmp_path: Path) -> None:
    dying = sv.Service(
        "participant-1",
        [sys.executable, "-c", "raise SystemExit(3)"],
        {},
        tmp_path / "p.log",
        tmp_path,
    )
    boss = sv.Supervisor([dying], tmp_path / "supervisor.log", echo=lambda _line: None)
    boss.start()
    with pytest.raises(sv.GaveUp):
        for _ in range(sv.MAX_RESTARTS + 2):
            assert dying.proc is not None
            dying.proc.wait()
            boss.check()
    boss.stop(grace=1)
    assert (tmp_path / "supervisor.log").read_text().count("exited with status 3") == (
        sv.MAX_RESTARTS + 1
    )


def test_voila_gets_the_token_from_a_private_file(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir(mode=0o700)
    token = "s3cret-facilitator-token"
    voila = voila_service(
        tmp_path, "127.0.0.1", 9001, token, {"JUPYTER_CONFIG_PATH": "/x"}, logs, "en"
    )
    assert not any(token in part for part in voila.cmd)
    config_dir = Path(voila.env["JUPYTER_CONFIG_PATH"].split(":")[0])
    assert voila.env["JUPYTER_CONFIG_PATH"].endswith(":/x")
    config = config_dir / "voila.json"
    assert json.loads(config.read_text()) == {
        "Voila": {"token": token},
        "VoilaExporter": {"language_code": "en"},  # the workshop's language, for <html lang>
    }
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700


@pytest.mark.slow
def test_serve_with_two_workers_survives_a_killed_worker(tmp_path: Path) -> None:
    """The real thing: two workers on one port, one killed, the room keeps its pages."""
    import psutil

    from separ.workspace import import_file
    from tests.conftest import ROOT, SAMPLES
    from tests.live_server import free_port

    folder = tmp_path / "ws"
    import_file(folder, SAMPLES["seosan"]).close()
    port = free_port()
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "separ.cli",
            "serve",
            str(folder),
            "--port",
            str(port),
            "--no-browser",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=str(ROOT),
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert serve.stdout is not None
        out = []
        while not any(line.startswith("participant workers:") for line in out):
            line = serve.stdout.readline()
            assert line, "".join(out)
            out.append(line)
        token = next(li for li in out if li.startswith("facilitator:")).split("token=")[1].strip()
        children = psutil.Process(serve.pid).children()
        workers = [c for c in children if "separ.live.server" in " ".join(c.cmdline())]
        voila = next(c for c in children if "voila" in " ".join(c.cmdline()))
        assert len(workers) == 2
        assert not any(token in " ".join(c.cmdline()) for c in children)
        workers[0].kill()
        end = time.monotonic() + 30
        while time.monotonic() < end:
            now = [
                c
                for c in psutil.Process(serve.pid).children()
                if c.status() != psutil.STATUS_ZOMBIE
                and "separ.live.server" in " ".join(c.cmdline())
            ]
            if len(now) == 2 and workers[0].pid not in [c.pid for c in now]:
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the killed worker was not restarted")
        assert voila.is_running() and workers[1].is_running()
        import urllib.request

        for _ in range(6):  # both workers answer on the one port
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10) as r:
                assert r.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port + 1}/?token={token}", timeout=30) as r:
            assert r.status == 200  # Voila took the token from its private file
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    tail = serve.stdout.read() if serve.stdout else ""
    assert re.search(rf"participant-\d \(pid {workers[0].pid}\) exited with signal SIGKILL", tail)
