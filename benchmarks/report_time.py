"""How long ``separ report`` takes, and how much of it is separ's own and how much Chromium's.

Run: ``python benchmarks/report_time.py [--runs N] [--keep DIR] [--src OTHER/src]`` (Linux). For
both samples and each of HTML and PDF it runs the real command (a fresh Python, imports
included) and prints, best of ``--runs`` by wall time, in seconds:

* ``wall``: the command's wall time, start to exit;
* ``separ``: separ's time -- the wall time less the time separ only waited for Chromium,
  i.e. less each print's wall time minus the CPU separ spent during that print (separ
  cuts the PDF's fonts while Chromium lays out the first print);
* ``separ CPU``: user + system CPU of separ's own processes (the Python process and its
  small helpers such as fc-match): the CPU of everything the command started less
  Chromium's. On a quiet box ``separ`` comes close to it; on a busy one it is the number
  to compare;
* ``chromium``, ``chr. CPU``: the prints' wall time and the CPU of all of Chromium's
  processes; ``prints``: how many times Chromium was started.

Chromium is measured by pointing ``SEPAR_CHROMIUM`` at a small wrapper that runs the real
browser, waits for it (and, as a child subreaper, for every process it left behind) and
appends its wall time, its CPU and the separ process's CPU meanwhile (from /proc) to a
log; the wrapper's own milliseconds are counted as Chromium's. separ's bytecode is cached
(``PYTHONDONTWRITEBYTECODE`` is dropped for the runs), as in an installed separ: with the
variable set, every run compiles separ's 80 modules again (0.3 s). Asserts nothing:
machines are noisy; the runs go one after another.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("seosan", "nonsan")
FORMATS = ("html", "pdf")

WRAPPER = """\
import ctypes, json, os, resource, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: Chromium's orphans come back here
def separ_cpu():  # CPU seconds of the separ process that started this print
    fields = open(f"/proc/{{os.getppid()}}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
busy = separ_cpu()
start = time.perf_counter()
code = subprocess.call([{browser!r}, *sys.argv[1:]])
wall = time.perf_counter() - start
busy = separ_cpu() - busy
while True:  # reap what the browser left behind, so its CPU is counted too
    try:
        os.wait()
    except ChildProcessError:
        break
used = resource.getrusage(resource.RUSAGE_CHILDREN)
own = resource.getrusage(resource.RUSAGE_SELF)
cpu = used.ru_utime + used.ru_stime + own.ru_utime + own.ru_stime
with open({log!r}, "a", encoding="utf-8") as log:
    log.write(json.dumps({{"wall": wall, "cpu": cpu, "separ_busy": busy}}) + "\\n")
sys.exit(code)
"""


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    """CPU of every process the command started, Chromium's included."""
    chromium_wall: float
    chromium_cpu: float
    waiting: float
    """Wall time during which separ only waited for Chromium (Chromium's wall time less
    the CPU separ spent meanwhile: separ cuts the PDF's fonts while the first print runs)."""
    prints: int

    @property
    def separ_wall(self) -> float:
        return self.wall - self.waiting

    @property
    def separ_cpu(self) -> float:
        return self.cpu - self.chromium_cpu


def browser(src: Path) -> str:
    """The browser separ would use (its own lookup, so the numbers are for that one)."""
    sys.path.insert(0, str(src))
    from separ.report.pdf import find_chromium

    return find_chromium()


def wrapper(folder: Path, log: Path, src: Path) -> Path:
    path = folder / "chromium-timed"
    path.write_text(
        f"#!{sys.executable} -IS\n" + WRAPPER.format(browser=browser(src), log=str(log)),
        encoding="utf-8",
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def run_once(sample: str, fmt: str, out: Path, chromium: Path, log: Path, src: Path) -> Run:
    log.write_text("", encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPATH": str(src),
        "SEPAR_CHROMIUM": str(chromium),
        "SEPAR_LANG": "en",
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from separ.cli import main; main()",
            "report",
            str(ROOT / "sample_data" / sample / "workshop.json"),
            "--format",
            fmt,
            "--out",
            str(out / f"{sample}.{fmt}"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"separ report {sample} --format {fmt} failed:\n{result.stderr}")
    prints = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(
        wall=wall,
        cpu=cpu,
        chromium_wall=sum(p["wall"] for p in prints),
        chromium_cpu=sum(p["cpu"] for p in prints),
        waiting=sum(max(0.0, p["wall"] - p["separ_busy"]) for p in prints),
        prints=len(prints),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per case (best is shown)")
    parser.add_argument("--keep", type=Path, help="write the reports here (default: a temp dir)")
    parser.add_argument(
        "--src",
        type=Path,
        default=ROOT / "src",
        help="the separ sources to time (another checkout's src/, for before and after)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="separ-bench-") as tmp:
        folder = Path(tmp)
        out = args.keep or folder / "out"
        out.mkdir(parents=True, exist_ok=True)
        log = folder / "chromium.log"
        chromium = wrapper(folder, log, args.src.resolve())
        print(f"separ report, best of {args.runs} by wall time (seconds)")
        print(
            f"  {'sample':<8}{'format':<7}{'wall':>7}{'separ':>8}{'separ CPU':>11}"
            f"{'chromium':>10}{'chr. CPU':>10}{'prints':>8}"
        )
        for sample in SAMPLES:
            for fmt in FORMATS:
                runs = [
                    run_once(sample, fmt, out, chromium, log, args.src.resolve())
                    for _ in range(args.runs)
                ]
                best = min(runs, key=lambda r: r.wall)
                print(
                    f"  {sample:<8}{fmt:<7}{best.wall:7.1f}{best.separ_wall:8.1f}"
                    f"{best.separ_cpu:11.1f}{best.chromium_wall:10.1f}"
                    f"{best.chromium_cpu:10.1f}{best.prints:8d}"
                )
        if args.keep is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
