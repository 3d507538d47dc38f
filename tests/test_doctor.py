"""``separ doctor``: one line per part of the environment, the fix beside what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from separ import cli
from separ.live import assets


@pytest.fixture(scope="module")
def app() -> object:
    cli._load_commands()
    return cli.app


def test_doctor_reports_every_part(
    app: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cdn"
    for spec in assets.wanted_packages():
        (cache / spec).mkdir(parents=True)
    monkeypatch.setattr(assets, "cache_dir", lambda: cache)
    result = CliRunner().invoke(app, ["doctor"])  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    names = [line.split("] ", 1)[1].split(":", 1)[0] for line in lines if line.startswith("[")]
    assert names == [
        "workbooks",
        "facilitator_guides",
        "sample_data",
        "page bundles",
        "browser for PDF",
        "Korean font, figures",
        "Korean font, PDF (Noto Sans CJK KR or the system's)",
        "Korean font, PDF (Noto Serif CJK KR or the system's)",
        "PostgreSQL driver",
        "versions",
    ]
    assert f"[ok  ] page bundles: local ({cache})" in lines
    assert any(
        line.startswith("[ok  ] versions: Python 3.") and "solara 1." in line for line in lines
    )


def test_doctor_fails_on_missing_bundles_and_names_the_fix(
    app: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assets, "cache_dir", lambda: tmp_path)
    result = CliRunner().invoke(app, ["doctor"])  # type: ignore[arg-type]
    assert result.exit_code == 1
    bundle = next(line for line in result.output.splitlines() if "page bundles" in line)
    assert bundle.startswith("[FAIL] page bundles: not local: ")
    assert "requirejs@2.3.6" in bundle
    assert "       -> separ doctor --fetch" in result.output.splitlines()


def test_doctor_without_a_browser_warns_but_passes(
    app: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for spec in assets.wanted_packages():
        (tmp_path / spec).mkdir(parents=True)
    monkeypatch.setattr(assets, "cache_dir", lambda: tmp_path)
    monkeypatch.setenv("SEPAR_CHROMIUM", str(tmp_path / "no-browser"))
    result = CliRunner().invoke(app, ["doctor"])  # type: ignore[arg-type]
    assert result.exit_code == 0
    assert "[warn] browser for PDF: SEPAR_CHROMIUM names no executable file" in result.output
