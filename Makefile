# Qiao: `make run` sets everything up and serves http://127.0.0.1:5000; `make test` runs the checks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
#: Debian packages: headless browser for browser tests, offline speech, CJK fonts for certificates
SYSTEM_PACKAGES := chromium chromium-driver espeak-ng fonts-noto-cjk slapd ldap-utils
PYTEST_ARGS ?=
#: every core runs tests; a module's tests stay together (module fixtures, the RQ tests' Redis db);
#: tests marked `serial` run alone afterwards
PYTEST_PARALLEL ?= -n auto --dist loadfile

.PHONY: fuzz run test worker install sysdeps frontend translations messages migrate courses demo audio lint format clean bench

run: install sysdeps frontend migrate courses demo audio
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install sysdeps frontend
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not serial" $(PYTEST_ARGS)
	@# what restarts the shared PostgreSQL server runs alone, after the rest (exit 5: none selected)
	$(BIN)/pytest -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]

# Every benchmark in a short mode (about three minutes), then one table of ratios, each against
# a baseline measured in the same run: a change that slows the product shows as a worse ratio.
bench: install
	$(BIN)/python bench/summary.py

# The fuzzer over the whole JSON API (docs/api.md), with many more examples per endpoint than
# the bounded run of `make test` (QIAO_FUZZ_EXAMPLES sets how many).
fuzz: install
	QIAO_FUZZ_EXAMPLES=$${QIAO_FUZZ_EXAMPLES:-200} $(BIN)/pytest tests/web/test_api_fuzz.py -q

install: $(VENV)/.installed translations

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile --statistics -d app/translations 2>&1 | grep -v "^compiling" || true

# After adding or changing interface strings: extract them and add the new ones to the Russian
# catalogue (existing translations are kept), then translate the empty msgstr entries.
messages: $(VENV)/.installed
	flock /tmp/qiao-messages.lock sh -c '$(BIN)/pybabel extract --no-location -F babel.cfg -k _l -k lazy_pgettext:1c,2 -k N_ -o /tmp/qiao-messages.pot . && \
	  $(BIN)/pybabel update --no-fuzzy-matching -w 100 -i /tmp/qiao-messages.pot -d app/translations'

migrate: install
	$(BIN)/flask db upgrade

courses: migrate
	$(BIN)/flask courses import courses

demo: courses
	$(BIN)/flask seed-demo

# A clip for every word, line and spoken prompt of the courses, made offline by espeak-ng's
# `cmn-latn-pinyin` voice reading each item's stored pinyin (AUDIO_ENGINE=piper or sherpa uses
# the operator's neural voice instead, see README «Аудио»; `flask audio build` alone uses
# TTS_ENGINE; --foreground builds here even when REDIS_URL sends jobs to a worker), then
# `flask audio verify` checks every clip: Mandarin throughout, one-syllable clips in their
# written tone. Without espeak-ng, or when a clip fails either step, it says so
# and the server starts anyway: pages mark what has no audio and never play a failed clip.
AUDIO_ENGINE ?= espeak
audio: courses
	@if command -v espeak-ng >/dev/null 2>&1; then \
	  $(BIN)/flask audio build --foreground --engine $(AUDIO_ENGINE) \
	    || echo "WARNING: some audio clips could not be made (listed above); pages mark them."; \
	  $(BIN)/flask audio verify \
	    || echo "WARNING: audio verification failed (listed above); failed clips are not played."; \
	else \
	  echo "NOTICE: espeak-ng is not installed, so no audio was made."; \
	  echo "        install it (sudo apt-get install espeak-ng), then run: make audio"; \
	fi

# Installs what is missing when root with apt; otherwise says exactly what is missing and goes on.
sysdeps:
	@missing=""; \
	if ! command -v dpkg >/dev/null 2>&1; then \
	  echo "NOTE: not a Debian system; make sure these are installed: $(SYSTEM_PACKAGES)"; exit 0; \
	fi; \
	for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian packages:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	    || echo "WARNING: apt-get could not install$$missing; carrying on without them."; \
	else \
	  echo "WARNING: missing Debian packages:$$missing"; \
	  echo "         install them with: sudo apt-get install$$missing"; \
	  echo "         carrying on: browser tests skip with a notice, offline audio is unavailable."; \
	fi

# Front-end packages from the npm registry: hanzi-writer and its stroke data (Make Me a Hanzi), which
# the app serves itself (no CDN, works offline), and axe-core for the browser tests' accessibility
# check. The script is copied to app/static/vendor/ and every character's stroke data (9,574, the
# whole set, so that a trainer's new character has it too) is packed into one 15 MB zip in
# app/chinese/data/: both git-ignored, both carried by the wheel as package data.
STROKES := app/chinese/data/strokes.zip
HANZI_WRITER := app/static/vendor/hanzi-writer.min.js
#: Swagger UI, which renders the API description at /api/v1/docs (docs/api.md)
SWAGGER_UI := app/static/vendor/swagger-ui/swagger-ui-bundle.js
frontend: node_modules/.installed $(STROKES) $(HANZI_WRITER) $(SWAGGER_UI)

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "WARNING: npm is missing (install Node.js 20 and npm): browser tests skip the axe-core check,"; \
	  echo "         and words show that they have no stroke animation"; \
	fi

$(STROKES): node_modules/.installed app/chinese/strokes.py
	@if [ -d node_modules/hanzi-writer-data ]; then \
	  $(PYTHON) app/chinese/strokes.py pack node_modules/hanzi-writer-data $@; \
	fi

$(HANZI_WRITER): node_modules/.installed
	@if [ -f node_modules/hanzi-writer/dist/hanzi-writer.min.js ]; then \
	  mkdir -p $(@D) && cp node_modules/hanzi-writer/dist/hanzi-writer.min.js $@ \
	  && cp node_modules/hanzi-writer/LICENSE $(@D)/hanzi-writer.LICENSE; \
	fi

$(SWAGGER_UI): node_modules/.installed
	@if [ -f node_modules/swagger-ui-dist/swagger-ui-bundle.js ]; then \
	  mkdir -p $(@D) && cp node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	    node_modules/swagger-ui-dist/swagger-ui.css $(@D)/ \
	  && cp node_modules/swagger-ui-dist/LICENSE $(@D)/swagger-ui.LICENSE; \
	fi

# A background-job worker (needs REDIS_URL; without Redis, jobs run inside `make run`'s process).
worker: install migrate
	$(BIN)/flask jobs worker

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
