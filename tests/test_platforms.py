"""Windows and macOS choices, tested here on Linux: the PDF browser and the Korean fonts.

These machines are not in CI, so what separ would pick there is tested as a function of
the system's name, its environment and a fake font list; the lookups that touch the disk
run against folders made in a temp dir.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from separ.errors import SeparError
from separ.figures import style
from separ.report import fonts, pdf

WINDOWS_ENV = {
    "PROGRAMFILES": r"C:\Program Files",
    "PROGRAMFILES(X86)": r"C:\Program Files (x86)",
    "LOCALAPPDATA": r"C:\Users\kim\AppData\Local",
}


def test_windows_looks_for_chrome_then_edge_in_the_program_folders() -> None:
    found = pdf.browser_candidates("Windows", WINDOWS_ENV)
    assert found[0] == r"C:\Program Files\Google\Chrome\Application\chrome.exe"
    assert r"C:\Users\kim\AppData\Local\Google\Chrome\Application\chrome.exe" in found
    assert r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe" in found
    assert found.index(
        r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe"
    ) > found.index(r"C:\Program Files\Google\Chrome\Application\chrome.exe")
    assert found[-2:] == ["chrome", "msedge"]


def test_windows_without_program_folders_still_tries_the_path() -> None:
    assert pdf.browser_candidates("Windows", {}) == ["chrome", "msedge"]


def test_macos_looks_in_both_application_folders() -> None:
    found = pdf.browser_candidates("Darwin", {"HOME": "/Users/kim"})
    assert found[:2] == [
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
        "/Users/kim/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ]
    assert "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge" in found


def test_linux_keeps_debian_chromium_first() -> None:
    assert pdf.browser_candidates("Linux", {})[0] == "chromium"


def test_a_mac_with_only_edge_in_its_home_applications_prints_with_edge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edge = tmp_path / "Applications" / "Microsoft Edge.app" / "Contents" / "MacOS"
    edge.mkdir(parents=True)
    (edge / "Microsoft Edge").write_text("")
    monkeypatch.setattr(pdf.platform, "system", lambda: "Darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SEPAR_CHROMIUM", raising=False)
    assert pdf.find_chromium() == str(edge / "Microsoft Edge")


def test_no_browser_anywhere_names_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf.platform, "system", lambda: "Darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("SEPAR_CHROMIUM", raising=False)
    if any(Path(p).is_file() for p in pdf.browser_candidates("Darwin", {"HOME": "~"})):
        pytest.skip("this machine has a browser in /Applications")
    with pytest.raises(SeparError) as caught:
        pdf.find_chromium()
    assert "Microsoft Edge" in caught.value.message("en")


def test_separ_chromium_takes_a_full_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    browser = tmp_path / "my chrome"
    browser.write_text("")
    monkeypatch.setenv("SEPAR_CHROMIUM", str(browser))
    assert pdf.find_chromium() == str(browser)
    monkeypatch.setenv("SEPAR_CHROMIUM", str(tmp_path / "nothing"))
    with pytest.raises(SeparError) as caught:
        pdf.find_chromium()
    assert caught.value.key == "report_chromium_not_found_at"


@pytest.mark.parametrize(
    ("installed", "chosen"),
    [
        ({"Noto Sans CJK KR", "Malgun Gothic", "DejaVu Sans"}, "Noto Sans CJK KR"),
        ({"Malgun Gothic", "Arial", "DejaVu Sans"}, "Malgun Gothic"),  # Windows
        ({"Apple SD Gothic Neo", "AppleGothic", "Helvetica"}, "Apple SD Gothic Neo"),  # macOS
        ({"DejaVu Sans"}, None),  # no Korean font
    ],
)
def test_figures_use_the_first_korean_font_installed(
    installed: set[str], chosen: str | None
) -> None:
    assert style.korean_font(installed) == chosen


def test_figures_fall_back_along_the_list_glyph_by_glyph() -> None:
    import matplotlib

    families = matplotlib.rcParams["font.sans-serif"]
    assert families.index("Malgun Gothic") < families.index("DejaVu Sans")
    assert families.index("Apple SD Gothic Neo") < families.index("DejaVu Sans")


def _fake_fonts(monkeypatch: pytest.MonkeyPatch, entries: list[SimpleNamespace]) -> None:
    """A system without fontconfig whose font folders hold ``entries``."""
    from matplotlib import font_manager

    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", entries)
    fonts.locate.cache_clear()
    monkeypatch.setattr(fonts, "locate", fonts.locate.__wrapped__)


def test_pdf_embeds_malgun_gothic_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_fonts(
        monkeypatch,
        [
            SimpleNamespace(name="Malgun Gothic", fname=r"C:\Windows\Fonts\malgun.ttf", weight=400),
            SimpleNamespace(
                name="Malgun Gothic", fname=r"C:\Windows\Fonts\malgunbd.ttf", weight=700
            ),
            SimpleNamespace(name="Batang", fname=r"C:\Windows\Fonts\batang.ttf", weight="normal"),
        ],
    )
    assert fonts.installed_face("Noto Sans CJK KR", False) == (r"C:\Windows\Fonts\malgun.ttf", 0)
    assert fonts.installed_face("Noto Sans CJK KR", True) == (r"C:\Windows\Fonts\malgunbd.ttf", 0)
    assert fonts.installed_face("Noto Serif CJK KR", False) == (r"C:\Windows\Fonts\batang.ttf", 0)
    assert fonts.installed_face("Noto Serif CJK KR", True) is None  # Chromium then fakes bold


def test_pdf_prefers_noto_when_both_are_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_fonts(
        monkeypatch,
        [
            SimpleNamespace(
                name="Apple SD Gothic Neo", fname="/System/Library/Fonts/x.otf", weight=400
            ),
            SimpleNamespace(name="Noto Sans CJK KR", fname="/fonts/NotoSansKR.otf", weight=400),
        ],
    )
    assert fonts.installed_face("Noto Sans CJK KR", False) == ("/fonts/NotoSansKR.otf", 0)


@pytest.mark.skipif(
    not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc").exists(),
    reason="needs fonts-noto-cjk",
)
def test_a_collection_face_is_found_by_family_and_weight() -> None:
    """In Noto's .ttc the Korean face is not the first: the index must come from its names."""
    path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
    index = fonts._face_index(path, "Noto Sans CJK KR", True)
    from fontTools.ttLib import TTCollection

    assert str(TTCollection(path, lazy=True).fonts[index]["name"].getDebugName(1)) == (
        "Noto Sans CJK KR"
    )


POSIX_ONLY = (
    "os.killpg",
    "os.setsid",
    "os.setpgrp",
    "os.getpgid",
    "os.fork",
    "os.getuid",
    "os.geteuid",
    "signal.SIGKILL",
    "signal.SIGHUP",
    "signal.SIGUSR1",
    "signal.SIGQUIT",
    "signal.SIGCHLD",
    "preexec_fn",
    "import fcntl",
    "import pwd",
    "import resource",
    "import termios",
)
"""Calls that raise or do not exist on Windows. (``start_new_session`` is ignored there and
``send_signal(SIGTERM)`` terminates the process: both allowed.)"""


def test_no_posix_only_calls_on_the_paths_windows_runs() -> None:
    """``pip install separ`` then ``separ demo`` on Windows: nothing in separ may need POSIX."""
    import separ

    source = Path(separ.__file__).parent
    found = [
        f"{path.relative_to(source)}: {call}"
        for path in sorted(source.rglob("*.py"))
        for call in POSIX_ONLY
        if re.search(rf"\b{re.escape(call)}\b", path.read_text(encoding="utf-8"))
    ]
    assert found == []
