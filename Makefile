# The assistant's commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON_VERSION := 3.10
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/assistant.tar.gz
# Voikko's Finnish dictionary (Debian's voikko-fi, with libvoikko1): names in Finnish word forms.
VOIKKO_FI := /usr/lib/voikko/5/mor-standard/mor.vfst
# The browser the widget tests drive: Debian's Chromium (Playwright's own browser download is not used).
CHROMIUM := /usr/bin/chromium
# The lock store that lets several Sanic workers (make run) and several servers (make run-cluster)
# share conversations: Debian's Redis (assistant/storage/lock_store.py).
REDIS := /usr/bin/redis-server
# The editor's words in Finnish and Swedish (editor/locale/), compiled by GNU gettext's msgfmt (Debian's
# gettext); the compiled files are not tracked.
MSGFMT := /usr/bin/msgfmt
EDITOR_MESSAGES := $(patsubst %.po,%.mo,$(wildcard editor/locale/*/LC_MESSAGES/django.po))
# What the model is trained from: changing any of these retrains on the next `make run` or `make test`.
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml') assistant/understanding/nlu_components.py

export TF_CPP_MIN_LOG_LEVEL := 2
# No usage data leaves the machine (and there is no network to send it over).
export RASA_TELEMETRY_ENABLED := false
export PYTHONUNBUFFERED := 1
# The same trained models and scores on any processor (docs/evaluation.md): oneDNN's kernels are picked
# by the processor and change float results, and the thread counts fix how TensorFlow splits its sums.
# Rasa applies the thread counts when it starts, scripts/measure/evaluate.py likewise. These are the
# one place for these settings: `make eval-determinism` overrides them on make's command line.
export TF_ENABLE_ONEDNN_OPTS := 0
export TF_DETERMINISTIC_OPS := 1
export TF_INTRA_OP_PARALLELISM_THREADS := 2
export TF_INTER_OP_PARALLELISM_THREADS := 2
# The long steps' durations, kept in results/durations.json for `make docs` (scripts/measure/timed.py);
# the system's Python, as the virtualenv may not be there yet.
TIMED := python3 -m scripts.measure.timed

.PHONY: run run-cluster test test-unit test-e2e lint setup editor-user export-facts train validate check-facts report prune docs test-conversations test-cluster baseline eval eval-determinism bench fit-weights shell clean

run: $(MODEL) $(REDIS) $(EDITOR_MESSAGES)
	$(BIN)/python -m scripts.run.serve

test: lint check-facts validate $(MODEL) test-conversations test-unit test-e2e test-cluster eval

# ruff's lint and format checks (pyproject.toml); `$(BIN)/ruff format .` formats.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

setup: $(BIN)/.installed

$(BIN)/.installed: requirements.txt scripts/run/make-venv | $(VOIKKO_FI)
	rm -rf $(VENV)
	$(TIMED) setup scripts/run/make-venv $(PYTHON_VERSION) $(VENV) requirements.txt
	touch $@

$(VOIKKO_FI):
	apt-get update
	apt-get install -y libvoikko1 voikko-fi

%.mo: %.po | $(MSGFMT)
	$(MSGFMT) --check-format -o $@ $<

$(MSGFMT):
	apt-get update
	apt-get install -y gettext

train: $(MODEL)

$(MODEL): $(BIN)/.installed $(TRAINING_INPUTS)
	$(TIMED) train $(BIN)/rasa train --force --fixed-model-name assistant --out $(dir $(MODEL))

validate: $(BIN)/.installed
	$(BIN)/rasa data validate --fail-on-warnings

# The fact base's every problem as file:line: record: field: problem (scripts/edit/check_facts.py); the
# editor's newest publication with FACTS=published.
FACTS :=
check-facts: $(BIN)/.installed
	$(BIN)/python -m scripts.edit.check_facts $(FACTS)

# What residents asked that the assistant could not answer, alike questions grouped, most asked first;
# all of it in var/unanswered-report.csv (scripts/edit/report.py).
report: $(BIN)/.installed
	$(BIN)/python -m scripts.edit.report

# An account for the fact base editor (http://localhost:8000/editor/): make editor-user NAME=anna
# [ROLE=publisher]; the password is asked for (editor/management/commands/editor_user.py).
ROLE := editor
editor-user: $(BIN)/.installed $(EDITOR_MESSAGES)
	DJANGO_SETTINGS_MODULE=editor.settings $(BIN)/python -m django seed_facts
	DJANGO_SETTINGS_MODULE=editor.settings $(BIN)/python -m django editor_user "$(NAME)" --role $(ROLE)

# The newest publication of the editor written back to facts/ (editor/export.py): git diff shows
# what editors changed.
export-facts: $(BIN)/.installed
	DJANGO_SETTINGS_MODULE=editor.settings $(BIN)/python -m django export_facts

# What the last make test measured into docs/ and the README's generated blocks, and the widget's
# pictures the pages show taken anew (scripts/measure/docs.py): make test leaves tracked files alone.
DOCS_SCREENSHOTS = widget-desktop-first.png widget-phone.png widget-desktop.png
docs: $(MODEL) $(CHROMIUM)
	$(BIN)/pytest tests/e2e/test_widget.py -k screenshots
	cp $(addprefix results/screenshots/,$(DOCS_SCREENSHOTS)) docs/
	$(BIN)/python -m scripts.measure.docs

# Deletes conversations, unanswered questions and ratings older than RETENTION_DAYS (default 30).
prune: $(BIN)/.installed
	$(BIN)/python -m scripts.run.prune

# The conversation tests (tests/conversations/): NLU and dialogue together, any wrong prediction fails.
test-conversations: $(MODEL)
	$(TIMED) test-conversations $(BIN)/rasa test core --model $(MODEL) --stories tests/conversations \
		--e2e --fail-on-prediction-errors --out results/conversations

# The fast tests, which start no server: the fact base, understanding, answering, the channel's checks,
# storage, the editor, the scripts (all of tests/ but e2e/ and cluster/), a process for each processor.
test-unit: $(BIN)/.installed $(EDITOR_MESSAGES)
	$(TIMED) test-unit $(BIN)/pytest -n auto --ignore=tests/e2e --ignore=tests/cluster

# The servers as make run starts them, over REST, with the judged sets; the widget and the editor in
# Chromium.
test-e2e: $(MODEL) $(CHROMIUM) $(REDIS) $(EDITOR_MESSAGES)
	$(TIMED) test-e2e $(BIN)/pytest tests/e2e

$(CHROMIUM):
	apt-get update
	apt-get install -y chromium

$(REDIS):
	apt-get update
	apt-get install -y redis-server libjemalloc2

# The cluster: two Rasa servers sharing PostgreSQL and Redis, nginx in front on 8080 (scripts/run/cluster.py).
CLUSTER_PROGRAMS := /usr/bin/pg_ctlcluster /usr/sbin/nginx
run-cluster: $(MODEL) $(REDIS) $(CLUSTER_PROGRAMS) $(EDITOR_MESSAGES)
	$(BIN)/python -m scripts.run.cluster

# A conversation across both servers, simultaneous messages serialised by the lock store, one server
# stopped under load, each process killed under steady load, a burst through nginx, the cluster from
# a folder only root can enter (tests/cluster/, docs/deploy.md).
test-cluster: $(MODEL) $(REDIS) $(CLUSTER_PROGRAMS) $(EDITOR_MESSAGES)
	$(TIMED) test-cluster $(BIN)/pytest tests/cluster

$(CLUSTER_PROGRAMS) &:
	apt-get update
	apt-get install -y postgresql nginx

clean:
	rm -rf $(VENV) models results var .rasa

# Baseline (a) of `make eval`: Rasa's default NLU pipeline, with fixed seeds (tests/nlu/rasa-default-config.yml).
# Trained once for each set of its inputs and kept in BASELINE_CACHE, outside the checkout (scripts/measure/baseline.py).
BASELINE_MODEL := models/baseline-default.tar.gz
BASELINE_CACHE := $(HOME)/.cache/helsinki-international-work
baseline: $(BIN)/.installed
	$(BIN)/python -m scripts.measure.baseline --config tests/nlu/rasa-default-config.yml --nlu data/nlu \
		--out $(BASELINE_MODEL) --cache "$(BASELINE_CACHE)"

# Understanding quality on tests/nlu/ against two baselines; writes EVAL_OUT/evaluation.md; fails below
# the gate (part of `make test`). `make eval EVAL_OUT=docs` updates docs/evaluation.md.
EVAL_OUT := results/evaluation
eval: $(MODEL) baseline
	$(TIMED) eval $(BIN)/python -m scripts.measure.evaluate --model $(MODEL) --baseline-model $(BASELINE_MODEL) --out $(EVAL_OUT)

# Both models trained from scratch and scored under other thread and oneDNN settings; adds the figures
# to EVAL_OUT/evaluation.md (scripts/measure/determinism.py): four trainings of each, the slowest target.
eval-determinism: $(BIN)/.installed
	$(BIN)/python -m scripts.measure.determinism --work results/determinism --report $(EVAL_OUT)

# Speed and cost on this machine, beside Rasa's starter bot (built and trained once into var/bench/):
# `make run`, the starter bot and the cluster on free ports, measured over loopback, then a training
# from an empty cache; writes docs/benchmarks.md and docs/benchmarks.json (scripts/measure/benchmark.py,
# scripts/measure/bench/). Longer the first time, when the starter bot is trained.
bench: $(MODEL) $(REDIS) $(CLUSTER_PROGRAMS)
	$(TIMED) bench $(BIN)/python -m scripts.measure.benchmark

# The answer selection's weights fitted on the development sets, never the sealed blind set
# (scripts/measure/fit_weights.py); FIT_ARGS=--write writes them to assistant/answering/weights.yml.
fit-weights: $(MODEL)
	$(BIN)/python -m scripts.measure.fit_weights $(FIT_ARGS)

# `rasa shell` with the action server, for developers: Rasa's prompt first, and each answer's sources as
# plain text under it (scripts/run/shell).
shell: $(MODEL)
	scripts/run/shell
