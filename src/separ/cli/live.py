"""``separ serve`` and ``separ demo``: the live workshop from one command.

``serve`` starts two servers and prints their addresses: the participant server
(Solara: phones and the projector; ``--workers`` processes sharing one port, one per
core by default on Linux) and Voila (the facilitator's workbooks, a kernel each),
under :mod:`separ.live.supervisor`, which restarts any that dies. A fresh facilitator
token is made at every start and only its hash is stored; it is in the facilitator link
only and reaches Voila in a private file. The projector link carries a view-only
projector key, also fresh at every start (the room sees the projector). Ctrl-C stops
both servers and every process they started.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import tempfile
import time
import urllib.request
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from separ.cli import DbOption, app
from separ.errors import SeparError
from separ.i18n import add_messages
from separ.limits import JOINS_ENV
from separ.live.assets import ensure_local
from separ.live.supervisor import (
    GaveUp,
    Service,
    Supervisor,
    private_dir,
    shares_port,
    workers_for,
    write_private,
)
from separ.resources import data_dir, package_root, sample_workshop
from separ.tokens import issue_facilitator_token, issue_projector_token
from separ.workspace import import_file, open_workshop

add_messages(
    {
        "serve_needs_folder": {
            "ko": "워크숍 폴더를 지정해 주세요 (파일은 먼저 separ import로 가져오세요): {path}",
            "en": "give a workshop folder (import a file first with separ import): {path}",
        },
        "serve_no_workbooks": {
            "ko": "진행자 워크북 폴더를 찾을 수 없습니다 (SEPAR_WORKBOOKS): {path}",
            "en": "cannot find the facilitator workbooks (SEPAR_WORKBOOKS): {path}",
        },
        "serve_port_busy": {
            "ko": "포트 {port}을(를) 이미 다른 프로그램이 쓰고 있습니다 (--port로 바꾸세요)",
            "en": "port {port} is already in use (choose another with --port)",
        },
        "serve_failed": {
            "ko": "{what} 서버가 시작되지 않았습니다 (로그: {log})",
            "en": "the {what} server did not start (log: {log})",
        },
    }
)

QR_FILE = "join-qr.png"
DASHBOARD = "00_live.ipynb"
START_TIMEOUT = 60.0
VOILA_CULL_SECONDS = 900
"""A facilitator's idle workbook kernel is shut down after 15 minutes."""

HostOption = Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: the whole room).")]
PortOption = Annotated[int, typer.Option(help="Participant port; Voila takes the next one.")]
NoBrowser = Annotated[bool, typer.Option("--no-browser", help="Don't open the dashboard.")]
WorkersOption = Annotated[
    str,
    typer.Option(
        help="Participant processes: 'auto' (one per core on Linux, 1 elsewhere) or a number."
    ),
]


@dataclass(frozen=True)
class Links:
    participant: str
    facilitator: str
    projector: str


def workbooks_dir() -> Path:
    """The facilitator workbooks: $SEPAR_WORKBOOKS, else the installed ones (separ.resources)."""
    path = data_dir("workbooks")
    if not (path / DASHBOARD).is_file():
        raise SeparError("serve_no_workbooks", path=str(path))
    return path


def shown_host(host: str) -> str:
    """The address phones should use: this machine's LAN address when listening on all."""
    if host in ("0.0.0.0", "", "::"):
        try:
            return socket.gethostbyname(socket.gethostname())
        except OSError:
            return "127.0.0.1"
    return host


def links(host: str, port: int, token: str, projector_key: str) -> Links:
    """The three addresses; the projector's carries its own view-only key, never the
    facilitator token (the room sees the projector)."""
    base = f"http://{shown_host(host)}"
    return Links(
        participant=f"{base}:{port}/",
        facilitator=f"{base}:{port + 1}/voila/render/{DASHBOARD}?token={token}",
        projector=f"{base}:{port}/projector?key={projector_key}",
    )


def _check_free(host: str, port: int) -> None:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host if host not in ("", "::") else "0.0.0.0", port))
        except OSError:
            raise SeparError("serve_port_busy", port=port) from None


def _wait_http(url: str, services: list[Service], what: str, log: Path) -> None:
    end = time.monotonic() + START_TIMEOUT
    while time.monotonic() < end:
        if any(s.proc is None or s.proc.poll() is not None for s in services):
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise SeparError("serve_failed", what=what, log=str(log))


def participant_services(
    folder: Path,
    host: str,
    port: int,
    db: str | None,
    join_url: str,
    workers: int,
    env: dict[str, str],
    logs: Path,
    cwd: Path,
) -> list[Service]:
    """``workers`` participant processes on one port (sharing it when more than one)."""
    cmd = [
        sys.executable,
        "-m",
        "separ.live.server",
        "--workshop",
        str(folder),
        "--host",
        host,
        "--port",
        str(port),
        "--join-url",
        join_url,
    ]
    if db:
        cmd += ["--db", db]
    if shares_port():
        cmd.append("--reuse-port")  # also for one worker: its restart may rebind at once
    return [
        Service(
            f"participant-{i}",
            cmd,
            {**env, "SEPAR_WORKER": str(i)},
            logs / f"participant-{i}.log",
            cwd,
        )
        for i in range(1, workers + 1)
    ]


