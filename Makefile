# motcua-queue: `make run` serves the demo center, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format bench bench-voice install clean

# pip's own chatter goes to .venv/install.log, shown only when the install fails: the first
# `make run` ends with the address and the demo passwords, not with pages of pip.
$(BIN)/motcua: pyproject.toml
	@echo "Cài đặt môi trường Python vào $(VENV) (lần đầu mất vài phút)…"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip > $(VENV)/install.log 2>&1 \
		&& $(BIN)/pip install --quiet -e ".[test]" >> $(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; echo "Cài đặt thất bại: xem $(VENV)/install.log"; exit 1; }
	@touch $(BIN)/motcua

# The project's bytecode, compiled here (up-to-date files are skipped): the service cannot
# write into its install folder, and compiling its modules at every start costs ~0.1 s.
# The announcement voice's stopgap: espeak-ng clips into var/voice/espeak/ (skipped without it).
install: $(BIN)/motcua
	@$(BIN)/python -m compileall -q server printers kiosk display counter
	@if command -v espeak-ng >/dev/null 2>&1; then $(BIN)/motcua voice render-espeak --quiet; fi

run: install
	@$(BIN)/motcua demo
	@$(BIN)/motcua serve --host $(HOST) --port $(PORT)

# Three workers, one test file each at a time (module fixtures stay in one process): most
# tests wait on servers, browsers and speech, so this halves the time even on two cores.
# schemathesis's tests do not run under pytest-xdist (they would be skipped silently), so
# tests/test_openapi.py runs on its own afterwards.
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 3 --dist loadfile --ignore=tests/test_openapi.py
	$(BIN)/pytest tests/test_openapi.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.receipts
	$(BIN)/python -m bench.durability
	$(BIN)/python -m bench.startup

# Intelligibility of each clip set (word error rate of an offline recognizer): docs/performance.md.
bench-voice: install
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python -m bench.voice_wer

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache *.egg-info
