"""What the test modules share: the project's folder, a fact's text, what a resident reads of the
replies, a free port (scripts/run/supervisor.py's), a record of the fact base's YAML, an edited copy of
the fact base, a turn of a conversation answered as the action answers it, without Rasa running, and
`make report` run on the test's logs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import yaml

from assistant import ROOT
from assistant.knowledge import SafeLoader, factbase
from assistant.knowledge.facts import FactBase
from scripts.run.supervisor import free_port  # noqa: F401 (for the test modules)


def published_row(database: Path, document: Dict, texts: Dict) -> None:
    """A publication as the editor's Publication model stores it in SQLite (editor/models.py): the
    columns the assistant reads (assistant/knowledge/publications.py)."""
    import json
    import sqlite3

    from assistant.knowledge.publications import TABLE

    with sqlite3.connect(database) as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY, document TEXT, texts TEXT)")
        db.execute(f"INSERT INTO {TABLE} (document, texts) VALUES (?, ?)", (json.dumps(document), json.dumps(texts)))


def preview_row(
    database: Path, token: str, draft: Optional[Tuple[Dict, Dict]] = None, digest: str = "d1", asked_at: str = ""
) -> None:
    """An editor's preview as the editor's Preview model stores it in SQLite (editor/models.py): of the
    draft (document, texts), or of what residents get (None); asked now, unless `asked_at` says when."""
    import datetime
    import json
    import sqlite3

    from assistant.knowledge.publications import PREVIEWS

    asked_at = asked_at or datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    values = (token, digest, json.dumps(draft[0]), json.dumps(draft[1])) if draft else (token, None, None, None)
    with sqlite3.connect(database) as db:
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {PREVIEWS} (id INTEGER PRIMARY KEY, token TEXT UNIQUE, digest TEXT, "
            "document TEXT, texts TEXT, asked_at TEXT)"
        )
        db.execute(
            f"INSERT INTO {PREVIEWS} (token, digest, document, texts, asked_at) VALUES (?, ?, ?, ?, ?)",
            (*values, asked_at),
        )


LOOPBACK = "0100007F"  # 127.0.0.1, as /proc/net/tcp writes it


def listening_sockets() -> List[Tuple[str, int, int]]:
    """The sockets listening on this machine, from the kernel's tables: (local address as the table
    writes it, port, inode)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == "0A":  # LISTEN
                found.append((address, int(hex_port, 16), int(fields[9])))
    return found


def socket_inodes(root_pid: int) -> set:
    """The inodes of the sockets the process and every process under it hold."""
    import os

    children: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    inodes, pending = set(), [root_pid]
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
        except OSError:  # gone meanwhile
            continue
    return inodes


def fact(fact_id: str, lang: str) -> str:
    """The fact's text in that language, from the fact base the assistant answers from."""
    return factbase.current().facts[fact_id].text[lang]


def text_of(replies: List[Dict]) -> str:
    """What the resident reads of the channel's replies: their texts, without the messages that carry
    only a reply's language and sources ({"custom": ...})."""
    return "\n".join(r["text"] for r in replies if r.get("text"))


def record(data: Dict, section: str, record_id: str) -> Dict:
    """The record with this id in a section ("facts", "sources", ...) of the fact base's parsed YAML."""
    return next(r for r in data[section] if r["id"] == record_id)


def rewrite(path: Path, *changes: Callable[[Dict], None], source: Optional[Path] = None) -> None:
    """Writes to `path` the fact base YAML of `source` (default: `path` itself), with the changes made to
    its data (by libyaml where PyYAML has it, as the assistant reads it: the pure-Python one is slow)."""
    data = yaml.load((source or path).read_text(encoding="utf-8"), Loader=SafeLoader)
    for change in changes:
        change(data)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edited(folder: Path, *changes: Callable[[Dict], None]) -> FactBase:
    """A copy of the fact base in `folder`, with the changes made to its YAML, loaded."""
    shutil.copytree(factbase.DEFAULT_PATH.parent, folder / "facts", ignore=shutil.ignore_patterns(".*"))
    path = folder / "facts" / factbase.DEFAULT_PATH.name
    rewrite(path, *changes)
    return factbase.load(path)


def parse(text: str):
    """A message as the NLU components that need no training read it: its names and its language."""
    from rasa.shared.nlu.training_data.message import Message

    from assistant.understanding.nlu_components import FactEntityExtractor, LanguageDetector

    message = Message(data={"text": text})
    FactEntityExtractor().process([message])
    LanguageDetector().process([message])
    return message


def turn(kb: FactBase, text: str, state, intent: Optional[str] = None, lang: Optional[str] = None) -> Tuple:
    """(plan, reply) of a message in the conversation `state`, DIET's intent said by the caller and the
    language chosen by `lang`, as the widget's metadata does; the plan's state is the conversation's
    after it (assistant.answering.turn, which the action runs)."""
    from assistant.answering import turn as answering

    message = parse(text)
    data = {
        "text": text,
        "entities": message.get("entities") or [],
        "language": message.get("language"),
        "language_sure": bool(message.get("language_sure")),
        "intent_ranking": [{"name": intent, "confidence": 1.0}] if intent else [],
        "metadata": {"language": lang} if lang else {},
    }
    answered = answering.answer(kb, data, state)
    return replace(answered.plan, state=answered.state), answered.reply


def make_report(*args: str) -> subprocess.CompletedProcess:
    """`make report` (scripts/edit/report.py) with these arguments, on the logs the test's environment
    names ($UNANSWERED_LOG, $FEEDBACK_LOG)."""
    command = [sys.executable, "-m", "scripts.edit.report", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=60)
