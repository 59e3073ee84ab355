"""pyHanko and its certificate validator are asynchronous; Shagym calls them from ordinary (synchronous) code."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to its end and return its result. In a thread with an event loop already running (an ASGI
    server, or Playwright's synchronous API in the same test process), asyncio.run() refuses: the coroutine then runs
    on a loop of its own in a helper thread, and this thread waits for it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="shagym-blocking") as pool:
        return pool.submit(asyncio.run, coroutine).result()
