"""Load-once helpers: heavy data is built on first use, once per process, under a lock."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """A value computed by ``factory`` on the first ``get()``; later calls return the same object.

    Concurrent first calls wait for one computation instead of each doing the work.
    """

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._value: T | None = None
        self._ready = False

    def get(self) -> T:
        """Return the value, computing it on the first call."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._value = self._factory()
                    self._ready = True
        return self._value  # type: ignore[return-value]

    @property
    def loaded(self) -> bool:
        """Whether the value has been computed already."""
        return self._ready
