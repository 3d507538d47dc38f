"""Put every script, style and font the pages need on this machine (offline rooms).

Solara fetches its front-end bundles from a CDN through its own server unless they
sit in its cache folder (``share/solara/cdn`` under the environment's prefix). The
``solara-assets`` package fills most of that folder; the npm packages Solara's page
template names and that package lacks (with ipyvuetify 3, solara 1.64 asks for
``@widgetti/solara-vuetify3-app@5.2.0``) are fetched here with ``npm pack``, once, at
install time: ``python -m separ.live.assets`` (the Makefile runs it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = re.compile(r"\{\{cdn\}\}/((?:@[\w.-]+/)?[\w.-]+@\d+\.\d+\.\d+[\w.-]*)/")


def cache_dir() -> Path:
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def wanted_packages() -> list[str]:
    """npm ``name@version`` the page template loads through the CDN proxy."""
    import solara.server

    template = Path(solara.server.__file__).parent / "templates" / "solara.html.j2"
    return sorted(set(PACKAGE.findall(template.read_text(encoding="utf-8"))))


def missing() -> list[str]:
    return [spec for spec in wanted_packages() if not (cache_dir() / spec).is_dir()]


def fetch(spec: str, into: Path) -> None:
    """``npm pack`` one package and unpack it as ``into/name@version/``."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, check=True,
                       capture_output=True)
        tgz = next(Path(tmp).glob("*.tgz"))
        target = into / spec
        staging = Path(tmp) / "unpacked"
        with tarfile.open(tgz) as archive:
            archive.extractall(staging, filter="data")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging / "package"), str(target))


def main() -> int:
    todo = missing()
    for spec in todo:
        print(f"separ: fetching {spec} for offline pages")
        fetch(spec, cache_dir())
    still = missing()
    if still:
        print(f"separ: still missing {', '.join(still)}", file=sys.stderr)
        return 1
    print(f"separ: page assets are local ({cache_dir()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
