"""The Makefile's system-package step (``.ci/system-deps``) against a simulated machine.

Each test builds a fake system: a folder standing for ``/`` (``SEPAR_SYSROOT``) holding
the files that are "installed", and a PATH of shell stubs -- ``apt-get`` and ``dpkg``
record their arguments, ``id`` says who we are, ``npm``/``node`` stand for NodeSource's
Node.js. Nothing is installed. The last test asks the real apt (``apt-get install -s``,
a dry run) whether the packages the script picks for a bare Debian resolve together.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / ".ci" / "system-deps"
BASH = shutil.which("bash") or "/bin/bash"
DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'
UBUNTU = 'PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n'
FILES = {
    "fonts-noto-cjk": "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "fonts-noto-color-emoji": "usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "postgresql": "usr/lib/postgresql/15/bin/initdb",
}
PROGRAMS = {"chromium": "chromium", "poppler-utils": "pdftotext"}


class Machine:
    """A fake Debian/Ubuntu: installed files, programs on PATH, a recording apt-get."""

    def __init__(self, tmp: Path, *, uid: int = 0, os_release: str = DEBIAN) -> None:
        self.root = tmp / "root"
        self.bin = tmp / "bin"
        self.log = tmp / "calls.log"
        self.root.mkdir()
        self.bin.mkdir()
        (tmp / "os-release").write_text(os_release)
        self.os_release = tmp / "os-release"
        self.stub("id", f"echo {uid}")
        self.stub("python3", "exit 0")  # has venv and ensurepip
        for name in ("apt-get", "dpkg"):
            self.stub(name, f'echo "{name} $*" >> "{self.log}"')

    def stub(self, name: str, body: str) -> None:
        path = self.bin / name
        path.write_text(f"#!{BASH}\n{body}\n")
        path.chmod(0o755)

    def install(self, *packages: str) -> None:
        for package in packages:
            if package in FILES:
                target = self.root / FILES[package]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(b"")
            else:
                self.stub(PROGRAMS[package], "exit 0")

    def nodesource(self) -> None:
        """NodeSource's nodejs: node and npm on PATH, Debian's npm package not installed."""
        self.stub("node", "echo v20.11.0")
        self.stub("npm", "echo 10.2.4")
        self.stub(
            "dpkg",
            f'echo "dpkg $*" >> "{self.log}"; [ "$1" = -s ] && [ "$2" = npm ] && exit 1; exit 0',
        )

    def run(self, mode: str = "test") -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": str(self.bin),
            "SEPAR_SYSROOT": str(self.root),
            "SEPAR_OS_RELEASE": str(self.os_release),
            "HOME": str(self.root),
        }
        return subprocess.run(
            [BASH, str(SCRIPT), mode],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


def installs(machine: Machine) -> list[str]:
    """The packages of the apt-get install call(s), in order."""
    return [
        word
        for call in machine.calls()
        if call.startswith("apt-get install")
        for word in call.split()[2:]
        if not word.startswith("-")
    ]


def test_nodesource_npm_is_never_requested(tmp_path: Path) -> None:
    """The reported failure: NodeSource's npm on PATH, the rest missing; as root."""
    machine = Machine(tmp_path)
    machine.nodesource()
    done = machine.run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert installs(machine) == [
        "chromium",
        "fonts-noto-cjk",
        "fonts-noto-color-emoji",
        "poppler-utils",
        "postgresql",
    ]
    assert not any("npm" in call or "nodejs" in call for call in machine.calls())
    assert "apt-get update -qq" in machine.calls()
    assert "installing Debian packages: chromium fonts-noto-cjk" in done.stdout


def test_only_what_is_missing_is_installed(tmp_path: Path) -> None:
    machine = Machine(tmp_path)
    machine.nodesource()
    machine.install("chromium", "fonts-noto-cjk", "postgresql", "poppler-utils")
    done = machine.run()
    assert done.returncode == 0
    assert installs(machine) == ["fonts-noto-color-emoji"]
    assert "missing: an emoji font" in done.stdout


def test_nothing_missing_calls_no_apt(tmp_path: Path) -> None:
    machine = Machine(tmp_path)
    machine.install(*FILES, *PROGRAMS)
    done = machine.run()
    assert (done.returncode, done.stdout.strip()) == (0, "system packages: all present")
    assert machine.calls() == []


def test_without_root_demo_prints_the_command_and_goes_on(tmp_path: Path) -> None:
    """make demo as a user: Chromium and the fonts are optional there."""
    machine = Machine(tmp_path, uid=1000)
    machine.install("postgresql", "poppler-utils")
    done = machine.run("demo")
    assert done.returncode == 0, done.stderr
    assert machine.calls() == []
    assert (
        "  sudo apt-get install -y chromium fonts-noto-cjk fonts-noto-color-emoji"
        in done.stdout.splitlines()
    )
    assert "Chromium: PDF reports" in done.stdout
    assert "what they are for will not work" in done.stdout


def test_without_root_test_stops_when_required_is_missing(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000)
    machine.install("chromium", "fonts-noto-cjk", "fonts-noto-color-emoji", "poppler-utils")
    done = machine.run("test")
    assert done.returncode == 1
    assert "  sudo apt-get install -y postgresql" in done.stdout.splitlines()
    assert "cannot go on" in done.stderr


def test_a_missing_venv_stops_even_demo(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000)
    machine.install(*FILES, *PROGRAMS)
    machine.stub("python3", "exit 1")  # Debian's python3 without python3-venv
    done = machine.run("demo")
    assert done.returncode == 1
    assert "  sudo apt-get install -y python3-venv" in done.stdout.splitlines()


def test_ubuntu_gets_chrome_not_the_chromium_snap(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000, os_release=UBUNTU)
    machine.install(*FILES, "poppler-utils")
    done = machine.run("demo")
    assert done.returncode == 0
    assert "chromium" not in done.stdout.split("Chromium: PDF")[1]  # no apt chromium(-browser)
    assert "google-chrome-stable_current_amd64.deb" in done.stdout


def test_an_existing_chrome_counts_as_chromium(tmp_path: Path) -> None:
    machine = Machine(tmp_path, os_release=UBUNTU)
    machine.install(*FILES, "poppler-utils")
    machine.stub("google-chrome", "exit 0")
    assert machine.run().stdout.strip() == "system packages: all present"


@pytest.mark.skipif(
    not Path("/usr/bin/apt-get").exists() or not Path("/etc/debian_version").exists(),
    reason="needs a Debian/Ubuntu apt",
)
def test_apt_resolves_the_chosen_packages_together(tmp_path: Path) -> None:
    """apt's own dry run (``-s``, no root needed) on the packages chosen for a bare Debian."""
    machine = Machine(tmp_path, os_release=Path("/etc/os-release").read_text())
    machine.nodesource()
    assert machine.run().returncode == 0
    chosen = installs(machine)
    assert chosen and "npm" not in chosen
    if "@chrome-deb" in chosen or not chosen:
        pytest.skip("Ubuntu: Chrome comes as a .deb, not from apt's lists")
    dry = subprocess.run(
        ["apt-get", "install", "-s", "-q", *chosen],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )
    assert dry.returncode == 0, dry.stdout[-2000:] + dry.stderr
    assert "held broken packages" not in dry.stdout + dry.stderr
