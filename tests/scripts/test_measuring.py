"""The arithmetic of `make eval` and `make bench` (scripts/measure/evaluate.py, scripts/measure/baseline.py,
scripts/measure/benchmark.py and scripts/measure/bench/)."""

import json
import os
import time

import pytest

from assistant.knowledge.facts import LANGUAGES
from scripts.measure import baseline, benchmark, evaluate
from scripts.measure.bench import memory, profile, report
from scripts.measure.bench.load import Burst, Load, Outcome, percentile


def test_percentiles_interpolate_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0, 5.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


@pytest.mark.parametrize(
    "name, measured, met",
    [
        ("answer p50 / greeting p50, one conversation", 1.2, True),
        ("answer p50 / greeting p50, one conversation", 1.21, False),
        ("answers/s at 10 conversations, this assistant / the starter bot", 2.0, True),
        ("answers/s at 10 conversations, this assistant / the starter bot", 1.99, False),
        ("answer p50 at 10 conversations, this assistant / the starter bot", 0.6, True),
        ("answer p50 at 10 conversations, this assistant / the starter bot", 0.61, False),
        ("errors at 10 conversations", 1, False),
        ("Rasa server peak memory (MB)", 1600, False),
    ],
)
def test_targets_are_limits_in_the_right_direction(name, measured, met):
    assert report.met(name, measured) is met


def test_component_times_come_from_the_training_log():
    log = (
        "2026-11-29 06:11:54 INFO rasa.engine.training.hooks  - Starting to train component 'Tokenizer'.\n"
        "2026-11-29 06:11:55 INFO rasa.engine.training.hooks  - Finished training component 'Tokenizer'.\n"
        "2026-11-29 06:11:57 INFO rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.\n"
        "Epochs: 100%\n"
        "2026-11-29 06:12:49 INFO rasa.engine.training.hooks  - Finished training component 'DIETClassifier'.\n"
    )
    assert profile.component_times(log) == [("Tokenizer", 1.0), ("DIETClassifier", 52.0)]


def test_the_benchmark_sends_questions_and_greetings_in_every_language():
    for found in (benchmark.answer_questions(), benchmark.greetings()):
        assert {lang for lang, _ in found} == set(LANGUAGES)
        assert all(text for _, text in found)


def a_run(assistant_rate, starter_rate, **results):
    """A run's figures: 10 seconds at each load, every answer in 50 ms (the starter bot's in 100)."""

    def load(concurrency, rate, seconds=0.05):
        return Load(
            concurrency, latencies={"answer": [seconds] * int(rate * 10), "greeting": [seconds] * 5}, elapsed=10.0
        )

    measured = {name: limit for name, (limit, _) in report.TARGETS.items()}
    measured.update(
        {
            "answers/s at 10 conversations, this assistant / the starter bot": assistant_rate / starter_rate,
            "action server peak memory (MB)": 210.0,
            **results,
        }
    )
    costs = {
        profile.WHOLE_TURN: 35.0,
        profile.ACTION_CALL: 13.0,
        profile.RESULT_CHECK: 8.0,
        profile.TRACKER_LOAD: 2.0,
        profile.TRACKER_SAVE: 6.5,
        "DIETClassifier (run_DIETClassifier3)": 8.4,
    }
    return report.Run(
        measured,
        load(1, 20.0),
        [load(1, 20.0), load(10, 2 * assistant_rate)],
        load(10, assistant_rate),
        load(10, starter_rate, 0.1),
        load(10, 2 * assistant_rate),
        costs,
        [("DIETClassifier", 96.0)],
        129,
        [410.0, 960.0, 965.0],
        a_burst(),
    )


def a_burst():
    """Four conversations of three turns: two answered in 1 and 3 s, one refused twice, one reset once."""
    answered = [Outcome("q", 200, None, [], s) for s in (1.0, 3.0)]
    refused = Outcome("q", 503, "2", {"error": "busy"}, 0.01)
    return Burst(
        [
            ("a", answered[:1] * 3),
            ("b", answered[1:] * 3),
            ("c", [refused, refused, answered[0]]),
            ("d", [Outcome("q", "ClientOSError", None, "reset", 0.5), *answered]),
        ],
        20.0,
    )


