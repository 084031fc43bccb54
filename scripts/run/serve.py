"""`make run`: Redis for the lock store (6380), the action server (5055), the Rasa server with its
REST channel (5005) and two Sanic workers, the fact base editor (8001, editor/), the web page with
the chat widget, and the REST channel and the editor on its origin (http://localhost:8000/ and
http://localhost:8000/editor/, assistant/channel/front.py)
and the retention sweep (at start, then hourly), each started by `scripts/run/run-servers <name>` (Redis
by itself) and kept running by scripts/run/supervisor.py: a server that
exits on its own is started again after a short back-off, with a line on standard error. Ctrl-C or
SIGTERM stops them all. Their logs go to the terminal, as the supervisor's own output.

Environment: what scripts/run/run-servers reads (ACTION_PORT, RASA_PORT, WEB_PORT, EDITOR_PORT, TRACKER_STORE_URL,
LOCK_STORE_URL, RASA_API_TOKEN, LOG_LEVEL, RUN_DIR); REDIS_PORT (default 6380), where its own Redis
listens unless LOCK_STORE_URL names another; SANIC_WORKERS (default 2), the Rasa server's worker
processes; RETENTION_DAYS, how long conversations are kept (default 30; assistant/storage/retention.py).
"""

from __future__ import annotations

import os
import sys

from assistant import ROOT
from scripts.run.supervisor import Service, Supervisor, redis_service, run_until_signalled, url_answers

RUN_SERVERS = str(ROOT / "scripts" / "run" / "run-servers")


def services(env) -> list:
    """What make run starts, in order, with the ports and settings of this environment."""
    actions, rasa, web, editor = (
        env.get(k, d)
        for k, d in (("ACTION_PORT", "5055"), ("RASA_PORT", "5005"), ("WEB_PORT", "8000"), ("EDITOR_PORT", "8001"))
    )
    own_redis = not env.get("LOCK_STORE_URL")
    redis_port = int(env.get("REDIS_PORT", "6380"))
    # Several Sanic workers share the turns of one Rasa server; a conversation's turns stay in order
    # through the lock store, which all of them must see: Redis (assistant/storage/lock_store.py).
    rasa_env = {
        "LOCK_STORE_URL": env.get("LOCK_STORE_URL") or f"redis://127.0.0.1:{redis_port}/0",
        "SANIC_WORKERS": env.get("SANIC_WORKERS", "2"),
    }
    return [
        *([redis_service("redis", redis_port, ROOT / env.get("RUN_DIR", "var"))] if own_redis else []),
        Service("actions", [RUN_SERVERS, "actions"], ready=url_answers(f"http://127.0.0.1:{actions}/health")),
        Service("rasa", [RUN_SERVERS, "rasa"], env=rasa_env, ready=url_answers(f"http://127.0.0.1:{rasa}/")),
        Service("editor", [RUN_SERVERS, "editor"], ready=url_answers(f"http://127.0.0.1:{editor}/editor/login/")),
        Service("web", [RUN_SERVERS, "web"], ready=url_answers(f"http://127.0.0.1:{web}/")),
        # What residents said is kept at most RETENTION_DAYS: a sweep now, then hourly.
        Service("prune", [sys.executable, "-m", "scripts.run.prune", "--every", "3600"]),
    ]


def main() -> int:
    (ROOT / os.environ.get("RUN_DIR", "var")).mkdir(parents=True, exist_ok=True)  # Redis starts in it
    # The facts the editor publishes (assistant/knowledge/factbase.py), unless a file is named.
    env = {**os.environ, "FACT_BASE": os.environ.get("FACT_BASE") or "published"}
    supervisor = Supervisor(None, env=env, cwd=ROOT)

    def start() -> None:
        for service in services(env):
            supervisor.start(service)
        print(
            f"The assistant: http://localhost:{os.environ.get('WEB_PORT', '8000')}/. Ctrl-C stops it.",
            file=sys.stderr,
            flush=True,
        )

    return run_until_signalled(supervisor, start)


if __name__ == "__main__":
    sys.exit(main())
