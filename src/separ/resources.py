"""Where separ's own files are: the workbooks, the facilitator guides, the sample workshops.

They live at the repository's top level (``workbooks/``, ``facilitator_guides/``,
``sample_data/``) because that is where people read and edit them, and the wheel carries
them as package data under ``separ/_data/`` (hatch ``force-include``). Every lookup goes
through :func:`data_dir`, so ``pip install separ`` (no checkout), an editable install and
a source checkout on ``PYTHONPATH`` all find the same files; an environment variable
(``SEPAR_WORKBOOKS``, ``SEPAR_GUIDES``) still points at a folder of one's own.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Literal

from separ.errors import SeparError
from separ.i18n import add_messages

add_messages(
    {
        "resource_missing": {
            "ko": "separ 설치에 {what} 폴더가 없습니다 ({path}). separ를 다시 설치하세요 "
            "(pip install --force-reinstall separ).",
            "en": "this separ install lacks its {what} folder ({path}); reinstall separ "
            "(pip install --force-reinstall separ).",
        },
    }
)

Resource = Literal["workbooks", "facilitator_guides", "sample_data"]

OVERRIDES: dict[Resource, str] = {
    "workbooks": "SEPAR_WORKBOOKS",
    "facilitator_guides": "SEPAR_GUIDES",
}
"""Environment variables that point a resource at another folder (a custom workbook set)."""

CHECKOUT = Path(__file__).resolve().parents[2]
"""The repository root when separ runs from a checkout (``src/separ/`` -> two up)."""


def packaged(name: Resource) -> Path:
    """The copy inside the installed package (``separ/_data/<name>``), whether or not it exists."""
    root = resources.files("separ")
    # an installed wheel is a folder on disk; a zipped install has no path to hand to Voila
    return Path(str(root)) / "_data" / name


def data_dir(name: Resource) -> Path:
    """The folder holding ``name``: its environment variable, the package data, or the checkout.

    The package copy wins over the checkout: an installed wheel must not pick up the
    files of whatever checkout happens to sit two folders above it.
    """
    variable = OVERRIDES.get(name)
    configured = os.environ.get(variable) if variable else None
    if configured:
        return Path(configured)
    for candidate in (packaged(name), CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    raise SeparError("resource_missing", what=name, path=str(packaged(name)))


def sample_workshop(city: str = "seosan") -> Path:
    """A sample workshop's JSON document (``sample_data/<city>/workshop.json``)."""
    path = data_dir("sample_data") / city / "workshop.json"
    if not path.is_file():
        raise SeparError("resource_missing", what=f"sample_data/{city}", path=str(path))
    return path


def package_root() -> Path:
    """The folder to put on a child process's ``PYTHONPATH`` so it imports this very separ."""
    return Path(__file__).resolve().parents[1]
