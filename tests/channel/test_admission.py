"""assistant/channel/admission.py: turns in the dialogue at once, those waiting in order, and past both, full."""

import asyncio

import pytest

from assistant.channel.admission import Admission


def test_past_those_at_once_and_those_waiting_it_is_full_and_frees_as_turns_end():
    async def scenario():
        admission = Admission(at_once=1, waiting=2)
        order, release = [], asyncio.Event()

        async def turn(name):
            async with admission.turn():
                order.append(name)
                await release.wait()

        tasks = [asyncio.create_task(turn(n)) for n in ("first", "second", "third")]
        await asyncio.sleep(0)
        assert (admission.inside, admission.full, order) == (3, True, ["first"])
        release.set()
        await asyncio.gather(*tasks)
        assert (admission.inside, admission.full, order) == (0, False, ["first", "second", "third"])

    asyncio.run(scenario())


def test_one_place_left_is_not_full():
    async def scenario():
        admission = Admission(at_once=1, waiting=1)
        async with admission.turn():
            assert not admission.full  # one may wait
        assert admission.inside == 0

    asyncio.run(scenario())


def test_a_turn_that_fails_gives_its_place_back():
    async def scenario():
        admission = Admission(at_once=1, waiting=0)
        with pytest.raises(RuntimeError):
            async with admission.turn():
                assert admission.full
                raise RuntimeError("the dialogue failed")
        assert not admission.full

    asyncio.run(scenario())


@pytest.mark.parametrize("at_once, waiting", [(0, 5), (4, -1)])
def test_a_bound_that_admits_nothing_is_refused(at_once, waiting):
    with pytest.raises(ValueError):
        Admission(at_once, waiting)
