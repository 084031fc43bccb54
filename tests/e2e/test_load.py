"""200 conversations at once, 5 turns each, over loopback: no errors, no cross-talk, memory flat.

Each conversation follows one of a few scripts (context follow-ups included), and every reply must be
the one the same script gets when it is the only conversation: a reply that belongs to another
conversation, or lost context, shows as a difference. The load runs twice; the resident memory of
each of the Rasa server's processes (its Sanic workers) must not grow from the end of the first run to
the end of the second.

Each client does what the widget does with a turn refused as busy (503 with Retry-After, when more
turns than one Sanic worker lets wait reach it: the kernel need not share a burst's connections
evenly between the workers): it waits as told and sends the turn again with its
message_id, as the resident's "Try again" does after the widget's one resend. Anything else that is
not 200 is an error.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Dict, List, Tuple

import aiohttp
import pytest

from scripts.run.supervisor import descendants

CONVERSATIONS = 200
SCRIPTS = [
    ["Hei!", "Mikä on ECHA?", "kuinka moni siellä työskentelee?", "Onko Tallinna kumppanikaupunki?", "kiitos"],
    ["Hej!", "Vad gör EU-byrån?", "sedan när finns den?", "Vad är Eurocities?", "tack"],
    ["Hello!", "What is the Helsinki Centre?", "What is ECHA?", "how many people work there?", "bye"],
    ["Mitkä ovat painopisteet?", "Mikä on Baltic Metropoles?", "entä UCUE?", "Onko Berliini kumppani?", "hei hei"],
    ["Vilka är samarbetsstäderna?", "och Berlin då?", "Vad är ECHA?", "hur många arbetar där?", "hej då"],
    [
        "Does the city help with EU funding?",
        "What are the focus areas?",
        "Is Stockholm a partner?",
        "what about Oslo?",
        "thanks",
    ],
]
TURNS = len(SCRIPTS[0])
REQUEST_TIMEOUT = 120  # seconds for one turn while 199 other conversations wait too
RUN_TIMEOUT = 600  # seconds for one run of the whole load
# A turn refused as busy is sent again after its Retry-After, as the widget does and then the resident
# with its "Try again", for at most this long.
BUSY_FOR = 60  # seconds
MEMORY_GROWTH_MB = 30  # a process's, between the end of the first run and the end of the second


def rss_mb(pid: int) -> Dict[int, float]:
    """The resident memory of the process and of each process under it (the Sanic workers)."""
    found = {}
    for process in [pid, *descendants(pid)]:
        for line in open(f"/proc/{process}/status"):
            if line.startswith("VmRSS:"):
                found[process] = int(line.split()[1]) / 1024
    return found


def texts(replies: List[Dict]) -> Tuple[str, ...]:
    return tuple(r.get("text", "") for r in replies)


async def converse(
    session: aiohttp.ClientSession, url: str, script: List[str], refused: List[str]
) -> List[Tuple[str, ...]]:
    sender = f"load-{uuid.uuid4().hex}"
    answers = []
    for question in script:
        turn = {"sender": sender, "message": question, "message_id": uuid.uuid4().hex}
        busy_until = time.monotonic() + BUSY_FOR
        while time.monotonic() < busy_until:
            async with session.post(url, json=turn) as response:
                if response.status == 503 and (await response.json()).get("error") == "busy":
                    refused.append(question)
                    await asyncio.sleep(float(response.headers["Retry-After"]))
                    continue
                assert response.status == 200, (question, response.status, await response.text())
                replies = await response.json()
                break
        else:
            raise AssertionError(f"{question!r} refused as busy for {BUSY_FOR} s")
        assert all(r["recipient_id"] == sender for r in replies), (sender, replies)
        answers.append(texts(replies))
    return answers


async def run_load(url: str, refused: List[str]) -> Tuple[List[List[Tuple[str, ...]]], List[BaseException]]:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=CONVERSATIONS)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        jobs = [converse(session, url, SCRIPTS[i % len(SCRIPTS)], refused) for i in range(CONVERSATIONS)]
        results = await asyncio.wait_for(asyncio.gather(*jobs, return_exceptions=True), RUN_TIMEOUT)
    return [r for r in results if not isinstance(r, BaseException)], [
        r for r in results if isinstance(r, BaseException)
    ]


@pytest.fixture(scope="module")
def expected(servers) -> Dict[int, List[Tuple[str, ...]]]:
    """Each script's replies when it is the only conversation."""
    url = servers.rasa_url + "/webhooks/rest/webhook"

    async def alone():
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            return [await converse(session, url, script, []) for script in SCRIPTS]

    return dict(enumerate(asyncio.run(alone())))


def test_200_conversations_at_once_without_errors_or_cross_talk(servers, expected):
    url = servers.rasa_url + "/webhooks/rest/webhook"
    memory_after = []
    for run in (1, 2):
        started, refused = time.monotonic(), []
        answers, errors = asyncio.run(run_load(url, refused))
        seconds = time.monotonic() - started
        memory_after.append(rss_mb(servers.rasa.pid))
        print(
            f"run {run}: {CONVERSATIONS} conversations x {TURNS} turns in {seconds:.1f} s "
            f"({CONVERSATIONS * TURNS / seconds:.1f} turns/s), {len(errors)} errors, "
            f"{len(refused)} turns refused as busy and sent again, "
            f"Rasa RSS {sum(memory_after[-1].values()):.0f} MB in {len(memory_after[-1])} processes"
        )
        assert not errors, f"{len(errors)} conversations failed, first: {errors[0]!r}"
        wrong = [
            (i, turn)
            for i, got in enumerate(answers)
            for turn in range(TURNS)
            if got[turn] != expected[i % len(SCRIPTS)][turn]
        ]
        if wrong:
            i, turn = wrong[0]
            pytest.fail(
                f"{len(wrong)} replies differ from the script's own; the first, conversation {i} turn {turn}:\n"
                f"got {answers[i][turn]}\nexpected {expected[i % len(SCRIPTS)][turn]}"
            )
    grown = {pid: after - memory_after[0][pid] for pid, after in memory_after[1].items() if pid in memory_after[0]}
    assert len(grown) >= 2 and all(mb < MEMORY_GROWTH_MB for mb in grown.values()), memory_after
