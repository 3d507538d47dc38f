"""Run the ``separ`` command in the test's own process, as a shell would run it.

A fresh Python process per command costs 1–3 CPU-seconds of imports (SQLAlchemy, pandas,
typer, nbconvert) before the command does anything, and the CLI tests run a few hundred
commands: on the 2-core CI box that was minutes of the suite. Here the same entry point
(:func:`separ.cli.main`) runs with its own ``argv``, environment and standard streams
(click's ``CliRunner.isolation``); the exit code comes from ``SystemExit`` and an
unexpected exception becomes a traceback on stderr with exit code 1, as the interpreter
would give. What a user sees (stdout, stderr, exit code, files written) is the same.

Tests about the process itself -- the installed ``separ`` script, ``python -m separ.cli``,
``separ serve`` and its signals -- still start one (tests/test_cli.py keeps a smoke test).
"""

from __future__ import annotations

import subprocess
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner


def run(
    *args: str | Path,
    lang: str = "en",
    env: Mapping[str, str] | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``separ ARGS`` under ``SEPAR_LANG=lang`` (plus ``env``), like ``subprocess.run``
    with ``capture_output=True, text=True``."""
    from separ.cli import main

    argv = [str(a) for a in args]
    code: int = 0
    with CliRunner().isolation(input=input, env={"SEPAR_LANG": lang, **(env or {})}) as (
        out,
        err,
        _,
    ):
        saved = sys.argv
        sys.argv = ["separ", *argv]
        try:
            main()
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:  # sys.exit("message"): printed, status 1
                print(exc.code, file=sys.stderr)
                code = 1
        except Exception:  # a bug in separ, shown as the interpreter shows it
            traceback.print_exc()
            code = 1
        finally:
            sys.argv = saved
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return subprocess.CompletedProcess(["separ", *argv], code, stdout, stderr)
