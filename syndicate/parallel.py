"""The build's picture work (share images, slide files) spread over the machine's processors.

Scaling pictures and drawing slides is Python and C code that holds the
interpreter lock, so threads would not help; worker processes do. They are
forked, so they start with everything the build already loaded (settings,
fonts, the logo) instead of loading it again. Results come back in order, so
the output is the same as one process would write.

``SYNDICATE_JOBS=1`` keeps everything in one process (e.g. on a runner whose
memory is tight); by default every processor the build may use is used.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, starting workers costs more than it saves.
MIN_ITEMS = 8


def workers() -> int:
    """How many processes to use: ``SYNDICATE_JOBS``, else the processors this process may run on."""
    value = os.environ.get("SYNDICATE_JOBS", "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """``[func(item) for item in items]``, in worker processes when that is worth it.

    ``func`` must be a module-level function (it is sent to the workers by
    name). Workers are forked, so a module-level value set before calling is
    seen by them; where fork is not available everything runs here.
    """
    count = min(workers(), len(items))
    if count < 2 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        return [func(item) for item in items]
    chunk = max(1, len(items) // (count * 8))  # small chunks: articles differ in size
    with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(func, items, chunksize=chunk))
