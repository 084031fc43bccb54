"""The arithmetic of `make eval` and `make bench` (scripts/evaluate.py, scripts/benchmark.py)."""

import pytest

import benchmark
import evaluate


def test_percentiles_interpolate_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0, 5.0]
    assert benchmark.percentile(values, 50) == 3.0
    assert benchmark.percentile(values, 0) == 1.0
    assert benchmark.percentile(values, 100) == 5.0
    assert benchmark.percentile(values, 95) == pytest.approx(4.8)
    assert benchmark.percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        benchmark.percentile([], 50)


@pytest.mark.parametrize(
    "name, measured, met",
    [
        ("answer p50 / greeting p50", 1.2, True),
        ("answer p50 / greeting p50", 1.21, False),
        ("answers/s at 10 conversations", 50.0, True),
        ("answers/s at 10 conversations", 49.9, False),
        ("errors at 10 conversations", 1, False),
        ("Rasa server peak memory (MB)", 1600, False),
    ],
)
def test_targets_are_limits_in_the_right_direction(name, measured, met):
    assert benchmark.verdict(name, measured) is met


def test_component_times_come_from_the_training_log():
    log = (
        "2026-11-29 06:11:54 INFO rasa.engine.training.hooks  - Starting to train component 'Tokenizer'.\n"
        "2026-11-29 06:11:55 INFO rasa.engine.training.hooks  - Finished training component 'Tokenizer'.\n"
        "2026-11-29 06:11:57 INFO rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.\n"
        "Epochs: 100%\n"
        "2026-11-29 06:12:49 INFO rasa.engine.training.hooks  - Finished training component 'DIETClassifier'.\n"
    )
    assert benchmark.component_times(log) == [("Tokenizer", 1.0), ("DIETClassifier", 52.0)]


def test_the_benchmark_sends_questions_and_greetings_in_every_language():
    for found in (benchmark.answer_questions(), benchmark.greetings()):
        assert {lang for lang, _ in found} == set(benchmark.LANGUAGES)
        assert all(text for _, text in found)


def test_scores_count_intents_and_exact_entity_spans():
    gold = [("a", "greet", {("city", 0, 5)}), ("b", "greet", set()), ("c", "deny", {("city", 2, 4)})]
    predicted = [("greet", {("city", 0, 5)}), ("deny", {("city", 1, 4)}), ("deny", set())]
    s = evaluate.scores(gold, predicted)
    assert s["accuracy"] == pytest.approx(2 / 3)
    assert s["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)  # greet P1 R.5, deny P.5 R1
    assert s["entity_f1"] == pytest.approx(0.5)  # 1 of 2 found right, 1 of 2 true found


def test_a_missed_throughput_target_is_explained_with_the_measured_figures():
    loads = []
    for concurrency, rate in ((1, 17.0), (10, 18.5)):
        load = benchmark.Load(concurrency, latencies={"answer": [0.05] * int(rate * 10)}, elapsed=10.0)
        loads.append(load)
    profile = {benchmark.WHOLE_TURN: 35.0, benchmark.ACTION_CALL: 13.0, benchmark.RESULT_CHECK: 8.0,
               "DIETClassifier (run_DIETClassifier3)": 8.4}
    met = {name: limit for name, (limit, _) in benchmark.TARGETS.items()}
    training = [("CountVectorsFeaturizer", 1.0), ("DIETClassifier", 96.0)]
    assert benchmark.missed_notes(met, loads, profile, training) == ""
    notes = benchmark.missed_notes({**met, "answers/s at 10 conversations": 18.5}, loads, profile, training)
    assert "17.0 with 1, 18.5 with 10" in notes
    assert "near 29 answers/s" in notes and "DIET (8 ms)" in notes


def test_a_missed_training_target_names_diets_share():
    met = {name: limit for name, (limit, _) in benchmark.TARGETS.items()}
    training = [("CountVectorsFeaturizer", 1.0), ("DIETClassifier", 96.0)]
    notes = benchmark.missed_notes({**met, "cold training (s)": 120.9}, [], {}, training)
    assert "121 s, of which DIET 96 s" in notes
