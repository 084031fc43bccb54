"""The endpoints a Rasa server runs with, from the environment (scripts/run/endpoints.py)."""

import subprocess
import sys

import pytest
import yaml

from scripts.run.endpoints import BASE, BadURL, endpoints

BASE_CONFIG = yaml.safe_load(BASE.read_text(encoding="utf-8"))


def test_without_environment_it_is_endpoints_yml():
    assert endpoints({}, BASE_CONFIG) == BASE_CONFIG
    assert BASE_CONFIG["tracker_store"]["dialect"] == "sqlite" and "lock_store" not in BASE_CONFIG


def test_postgresql_and_redis_from_urls():
    config = endpoints(
        {
            "TRACKER_STORE_URL": "postgresql://rasa:s%40cret@127.0.0.1:5433/conversations",
            "LOCK_STORE_URL": "redis://:p%40ss@127.0.0.1:6380/2",
            "ACTION_PORT": "5056",
        },
        BASE_CONFIG,
    )
    assert config["tracker_store"] == {
        "type": "assistant.storage.tracker_store.LeanSQLTrackerStore",
        "dialect": "postgresql",
        "db": "conversations",
        "url": "127.0.0.1",
        "port": 5433,
        "username": "rasa",
        "password": "s@cret",
    }
    assert config["lock_store"] == {
        "type": "assistant.storage.lock_store.AtomicRedisLockStore",
        "url": "127.0.0.1",
        "port": 6380,
        "db": 2,
        "use_ssl": False,
        "password": "p@ss",
    }
    assert config["action_endpoint"] == {"url": "http://127.0.0.1:5056/webhook"}


def test_defaults_of_the_urls():
    config = endpoints({"TRACKER_STORE_URL": "postgresql:///rasa", "LOCK_STORE_URL": "rediss://redis"}, BASE_CONFIG)
    assert (config["tracker_store"]["url"], config["tracker_store"]["port"]) == ("localhost", 5432)
    assert "username" not in config["tracker_store"] and "password" not in config["tracker_store"]
    assert config["lock_store"] == {
        "type": "assistant.storage.lock_store.AtomicRedisLockStore",
        "url": "redis",
        "port": 6379,
        "db": 0,
        "use_ssl": True,
    }


def test_a_sqlite_file_elsewhere():
    config = endpoints({"TRACKER_STORE_URL": "sqlite:////tmp/x/tracker.db"}, BASE_CONFIG)
    assert config["tracker_store"] == {
        "type": "assistant.storage.tracker_store.LeanSQLTrackerStore",
        "dialect": "sqlite",
        "db": "/tmp/x/tracker.db",
    }


@pytest.mark.parametrize(
    "variable, url",
    [
        ("TRACKER_STORE_URL", "not a url"),
        ("TRACKER_STORE_URL", "mysql://u:p@h/db"),
        ("TRACKER_STORE_URL", "postgresql://u:p@h:5432"),
        ("LOCK_STORE_URL", "http://127.0.0.1:6379"),
        ("LOCK_STORE_URL", "redis://127.0.0.1:6379/first"),
        ("LOCK_STORE_URL", "redis:///0"),
    ],
)
def test_a_url_it_cannot_use_is_refused(variable, url):
    with pytest.raises(BadURL):
        endpoints({variable: url}, BASE_CONFIG)


def test_the_command_says_why_and_does_not_echo_a_password():
    env = {"TRACKER_STORE_URL": "mysql://rasa:topsecret@host/db", "PATH": ""}
    run = subprocess.run(
        [sys.executable, "-m", "scripts.run.endpoints"], env=env, cwd=BASE.parent, capture_output=True, text=True
    )
    assert run.returncode == 2 and run.stdout == ""
    assert "TRACKER_STORE_URL must be" in run.stderr and "topsecret" not in run.stderr
