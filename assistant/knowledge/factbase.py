"""Read and validate the fact base (facts/international_work.yml) into the records of assistant.knowledge.facts.

Loading is all or nothing: a file with any problem raises FactBaseError listing every problem as
`file:line: record: field: problem`, so the assistant never serves half a fact base.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Dict, Generic, List, Optional, Tuple, TypeVar

import yaml

from assistant import ROOT
from assistant.knowledge import SafeLoader, publications
from assistant.knowledge.facts import (
    ENTITY_TYPES,
    LANGUAGES,
    PROBABLY,
    SOURCE_KINDS,
    SURENESS,
    Ending,
    Entity,
    Fact,
    FactBase,
    Freshness,
    Source,
    Topic,
    When,
)

DEFAULT_PATH = ROOT / "facts" / "international_work.yml"
# Where the facts come from: a file (default: DEFAULT_PATH; another for the tests or a staging copy),
# or PUBLISHED, the editor's newest publication (make run, make run-cluster), the file until there is one.
FACT_BASE_ENV = "FACT_BASE"
PUBLISHED = "published"

logger = logging.getLogger(__name__)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMBER = re.compile(r"\d+")


def _plain(text: str) -> str:
    """A question as compared with others: case, punctuation and spacing left out."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


class FactBaseError(ValueError):
    """The fact base cannot be used; `problems` holds one located message per problem."""

    def __init__(self, problems: List[str]):
        self.problems = problems
        super().__init__("invalid fact base:\n" + "\n".join(f"  {p}" for p in problems))


# --- loading --------------------------------------------------------------------------------------


class _LineLoader(SafeLoader):
    """A YAML loader that remembers the line of every mapping and of each of its keys."""


class _Mapping(dict):
    line = 0
    key_lines: Dict[str, int] = {}


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _Served:
    """What one process serves: the facts, the stamp (path, mtime, size) of the file version last
    looked at, and the modification time of the version the facts came from."""

    def __init__(self, stamp: Tuple[Any, ...], facts: FactBase, version: int):
        self.stamp, self.facts, self.version = stamp, facts, version


_current: Optional[_Served] = None


def path() -> Path:
    """The fact base file the assistant serves: $FACT_BASE, or facts/international_work.yml."""
    named = os.environ.get(FACT_BASE_ENV)
    return Path(named) if named and named != PUBLISHED else DEFAULT_PATH


def last_valid_path(file: Path) -> Path:
    """Where the last valid version of an edited fact base is kept, beside it, for every process that
    serves it."""
    return file.with_name(f".{file.name}.last-valid")


PUBLISHED_EVERY = 0.25  # seconds between looks for a newer publication: served within 2 s of publishing
_prepare: List[Callable[[FactBase], None]] = []


def prepare_with(builder: Callable[[FactBase], None]) -> None:
    """Have `builder` run on each new publication before it is served (an index of its words, a matcher
    of its names), so that the first question after publishing does not wait for them."""
    _prepare.append(builder)


Built = TypeVar("Built")


class BuiltFrom(Generic[Built]):
    """What is built from a fact base (the index of its words, the matcher of its names), kept for the
    few fact bases in use: the one served, a new publication prepared beside it, and an editor's
    preview of the draft (assistant/knowledge/previews.py). The least recently used goes first, so that a preview
    never pushes out what residents are served."""

    KEPT = 3

    def __init__(self, build: Callable[[FactBase], Built]):
        self.build = build
        self._kept: "OrderedDict[int, Tuple[FactBase, Built]]" = OrderedDict()
        self._lock = threading.Lock()  # the publications' thread prepares while questions are answered

    def __call__(self, kb: FactBase) -> Built:
        with self._lock:
            kept = self._kept.get(id(kb))
            if kept is not None and kept[0] is kb:
                self._kept.move_to_end(id(kb))
                return kept[1]
        built = self.build(kb)  # not under the lock: the other fact bases' questions go on meanwhile
        with self._lock:
            self._kept[id(kb)] = (kb, built)
            while len(self._kept) > self.KEPT:
                self._kept.popitem(last=False)
        return built


