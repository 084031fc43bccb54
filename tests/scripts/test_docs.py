"""`make docs` (scripts/measure/docs.py) and the timing of make's steps (scripts/measure/timed.py): each
figure written where it belongs, from what measured it."""

import json
import sys

import pytest

from scripts.measure import docs, timed

README = """# A project

<!-- make docs: first-run -->
old
<!-- end -->

<!-- make docs: targets -->
old
<!-- end -->

<!-- make docs: quality -->
old
<!-- end -->
"""


@pytest.fixture
def measured(tmp_path, monkeypatch):
    """docs/ and results/ of their own, with what make test would have left in results/."""
    monkeypatch.setattr(docs, "DOCS", tmp_path / "docs")
    monkeypatch.setattr(docs, "ROOT", tmp_path)
    (tmp_path / "docs").mkdir()
    results = tmp_path / "results"
    (results / "evaluation").mkdir(parents=True)
    languages = {
        lang: {
            "systems": {"project": {"macro_f1": f1}},
            "comparisons": {"rasa default": {"verdict": "on par"}, "tf-idf 1-nn": {"verdict": "better"}},
        }
        for lang, f1 in (("fi", 0.9512), ("sv", 0.97), ("en", 0.961))
    }
    (results / "evaluation" / "evaluation.json").write_text(json.dumps({"languages": languages}))
    counts = {"turns": 53, "good": 39, "wrong": 4, "unhelpful": 10, "date": "2026-12-05"}
    (results / "quality.json").write_text(json.dumps({"sealed": {"en": counts}}))
    for name, seconds in (("setup", 312.0), ("test-unit", 41.5)):
        timed.record(name, seconds, results / "durations.json")
    return results


def test_the_blocks_are_written_from_what_was_measured(measured):
    docs.collect(measured)
    readme = docs.render(README)
    first_run = readme.split("first-run -->")[1].split("<!-- end -->")[0]
    assert "`make setup`" in first_run and "5 min" in first_run and "old" not in first_run
    targets = readme.split("targets -->")[1].split("<!-- end -->")[0]
    assert "`make test-unit`" in targets and "42 s" in targets and "`make setup`" not in targets
    quality = readme.split("quality -->")[1].split("<!-- end -->")[0]
    assert "| 0.951 / 0.970 / 0.961 |" in quality and "| on par / on par / on par |" in quality
    assert "| 74% of 53 turns |" in quality and "| answers judged wrong | 4 |" in quality
    assert docs.render(readme) == readme  # written again from the same figures: unchanged


def test_what_was_not_measured_is_said_not_left_as_it_was(measured):
    readme = docs.render(README)
    assert "old" not in readme and readme.count("Not measured yet") == 3


def test_a_set_measured_again_keeps_the_others(measured):
    docs.collect(measured)
    again = {"turns": 52, "good": 35, "wrong": 3, "unhelpful": 14, "date": "2026-12-06"}
    (measured / "quality.json").write_text(json.dumps({"sealed": {"fi": again}}))
    docs.collect(measured)
    kept = json.loads((docs.DOCS / "quality.json").read_text())
    assert kept["sealed"]["fi"]["good"] == 35 and "en" not in kept["sealed"]  # a set is replaced whole
    assert "| sealed | fi | 52 | 35 | 14 | 3 | 2026-12-06 |" in (docs.DOCS / "quality.md").read_text()


def test_an_unknown_block_is_refused():
    with pytest.raises(SystemExit, match="no block named 'speed'"):
        docs.render("<!-- make docs: speed -->\n<!-- end -->\n")


def test_a_failed_step_keeps_no_duration(tmp_path, monkeypatch):
    monkeypatch.setattr(timed, "DURATIONS", tmp_path / "durations.json")
    assert timed.main(["timed", "broken", sys.executable, "-c", "raise SystemExit(3)"]) == 3
    assert not (tmp_path / "durations.json").exists()
    assert timed.main(["timed", "works", sys.executable, "-c", "pass"]) == 0
    kept = json.loads((tmp_path / "durations.json").read_text())
    assert set(kept) == {"works"} and kept["works"]["seconds"] >= 0 and kept["works"]["cpus"] >= 1
