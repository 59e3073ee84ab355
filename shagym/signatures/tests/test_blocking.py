import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from shagym.signatures import blocking


async def _where() -> str:
    await asyncio.sleep(0)
    return threading.current_thread().name


def _in_a_fresh_thread(function):
    # The test worker's own thread may have a loop running already (Playwright's, from a browser test before).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="plain") as pool:
        return pool.submit(function).result()


def test_without_a_running_loop_the_coroutine_runs_here():
    assert _in_a_fresh_thread(lambda: blocking.run(_where())).startswith("plain")


def test_inside_a_running_loop_the_coroutine_runs_on_a_loop_of_its_own():
    # As under Playwright's synchronous API or an ASGI server: asyncio.run() would refuse here.
    async def caller() -> str:
        return blocking.run(_where())

    assert _in_a_fresh_thread(lambda: asyncio.run(caller())).startswith("shagym-blocking")
