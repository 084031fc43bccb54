"""How many turns a Sanic worker of the Rasa server takes into the dialogue at once, and how many it
lets wait for that: past both, a turn is refused at once, before anything of it reaches its
conversation, so that a burst of residents (after news about Russia or Ukraine, say) hears "busy, try
again in a moment" (503 with Retry-After, assistant/channel/rest_channel.py) instead of a reset connection or
a wait longer than the widget's. A refused turn is not stored, so it can be sent again as it was.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator


class Admission:
    def __init__(self, at_once: int, waiting: int) -> None:
        if at_once < 1 or waiting < 0:
            raise ValueError(f"at_once must be 1 or more and waiting 0 or more, not {at_once} and {waiting}")
        self.at_once, self.waiting = at_once, waiting
        self.inside = 0  # turns in the dialogue or waiting for it
        self._turns = asyncio.Semaphore(at_once)

    @property
    def full(self) -> bool:
        return self.inside >= self.at_once + self.waiting

    @asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """One turn's place: in the dialogue, after those before it (check `full` first)."""
        self.inside += 1
        try:
            async with self._turns:
                yield
        finally:
            self.inside -= 1
