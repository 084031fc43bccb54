"""`make run-cluster`: the assistant as several Rasa servers on shared stores, on this machine.

Every process listens on 127.0.0.1 only and runs until Ctrl-C or SIGTERM; one that exits on its own
is started again after a short back-off (scripts/run/supervisor.py):
- PostgreSQL, the tracker store, and Redis, the lock store, from Debian's packages, with their data
  in var/cluster/ (PostgreSQL's is kept between runs, so conversations survive a restart; as root, in
  a folder of its own under /var/lib/helsinki-assistant/, see `Cluster.shared`);
- one action server (5055) and two Rasa servers (5005, 5006), started by scripts/run/run-servers with
  TRACKER_STORE_URL and LOCK_STORE_URL pointing at the stores;
- the fact base editor (8001, editor/), in PostgreSQL;
- nginx on the front port (8080), from deploy/nginx.conf: the widget's page, the REST channel
  spread over the Rasa servers, and the editor under /editor/. The supervisor holds the port and nginx
  inherits it, so that a killed nginx costs residents a wait of about a second, not a refused connection.

The stores trust connections from loopback, without passwords: this is a cluster for one machine.
`make test-cluster` starts the same on free ports (tests/cluster/).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from assistant import ROOT
from assistant.channel.front import PAGE_POLICY
from scripts.run.supervisor import Service, Supervisor, free_port, redis_service, run_until_signalled, url_answers

RUN_SERVERS = ROOT / "scripts" / "run" / "run-servers"
PACKAGES = "postgresql redis-server nginx"
SHARED_ROOT = Path("/var/lib/helsinki-assistant")
FRONT_BACKLOG = 2048  # connections waiting on the front port: a burst of 1,000 at once, or nginx starting again


@dataclass
class Ports:
    front: int = 8080
    rasa: List[int] = field(default_factory=lambda: [5005, 5006])
    actions: int = 5055
    postgres: int = 5432
    redis: int = 6379
    editor: int = 8001

    @classmethod
    def free(cls, rasa_servers: int = 2) -> "Ports":
        """Ports that nothing listens on now, for a cluster beside another (the tests', the benchmark's)."""
        return cls(
            front=free_port(),
            rasa=[free_port() for _ in range(rasa_servers)],
            actions=free_port(),
            postgres=free_port(),
            redis=free_port(),
            editor=free_port(),
        )


class Cluster:
    def __init__(self, workdir: Path, ports: Ports, env: Optional[Dict[str, str]] = None):
        self.dir = workdir.resolve()
        self.ports = ports
        self.shared = self._shared_dir()
        self.front_url = f"http://127.0.0.1:{ports.front}"
        self.tracker_store_url = f"postgresql://rasa@127.0.0.1:{ports.postgres}/rasa"
        self.env = {
            **(env or os.environ),
            "TRACKER_STORE_URL": self.tracker_store_url,
            "LOCK_STORE_URL": f"redis://127.0.0.1:{ports.redis}/0",
            "ACTION_PORT": str(ports.actions),
            "EDITOR_PORT": str(ports.editor),
            "WEB_PORT": str(ports.front),  # the Rasa servers' CORS origin: the page comes from the front port
            "RUN_DIR": str(self.dir),
            # The facts the editor publishes, in PostgreSQL: every server serves the same version.
            "FACT_BASE": (env or os.environ).get("FACT_BASE") or "published",
        }
        self.supervisor = Supervisor(self.dir, env=self.env, cwd=ROOT)
        self.front_socket: Optional[socket.socket] = None

    # --- starting and stopping ---------------------------------------------------------------------

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            self.start_postgres()
            self.start_redis()
            self.supervisor.start(
                Service(
                    "actions",
                    [str(RUN_SERVERS), "actions"],
                    ready=url_answers(f"http://127.0.0.1:{self.ports.actions}/health"),
                )
            )
            # One after the other: the first creates the tracker store's tables.
            for index in range(len(self.ports.rasa)):
                self.start_rasa(index)
            # The editor, in PostgreSQL: what it publishes, every Rasa server serves.
            # Its preview asks the assistant through nginx, as residents do.
            self.supervisor.start(
                Service(
                    "editor",
                    [str(RUN_SERVERS), "editor"],
                    env={"ASSISTANT_URL": self.front_url},
                    ready=url_answers(f"http://127.0.0.1:{self.ports.editor}/editor/login/"),
                )
            )
            self.start_nginx()
            # What residents said is kept at most RETENTION_DAYS: a sweep now, then hourly.
            self.supervisor.start(Service("prune", [sys.executable, "-m", "scripts.run.prune", "--every", "3600"]))
        except BaseException:
            self.stop()
            raise

    def _shared_dir(self) -> Path:
        """Where the files go that servers running as other users must reach: PostgreSQL's data (it runs
        as Debian's postgres user) and the page nginx's workers serve (they run as nobody). Run by root,
        they can't enter a checkout in a folder only root can enter (root's home, `mktemp -d`), so they
        get a folder of their own, named for this cluster's folder; otherwise they all run as the same
        user, and it is this cluster's folder."""
        if os.geteuid() != 0:
            return self.dir
        return SHARED_ROOT / hashlib.sha256(str(self.dir).encode()).hexdigest()[:16]

    def remove(self) -> None:
        """Delete the cluster's files, its stored conversations included (the tests' clusters)."""
        for folder in {self.shared, self.dir}:
            shutil.rmtree(folder, ignore_errors=True)

    def start_postgres(self) -> None:
        data = self.shared / "postgres"
        pg_bin = _postgres_bin()
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            data.parent.chmod(0o755)
            self._own_by_postgres(data)
            self._run(
                [str(pg_bin / "initdb"), "-D", str(data), "-U", "rasa", "--auth=trust", "-E", "UTF8"], as_postgres=True
            )
        # SIGINT is PostgreSQL's fast shutdown.
        self.supervisor.start(
            Service(
                "postgres",
                _as_postgres(
                    [
                        str(pg_bin / "postgres"),
                        "-D",
                        str(data),
                        "-p",
                        str(self.ports.postgres),
                        "-c",
                        "listen_addresses=127.0.0.1",
                        "-c",
                        f"unix_socket_directories={data}",
                    ]
                ),
                ready=lambda: self._call(
                    [str(pg_bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.ports.postgres)]
                ),
                stop_signal=signal.SIGINT,
            )
        )
        exists = subprocess.run(
            [
                str(pg_bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports.postgres),
                "-U",
                "rasa",
                "-d",
                "postgres",
                "-tAc",
                "SELECT 1 FROM pg_database WHERE datname = 'rasa'",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            self._run(
                [str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.ports.postgres), "-U", "rasa", "rasa"]
            )

    def start_redis(self) -> None:
        data = self.dir / "redis"
        data.mkdir(exist_ok=True)
        # Locks live for a turn: nothing to keep on disk.
        self.supervisor.start(redis_service("redis", self.ports.redis, data))

    def start_rasa(self, index: int) -> None:
        port = self.ports.rasa[index]
        self.supervisor.start(
            Service(
                f"rasa-{port}",
                [str(RUN_SERVERS), "rasa"],
                env={"RASA_PORT": str(port)},
                ready=url_answers(f"http://127.0.0.1:{port}/"),
            )
        )

    def stop_rasa(self, index: int) -> None:
        self.supervisor.stop(f"rasa-{self.ports.rasa[index]}")

    def start_nginx(self) -> None:
        data = self.dir / "nginx"
        data.mkdir(exist_ok=True)
        # No server is marked down for its failures (max_fails=0): a busy one's 503 counts as one, and in
        # a burst both were soon marked down and every turn got 502. A stopped one refuses at once, on
        # loopback, and the turn goes to the other (deploy/nginx.conf).
        servers = "\n        ".join(f"server 127.0.0.1:{port} max_fails=0;" for port in self.ports.rasa)
        # The page as it is now, where nginx's workers can read it.
        web = self.shared / "web"
        shutil.rmtree(web, ignore_errors=True)
        shutil.copytree(ROOT / "web", web)
        for path in (self.shared, web, *web.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)
        config = (ROOT / "deploy" / "nginx.conf").read_text()
        messages = yaml.safe_load((ROOT / "assistant" / "messages.yml").read_text(encoding="utf-8"))
        words = {
            f"{key}_{lang}": json.dumps(text, ensure_ascii=False)
            for key in ("busy", "no_answer")
            for lang, text in messages[key].items()
        }
        values = {
            "dir": data,
            "servers": servers,
            "front_port": self.ports.front,
            "web": web,
            "editor_port": self.ports.editor,
            "page_policy": PAGE_POLICY,
            **words,
        }
        for key, value in values.items():
            config = config.replace("{" + key + "}", str(value))
        (data / "nginx.conf").write_text(config)
        # The front port is the supervisor's, and nginx inherits it (nginx reads the sockets it inherits
        # from NGINX): while a killed nginx starts again, residents' connections wait in its queue
        # instead of being refused.
        if self.front_socket is None:
            self.front_socket = socket.create_server(("127.0.0.1", self.ports.front), backlog=FRONT_BACKLOG)
        fd = self.front_socket.fileno()
        self.supervisor.start(
            Service(
                "nginx",
                ["nginx", "-p", str(data), "-c", str(data / "nginx.conf")],
                env={"NGINX": f"{fd};"},
                pass_fds=(fd,),
                leftover_signal=signal.SIGQUIT,
                ready=url_answers(self.front_url + "/"),
            )
        )

    def stop(self) -> None:
        self.supervisor.stop_all()
        if self.front_socket is not None:
            self.front_socket.close()
            self.front_socket = None

    # --- helpers -----------------------------------------------------------------------------------

    def _own_by_postgres(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")

    @staticmethod
    def _run(command: List[str], as_postgres: bool = False) -> None:
        subprocess.run(_as_postgres(command) if as_postgres else command, check=True, stdout=subprocess.DEVNULL)

    @staticmethod
    def _call(command: List[str]) -> bool:
        return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def _as_postgres(command: List[str]) -> List[str]:
    """PostgreSQL refuses to run as root: as root, run it as Debian's postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    if not versions:
        raise RuntimeError(f"PostgreSQL is not installed: apt-get install {PACKAGES}")
    return versions[-1].parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "cluster", help="its logs and files")
    defaults = Ports()
    parser.add_argument("--front", type=int, default=defaults.front, help="nginx's port, the page and the REST channel")
    parser.add_argument("--rasa", type=int, nargs="+", default=defaults.rasa, help="the Rasa servers' ports")
    for store in ("actions", "postgres", "redis", "editor"):
        parser.add_argument(f"--{store}", type=int, default=getattr(defaults, store), help=f"the {store} port")
    args = parser.parse_args()
    missing = [tool for tool in ("redis-server", "nginx") if not shutil.which(tool)]
    if missing:
        print(f"{', '.join(missing)} not installed: apt-get install {PACKAGES}", file=sys.stderr)
        return 1
    cluster = Cluster(args.dir, Ports(args.front, args.rasa, args.actions, args.postgres, args.redis, args.editor))

    def start() -> None:
        cluster.start()
        print(
            f"The assistant: {cluster.front_url}/ (REST: {cluster.front_url}/webhooks/rest/webhook). "
            f"Ctrl-C stops it. Logs: {cluster.dir}/",
            flush=True,
        )

    return run_until_signalled(cluster.supervisor, start)


if __name__ == "__main__":
    sys.exit(main())
