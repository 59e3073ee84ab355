import asyncio
import threading

from shagym.signatures import blocking


async def _where() -> str:
    await asyncio.sleep(0)
    return threading.current_thread().name


def test_without_a_running_loop_the_coroutine_runs_here():
    assert blocking.run(_where()) == threading.current_thread().name


def test_inside_a_running_loop_the_coroutine_runs_on_a_loop_of_its_own():
    # As under Playwright's synchronous API or an ASGI server: asyncio.run() would refuse here.
    async def caller() -> str:
        return blocking.run(_where())

    assert asyncio.run(caller()).startswith("shagym-blocking")
