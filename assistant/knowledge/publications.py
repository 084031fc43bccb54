"""The fact base version residents get once the editor (editor/) has published one: the newest row of
the editor's publications, in the database the assistant already uses (the tracker store's), so
that every server of a cluster serves the same version. A fact base is plain data here, as its YAML
file has it, with the texts its sources' quotes are checked against. Also the drafts editors preview
(assistant/knowledge/previews.py)."""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

from assistant import ROOT
from assistant.knowledge import SafeLoader

TRACKER_STORE_ENV = "TRACKER_STORE_URL"
DEFAULT_DATABASE = "sqlite:///" + str(ROOT / "var" / "tracker.db")  # endpoints.yml's, from the project's folder
TABLE = "editor_publication"
PREVIEWS = "editor_preview"  # an editor's preview of the draft (assistant/knowledge/previews.py)
EDITOR_SESSION = datetime.timedelta(hours=8)  # an editor's login (editor/settings.py), and their previews
FILE_NAME = "international_work.yml"

Document = Dict[str, Any]  # the YAML's mapping: city, freshness, sources, entities, topics, facts
Texts = Dict[str, str]  # a source's `file` -> its words

logger = logging.getLogger(__name__)


def database_url(env: Mapping[str, str] = os.environ) -> str:
    """The database the assistant uses: $TRACKER_STORE_URL, or make run's SQLite file."""
    return env.get(TRACKER_STORE_ENV) or DEFAULT_DATABASE


class Unavailable(Exception):
    """The database cannot be read now: what is served keeps serving."""


class Publications:
    """The editor's publications, read with SQLAlchemy (Rasa's own); connects at the first look."""

    def __init__(self, url: str):
        self.url = url
        self._engine = None

    def _connect(self):
        import sqlalchemy as sa

        if self._engine is None:
            self._engine = sa.create_engine(self.url, pool_pre_ping=True)
        return self._engine.connect()

    def _query(self, sql: str, **values: Any):
        """The first row, or None where the editor has not made its table (SQLite says "no such table",
        PostgreSQL "does not exist")."""
        import sqlalchemy as sa

        try:
            with self._connect() as connection:
                return connection.execute(sa.text(sql), values).fetchone()
        except sa.exc.SQLAlchemyError as error:
            first_line = str(error).splitlines()[0]
            if "no such table" in first_line or ("editor_" in first_line and "does not exist" in first_line):
                return None
            raise Unavailable(first_line) from error

    def newest(self) -> Optional[int]:
        """The newest publication's number; None where the editor has published none."""
        row = self._query(f"SELECT max(id) FROM {TABLE}")
        return row[0] if row else None

    def fetch(self, number: int) -> Tuple[Document, Texts]:
        row = self._query(f"SELECT document, texts FROM {TABLE} WHERE id = :number", number=number)
        if row is None:
            raise Unavailable(f"publication {number} is gone")
        return _parsed(row)  # type: ignore[return-value]

    def preview(self, token: str) -> Optional[Tuple[Optional[str], datetime.datetime]]:
        """The digest of a preview's draft (None: it previews what residents get) and when it was last
        asked; None for no such preview."""
        row = self._query(f"SELECT digest, asked_at FROM {PREVIEWS} WHERE token = :token", token=token)
        if row is None:
            return None
        asked = row[1] if isinstance(row[1], datetime.datetime) else datetime.datetime.fromisoformat(row[1])
        return row[0], asked if asked.tzinfo else asked.replace(tzinfo=datetime.timezone.utc)

    def preview_draft(self, token: str) -> Tuple[Document, Texts]:
        row = self._query(f"SELECT document, texts FROM {PREVIEWS} WHERE token = :token", token=token)
        if row is None:
            raise Unavailable("the preview is gone")
        return _parsed(row)  # type: ignore[return-value]


def _parsed(row: Any) -> Tuple[Any, ...]:
    """JSON columns as data: SQLite keeps JSON as text, PostgreSQL's driver hands it over parsed."""
    import json

    return tuple(json.loads(v) if isinstance(v, str) else v for v in row)


def read(path: Path) -> Tuple[Document, Texts]:
    """A fact base file and the source texts it names, as plain data (dates as ISO text)."""
    document = _plain(yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader))
    texts = {}
    for source in document.get("sources", []):
        name = source.get("file")
        if name and name not in texts and (path.parent / name).is_file():
            texts[name] = (path.parent / name).read_text(encoding="utf-8")
    return document, texts


def write(document: Document, texts: Texts, folder: Path) -> Path:
    """The fact base as a file in `folder`, with its source texts beside it, as facts/ has them."""
    write_texts(texts, folder)
    path = folder / FILE_NAME
    path.write_text(dump(document), encoding="utf-8")
    return path


def write_texts(texts: Texts, folder: Path) -> None:
    """The source texts in `folder`, each at its name (sources/since-2019.md), none outside it."""
    for name, text in texts.items():
        file = (folder / name).resolve()
        if folder.resolve() not in file.parents:
            raise ValueError(f"a source text outside the fact base's folder: {name}")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")


def dump(document: Document) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)


def _plain(value: Any) -> Any:
    """YAML's dates as ISO text, so that a record is JSON as the database keeps it."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
