"""The import contract, read from the source's syntax trees (no module is imported).

separ's layers (docs/architecture.md): the top-level modules are the domain -- plain
typed Python over the store -- and ``figures/`` (matplotlib), ``report/`` (nbconvert),
``ui/`` (ipywidgets), ``live/`` (Solara/Voila) and ``cli/`` (typer) sit around it. A
layer may use the ones listed for it in :data:`MAY_IMPORT`, never the other way round,
and only the layer made for a framework imports it; SQL stays in the store (``store.py``,
``schema.py``). Imports inside functions count too,
and so do dotted module names in strings (``importlib.import_module("separ.ui.x")``,
``"separ.live.pages:view"``): a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "separ"
LAYERS = ("figures", "report", "ui", "live", "cli")

MAY_IMPORT: dict[str, set[str]] = {
    "domain": {"domain"},
    "figures": {"domain", "figures"},
    "report": {"domain", "figures", "report"},
    "ui": {"domain", "figures", "report", "ui", "live"},
    "live": {"domain", "figures", "report", "ui", "live"},
    "cli": {"domain", "figures", "report", "live", "cli"},
}
"""Which of separ's layers each layer may import (the domain is the top-level modules)."""

FRAMEWORKS = {"ipywidgets", "solara", "voila", "nbconvert", "matplotlib", "typer", "IPython"}
MAY_USE: dict[str, set[str]] = {
    "domain": set(),
    "figures": {"matplotlib"},
    "report": {"matplotlib", "nbconvert"},
    "ui": {"ipywidgets", "matplotlib", "IPython"},
    "live": {"ipywidgets", "solara", "voila", "IPython"},
    "cli": {"typer"},
}
"""Which UI/CLI frameworks each layer may import."""

STORE = {"store.py", "schema.py"}
"""The only modules that speak SQL: every other module goes through the store facade."""

MODULE_NAME = re.compile(r"^separ\.(\w+)(\.\w+)*(:\w+)?$")


@dataclass(frozen=True)
class Use:
    """One dependency of a source file: an import, or a module named in a string."""

    module: str
    line: int
    how: str


def layer_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0] if len(parts) > 1 else "domain"


def layer_named(module: str) -> str | None:
    """The separ layer of a dotted module name (None: not separ's)."""
    parts = module.split(".")
    if parts[0] != "separ":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "domain"


def uses(source: str) -> list[Use]:
    """Every module ``source`` imports or names in a string constant."""
    found: list[Use] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [Use(alias.name, node.lineno, "import") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(Use(node.module, node.lineno, "import"))
            if node.module == "separ":  # from separ import ui
                found += [Use(f"separ.{a.name}", node.lineno, "import") for a in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = MODULE_NAME.match(node.value.strip())
            if match:
                found.append(Use(node.value.strip().partition(":")[0], node.lineno, "string"))
    return found


def sql_uses(source: str) -> list[Use]:
    """SQL outside the store facade: sqlalchemy imports and a transaction's raw connection
    (``tx.conn``) or a store's engine (``store.engine``)."""
    found = [u for u in uses(source) if u.how == "import" and u.module.startswith("sqlalchemy")]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("conn", "engine"):
            found.append(Use(f".{node.attr}", node.lineno, "attribute"))
    return found


def violations(path: Path, source: str) -> list[str]:
    layer = layer_of(path)
    where = path.relative_to(SRC)
    out = []
    for use in uses(source):
        named = layer_named(use.module)
        root = use.module.split(".")[0]
        if named is not None and named not in MAY_IMPORT[layer]:
            out.append(f"{where}:{use.line}: {layer} {use.how}s {use.module}")
        if root in FRAMEWORKS and root not in MAY_USE[layer]:
            out.append(f"{where}:{use.line}: {layer} imports {use.module}")
    if layer == "ui" or (layer == "domain" and path.name not in STORE):
        out += [f"{where}:{u.line}: {layer} runs SQL ({u.module})" for u in sql_uses(source)]
    return out


def sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_the_tree_has_every_layer() -> None:
    layers = {layer_of(p) for p in sources()}
    assert layers == {"domain", *LAYERS}
    assert len([p for p in sources() if layer_of(p) == "domain"]) > 25


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_import_contract(path: Path) -> None:
    assert violations(path, path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("where", "source", "expected"),
    [
        (
            "tokens.py",
            "def f():\n    from separ.live.activities import get\n",
            ["tokens.py:2: domain imports separ.live.activities"],
        ),
        (
            "polls.py",
            "import matplotlib.pyplot as plt\n",
            ["polls.py:1: domain imports matplotlib.pyplot"],
        ),
        (
            "stages.py",
            "X = 'separ.ui.voting:participant_view'\n",
            ["stages.py:1: domain strings separ.ui.voting"],
        ),
        ("schema.py", "from separ import ui\n", ["schema.py:1: domain imports separ.ui"]),
        (
            "ui/voting.py",
            "def f(tx):\n    return tx.conn.execute('x')\n",
            ["ui/voting.py:2: ui runs SQL (.conn)"],
        ),
        ("ui/voting.py", "import sqlalchemy as sa\n", ["ui/voting.py:1: ui runs SQL (sqlalchemy)"]),
        (
            "polls.py",
            "def f(tx):\n    tx.conn.execute(1)\n",
            ["polls.py:2: domain runs SQL (.conn)"],
        ),
        ("store.py", "import sqlalchemy as sa\n", []),
        (
            "figures/voting.py",
            "import typer\nfrom separ.ui import base\n",
            [
                "figures/voting.py:2: figures imports separ.ui",
                "figures/voting.py:1: figures imports typer",
            ],
        ),
        (
            "polls.py",
            '"""Shown by :mod:`separ.ui.voting` on the phone."""\nimport separ.tally\n',
            [],
        ),
    ],
)
def test_the_contract_catches_what_it_forbids(where: str, source: str, expected: list[str]) -> None:
    assert sorted(violations(SRC / where, source)) == sorted(expected)
