"""`make run-cluster`: the assistant as several Rasa servers on shared stores, on this machine.

Every process listens on 127.0.0.1 only and runs in the foreground until Ctrl-C or SIGTERM (or until
one of them stops):
- PostgreSQL, the tracker store, and Redis, the lock store, from Debian's packages, with their data
  in var/cluster/ (PostgreSQL's is kept between runs, so conversations survive a restart);
- one action server (5055) and two Rasa servers (5005, 5006), started by scripts/run-servers with
  TRACKER_STORE_URL and LOCK_STORE_URL pointing at the stores;
- nginx on the front port (8080), from deploy/nginx.conf: the widget's page, and the REST channel
  spread over the Rasa servers.

The stores trust connections from loopback, without passwords: this is a cluster for one machine.
`make test-cluster` starts the same on free ports (tests/cluster/).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
RUN_SERVERS = ROOT / "scripts" / "run-servers"
START_TIMEOUT = 180  # seconds for one server to come up
PACKAGES = "postgresql redis-server nginx"


@dataclass
class Ports:
    front: int = 8080
    rasa: List[int] = field(default_factory=lambda: [5005, 5006])
    actions: int = 5055
    postgres: int = 5432
    redis: int = 6379


class Cluster:
    def __init__(self, workdir: Path, ports: Ports, env: Optional[Dict[str, str]] = None):
        self.dir = workdir.resolve()
        self.ports = ports
        self.processes: Dict[str, subprocess.Popen] = {}
        self.front_url = f"http://127.0.0.1:{ports.front}"
        self.tracker_store_url = f"postgresql://rasa@127.0.0.1:{ports.postgres}/rasa"
        self.env = {
            **(env or os.environ),
            "TRACKER_STORE_URL": self.tracker_store_url,
            "LOCK_STORE_URL": f"redis://127.0.0.1:{ports.redis}/0",
            "ACTION_PORT": str(ports.actions),
            "WEB_PORT": str(ports.front),  # the Rasa servers' CORS origin: the page comes from the front port
            "RUN_DIR": str(self.dir),
        }

    # --- starting and stopping ---------------------------------------------------------------------

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        try:
            self.start_postgres()
            self.start_redis()
            self._start("actions", [str(RUN_SERVERS), "actions"])
            self._wait_for(f"http://127.0.0.1:{self.ports.actions}/health", "actions")
            # One after the other: the first creates the tracker store's tables.
            for index in range(len(self.ports.rasa)):
                self.start_rasa(index)
            self.start_nginx()
            # What residents said is kept at most RETENTION_DAYS: a sweep now, then hourly.
            self._start("prune", [sys.executable, str(ROOT / "scripts" / "prune.py"), "--every", "3600"])
        except BaseException:
            self.stop()
            raise

    def start_postgres(self) -> None:
        data = self.dir / "postgres"
        pg_bin = _postgres_bin()
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            self._own_by_postgres(data)
            self._run([str(pg_bin / "initdb"), "-D", str(data), "-U", "rasa", "--auth=trust", "-E", "UTF8"], as_postgres=True)
        self._start(
            "postgres",
            [str(pg_bin / "postgres"), "-D", str(data), "-p", str(self.ports.postgres),
             "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={data}"],
            as_postgres=True,
        )
        self._wait(lambda: self._call([str(pg_bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p",
                                       str(self.ports.postgres)]), "postgres")
        exists = subprocess.run(
            [str(pg_bin / "psql"), "-h", "127.0.0.1", "-p", str(self.ports.postgres), "-U", "rasa", "-d", "postgres",
             "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'rasa'"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        if not exists:
            self._run([str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.ports.postgres), "-U", "rasa", "rasa"])

    def start_redis(self) -> None:
        data = self.dir / "redis"
        data.mkdir(exist_ok=True)
        # Locks live for a turn: nothing to keep on disk.
        self._start("redis", ["redis-server", "--bind", "127.0.0.1", "--port", str(self.ports.redis),
                              "--dir", str(data), "--save", "", "--appendonly", "no"])
        self._wait(lambda: self._call(["redis-cli", "-h", "127.0.0.1", "-p", str(self.ports.redis), "ping"]), "redis")

    def start_rasa(self, index: int) -> None:
        port = self.ports.rasa[index]
        name = f"rasa-{port}"
        self._start(name, [str(RUN_SERVERS), "rasa"], RASA_PORT=str(port))
        self._wait_for(f"http://127.0.0.1:{port}/", name)

    def stop_rasa(self, index: int) -> None:
        self._stop(f"rasa-{self.ports.rasa[index]}")

    def start_nginx(self) -> None:
        data = self.dir / "nginx"
        data.mkdir(exist_ok=True)
        servers = "\n        ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in self.ports.rasa)
        config = (ROOT / "deploy" / "nginx.conf").read_text()
        for key, value in {"dir": data, "servers": servers, "front_port": self.ports.front, "web": ROOT / "web"}.items():
            config = config.replace("{" + key + "}", str(value))
        (data / "nginx.conf").write_text(config)
        self._start("nginx", ["nginx", "-p", str(data), "-c", str(data / "nginx.conf")])
        self._wait_for(self.front_url + "/", "nginx")

    def stop(self) -> None:
        for name in reversed(list(self.processes)):
            self._stop(name)

    def running(self) -> bool:
        return all(p.poll() is None for p in self.processes.values())

    # --- helpers -----------------------------------------------------------------------------------

    def _start(self, name: str, command: List[str], as_postgres: bool = False, **env: str) -> None:
        log = open(self.dir / f"{name}.log", "ab")
        if as_postgres:
            command = _as_postgres(command)
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def _stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        # PostgreSQL: SIGINT is its fast shutdown; the others stop on SIGTERM.
        os.killpg(process.pid, signal.SIGINT if name == "postgres" else signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def _own_by_postgres(self, path: Path) -> None:
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")

    @staticmethod
    def _run(command: List[str], as_postgres: bool = False) -> None:
        subprocess.run(_as_postgres(command) if as_postgres else command, check=True, stdout=subprocess.DEVNULL)

    @staticmethod
    def _call(command: List[str]) -> bool:
        return subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0

    def _wait_for(self, url: str, name: str) -> None:
        def up() -> bool:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    return response.status == 200
            except OSError:
                return False

        self._wait(up, name)

    def _wait(self, ready, name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if name in self.processes and self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited with {self.processes[name].returncode}: see {self.dir / name}.log")
            if ready():
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name} not up after {START_TIMEOUT} s: see {self.dir / name}.log")


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
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "cluster")
    args = parser.parse_args()
    missing = [tool for tool in ("redis-server", "nginx") if not shutil.which(tool)]
    if missing:
        print(f"{', '.join(missing)} not installed: apt-get install {PACKAGES}", file=sys.stderr)
        return 1
    cluster = Cluster(args.dir, Ports())
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        cluster.start()
        print(f"The assistant: {cluster.front_url}/ (REST: {cluster.front_url}/webhooks/rest/webhook). Ctrl-C stops it.")
        parent = os.getppid()  # make does not pass on a SIGTERM sent to it alone: stop with it
        while not stopping and cluster.running() and os.getppid() == parent:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
