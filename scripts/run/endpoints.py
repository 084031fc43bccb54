"""The endpoints file a Rasa server runs with: endpoints.yml, with the stores and the action server's
port taken from the environment. So the same files serve one server on the embedded SQLite store and
a cluster of servers sharing PostgreSQL and Redis: Rasa's SQLTrackerStore (through
assistant/storage/tracker_store.py, which reads and writes the same rows with less work), and a RedisLockStore
whose steps are atomic (assistant/storage/lock_store.py; Rasa's is not, rasa#9213).

  TRACKER_STORE_URL  postgresql://user:password@host:port/database, or sqlite:///relative/path.db
                     (default: endpoints.yml's SQLite file)
  LOCK_STORE_URL     redis://[:password@]host[:port][/db], rediss:// for TLS (default: Rasa's
                     in-memory lock store, right for one server only)
  ACTION_PORT        the action server's port (default: endpoints.yml's)

Usage: python scripts/run/endpoints.py > file.yml; a URL it can't use exits with status 2 and says why.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Dict, Mapping
from urllib.parse import unquote, urlsplit

import yaml

from assistant import ROOT

BASE = ROOT / "endpoints.yml"
TRACKER_DIALECTS = ("sqlite", "postgresql")
TRACKER_STORE = "assistant.storage.tracker_store.LeanSQLTrackerStore"
LOCK_STORE = "assistant.storage.lock_store.AtomicRedisLockStore"


class BadURL(ValueError):
    pass


def endpoints(env: Mapping[str, str], base: Dict[str, Any]) -> Dict[str, Any]:
    result = dict(base)
    if env.get("TRACKER_STORE_URL"):
        result["tracker_store"] = tracker_store(env["TRACKER_STORE_URL"])
    if env.get("LOCK_STORE_URL"):
        result["lock_store"] = lock_store(env["LOCK_STORE_URL"])
    if env.get("ACTION_PORT"):
        action = urlsplit(base["action_endpoint"]["url"])
        result["action_endpoint"] = {"url": action._replace(netloc=f"{action.hostname}:{env['ACTION_PORT']}").geturl()}
    return result


def tracker_store(url: str) -> Dict[str, Any]:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadURL("TRACKER_STORE_URL is not a database URL") from None  # not echoed: it may hold a password
    dialect = parsed.get_backend_name()
    if dialect not in TRACKER_DIALECTS or not parsed.database:
        raise BadURL("TRACKER_STORE_URL must be postgresql://user:password@host:port/database or sqlite:///path.db")
    store = {"type": TRACKER_STORE, "dialect": dialect, "db": parsed.database}
    if dialect != "sqlite":
        store.update(url=parsed.host or "localhost", port=parsed.port or 5432)  # Rasa calls the host "url"
        store.update({k: v for k, v in (("username", parsed.username), ("password", parsed.password)) if v})
    return store


def lock_store(url: str) -> Dict[str, Any]:
    parsed = urlsplit(url)
    if parsed.scheme not in ("redis", "rediss") or not parsed.hostname:
        raise BadURL("LOCK_STORE_URL must be redis://[:password@]host[:port][/db]")
    try:
        port, db = parsed.port or 6379, int(parsed.path.strip("/") or 0)
    except ValueError:
        raise BadURL("LOCK_STORE_URL has a port or database number that is not a number") from None
    store = {"type": LOCK_STORE, "url": parsed.hostname, "port": port, "db": db, "use_ssl": parsed.scheme == "rediss"}
    if parsed.password:
        store["password"] = unquote(parsed.password)
    return store


def main() -> int:
    try:
        config = endpoints(os.environ, yaml.safe_load(BASE.read_text(encoding="utf-8")))
    except BadURL as error:
        print(f"{sys.argv[0]}: {error}", file=sys.stderr)
        return 2
    yaml.safe_dump(config, sys.stdout, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