class _Published:
    """The editor's newest publication this process serves. A thread of this process looks for a newer
    one every PUBLISHED_EVERY seconds, loads and prepares it, and only then serves it."""

    def __init__(self):
        self.pid = os.getpid()
        self.store = publications.Publications(publications.database_url())
        self.number: Optional[int] = None
        self.facts: Optional[FactBase] = None
        self.unavailable = False
        self.stopped = threading.Event()
        self.look()  # the first question gets the newest publication, not the file
        threading.Thread(target=self.watch, name="fact-base-publications", daemon=True).start()

    def watch(self) -> None:
        while not self.stopped.wait(PUBLISHED_EVERY):
            self.look()

    def look(self) -> None:
        try:
            number = self.store.newest()
            if number is None or number == self.number:
                self._available()
                return
            document, texts = self.store.fetch(number)
        except publications.Unavailable as error:
            if not self.unavailable:  # once, not every second
                logger.warning("the editor's publications cannot be read, the version served keeps serving: %s", error)
            self.unavailable = True
            return
        self._available()
        try:
            facts = load_data(document, texts, f"publication {number}")
        except (FactBaseError, ValueError) as error:  # published valid; checked again all the same
            logger.error("publication %s rejected, the version served keeps serving: %s", number, error)
            self.number = number
            return
        for builder in _prepare:
            builder(facts)
        if self.number is not None:
            logger.info("fact base publication %s served", number)
        self.number, self.facts = number, facts

    def _available(self) -> None:
        if self.unavailable:
            logger.info("the editor's publications can be read again")
        self.unavailable = False


_published: Optional[_Published] = None
_published_lock = threading.Lock()


def published() -> Optional[FactBase]:
    """The editor's newest publication (editor/), where there is one. While the database cannot be read,
    what this process has keeps serving."""
    global _published
    with _published_lock:
        if _published is None or _published.pid != os.getpid():  # a forked Sanic worker: its own thread
            _published = _Published()
    return _published.facts


