"""What one participant-server process shares between pages: the store and one poller.

Solara runs the app module once per connection, so anything shared must live in an
imported module like this one. One background thread polls ``store.revision()`` (a
one-row read) and, when it moved, calls every open page's ``on_change`` inside that
page's own virtual-kernel context -- one poller per process instead of one per page.
"""

from __future__ import annotations

import logging
import os
import threading
import weakref
from collections.abc import Callable
from typing import Any, Protocol

from separ.store import Store

log = logging.getLogger(__name__)

POLL_SECONDS = float(os.environ.get("SEPAR_POLL_SECONDS", "0.2"))
"""How often the poller reads the revision: 5 one-row reads a second per process."""


class Sweep:
    """What one round of notifications shares: values read once for every page."""

    def __init__(self) -> None:
        self._values: dict[str, Any] = {}

    def once(self, key: str, read: Callable[[], Any]) -> Any:
        if key not in self._values:
            self._values[key] = read()
        return self._values[key]


class Listener(Protocol):
    def on_change(self) -> None: ...


_local = threading.local()


class RevisionCache:
    """Values read at or after one store revision, shared by every page of the process.

    A burst of 150 phones joining between two changes reads the live state and the
    live poll once, not 150 times. A value is filed under the revision the poller had
    seen *before* it was read, so it is never older than that revision; when the
    poller sees a new revision, everything filed under an older one is dropped.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision = -1
        self._values: dict[str, Any] = {}

    def get(self, revision: int, key: str, read: Callable[[], Any]) -> Any:
        with self._lock:
            if revision == self._revision and key in self._values:
                return self._values[key]
        value = read()
        with self._lock:
            if revision > self._revision:
                self._revision, self._values = revision, {}
            if revision == self._revision:
                self._values[key] = value
        return value


_cache = RevisionCache()


def shared(key: str, read: Callable[[], Any]) -> Any:
    """``read()``, once per store revision for all pages of this process.

    With 300 phones open, a view that re-reads the same rows on every change would make
    each change cost 300 queries; read through here it costs one. Inside a sweep of the
    poller the value is read once per sweep; outside one (a page being built) once per
    revision the poller has seen, or plainly when no poller runs.
    """
    sweep: Sweep | None = getattr(_local, "sweep", None)
    if sweep is not None:
        return sweep.once(key, read)
    revision = _hub.revision if _hub is not None else -1
    return read() if revision < 0 else _cache.get(revision, key, read)


_store: Store | None = None
_store_lock = threading.RLock()


def store() -> Store:
    """The process's store: $SEPAR_WORKSHOP (a folder) and $SEPAR_DB (an optional URL)."""
    global _store
    with _store_lock:
        if _store is None:
            from separ.workspace import open_workshop

            location = os.environ.get("SEPAR_WORKSHOP")
            if not location:
                raise RuntimeError("SEPAR_WORKSHOP is not set")
            _store = open_workshop(location, os.environ.get("SEPAR_DB") or None)
        return _store


class Lane:
    """One thread running the latest job given to it; a job given while one runs
    replaces any older waiting one (a slow projector catches up to the newest state)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._cond = threading.Condition()
        self._pending: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None

    def submit(self, job: Callable[[], None]) -> None:
        with self._cond:
            self._pending = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._pending is None:
                    self._cond.wait()
                job, self._pending = self._pending, None
            job()


class Hub:
    """Fans one revision poll out to every open page of this process.

    The projector (``live_priority`` 0) is refreshed in a lane of its own, after the
    phones' pass: its views draw figures and import matplotlib on first use, and a phone
    must not wait for that when the facilitator switches activity.
    """

    def __init__(self, read_revision: Callable[[], int], interval: float = POLL_SECONDS) -> None:
        self._read = read_revision
        self._interval = interval
        self._listeners: dict[int, tuple[weakref.ref[Any], Any]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._projector_lane = Lane("separ-live-projector")
        self.revision = -1

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener.on_change()`` after every store change, in the caller's kernel.

        Returns the unsubscribe function; a page's kernel closing unsubscribes too
        (listeners are held weakly, so a forgotten page does not leak).
        """
        context = _current_context()
        key = id(listener)
        with self._lock:
            self._listeners[key] = (weakref.ref(listener), context)
            if self._thread is None:
                self._start()

        def unsubscribe() -> None:
            with self._lock:
                self._listeners.pop(key, None)

        if context is not None:
            context.on_close(unsubscribe)
        return unsubscribe

    def count(self) -> int:
        with self._lock:
            return len(self._listeners)

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="separ-live-poller", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                revision = self._read()
            except Exception:  # the store is restarting: try again on the next tick
                log.warning("store revision unreadable", exc_info=True)
                continue
            if revision != self.revision:
                self.revision = revision
                self.notify(lanes=True)

    def notify(self, *, lanes: bool = False) -> None:
        """Tell every live listener that the store changed (also used by tests).

        Listeners with a lower ``live_priority`` go first: the projector (0) is updated
        before the phones (1), so what the room watches never waits for 300 phones.
        With ``lanes`` (the poller) the phones go first and the projector then runs in
        its own thread: a phone's refresh after a ballot is a comparison, so the
        projector waits milliseconds, while an activity switch reaches the phones before
        the projector starts drawing its figures.
        """
        with self._lock:
            items = list(self._listeners.items())
        ordered = sorted(
            (
                (getattr(ref(), "live_priority", 1), key, ref, context)
                for key, (ref, context) in items
            ),
            key=lambda item: item[0],
        )
        if not lanes:
            self._call(ordered)
            return
        first = [item for item in ordered if item[0] == 0]
        self._call([item for item in ordered if item[0] != 0])
        if first:  # after the phones' pass (cheap when only a count moved), beside the next
            self._projector_lane.submit(lambda: self._call(first))

    def _call(self, ordered: list[tuple[int, int, weakref.ref[Any], Any]]) -> None:
        """``on_change`` of each listener in its kernel, with one Sweep of shared reads."""
        _local.sweep = Sweep()
        try:
            for _priority, key, ref, context in ordered:
                listener = ref()
                if listener is None:
                    with self._lock:
                        self._listeners.pop(key, None)
                    continue
                try:
                    if context is None:
                        listener.on_change()
                    else:
                        with context:
                            listener.on_change()
                except Exception:  # one broken page must not stop the others' updates
                    log.exception("a live page failed to refresh")
                finally:
                    del listener
        finally:
            _local.sweep = None


def _current_context() -> Any:
    """The Solara virtual kernel the caller runs in, or None outside Solara."""
    try:
        from solara.server import kernel_context
    except ImportError:
        return None
    return kernel_context.get_current_context() if kernel_context.has_current_context() else None


_hub: Hub | None = None


def hub() -> Hub:
    global _hub
    with _store_lock:
        if _hub is None:
            s = store() if _store is None else _store
            _hub = Hub(s.revision)
    return _hub
