"""Offline page bundles: fetched from the npm registry's tarballs, checked, or one clear line.

A fake npm registry (a local HTTP server speaking the registry's two requests: version
metadata, then the tarball) stands in for registry.npmjs.org, so the tests run offline
and know exactly which bytes should land where.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from separ.live import assets
from separ.workspace import import_file
from tests.conftest import SAMPLES


def tarball(spec: str) -> bytes:
    """An npm-style tarball: one ``package/`` folder holding an index.js naming the spec."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, body in (
            ("package/index.js", f"// {spec}\n"),
            ("package/package.json", json.dumps({"name": spec})),
        ):
            data = body.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


class Registry:
    """Serves metadata and tarballs for every spec of Solara's page template."""

    def __init__(self, *, corrupt: bool = False) -> None:
        self.tarballs = {spec: tarball(spec) for spec in assets.wanted_packages()}
        self.corrupt = corrupt
        self.requests: list[str] = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = unquote(self.path)
                registry.requests.append(path)
                body = registry.answer(path)
                self.send_response(200 if body is not None else 404)
                self.end_headers()
                self.wfile.write(body or b"not found")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str) -> bytes | None:
        if path.startswith("/tarballs/"):
            return self.tarballs.get(path.removeprefix("/tarballs/"))
        name, _, version = path.lstrip("/").rpartition("/")
        spec = f"{name}@{version}"
        if spec not in self.tarballs:
            return None
        data = self.tarballs[spec] + (b"x" if self.corrupt else b"")
        integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
        return json.dumps(
            {
                "name": name,
                "version": version,
                "dist": {"tarball": f"{self.url}/tarballs/{spec}", "integrity": integrity},
            }
        ).encode()


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[Registry]:
    fake = Registry()
    monkeypatch.setenv("SEPAR_NPM_REGISTRY", fake.url)
    yield fake
    fake.server.shutdown()


def test_the_template_asks_for_scoped_and_plain_packages() -> None:
    wanted = assets.wanted_packages()
    assert "requirejs@2.3.6" in wanted
    assert any(spec.startswith("@widgetti/solara-vuetify") for spec in wanted)


def test_fetch_unpacks_each_bundle_as_name_at_version(registry: Registry, tmp_path: Path) -> None:
    spec = next(s for s in assets.wanted_packages() if s.startswith("@"))
    assets.fetch(spec, tmp_path)
    assert (tmp_path / spec / "index.js").read_text() == f"// {spec}\n"
    assert sorted(p.name for p in (tmp_path / spec).iterdir()) == ["index.js", "package.json"]
    name, _, version = spec.rpartition("@")
    assert registry.requests == [f"/{name}/{version}", f"/tarballs/{spec}"]
    assert assets.missing(tmp_path) == [s for s in assets.wanted_packages() if s != spec]
    assert not [p for p in (tmp_path / spec).parent.iterdir() if p.name.startswith(".separ-")]


def test_a_tarball_that_fails_its_checksum_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = Registry(corrupt=True)
    monkeypatch.setenv("SEPAR_NPM_REGISTRY", fake.url)
    with pytest.raises(assets.FetchError, match="sha512"):
        assets.fetch("requirejs@2.3.6", tmp_path)
    assert list(tmp_path.iterdir()) == []
    fake.server.shutdown()


def test_offline_says_phones_need_internet_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(assets, "cache_dir", lambda: tmp_path)
    monkeypatch.setenv("SEPAR_NPM_REGISTRY", "http://127.0.0.1:9")  # discard port: refused
    monkeypatch.setenv("SEPAR_LANG", "ko")
    assert assets.ensure_local(quiet=True) == assets.wanted_packages()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "휴대폰에 인터넷이 필요합니다" in err[0] and "separ doctor --fetch" in err[0]
    assert "requirejs@2.3.6" in err[0]


@pytest.mark.slow
@pytest.mark.parametrize("online", [True, False], ids=["fetches", "offline-line"])
def test_serve_with_a_missing_bundle_fetches_it_or_says_so(online: bool, tmp_path: Path) -> None:
    """``separ serve`` on an empty Solara cache: bundles fetched before the links are shown
    (and then served by the participant server), or the one line, never silence."""
    from tests.e2e.conftest import start_serve, stop_serve

    fake = Registry()
    cache = tmp_path / "cdn"
    folder = tmp_path / "seosan"
    import_file(folder, SAMPLES["seosan"]).close()
    served = start_serve(
        folder,
        ["--workers", "1"],
        env={
            "SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache),
            "SEPAR_LANG": "en",
            "SEPAR_NPM_REGISTRY": fake.url if online else "http://127.0.0.1:9",
        },
    )
    try:
        output = "".join(served.output)
        first_link = output.index("participant: ")
        if online:
            for spec in assets.wanted_packages():
                assert output.index(f"separ: fetching {spec} for offline pages") < first_link
                assert (cache / spec / "index.js").is_file()
            assert "phones will need internet" not in output
            spec = "requirejs@2.3.6"
            with urllib.request.urlopen(
                f"{served.participant}_solara/cdn/{spec}/index.js", timeout=10
            ) as reply:
                assert reply.read().decode() == f"// {spec}\n"
            # Voila's tree page (the facilitator's list of workbooks) loads nothing from outside
            tree = served.facilitator.replace("/voila/render/00_live.ipynb", "/voila/tree")
            with urllib.request.urlopen(tree, timeout=60) as reply:
                page = reply.read().decode()
            assert "separ 진행자 페이지" in page
            assert "https://" not in page and "http://" not in page and "//cdn" not in page
        else:
            line = next(ln for ln in served.output if "phones will need internet" in ln)
            assert output.index(line) < first_link
            assert "separ doctor --fetch" in line
            assert not cache.exists() or not any(cache.rglob("index.js"))
    finally:
        assert stop_serve(served) == []
        fake.server.shutdown()
