"""Thin ipywidgets views over the store: no domain logic lives here.

Each stage has one module (``ui/context.py``, ``ui/voting.py`` …). Every view takes a
:class:`~separ.store.Store` and an :class:`~separ.actors.Actor`, re-checks rights and
values on the server side before writing, and has a ``refresh()`` method that re-reads
the store; the live layer calls it when :meth:`Store.revision` moves.
"""
