"""`make run-cluster` from a checkout in a folder that only root can enter (root's home, `mktemp -d`):
PostgreSQL runs as Debian's postgres user and nginx's workers as nobody, and neither can reach into
it; the cluster keeps what they need where they can (scripts/run/cluster.py, Cluster.shared)."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from assistant.knowledge import factbase
from scripts.run.cluster import ROOT, Cluster, Ports

START_TIMEOUT = 300


@pytest.fixture
def private_checkout():
    """The project's files as they are now (tracked, and new ones git does not ignore), in a folder of
    mode 0700; the virtual environment and the model are linked, not built again."""
    folder = Path(tempfile.mkdtemp(prefix="checkout-"))
    assert folder.stat().st_mode & 0o777 == 0o700
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    for linked in (".venv", "models"):
        (folder / linked).symlink_to(ROOT / linked)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_cluster_runs_from_a_folder_only_root_can_enter(private_checkout):
    if os.geteuid() != 0:
        pytest.skip("only root can make a folder that PostgreSQL's own user cannot enter")
    assert subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(private_checkout)]).returncode != 0
    ports = Ports.free(rasa_servers=1)
    workdir = private_checkout / "var" / "cluster"
    command = [
        str(ROOT / ".venv" / "bin" / "python"),
        "-m",
        "scripts.run.cluster",
        "--dir",
        str(workdir),
        "--front",
        str(ports.front),
        "--rasa",
        *map(str, ports.rasa),
        "--actions",
        str(ports.actions),
        "--postgres",
        str(ports.postgres),
        "--redis",
        str(ports.redis),
    ]
    output = Path(tempfile.mkdtemp(prefix="cluster-output-")) / "cluster.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=private_checkout, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    front = f"http://127.0.0.1:{ports.front}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "The assistant:" not in output.read_text():
            assert process.poll() is None, output.read_text()[-3000:]
            assert time.monotonic() < deadline, output.read_text()[-3000:]
            time.sleep(1)
        page = requests.get(front + "/", timeout=10)
        assert page.status_code == 200 and 'id="disclosure"' in page.text  # nginx's workers read the page
        reply = requests.post(
            front + "/webhooks/rest/webhook", json={"sender": "private-1", "message": "mikä on echa"}, timeout=60
        )
        assert factbase.current().facts["echa"].text["fi"] in "\n".join(r.get("text", "") for r in reply.json())
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
        Cluster(workdir, ports).remove()
        shutil.rmtree(output.parent, ignore_errors=True)
