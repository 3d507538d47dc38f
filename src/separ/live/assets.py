"""Put every script, style and font the pages need on this machine (offline rooms).

Solara fetches its front-end bundles from a CDN through its own server unless they
sit in its cache folder (``share/solara/cdn`` under the environment's prefix, or
``$SOLARA_ASSETS_PROXY_CACHE_DIR``). The ``solara-assets`` package fills most of that
folder; the npm packages Solara's page template names and that package lacks (with
ipyvuetify 3, solara 1.64 asks for ``@widgetti/solara-vuetify3-app@5.2.0``) are fetched
here from the npm registry's tarballs over HTTPS (urllib; no npm needed), checked
against the registry's sha512 and unpacked as ``name@version/``.

``separ serve`` calls :func:`ensure_local` at every start, so a plain ``pip install`` or
conda install gets them the first time it is online; when it cannot, the facilitator is
told in one line that phones will need internet, and which command fixes it.
``python -m separ.live.assets`` (the Makefile) and ``separ doctor --fetch`` do the same.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from separ.i18n import add_messages, default_lang, text

add_messages(
    {
        "assets_fetching": {
            "ko": "separ: 오프라인용 화면 파일을 받는 중: {spec}",
            "en": "separ: fetching {spec} for offline pages",
        },
        "assets_missing": {
            "ko": "separ: 참여자 화면 파일({specs})이 이 컴퓨터에 없어 휴대폰에 인터넷이 필요합니다. "
            "인터넷에 연결한 뒤 한 번 실행하세요: separ doctor --fetch",
            "en": "separ: page files ({specs}) are not on this machine, so phones will need "
            "internet; once online, run: separ doctor --fetch",
        },
    }
)

PACKAGE = re.compile(r"\{\{cdn\}\}/((?:@[\w.-]+/)?[\w.-]+@\d+\.\d+\.\d+[\w.-]*)/")
REGISTRY = "https://registry.npmjs.org"
TIMEOUT_S = 30


class FetchError(Exception):
    """A bundle could not be fetched or did not match the registry's checksum."""


def cache_dir() -> Path:
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def wanted_packages() -> list[str]:
    """npm ``name@version`` the page template loads through the CDN proxy."""
    import solara.server

    template = Path(solara.server.__file__).parent / "templates" / "solara.html.j2"
    return sorted(set(PACKAGE.findall(template.read_text(encoding="utf-8"))))


def missing(cache: Path | None = None) -> list[str]:
    folder = cache or cache_dir()
    return [spec for spec in wanted_packages() if not (folder / spec).is_dir()]


def registry() -> str:
    """The npm registry ($SEPAR_NPM_REGISTRY for a mirror inside an institution)."""
    return os.environ.get("SEPAR_NPM_REGISTRY", REGISTRY).rstrip("/")


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as reply:
        return bytes(reply.read())


def fetch(spec: str, into: Path) -> None:
    """Download one package's tarball, check its sha512 and unpack it as ``into/spec/``."""
    name, _, version = spec.rpartition("@")
    try:
        meta = json.loads(_get(f"{registry()}/{urllib.parse.quote(name, safe='@')}/{version}"))
        dist = meta["dist"]
        data = _get(dist["tarball"])
    except (OSError, ValueError, KeyError) as exc:
        raise FetchError(f"{spec}: {exc}") from exc
    algorithm, _, digest = str(dist.get("integrity", "")).partition("-")
    if algorithm != "sha512" or base64.b64decode(digest) != hashlib.sha512(data).digest():
        raise FetchError(f"{spec}: the tarball does not match the registry's sha512")
    into.mkdir(parents=True, exist_ok=True)
    target = into / spec
    target.parent.mkdir(parents=True, exist_ok=True)
    # unpack beside the target and rename: a half-written bundle never looks present
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".separ-") as tmp:
        tgz = Path(tmp) / "package.tgz"
        tgz.write_bytes(data)
        with tarfile.open(tgz) as archive:
            archive.extractall(Path(tmp) / "unpacked", filter="data")
        # npm tarballs hold one top folder, "package/" by convention
        (top,) = list((Path(tmp) / "unpacked").iterdir())
        shutil.move(str(top), str(target))


def ensure_local(*, quiet: bool = False) -> list[str]:
    """Fetch every missing bundle once; return those still missing (and say so, once).

    Never raises: the room can still run with internet, so a failure is one clear line
    on stderr naming the fix, not a refusal to start.
    """
    cache = cache_dir()
    todo = missing(cache)
    lang = default_lang()
    for spec in todo:
        if not quiet:
            print(text("assets_fetching", lang, spec=spec), flush=True)
        try:
            fetch(spec, cache)
        except (FetchError, OSError, tarfile.TarError):
            break  # offline or unwritable: the rest would fail the same way
    still = missing(cache)
    if still:
        print(text("assets_missing", lang, specs=", ".join(still)), file=sys.stderr, flush=True)
    return still


def main() -> int:
    still = ensure_local()
    if not still:
        print(f"separ: page assets are local ({cache_dir()})")
    return 1 if still else 0


if __name__ == "__main__":
    sys.exit(main())