def test_the_report_sets_the_assistant_beside_the_starter_bot_with_only_measured_figures():
    text = report.markdown(a_run(30.0, 20.0))
    assert "| this assistant (make run) | 10 | 300 | 0 | 30.0 | 50 |" in text
    assert "| Rasa's starter bot (rasa init) | 10 | 200 | 0 | 20.0 | 100 |" in text
    assert "| this assistant, cluster of 2 behind nginx | 10 | 600 | 0 | 60.0 |" in text
    assert "| answers/s at 10 conversations, this assistant / the starter bot | 1.50 | ≥ 2 | **missed** |" in text
    assert "50 answers/s" not in text and "2026-11-29" not in text  # no fixed claims from other runs


def test_a_missed_throughput_target_is_explained_with_the_measured_parts():
    notes = report.markdown(a_run(30.0, 20.0)).split("## Missed targets")[1]
    assert "costs 35.0 ms" in notes and "tracker store 8.5 ms" in notes and "action call 13.0 ms" in notes
    assert "2 Sanic workers" in notes and "near 57 answers/s" in notes and "gave 20.0" in notes
    assert "at most 50 ms" in notes
    assert "## Missed targets" not in report.markdown(a_run(40.0, 20.0))


def test_the_memory_section_gives_the_shared_count_peak_and_each_process_peak():
    text = report.markdown(a_run(40.0, 20.0, **{"Rasa server peak memory (MB)": 1480.0}))
    section = text.split("## Memory")[1].split("\n## ")[0]
    assert "**1480 MB**" in section and "410, 960, 965 MB, 2335 MB together" in section
    assert "action server's peak Pss: 210 MB" in section
    assert "## Missed targets" not in text


def test_the_burst_section_gives_the_bound_and_the_shares_answered_refused_and_failed():
    section = report.markdown(a_run(40.0, 20.0)).split("## A burst of 4 conversations at once")[1].split("\n## ")[0]
    assert "each of the 2 Sanic workers takes 4 turns into the dialogue at once and lets 150 wait" in section
    assert "| 12 | 9 | 2 (17%) | 1 |" in section
    assert "the burst took 20 s" in section


def test_a_missed_memory_target_is_noted():
    notes = report.markdown(a_run(40.0, 20.0, **{"Rasa server peak memory (MB)": 1600.0})).split("## Missed targets")[1]
    assert "**Memory.** 1600 MB" in notes


def test_memory_shared_with_a_forked_child_is_counted_once():
    """What the Sanic workers inherit from the main process is one copy in RAM: the proportional sum
    counts it once, as the sum of resident sets would not. A process that writes 200 MB, then forks."""
    parent = os.fork()
    if parent == 0:
        block = bytearray(200 << 20)
        block[::4096] = b"x" * len(block[::4096])  # every page written: resident, then shared by the fork
        os.fork()
        time.sleep(60)
        os._exit(0)
    try:
        deadline = time.monotonic() + 20
        while not memory.processes(parent)[1:] and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        together = memory.proportional_mb(parent)
        resident = [memory._kb(p, "status", "VmRSS") / 1024 for p in memory.processes(parent)]
        assert len(resident) == 2 and min(resident) > 200
        assert 200 < together < sum(resident) - 150  # the 200 MB once, not twice
        with memory.PeakSampler(parent) as sampler:
            time.sleep(0.1)
        assert together - 20 < sampler.peak < together + 20
    finally:
        for pid in memory.processes(parent)[::-1]:
            os.kill(pid, 9)
        os.waitpid(parent, 0)


def test_phases_pooled_add_up_their_turns_errors_and_time():
    first = Load(10, {"answer": [0.1, 0.2]}, errors=1, elapsed=2.0)
    second = Load(10, {"answer": [0.3], "greeting": [0.05]}, errors=0, elapsed=1.0)
    pooled = Load.pooled([first, second])
    assert pooled.latencies == {"answer": [0.1, 0.2, 0.3], "greeting": [0.05]}
    assert (pooled.errors, pooled.elapsed, pooled.per_second()) == (1, 3.0, 1.0)


