"""The cluster's ports (scripts/run/cluster.py): the ones make run-cluster listens on, or free ones for a
cluster beside it (tests/cluster/, make bench)."""

import dataclasses
import socket

from scripts.run.cluster import Ports


def numbers(ports: Ports):
    """Every port, of every field: a field that Ports.free() left at its default shows here."""
    values = [getattr(ports, field.name) for field in dataclasses.fields(ports)]
    return [n for value in values for n in (value if isinstance(value, list) else [value])]


def test_free_ports_are_none_of_make_run_clusters_and_each_can_be_listened_on():
    ports = Ports.free(rasa_servers=3)
    assert len(ports.rasa) == 3 and not set(numbers(ports)) & set(numbers(Ports()))
    for port in numbers(ports):
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", port))  # fails with EADDRINUSE where something listens


def test_free_ports_are_for_as_many_rasa_servers_as_make_run_cluster_runs():
    assert len(Ports.free().rasa) == len(Ports().rasa)
