"""`make check-facts` (scripts/edit/check_facts.py): every problem located, and a failing exit status."""

import os
import re
import shutil
import subprocess
import sys

from assistant.knowledge import factbase, publications
from tests.helpers import ROOT, published_row, record, rewrite

LOCATED = re.compile(r"^(?P<file>/\S+\.yml):(?P<line>\d+): (?P<record>[^:]+): (?P<field>[^:]+): (?P<problem>.+)$")


def check(path=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "scripts.edit.check_facts", *([str(path)] if path else [])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_the_editors_newest_publication_is_checked_from_the_database(tmp_path):
    """`make check-facts FACTS=published`: the version the assistant serves, not the file."""
    env = {**os.environ, "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}"}
    assert check("published", env).returncode == 1  # nothing published
    document, texts = publications.read(factbase.DEFAULT_PATH)
    published_row(tmp_path / "tracker.db", document, texts)
    run = check("published", env)
    assert run.returncode == 0 and "publication 2" not in run.stdout and "publication 1: OK" in run.stdout
    record(document, "facts", "echa_staff")["text"].pop("sv")
    published_row(tmp_path / "tracker.db", document, texts)
    run = check("published", env)
    assert run.returncode == 1 and "fact 'echa_staff': text.sv: language is missing" in run.stdout


def test_the_projects_fact_base_passes():
    run = check()
    assert run.returncode == 0, run.stdout + run.stderr
    assert "OK" in run.stdout


def test_every_problem_is_reported_with_file_line_record_and_field(tmp_path):
    shutil.copytree(factbase.DEFAULT_PATH.parent, tmp_path / "facts")
    path = tmp_path / "facts" / factbase.DEFAULT_PATH.name

    def break_it(data):
        record(data, "facts", "echa_staff")["text"].pop("sv")  # a missing language
        record(data, "facts", "main_partners")["about"].append("atlantis")  # an unknown reference
        record(data, "entities", "berlin")["aliases"]["en"].append("Tallinn")  # one alias on two entities
        del record(data, "facts", "eu_office")["source"]  # a fact without a source
        del data["sources"][0]["date"]  # a source without a date

    rewrite(path, break_it)

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
