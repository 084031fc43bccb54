"""Where a turn's time goes, timed in this process around each node of the model's graph, the tracker
store and the custom action call; and how long a cold training takes, per component."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

from assistant import ROOT
from scripts.measure.bench.load import Question

BIN = Path(sys.executable).parent

WHOLE_TURN = "whole turn, in process"
ACTION_CALL = "custom action call (HTTP to the action server), all of it"
RESULT_CHECK = "– of which Rasa's jsonschema check of the result"
TRACKER_LOAD = "tracker store (SQLite): load the conversation"
TRACKER_SAVE = "tracker store (SQLite): save the turn"
PARTS = (WHOLE_TURN, ACTION_CALL, RESULT_CHECK, TRACKER_LOAD, TRACKER_SAVE)  # then the graph's nodes


def component_profile(questions: List[Question], model: Path, action_url: str, workdir: Path) -> Dict[str, float]:
    """Milliseconds per answer turn spent in each node of the model's graph, in the SQLite tracker
    store and in the custom action call (with Rasa's check of its result), measured in this process on
    the same model, a tracker store like the server's and the running action server."""
    import logging

    import structlog
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.graph import GraphNode
    from rasa.utils.endpoints import EndpointConfig

    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    spent: Dict[str, float] = {}

    def timed(original, name_of):
        """`original` (a method), adding its time to spent[name_of(self)]."""

        def add(began: float, owner) -> None:
            name = name_of(owner)
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - began

        if asyncio.iscoroutinefunction(original):

            async def wrapper(owner, *args, **kwargs):
                began = time.perf_counter()
                try:
                    return await original(owner, *args, **kwargs)
                finally:
                    add(began, owner)
        else:

            def wrapper(owner, *args, **kwargs):
                began = time.perf_counter()
                try:
                    return original(owner, *args, **kwargs)
                finally:
                    add(began, owner)

        return wrapper

    from assistant.channel import action_result
    from assistant.storage.tracker_store import LeanSQLTrackerStore
    from assistant.understanding import nlu_components

    action_result.install()  # as the REST channel does in the server
    nlu_components.load_data()  # as the server's main process does before its workers answer anything
    patched = [  # (class, method, name of the part)
        (GraphNode, "__call__", lambda node: f"{node._component_class.__name__} ({node._node_name})"),
        (RemoteAction, "run", lambda _: ACTION_CALL),
        (RemoteAction, "_validate_action_result", lambda _: RESULT_CHECK),
        (LeanSQLTrackerStore, "_retrieve", lambda _: TRACKER_LOAD),
        (LeanSQLTrackerStore, "save", lambda _: TRACKER_SAVE),
    ]
    originals = [(cls, method, getattr(cls, method)) for cls, method, _ in patched]
    for cls, method, name_of in patched:
        setattr(cls, method, timed(getattr(cls, method), name_of))
    try:
        agent = Agent.load(
            str(model),
            action_endpoint=EndpointConfig(action_url),
            tracker_store=LeanSQLTrackerStore(dialect="sqlite", db=str(workdir / "profile.db")),
        )

        async def turns() -> float:
            for lang, text in questions[:3]:  # warm-up, not counted
                await agent.handle_message(UserMessage(text, sender_id="warm-up", metadata={"language": lang}))
            spent.clear()
            began = time.perf_counter()
            for i, (lang, text) in enumerate(questions):
                await agent.handle_message(UserMessage(text, sender_id=f"profile-{i}", metadata={"language": lang}))
            return time.perf_counter() - began

        total = asyncio.run(turns())
    finally:
        for cls, method, original in originals:
            setattr(cls, method, original)
    per_turn = {name: 1000 * seconds / len(questions) for name, seconds in spent.items()}
    per_turn[WHOLE_TURN] = 1000 * total / len(questions)
    return per_turn


def cold_training(workdir: Path) -> Tuple[float, List[Tuple[str, float]]]:
    """Seconds for `rasa train --force` with an empty cache, and seconds per trained component."""
    log = workdir / "train.log"
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(workdir / "cache")}
    began = time.monotonic()
    with log.open("w") as out:
        subprocess.run(
            [str(BIN / "rasa"), "train", "--force", "--out", str(workdir), "--fixed-model-name", "cold"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=1200,
        )
    elapsed = time.monotonic() - began
    return elapsed, component_times(log.read_text(errors="replace"))


def component_times(log: str) -> List[Tuple[str, float]]:
    """(component, seconds) from the training hooks' "Starting to train / Finished training" lines."""
    pattern = re.compile(
        r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) .*?(Starting to train|Finished training) component '(\w+)'", re.M
    )
    times, open_since = [], {}
    for stamp, event, name in pattern.findall(log):
        at = time.mktime(time.strptime(stamp, "%Y-%m-%d %H:%M:%S"))
        if event == "Starting to train":
            open_since[name] = at
        elif name in open_since:
            times.append((name, at - open_since.pop(name)))
    return times