def test_scores_count_intents_and_exact_entity_spans():
    gold = [("a", "greet", {("city", 0, 5)}), ("b", "greet", set()), ("c", "deny", {("city", 2, 4)})]
    predicted = [("greet", {("city", 0, 5)}, 0.9), ("deny", {("city", 1, 4)}, 0.8), ("deny", set(), 0.7)]
    s = evaluate.scores(gold, predicted)
    assert s["accuracy"] == pytest.approx(2 / 3)
    assert s["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)  # greet P1 R.5, deny P.5 R1
    assert s["entity_f1"] == pytest.approx(0.5)  # 1 of 2 found right, 1 of 2 true found


@pytest.mark.parametrize(
    "only_first, only_second, p",
    # Two-sided exact binomial p-values with p = 1/2 (as scipy.stats.binomtest gives them).
    [
        (0, 6, 0.03125),
        (6, 0, 0.03125),
        (0, 5, 0.0625),
        (3, 12, 0.03515625),
        (10, 2, 0.03857421875),
        (1, 1, 1.0),
        (5, 5, 1.0),
        (0, 0, 1.0),
    ],
)
def test_mcnemars_exact_test_counts_only_the_discordant_sentences(only_first, only_second, p):
    assert evaluate.mcnemar_exact(only_first, only_second) == pytest.approx(p)


def predictions(intents):
    return [(intent, set(), None) for intent in intents]


def test_the_project_is_better_worse_or_on_par_by_mcnemars_test():
    gold = [(str(n), "greet", set()) for n in range(20)]
    right, wrong = "greet", "deny"
    six_more = predictions([right] * 20)
    six_fewer = predictions([wrong] * 6 + [right] * 14)
    assert evaluate.compare(gold, six_more, six_fewer)["verdict"] == "better"
    assert evaluate.compare(gold, six_fewer, six_more)["verdict"] == "worse"
    five_fewer = predictions([wrong] * 5 + [right] * 15)
    assert evaluate.compare(gold, five_fewer, six_more) == {
        "project_only": 0,
        "baseline_only": 5,
        "p": 0.0625,
        "verdict": "on par",
    }
    # A sentence both get wrong, in different ways, is no evidence either way.
    assert (
        evaluate.compare(gold, predictions(["thank"] + [right] * 19), predictions(["deny"] + [right] * 19))["verdict"]
        == "on par"
    )


def result(f1, verdicts, digest="d"):
    systems = {
        name: {"accuracy": f1, "macro_f1": f1, "entity_f1": 1.0, "digest": digest}
        for name in ("project", *evaluate.BASELINES)
    }
    comparisons = {
        b: {"project_only": 0, "baseline_only": 0, "p": 0.5 if v == "on par" else 0.01, "verdict": v}
        for b, v in zip(evaluate.BASELINES, verdicts)
    }
    languages = {lang: {"examples": 252, "systems": systems, "comparisons": comparisons} for lang in LANGUAGES}
    return {
        "settings": {name: "0" for name in evaluate.SETTINGS},
        "languages": languages,
        "failures": evaluate.gate_failures(languages),
    }


def test_the_gate_fails_below_the_target_or_when_significantly_worse():
    assert result(0.96, ["on par", "better"])["failures"] == []
    assert len(result(0.949, ["on par", "better"])["failures"]) == 3
    worse = result(0.99, ["worse", "better"])["failures"]
    assert len(worse) == 3 and all("rasa default" in f for f in worse)


def test_the_report_gives_each_verdict_with_its_p_value_and_the_other_settings(tmp_path):
    reference = result(0.98, ["on par", "better"], digest="aaa")
    (tmp_path / "evaluation.json").write_text(json.dumps(reference))
    text = evaluate.report(tmp_path)
    assert "| fi | rasa default | 0 | 0 | 0.5 | on par |" in text
    assert "| en | tf-idf 1-nn | 0 | 0 | 0.01 | better |" in text
    assert "Gate: passed." in text and "other settings" not in text
    runs = [
        {"name": "again", "result": reference},
        {"name": "oneDNN on", "result": result(0.97, ["on par", "better"], digest="bbb")},
    ]
    (tmp_path / "determinism.json").write_text(json.dumps(runs))
    lines = evaluate.report(tmp_path).splitlines()
    assert any(line.startswith("| again |") and "| identical | identical |" in line for line in lines)
    assert any(
        line.startswith("| oneDNN on |") and "0.970 / 0.970 / 0.970" in line and "identical" not in line
        for line in lines
    )


def test_other_settings_show_how_far_the_predictions_moved():
    reference, moved = result(0.98, ["on par", "better"], digest="a"), result(0.98, ["on par", "better"], digest="b")
    for lang in LANGUAGES:
        reference["languages"][lang]["systems"]["project"]["predictions"] = [["greet", 0.9], ["deny", 0.5]]
    moved["languages"] = json.loads(json.dumps(reference["languages"]))
    for lang in LANGUAGES:
        moved["languages"][lang]["systems"]["project"]["digest"] = "b"
    moved["languages"]["sv"]["systems"]["project"]["predictions"] = [["greet", 0.9000003], ["thank", 0.5]]
    assert evaluate.drift(reference, reference, "project") == "identical"
    assert evaluate.drift(moved, reference, "project") == "1 of 6 intents changed; confidences by up to 3e-07"


def test_equal_fingerprints_only_for_the_same_predictions_and_confidences():
    one = [("greet", {("city", 0, 3)}, 0.9000000000000001)]
    assert evaluate.digest(one) == evaluate.digest(list(one))
    assert evaluate.digest(one) != evaluate.digest([("greet", {("city", 0, 3)}, 0.9)])
    assert evaluate.digest(one) != evaluate.digest([("deny", {("city", 0, 3)}, 0.9000000000000001)])


def test_the_baselines_cache_key_changes_with_each_input(tmp_path, monkeypatch):
    config, nlu = tmp_path / "config.yml", tmp_path / "nlu"
    config.write_text("pipeline: []\n")
    (nlu / "fi").mkdir(parents=True)
    (nlu / "fi" / "chitchat.yml").write_text("nlu: []\n")
    for name in evaluate.SETTINGS:
        monkeypatch.setenv(name, "1")
    key = baseline.cache_key(config, nlu)
    assert baseline.cache_key(config, nlu) == key
    keys = {key}

    def changed():
        new = baseline.cache_key(config, nlu)
        assert new not in keys
        keys.add(new)

    config.write_text("pipeline: [{name: WhitespaceTokenizer}]\n")
    changed()
    (nlu / "fi" / "chitchat.yml").write_text("nlu: [{intent: greet}]\n")
    changed()
    (nlu / "sv").mkdir()
    (nlu / "sv" / "chitchat.yml").write_text("nlu: []\n")
    changed()
    for name in evaluate.SETTINGS:
        monkeypatch.setenv(name, "2")
        changed()
    monkeypatch.setattr(baseline.sys, "version", "3.10.99")
    changed()
    real = baseline.metadata.distributions
    monkeypatch.setattr(baseline.metadata, "distributions", lambda: list(real())[1:])
    changed()


def test_the_baseline_is_trained_once_then_taken_from_the_cache(tmp_path, monkeypatch):
    config, nlu, cache = tmp_path / "config.yml", tmp_path / "nlu", tmp_path / "cache"
    config.write_text("pipeline: []\n")
    nlu.mkdir()
    out = tmp_path / "models" / "baseline.tar.gz"
    trained = []

    def train(config, nlu, out):
        trained.append(config.read_text())
        out.write_text(f"model {len(trained)}")

    monkeypatch.setattr(baseline, "train", train)

    def make_baseline(cache_dir=cache):
        argv = ["baseline.py", "--config", str(config), "--nlu", str(nlu), "--out", str(out), "--cache", str(cache_dir)]
        monkeypatch.setattr(baseline.sys, "argv", argv)
        assert baseline.main() == 0

    make_baseline()
    make_baseline()
    out.unlink()
    make_baseline()
    assert len(trained) == 1 and out.read_text() == "model 1"
    config.write_text("pipeline: [{name: WhitespaceTokenizer}]\n")
    make_baseline()
    assert len(trained) == 2 and out.read_text() == "model 2"
    out.unlink()
    make_baseline(cache_dir="")  # no cache: trained anew
    assert len(trained) == 3