def voila_service(
    books: Path,
    host: str,
    port: int,
    token: str,
    env: dict[str, str],
    logs: Path,
    lang: str = "ko",
) -> Service:
    """Voila, its login token in a private config file (never on the command line,
    where any local user could read it with ``ps``). The facilitator's pages say they are
    in the workshop's language (``<html lang>``; Voila's default is English), so a screen
    reader reads them with the right voice."""
    config = logs / "voila-config"
    config.mkdir(mode=0o700)
    settings = {"Voila": {"token": token}, "VoilaExporter": {"language_code": lang}}
    write_private(config / "voila.json", json.dumps(settings))
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(books),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--Voila.port={port}",
        "--Voila.port_retries=0",
        "--Voila.identity_provider_class=separ.live.voila_auth.TokenLinkOnly",
        "--VoilaConfiguration.template=separ",
        "--VoilaConfiguration.strip_sources=True",
        "--VoilaConfiguration.show_tracebacks=False",
        f"--MappingKernelManager.cull_idle_timeout={VOILA_CULL_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
    ]
    voila_env = {
        **env,
        "JUPYTER_CONFIG_PATH": os.pathsep.join(
            filter(None, [str(config), env.get("JUPYTER_CONFIG_PATH")])
        ),
    }
    return Service("voila", cmd, voila_env, logs / "voila.log", books)


def serve_workshop(
    folder: Path,
    host: str,
    port: int,
    db: str | None,
    *,
    open_browser: bool,
    workers: int = 1,
    joins_per_minute: int | None = None,
) -> None:
    if not folder.is_dir():
        raise SeparError("serve_needs_folder", path=str(folder))
    folder = folder.resolve()
    books = workbooks_dir()
    _check_free(host, port)
    _check_free(host, port + 1)
    ensure_local()  # the page bundles, fetched once; else one line: phones will need internet
    with open_workshop(folder, db) as store:
        token = issue_facilitator_token(store)
        projector_key = issue_projector_token(store)
        lang = store.workshop().lang
    urls = links(host, port, token, projector_key)
    env = {
        **os.environ,
        "SEPAR_WORKSHOP": str(folder),
        "SEPAR_PARTICIPANT_URL": urls.participant,
        "SEPAR_PROJECTOR_URL": urls.projector,
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        "PYTHONUNBUFFERED": "1",
        # the servers import this very separ, wherever it was imported from
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(package_root()), os.environ.get("PYTHONPATH")])
        ),
    }
    # Voila's "separ" template: the lab template without its CDN links (offline rooms)
    jupyter_path = str(Path(__file__).resolve().parents[1] / "live" / "jupyter")
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [jupyter_path, env.get("JUPYTER_PATH")]))
    if db:
        env["SEPAR_DB"] = db
    if joins_per_minute:
        env[JOINS_ENV] = str(joins_per_minute)
    logs = private_dir("separ-serve-")
    participants = participant_services(
        folder, host, port, db, urls.participant, workers, env, logs, books
    )
    voila = voila_service(books, host, port + 1, token, env, logs, lang)
    supervisor = Supervisor([*participants, voila], logs / "supervisor.log")
    try:
        supervisor.start()
        _wait_http(
            f"http://127.0.0.1:{port}/readyz"
            if host in ("0.0.0.0", "127.0.0.1")
            else urls.participant,
            participants,
            "participant",
            participants[0].log,
        )
        _wait_http(
            f"http://{shown_host(host)}:{port + 1}/?token={token}", [voila], "Voila", voila.log
        )
        _announce(folder, urls, workers, logs)
        if open_browser:
            webbrowser.open(urls.facilitator)
        supervisor.run()
    except GaveUp as gave_up:
        raise SeparError(
            "serve_failed", what=gave_up.service.name, log=str(gave_up.service.log)
        ) from None
    except KeyboardInterrupt:
        typer.echo("separ serve: stopping")
    finally:
        supervisor.stop()


def _announce(folder: Path, urls: Links, workers: int, logs: Path) -> None:
    import segno

    qr = segno.make(urls.participant, error="m")
    qr.save(str(folder / QR_FILE), scale=10, border=2)
    typer.echo(f"participant: {urls.participant}")
    typer.echo(f"facilitator: {urls.facilitator}")
    typer.echo(f"projector: {urls.projector}")
    typer.echo(f"participant workers: {workers}  (logs: {logs})")
    qr.terminal(compact=True)
    typer.echo(f"QR: {folder / QR_FILE}  (Ctrl-C: stop)")


def _sigterm_as_interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@app.command()
def serve(
    folder: Annotated[Path, typer.Argument(help="The workshop folder.")],
    host: HostOption = "127.0.0.1",
    port: PortOption = 8866,
    db: DbOption = None,
    no_browser: NoBrowser = False,
    workers: WorkersOption = "auto",
    joins_per_minute: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Joins allowed per network address in a minute (default 10). Raise it to the "
            "room's size when every phone reaches this server through one Wi-Fi address.",
        ),
    ] = None,
) -> None:
    """Start the live workshop: phones, projector and the facilitator's workbooks."""
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    serve_workshop(
        folder,
        host,
        port,
        db,
        open_browser=not no_browser,
        workers=_workers(workers),
        joins_per_minute=joins_per_minute,
    )


def _workers(value: str) -> int:
    try:
        return workers_for(value)
    except ValueError:
        raise typer.BadParameter(value, param_hint="--workers") from None


@app.command()
def demo(
    folder: Annotated[Path | None, typer.Argument(help="Where to put the demo workshop.")] = None,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8866,
    no_browser: NoBrowser = False,
    workers: WorkersOption = "auto",
) -> None:
    """Copy the Seosan sample into a fresh folder and serve it."""
    sample = sample_workshop("seosan")
    target = folder or Path(tempfile.mkdtemp(prefix="separ-demo-")) / "seosan"
    if target.exists() and any(target.iterdir()):
        raise SeparError("workshop_exists", path=str(target))
    import_file(target, sample).close()
    typer.echo(f"demo workshop: {target}")
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
    serve_workshop(target, host, port, None, open_browser=not no_browser, workers=_workers(workers))
