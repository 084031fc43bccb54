"""What the README and docs/architecture.md say that a test can check cheaply: the targets, paths and
ports they name exist, their measured figures are those `make docs` writes, and the module map names
every module."""

import re
import subprocess

import pytest

from scripts.measure import docs
from scripts.run import serve
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# Made by make itself on the first run, so not in a fresh clone.
MADE = (".venv", "models/", "var/", "results/")


def _targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*)\s*:(?!=)", makefile, re.M))


def _missing(base, named):
    return sorted(n for n in named if not n.startswith(MADE) and not (base / n).exists())


def test_every_path_it_names_exists():
    """In backticks or as a link's target; not URLs, commands or patterns."""
    quoted = re.findall(r"`([^`\s]+)`", README) + re.findall(r"\]\(([^)\s]+)\)", README)
    named = {q for q in quoted if "/" in q and not re.match(r"[a-z]+://|/", q) and not re.search(r"[<>*{}=]", q)}
    assert named and _missing(ROOT, named) == []


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "docs").glob("*.md")))
def test_every_page_a_doc_links_exists(page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    links = {link.split("#")[0] for link in re.findall(r"\]\(([^)\s]+)\)", text) if not re.match(r"[a-z]+:", link)}
    assert _missing(ROOT / "docs", links - {""}) == []


def test_the_ports_it_lists_are_the_servers_defaults():
    rows = dict(re.findall(r"^\| ([^|]+?) \| (\d{4}) \|$", README, re.M))
    assert len(rows) == 5, rows
    by_label = {
        "web page": "WEB_PORT",
        "Rasa": "RASA_PORT",
        "action server": "ACTION_PORT",
        "editor": "EDITOR_PORT",
    }
    run_servers = (ROOT / "scripts" / "run" / "run-servers").read_text(encoding="utf-8")
    defaults = dict(re.findall(r"^(\w+_PORT)=\$\{\1:-(\d+)\}$", run_servers, re.M))
    for label, port in rows.items():
        if label.startswith("Redis"):
            redis = serve.services({})[0]
            assert redis.name == "redis" and port in redis.command, (label, port, redis.command)
            continue
        variable = next(v for key, v in by_label.items() if key in label)
        assert defaults[variable] == port, (label, port, defaults)
    assert "localhost:5005/webhooks/rest/webhook" in README and defaults["RASA_PORT"] == "5005"


def test_its_figures_are_those_make_docs_writes():
    """Every measured figure of the README is in a block `make docs` writes from docs/*.json: one
    edited by hand, or left behind by a new measurement, fails here."""
    assert set(docs.BLOCK.findall(README)) and {m["name"] for m in docs.BLOCK.finditer(README)} == set(docs.BLOCKS)
    assert docs.render(README) == README, "README.md's generated blocks are stale: run make docs"


def test_the_module_map_names_every_module():
    architecture = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tracked = subprocess.run(
        ["git", "ls-files", "assistant", "actions"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    modules = [p for p in tracked if p.endswith(".py") and not p.endswith("__init__.py")]
    assert modules
    assert [m for m in modules if m not in architecture] == []