def current() -> FactBase:
    """The fact base residents get: with FACT_BASE=published the editor's newest publication
    (published()), once there is one; else the file.

    The file as it is now. An editor's save goes live at the next question: the file is
    read again whenever its modification time or size changes, which costs one stat() per call.

    An edit with problems is rejected with every problem in the log, and the last valid version keeps
    serving. Each Rasa worker and the action server load the file on their own, and one of them may
    not have asked between a good save and a broken one; so a process that takes up an edit leaves a
    copy of it beside the file (last_valid_path), and a process that rejects an edit serves that copy
    when it is newer than what it holds. FactBaseError is raised only when there is no valid version
    at all."""
    global _current
    if os.environ.get(FACT_BASE_ENV) == PUBLISHED:
        facts = published()
        if facts is not None:
            return facts
    file = path()
    try:
        stat = file.stat()
        stamp: Tuple[Any, ...] = (file, stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = (file, None, None)
    if _current is not None and _current.stamp == stamp:
        return _current.facts
    try:
        text = _read(file)
        facts = _parse(text, file)
    except FactBaseError as error:
        fallback = _last_valid(file, newer_than=_current.version if _current else -1)
        if fallback is None and _current is None:
            raise
        logger.error("fact base edit rejected, the last valid version keeps serving: %s", error)
        # The stamp is the rejected file's: logged once per edit, not once per question.
        _current = _Served(stamp, *(fallback or (_current.facts, _current.version)))
        return _current.facts
    version = stamp[1]
    if _current is not None:
        logger.info("fact base reloaded from %s", file)
        _keep_as_last_valid(file, text, version)
    _current = _Served(stamp, facts, version)
    return facts


def _keep_as_last_valid(file: Path, text: str, version: int) -> None:
    """Write the copy with the edit's own modification time, replacing only an older copy."""
    copy = last_valid_path(file)
    try:
        if copy.exists() and copy.stat().st_mtime_ns >= version:
            return
        temporary = copy.with_name(f"{copy.name}.{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        os.utime(temporary, ns=(version, version))
        os.replace(temporary, copy)
    except OSError as error:  # a read-only folder: this process still serves the edit
        logger.warning("cannot keep the last valid fact base at %s: %s", copy, error.strerror)


def _last_valid(file: Path, newer_than: int) -> Optional[Tuple[FactBase, int]]:
    """The copy another process kept, with its version, if it is newer and still valid."""
    copy = last_valid_path(file)
    try:
        version = copy.stat().st_mtime_ns
        if version <= newer_than:
            return None
        facts = _parse(_read(copy), file)
    except (OSError, FactBaseError):
        return None
    logger.info("the last valid version is taken from %s", copy)
    return facts, version


class _NoLines(dict):
    """The key lines of a record that has no file: every key on line 0, however it is asked for."""

    def __missing__(self, key: str) -> int:
        return 0

    def get(self, key: str, default: Any = None) -> int:
        return 0


def _as_records(value: Any) -> Any:
    """Plain data (a publication's) in the shape the validator reads from YAML, without lines."""
    if isinstance(value, dict):
        mapping = _Mapping({key: _as_records(item) for key, item in value.items()})
        mapping.key_lines = _NoLines()
        return mapping
    if isinstance(value, list):
        return [_as_records(item) for item in value]
    return value


def load_data(document: Dict[str, Any], texts: Dict[str, str], name: str = "publication") -> FactBase:
    """Validate a fact base given as plain data with its source texts (the editor's publications);
    raise FactBaseError naming every problem. Cheaper than writing it out as YAML and reading it."""
    with tempfile.TemporaryDirectory(prefix="fact-base-") as folder:
        publications.write_texts(texts, Path(folder))
        return _Validator(Path(folder) / name).build(_as_records(document))


def load(path: Path = DEFAULT_PATH) -> FactBase:
    """Read and validate a fact base file; raise FactBaseError naming every problem."""
    path = Path(path)
    return _parse(_read(path), path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise FactBaseError([f"{path}: cannot be read: {error.strerror}"]) from error


def _parse(text: str, path: Path) -> FactBase:
    """Validate a fact base's text; problems are located in `path`."""
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise FactBaseError([f"{where}: not valid YAML: {getattr(error, 'problem', error)}"]) from error
    return _Validator(path).build(raw)


class _Validator:
    """Checks the raw YAML and builds the FactBase, collecting every problem on the way."""

    SECTIONS = ("city", "sources", "entities", "topics", "facts")
    FIELDS = {
        "sources": ({"id", "publisher", "date"}, {"title", "kind", "sureness", "url", "file"}),
        "entities": ({"id", "type", "names", "aliases"}, set()),
        "topics": ({"id", "question", "related"}, {"subject", "by_subject"}),
        "facts": ({"id", "topic", "about", "source", "quote", "text"}, {"ended", "questions"}),
    }

    def __init__(self, path: Path):
        self.path = path
        self.problems: List[str] = []
        self.declared: Dict[str, set] = {}  # each section's ids, valid records or not

    def problem(self, line: int, record: str, field: str, message: str) -> None:
        self.problems.append(f"{self.path}:{line}: {record}: {field}: {message}")

    def build(self, raw: Any) -> FactBase:
        if not isinstance(raw, dict):
            raise FactBaseError([f"{self.path}:1: the file must be a mapping of {', '.join(self.SECTIONS)}"])
        for key in raw:
            if key not in self.SECTIONS + ("freshness",):
                self.problem(raw.key_lines.get(key, 1), "file", key, "unknown section")
        records = {section: self.records(raw, section) for section in self.SECTIONS[1:]}
        sources = {r["id"]: self.source(r) for r in records["sources"]}
        entities = {r["id"]: self.entity(r) for r in records["entities"]}
        topics = {r["id"]: self.topic(r, entities) for r in records["topics"]}
        facts = {r["id"]: self.fact(r, sources, entities, topics) for r in records["facts"]}
        self.check_references(records, topics, facts)
        self.check_aliases(records["entities"], entities)
        self.check_questions(records["facts"], facts)
        city = raw.get("city")
        if city not in entities:
            self.problem(raw.key_lines.get("city", 1), "file", "city", f"must name an entity, not '{city}'")
        freshness = self.freshness(raw)
        if self.problems:
            raise FactBaseError(self.problems)
        return FactBase(self.path, sources, entities, topics, facts, city, freshness)

    def freshness(self, raw: _Mapping) -> Freshness:
        item = raw.get("freshness")
        if item is None:
            return Freshness()
        line = raw.key_lines.get("freshness", 1)
        if not isinstance(item, dict):
            self.problem(line, "file", "freshness", "must be a mapping of max_age_years, website and feedback")
            return Freshness()
        for key in sorted(item.keys() - {"max_age_years", "website", "feedback"}):
            self.problem(item.key_lines.get(key, line), "freshness", key, "unknown field")
        age = item.get("max_age_years", Freshness.max_age_years)
        if isinstance(age, bool) or not isinstance(age, (int, float)) or age <= 0:
            self.problem(
                item.key_lines.get("max_age_years", line),
                "freshness",
                "max_age_years",
                "must be a number of years above 0",
            )
            age = Freshness.max_age_years
        addresses = {}
        for key in ("website", "feedback"):
            address = item.get(key)
            if address is not None and not (isinstance(address, str) and re.match(r"https?://\S+$", address)):
                self.problem(item.key_lines.get(key, line), "freshness", key, "must be a web address")
                address = None
            addresses[key] = address
        return Freshness(float(age), **addresses)

    def records(self, raw: _Mapping, section: str) -> List[_Mapping]:
        """The section's records that have the required fields and a unique id."""
        items = raw.get(section)
        line = raw.key_lines.get(section, raw.line)
        if not isinstance(items, list) or not items:
            self.problem(line, "file", section, "missing or empty: a list of records is required")
            return []
        required, optional = self.FIELDS[section]
        valid, seen = [], set()
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                self.problem(line, f"{section}[{index}]", "-", "a record must be a mapping")
                continue
            record = f"{section[:-1]} '{item.get('id', f'#{index + 1}')}'"
            missing = sorted(required - item.keys())
            for field in missing:
                self.problem(item.line, record, field, "required field is missing")
            for field in sorted(item.keys() - required - optional):
                self.problem(item.key_lines.get(field, item.line), record, field, "unknown field")
            record_id = item.get("id")
            if "id" in item and (not isinstance(record_id, str) or not _ID.match(record_id)):
                self.problem(item.line, record, "id", "must be lower_case letters, digits and _")
                continue
            if record_id in seen:
                self.problem(item.line, record, "id", f"duplicate id in {section}")
                continue
            seen.add(record_id)
            if not missing:
                valid.append(item)
        self.declared[section] = seen
        return valid

    def unknown(self, section: str, record_id: Any, known: Dict[str, Any]) -> bool:
        """Whether an id names no record of the section. A record with problems of its own is not
        unknown: its references would only repeat them."""
        return record_id not in known and record_id not in self.declared.get(section, set())

    def texts(
        self,
        item: _Mapping,
        name: str,
        kind: str,
        lists: bool = False,
        some: bool = False,
        record: str = "",
        within: str = "",
    ) -> Dict[str, Any]:
        """A field with a value in each of fi, sv and en (with `some`, in at least one of them):
        non-empty text (or a list of texts). `within` names the field a nested mapping is."""
        value = item.get(name)
        line = item.key_lines.get(name, item.line)
        record = record or f"{kind} '{item['id']}'"
        field = within + name
        if not isinstance(value, dict) or (some and not value):
            self.problem(line, record, field, f"must be a mapping with {'any of ' if some else ''}fi, sv and en")
            return {lang: () if lists else "" for lang in LANGUAGES}
        for lang in LANGUAGES:
            if lang not in value and not some:
                self.problem(line, record, f"{field}.{lang}", "language is missing")
        for lang in value.keys() - set(LANGUAGES):
            self.problem(line, record, f"{field}.{lang}", "unknown language (use fi, sv, en)")
        result: Dict[str, Any] = {}
        for lang in [lang for lang in LANGUAGES if lang in value or not some]:
            text = value.get(lang)
            if lists:
                ok = isinstance(text, list) and all(isinstance(t, str) and t.strip() for t in text)
                if lang in value and not ok:
                    self.problem(line, record, f"{field}.{lang}", "must be a list of non-empty texts")
                result[lang] = tuple(t.strip() for t in text) if ok else ()
            else:
                ok = isinstance(text, str) and bool(text.strip())
                if lang in value and not ok:
                    self.problem(line, record, f"{field}.{lang}", "must be a non-empty text")
                result[lang] = " ".join(text.split()) if ok else ""
        return result

    def when(self, item: _Mapping, record: str, within: str = "") -> When:
        """`date` (2019-12-06; 2022-08 when `sureness` is month; a year alone, 2022, when it is year, or
        undated: the earliest year it can be) and `sureness`."""
        date, sureness = item["date"], item.get("sureness", "sure")
        if sureness not in SURENESS:
            self.problem(
                item.key_lines["sureness"], record, within + "sureness", f"must be one of {', '.join(SURENESS)}"
            )
            sureness = "sure"
        if sureness in ("year", "undated"):
            if isinstance(date, int) and not isinstance(date, bool) and 1000 < date < 10000:
                return When(datetime.date(date, 1, 1), sureness)
            self.problem(
                item.key_lines["date"],
                record,
                within + "date",
                f"must be a year like 2022 when {'only the year is known' if sureness == 'year' else 'undated'}",
            )
            return When(datetime.date.min, sureness)
        if sureness == "month":
            if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}", date) and 1 <= int(date[5:]) <= 12:
                return When(datetime.date(int(date[:4]), int(date[5:]), 1), sureness)
            self.problem(
                item.key_lines["date"],
                record,
                within + "date",
                "must be a month like 2022-08 when only the month is known",
            )
            return When(datetime.date.min, sureness)
        if isinstance(date, str):
            try:
                date = datetime.date.fromisoformat(date)
            except ValueError:
                pass
        if not isinstance(date, datetime.date):
            self.problem(item.key_lines["date"], record, within + "date", "must be a date like 2019-12-06")
            date = datetime.date.min
        return When(date, sureness)

    def source(self, item: _Mapping) -> Source:
        record = f"source '{item['id']}'"
        file = None
        if "file" in item:
            file = self.path.parent / str(item["file"])
            if not file.is_file():
                self.problem(item.key_lines["file"], record, "file", f"no such file: {file}")
                file = None
        urls = item.get("url", {})
        urls = dict.fromkeys(LANGUAGES, urls) if isinstance(urls, str) else urls
        if not isinstance(urls, dict) or not all(
            lang in LANGUAGES and isinstance(address, str) and re.match(r"https?://\S+$", address)
            for lang, address in urls.items()
        ):
            self.problem(
                item.key_lines.get("url", item.line),
                record,
                "url",
                "must be a web address, or a mapping of fi, sv and en to web addresses",
            )
            urls = {}
        kind = item.get("kind", "news")
        if kind not in SOURCE_KINDS:
            self.problem(item.key_lines["kind"], record, "kind", f"must be one of {', '.join(SOURCE_KINDS)}")
        return Source(
            item["id"],
            self.texts(item, "publisher", "source"),
            self.texts(item, "title", "source", some=True) if "title" in item else {},
            kind,
            dict(urls),
            self.when(item, record),
            file,
        )

    def entity(self, item: _Mapping) -> Entity:
        if item["type"] not in ENTITY_TYPES:
            self.problem(
                item.key_lines["type"],
                f"entity '{item['id']}'",
                "type",
                f"must be one of {', '.join(ENTITY_TYPES)}",
            )
        return Entity(
            item["id"],
            item["type"],
            self.texts(item, "names", "entity"),
            self.texts(item, "aliases", "entity", lists=True),
        )

    def topic(self, item: _Mapping, entities: Dict[str, Entity]) -> Topic:
        record = f"topic '{item['id']}'"
        subject = item.get("subject")
        if subject is not None and subject not in entities:
            self.problem(item.key_lines["subject"], record, "subject", f"unknown entity '{subject}'")
        related = item["related"]
        if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
            self.problem(item.key_lines["related"], record, "related", "must be a list of topic ids")
            related = []
        by_subject = item.get("by_subject", False)
        if by_subject not in (True, False) or (by_subject and subject is None):
            self.problem(item.key_lines["by_subject"], record, "by_subject", "must be true, with a subject, or false")
            by_subject = False
        return Topic(item["id"], self.texts(item, "question", "topic"), tuple(related), subject, by_subject)

    def fact(self, item: _Mapping, sources, entities, topics) -> Fact:
        record = f"fact '{item['id']}'"
        line = item.key_lines.get
        if self.unknown("topics", item["topic"], topics):
            self.problem(line("topic"), record, "topic", f"unknown topic '{item['topic']}'")
        about = item["about"]
        if not isinstance(about, list) or not about:
            self.problem(line("about"), record, "about", "must be a non-empty list of entity ids")
            about = []
        for entity in about:
            if self.unknown("entities", entity, entities):
                self.problem(line("about"), record, "about", f"unknown entity '{entity}'")
        source = sources.get(item["source"])
        if self.unknown("sources", item["source"], sources):
            self.problem(line("source"), record, "source", f"unknown source '{item['source']}'")
        quote = self.quote(item, record, source)
        text = self.texts(item, "text", "fact")
        self.check_numbers(item, record, "text", text, quote, [source])
        ended = self.ending(item, record, source, sources) if "ended" in item else None
        questions = self.texts(item, "questions", "fact", lists=True) if "questions" in item else {}
        return Fact(item["id"], item["topic"], tuple(about), item["source"], quote, text, ended, questions)

    def quote(self, item: _Mapping, record: str, source: Optional[Source], within: str = "") -> str:
        """The words the fact rests on, which must stand verbatim in the source's file."""
        quote = " ".join(str(item["quote"]).split())
        line = item.key_lines.get("quote", item.line)
        if not quote:
            self.problem(line, record, within + "quote", "must be the source's words, verbatim")
        elif source is not None and source.file is not None:
            page = " ".join(source.file.read_text(encoding="utf-8").split())
            if quote not in page:
                self.problem(line, record, within + "quote", f"not found verbatim in {source.file.name}")
        return quote

    def check_numbers(
        self,
        item: _Mapping,
        record: str,
        field: str,
        texts: Dict[str, str],
        quotes: str,
        sources: List[Optional[Source]],
    ) -> None:
        """A number or date in a text must be in its evidence, the quotes or the sources' dates, as far as
        they are known: nothing can be invented. A number that only a likely date gives must be told
        as likely, with the language's word for it ("probably in March 2022")."""
        dates = [s.when for s in sources if s is not None]
        sure = set(_NUMBER.findall(quotes)) | {
            str(n) for when in dates if when.sureness != "likely" for n in when.numbers
        }
        likely = {str(n) for when in dates if when.sureness == "likely" for n in when.numbers} - sure
        for lang, sentence in texts.items():
            for number in _NUMBER.findall(sentence):
                line = item.key_lines.get(field.split(".")[-1], item.line)
                if number not in sure | likely:
                    self.problem(
                        line,
                        record,
                        f"{field}.{lang}",
                        f"the number {number} is neither in the quote nor in the source's date",
                    )
                elif number in likely and PROBABLY[lang] not in sentence.lower():
                    self.problem(
                        line,
                        record,
                        f"{field}.{lang}",
                        f"the number {number} comes from a likely date: say '{PROBABLY[lang]}'",
                    )

    ENDING_FIELDS = ({"date", "source", "quote", "history"}, {"sureness"})

    def ending(self, item: _Mapping, record: str, source: Optional[Source], sources) -> Optional[Ending]:
        """`ended`: when the fact stopped holding, the source that says so (with its words, `quote`),
        and `history`, the fact told as history in each language."""
        raw = item["ended"]
        if not isinstance(raw, dict):
            self.problem(
                item.key_lines["ended"],
                record,
                "ended",
                "must be a mapping of date, sureness, source, quote and history",
            )
            return None
        required, optional = self.ENDING_FIELDS
        for field in sorted(required - raw.keys()):
            self.problem(raw.line, record, f"ended.{field}", "required field is missing")
        for field in sorted(raw.keys() - required - optional):
            self.problem(raw.key_lines.get(field, raw.line), record, f"ended.{field}", "unknown field")
        if not required <= raw.keys():
            return None
        when = self.when(raw, record, within="ended.")
        ending_source = sources.get(raw["source"])
        if self.unknown("sources", raw["source"], sources):
            self.problem(raw.key_lines["source"], record, "ended.source", f"unknown source '{raw['source']}'")
        if source is not None and raw["source"] != source.id:  # a source may tell a fact and its end
            if when.latest < source.when.earliest:
                self.problem(
                    raw.key_lines["date"],
                    record,
                    "ended.date",
                    f"ends before its own source '{source.id}' ({source.when.day})",
                )
            if ending_source is not None and ending_source.when.latest < source.when.earliest:
                self.problem(
                    raw.key_lines["source"],
                    record,
                    "ended.source",
                    f"'{ending_source.id}' is older than the fact's source '{source.id}'",
                )
        quote = self.quote(raw, record, ending_source, within="ended.")
        history = self.texts(raw, "history", "fact", record=record, within="ended.")
        self.check_numbers(raw, record, "ended.history", history, f"{item['quote']} {quote}", [source, ending_source])
        return Ending(when, raw["source"], quote, history)

    def check_references(self, records, topics: Dict[str, Topic], facts: Dict[str, Fact]) -> None:
        for item in records["topics"]:
            for related in topics[item["id"]].related:
                if related not in topics:
                    self.problem(
                        item.key_lines["related"],
                        f"topic '{item['id']}'",
                        "related",
                        f"unknown topic '{related}'",
                    )
            if not any(f.topic == item["id"] for f in facts.values()):
                self.problem(item.line, f"topic '{item['id']}'", "id", "no fact has this topic")
        for item in records["entities"]:  # an answer about it would have nothing to say
            if not any(item["id"] in f.about for f in facts.values()):
                self.problem(item.line, f"entity '{item['id']}'", "id", "no fact is about this entity")

    def check_questions(self, items: List[_Mapping], facts: Dict[str, Fact]) -> None:
        """One question must find one fact: the same words given to two facts would leave the
        assistant to guess between them."""
        owner: Dict[str, str] = {}
        for item in items:
            for questions in facts[item["id"]].questions.values():
                for question in questions:
                    other = owner.setdefault(_plain(question), item["id"])
                    if other != item["id"]:
                        self.problem(
                            item.key_lines["questions"],
                            f"fact '{item['id']}'",
                            "questions",
                            f"'{question}' is also a question of fact '{other}'",
                        )

    def check_aliases(self, items: List[_Mapping], entities: Dict[str, Entity]) -> None:
        """One spelling must mean one entity, or a resident's question would be ambiguous."""
        owner: Dict[str, str] = {}
        for item in items:
            for spelling in entities[item["id"]].spellings():
                other = owner.setdefault(spelling.casefold(), item["id"])
                if other != item["id"]:
                    self.problem(
                        item.key_lines["aliases"],
                        f"entity '{item['id']}'",
                        "aliases",
                        f"'{spelling}' is also a name of entity '{other}'",
                    )
