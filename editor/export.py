"""`make export-facts`: the published fact base written back to facts/international_work.yml, for git.
The file is rewritten in place (ruamel.yaml's round trip): a record that did not change keeps its
text, comments and anchors, so that the diff shows only what editors changed."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, List

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from assistant.knowledge import publications
from assistant.knowledge.publications import Document, Texts
from editor.content import SECTIONS, SETTINGS


def _yaml() -> YAML:
    # The file's own layout: lists indented under their key, no line folded by the writer.
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _plain(node: Any) -> Any:
    """A record as plain data, merged keys and all, dates as ISO text: as the database keeps it."""
    return json.loads(json.dumps(node, default=lambda value: value.isoformat()))


def _update(node: Any, new: Any) -> Any:
    """`node` changed to `new` where they differ, field by field, keeping the layout of what did not."""
    if not (isinstance(node, CommentedMap) and isinstance(new, dict)):
        return new
    for key in [key for key in node if key not in new]:
        del node[key]
    for key, value in new.items():
        if key not in node or _plain(node[key]) != value:
            node[key] = _update(node[key], value) if key in node else value
    return node


def export(document: Document, texts: Texts, path: Path) -> List[str]:
    """Write the fact base to `path` and its source texts beside it; the names of what changed. A
    change in a record others share a part of (a YAML anchor) could change them too: the file is then
    written plainly, without its comments, so that it always holds what was published."""
    written = _export(document, path)
    if publications.read(path)[0] != document:
        path.write_text(publications.dump(document), encoding="utf-8")
        written.append("the whole file, written plainly")
    for name, text in texts.items():
        file = path.parent / name
        if not file.exists() or file.read_text(encoding="utf-8") != text:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
            written.append(name)
    return written


def _export(document: Document, path: Path) -> List[str]:
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else CommentedMap()
    changed = []
    for key in SETTINGS:
        if key in document and _plain(data.get(key)) != document[key]:
            data[key] = document[key]
            changed.append(key)
    for section in SECTIONS:
        old = {node["id"]: node for node in data.get(section) or [] if isinstance(node, dict) and "id" in node}
        records = CommentedSeq()
        for record in document[section]:
            node = old.get(record["id"])
            if node is None or _plain(node) != record:
                node = record if node is None else _update(node, record)
                changed.append(f"{section}: {record['id']}")
            records.append(node)
        if [r["id"] for r in records] != list(old):
            changed.extend(f"{section}: {gone} removed" for gone in old.keys() - {r["id"] for r in records})
        if section in data:
            # The section's own comments stay with the list.
            data[section][:] = records
        else:
            data[section] = records
    out = io.StringIO()
    yaml.dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")
    return changed
