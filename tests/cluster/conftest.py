"""Starts the cluster of `make run-cluster` (scripts/run/cluster.py) on free ports, in a temporary folder:
PostgreSQL, Redis, one action server, two Rasa servers and nginx in front. Needs the trained model and
Debian's postgresql, redis-server and nginx (make test-cluster installs them)."""

from __future__ import annotations

import json
import os
import uuid
from typing import Dict, List

import psycopg2
import pytest
import requests

from scripts.run.cluster import Cluster, Ports


class RunningCluster(Cluster):
    def instance_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.ports.rasa[index]}"

    @staticmethod
    def ask(base_url: str, sender: str, text: str, timeout: float = 60) -> List[Dict]:
        response = requests.post(
            f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout
        )
        response.raise_for_status()
        return response.json()

    def stored_events(self, sender: str) -> List[Dict]:
        """The conversation's events as PostgreSQL holds them."""
        with psycopg2.connect(self.tracker_store_url) as db, db.cursor() as cursor:
            cursor.execute("SELECT data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
            return [json.loads(data) for (data,) in cursor.fetchall()]


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    ports = Ports.free()
    workdir = tmp_path_factory.mktemp("cluster")  # open to root only: the cluster must cope (Cluster.shared)
    running = RunningCluster(
        workdir,
        ports,
        env={
            **os.environ,
            "UNANSWERED_LOG": str(workdir / "unanswered.jsonl"),
            "FEEDBACK_LOG": str(workdir / "feedback.jsonl"),
        },
    )
    running.start()
    yield running
    running.stop()
    running.remove()


@pytest.fixture
def sender() -> str:
    return f"cluster-{uuid.uuid4().hex[:12]}"
