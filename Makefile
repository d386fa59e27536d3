# Houqin — the two commands a new user types are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1

.PHONY: run test install lint fmt check bench messages screenshots clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs the pinned set; uv when it can be had (10x faster), plain pip otherwise.
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	@if $(BIN)/pip install -q uv >/dev/null 2>&1; then \
		$(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock && \
		$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e . ; \
	else \
		$(BIN)/pip install -q -r requirements.lock && $(BIN)/pip install -q --no-deps -e . ; \
	fi
	@touch $@

install: $(VENV)/.installed

# Migrates, loads the demo district only into an empty database (a second run keeps the data), prints the demo
# logins and serves on 127.0.0.1:$(PORT). HOUQIN_DATABASE_URL selects another database.
run: install
	$(BIN)/houqin migrate --noinput
	PORT=$(PORT) $(BIN)/houqin demo --if-empty
	PORT=$(PORT) $(BIN)/houqin serve

test: install
	$(BIN)/python -m pytest $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerates the zh_Hans catalog from the code (needs GNU gettext) and compiles it; both files are committed.
messages: install
	cd houqin && ../$(BIN)/python ../manage.py makemessages -l zh_Hans --no-obsolete --add-location file \
		--ignore 'static/*' --ignore 'tests/*' --ignore '*/tests/*'
	cd houqin && ../$(BIN)/python ../manage.py compilemessages -l zh_Hans

bench: install
	$(BIN)/python -m bench

# Re-takes the screenshots of the user guides (docs/guide/) from the browser tests.
screenshots: install
	HOUQIN_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -m browser -q $(ARGS)

clean-venv:
	rm -rf $(VENV)
