"""A Redis lock store whose every step is atomic, for several Rasa servers on one conversation.

Rasa 3.6's RedisLockStore keeps each conversation's ticket lock as one JSON value that it reads,
changes and writes back. Two servers issuing a ticket in the same instant can both read the same lock
and get the same ticket, or one can overwrite the other's (rasa#9213): then two messages run at once,
or one waits on a ticket that no longer exists. Rasa's fix (an INCR ticket, rasa#11256) was reverted.

Here a conversation's lock is two Redis keys: a counter, whose INCR issues the ticket, and a sorted
set of the tickets waiting or served, scored by when each expires. Issuing, asking whose turn it is
and giving a ticket back are each one command or one Lua script, which Redis runs alone. The order is
Rasa's: the lowest ticket not expired is served; a ticket expires after the lock's lifetime (Rasa's
TICKET_LOCK_LIFETIME, 60 s), so a server that died holding it holds up the conversation no longer.
A waiting message asks every 20 ms, not every second as Rasa's does.

endpoints: lock_store: {type: assistant.storage.lock_store.AtomicRedisLockStore, url: host, port, db, password,
use_ssl} (scripts/run/endpoints.py writes it from LOCK_STORE_URL). Being a RedisLockStore, it also lets a
Rasa server run several Sanic workers.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional, Text

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.02  # how often a waiting message asks whether its turn has come (Rasa's: 1 s)

# Redis's own clock, one for every server: with one lifetime, a later ticket never expires earlier,
# so the lowest score is the lowest ticket.
_NOW = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
"""

# KEYS[1] the tickets (sorted set, score: when it expires), KEYS[2] the counter; ARGV[1] the lifetime.
_ISSUE = (
    _NOW
    + """
local ticket = redis.call('INCR', KEYS[2])
local keep = math.ceil(tonumber(ARGV[1])) + 60
redis.call('EXPIRE', KEYS[2], keep)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ticket)
redis.call('EXPIRE', KEYS[1], keep)
return ticket
"""
)

# KEYS[1] the tickets, KEYS[2] the counter; ARGV[1] a ticket served or given up. With the last ticket
# the lock goes, the counter too.
_GIVE_BACK = """
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2])
end
"""

# KEYS[1] the tickets. The ticket now served, or nil when none is waiting.
_SERVING = (
    _NOW
    + """
return redis.call('ZRANGE', KEYS[1], 0, 0)[1]
"""
)


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Any = None, **kwargs: Any) -> None:
        """From an endpoints file (Rasa passes the EndpointConfig: url is the host) or from keywords,
        as RedisLockStore takes them."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._issue = self.red.register_script(_ISSUE)
        self._serving = self.red.register_script(_SERVING)
        self._give_back = self.red.register_script(_GIVE_BACK)

    def _keys(self, conversation_id: Text) -> list:
        tickets = self.key_prefix + conversation_id
        return [tickets, tickets + ":counter"]

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return int(self._issue(keys=self._keys(conversation_id), args=[lock_lifetime]))
        except Exception as error:  # as Rasa's: the message then gets no turn, and the channel says so
            raise LockError(f"Error while issuing a ticket: {error}") from error

    def now_serving(self, conversation_id: Text) -> Optional[int]:
        try:
            served = self._serving(keys=self._keys(conversation_id)[:1])
        except RedisError as error:  # Redis gone while the message waited: it gets no turn, as above
            raise LockError(f"Error while asking whose turn it is: {error}") from error
        return int(served) if served is not None else None

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        try:
            self._give_back(keys=self._keys(conversation_id), args=[ticket_number])
        except RedisError:  # the turn is done and stored; its ticket expires by itself
            logger.warning("a ticket could not be given back (Redis): it expires after the lock's lifetime")

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        self.finish_serving(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(
        self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = POLL_SECONDS
    ) -> AsyncGenerator[TicketLock, None]:
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            while True:
                served = self.now_serving(conversation_id)
                if served == ticket:
                    break
                if served is None or served > ticket:  # this ticket expired before its turn came
                    raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
                await asyncio.sleep(wait_time_in_seconds)
            yield self.get_lock(conversation_id)
        finally:
            self.cleanup(conversation_id, ticket)

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The lock as Rasa's TicketLock, to look at: the tickets not expired, lowest first."""
        tickets = self.red.zrangebyscore(self._keys(conversation_id)[0], time.time(), "+inf", withscores=True)
        if not tickets:
            return None
        ordered = sorted((int(number), expires) for number, expires in tickets)
        return TicketLock(conversation_id, deque(Ticket(number, expires) for number, expires in ordered))

    def is_someone_waiting(self, conversation_id: Text) -> bool:
        return self.get_lock(conversation_id) is not None

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("tickets are issued and given back one at a time, atomically")

    def delete_lock(self, conversation_id: Text) -> None:
        self.red.delete(*self._keys(conversation_id))
