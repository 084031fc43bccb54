"""`make check-facts` (scripts/check-facts): every problem located, and a failing exit status."""

import re
import shutil
import subprocess
import sys

import yaml

from assistant import factbase
from helpers import record

CHECK_FACTS = factbase.DEFAULT_PATH.parent.parent / "scripts" / "check-facts"
LOCATED = re.compile(r"^(?P<file>/\S+\.yml):(?P<line>\d+): (?P<record>[^:]+): (?P<field>[^:]+): (?P<problem>.+)$")


def check(path=None):
    return subprocess.run([sys.executable, str(CHECK_FACTS), *([str(path)] if path else [])],
                          capture_output=True, text=True, timeout=60)


def test_the_projects_fact_base_passes():
    run = check()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "OK" in run.stdout


def test_every_problem_is_reported_with_file_line_record_and_field(tmp_path):
    shutil.copytree(factbase.DEFAULT_PATH.parent, tmp_path / "facts")
    path = tmp_path / "facts" / factbase.DEFAULT_PATH.name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    record(data, "facts", "echa_staff")["text"].pop("sv")  # a missing language
    record(data, "facts", "main_partners")["about"].append("atlantis")  # an unknown reference
    record(data, "entities", "berlin")["aliases"]["en"].append("Tallinn")  # one alias on two entities
    del record(data, "facts", "eu_office")["source"]  # a fact without a source
    del data["sources"][0]["date"]  # a source without a date
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    run = check(path)
    assert run.returncode == 1
    problems = [LOCATED.match(line) for line in run.stdout.splitlines()]
    assert problems and all(problems), run.stdout
    found = {(p["record"], p["field"]) for p in problems}
    assert ("fact 'echa_staff'", "text.sv") in found
    assert ("fact 'main_partners'", "about") in found
    assert ("fact 'eu_office'", "source") in found
    assert any(field == "date" for _, field in found), found
    assert any(p["field"] == "aliases" and "Tallinn" in p["problem"] for p in problems), run.stdout
    assert not any("unknown source" in p["problem"] for p in problems)  # the dateless source: reported once
    assert all(p["file"] == str(path) and int(p["line"]) > 0 for p in problems)
