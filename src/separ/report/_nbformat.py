"""nbformat, imported without the IRI grammar jsonschema would build on the way.

jsonschema adds "iri" format checks when ``rfc3987_syntax`` is installed (jupyter_events
pulls it in), and that package builds an Earley parser for each of its 38 grammar rules
when it is imported: 1.2 s of CPU in every ``separ report``, before anything is drawn.
Notebooks check no IRI formats. :mod:`separ.report` imports this module before any of its
own, so nbformat (and nbconvert after it) find jsonschema already imported. Only a process
that has not imported jsonschema yet is touched, and ``rfc3987_syntax`` can still be
imported afterwards by whoever needs it.
"""

from __future__ import annotations

import sys


def import_nbformat() -> None:
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # import -> ImportError
    try:
        import nbformat  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]


import_nbformat()
