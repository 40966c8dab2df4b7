# Two commands on a fresh machine: `make run` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
PORT ?= 8501
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Tests let Python cache compiled modules, and pytest its rewritten test modules, in __pycache__ (git-ignored) even
# where the environment says not to (PYTHONDONTWRITEBYTECODE): otherwise every run, every test worker and every
# script a test starts compiles them again. TEST_WORKERS: pytest-xdist's worker processes (auto: one per CPU).
TEST_WORKERS ?= auto
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest

.PHONY: run proxy-deps dev check test lint format unit validate deps deps-dev assets browser-deps export-deps browser constraints clean

# REPLICAS=N: N app processes behind HAProxy on $(PORT) (scripts/replicas.py, deploy/haproxy.cfg); unset: one process, as always.
REPLICAS ?=
run: deps assets export-deps $(if $(REPLICAS),proxy-deps) ## Serve the app on http://localhost:$(PORT) (REPLICAS=N: N processes behind HAProxy)
	$(if $(REPLICAS),$(PY) scripts/replicas.py --replicas $(REPLICAS) --port $(PORT),$(PY) scripts/serve.py --server.port $(PORT) --server.headless true)

HAPROXY := /usr/sbin/haproxy
proxy-deps: ## Debian's HAProxy for `make run REPLICAS=N`, only if missing
	@test -x $(HAPROXY) || { apt-get update -qq && apt-get install -y -qq haproxy; }

dev: deps assets export-deps ## As `run`, but reloads when a source file is saved (file watching is off in `run`: it costs every page load)
	$(PY) scripts/serve.py --server.port $(PORT) --server.headless true --server.fileWatcherType auto --server.runOnSave true

check: lint validate unit ## The fast inner loop: lint, validate every release, unit, property and AppTest tests (no browser)

test: check browser ## Everything: `check`, then the real-browser tests

lint: deps-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: deps-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

validate: deps-dev assets ## Every release folder: our validator, Frictionless, and a rebuild that must change nothing (one process)
	env -u PYTHONDONTWRITEBYTECODE $(PY) scripts/validate_all.py

unit: deps-dev assets export-deps proxy-deps ## Every test but the real-browser ones (tests/browser/, without the Playwright plugin), on TEST_WORKERS processes
	$(PYTEST) -q -n $(TEST_WORKERS) --dist worksteal -p no:playwright --ignore=tests/browser

CHROMIUM := /usr/bin/chromium
browser-deps: ## Debian's Chromium for the browser tests, only if missing (never `playwright install`: no download)
	@test -x $(CHROMIUM) || { apt-get update -qq && apt-get install -y -qq chromium; }

FONTS_PACKAGE := fonts-dejavu-core
# Debian's Noto fonts hold NotoNastaliqUrdu-Regular.ttf: Chromium (kaleido, the deck and map exports, PDFs) draws Urdu with it
# (with DejaVu alone, Urdu letters such as ہ are blank boxes). The page itself uses the web font in static/vendor.
URDU_FONTS_PACKAGE := fonts-noto-core
export-deps: browser-deps ## What exports need on the server: Chromium (chart images, map, deck PDF) and the font families it draws with (Latin; Urdu's Nastaliq), only if missing
	@fc-list 2>/dev/null | grep -q "DejaVu Sans" || { apt-get update -qq && apt-get install -y -qq $(FONTS_PACKAGE) fontconfig; }
	@fc-list 2>/dev/null | grep -q "Noto Nastaliq Urdu" || { apt-get update -qq && apt-get install -y -qq $(URDU_FONTS_PACKAGE) fontconfig; }

browser: deps-dev assets export-deps proxy-deps ## Only the real-browser tests (tests/browser/), on TEST_WORKERS processes
	$(PYTEST) -q -n $(TEST_WORKERS) --dist worksteal tests/browser

.PHONY: bench
bench: deps-dev assets proxy-deps lighthouse ## Speed figures: release validation, warm page reruns (AppTest), browser load vs a blank page
	$(PY) benchmarks/run.py

# Lighthouse for `make bench` only (benchmarks/lighthouse_bench.py): pinned by its own lock file, installed into its own
# folder (git-ignored), never by `make run` or `make test`. 12.2.3: Lighthouse 13 needs Node 22.
LIGHTHOUSE := benchmarks/lighthouse
$(LIGHTHOUSE)/node_modules/.installed: $(LIGHTHOUSE)/package.json $(LIGHTHOUSE)/package-lock.json
	npm ci --prefix $(LIGHTHOUSE) --no-audit --no-fund --loglevel=error
	touch $@

.PHONY: lighthouse
lighthouse: $(LIGHTHOUSE)/node_modules/.installed

$(VENV)/.runtime: requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt constraints.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

deps: $(VENV)/.runtime
deps-dev: $(VENV)/.dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The map's scripts and stylesheets, served by Streamlit at /app/static/vendor/... ([server] enableStaticServing;
# components/mapassets.py points folium and streamlit-folium at them). Copied from the npm packages pinned above,
# with the fonts and images their CSS references (relative URLs must resolve); static/vendor/ is never committed.
VENDOR := static/vendor
NM := node_modules

$(VENDOR)/.npm: node_modules/.installed Makefile
	mkdir -p $(VENDOR) && find $(VENDOR) -mindepth 1 -maxdepth 1 ! -name folium -exec rm -rf {} +
	@set -e; put() { d=$(VENDOR)/$$1; shift; mkdir -p $$d; cp $$@ $$d/; }; \
	put leaflet $(NM)/leaflet/dist/leaflet.{js,js.map,css} $(NM)/leaflet/LICENSE; \
	put leaflet/images $(NM)/leaflet/dist/images/*.png; \
	put jquery $(NM)/jquery/dist/jquery.min.js $(NM)/jquery/LICENSE.txt; \
	put bootstrap $(NM)/bootstrap/LICENSE; \
	put bootstrap/js $(NM)/bootstrap/dist/js/bootstrap.bundle.min.js{,.map}; \
	put bootstrap/css $(NM)/bootstrap/dist/css/bootstrap.min.css{,.map}; \
	put bootstrap3-glyphicons $(NM)/@neos21/bootstrap3-glyphicons/LICENSE; \
	put bootstrap3-glyphicons/css $(NM)/@neos21/bootstrap3-glyphicons/dist/css/bootstrap3-glyphicons.min.css; \
	put bootstrap3-glyphicons/fonts $(NM)/@neos21/bootstrap3-glyphicons/dist/fonts/*; \
	put fontawesome-free $(NM)/@fortawesome/fontawesome-free/LICENSE.txt; \
	put fontawesome-free/css $(NM)/@fortawesome/fontawesome-free/css/all.min.css; \
	put fontawesome-free/webfonts $(NM)/@fortawesome/fontawesome-free/webfonts/*; \
	put leaflet-awesome-markers $(NM)/drmonty-leaflet-awesome-markers/js/leaflet.awesome-markers.js \
	  $(NM)/drmonty-leaflet-awesome-markers/css/leaflet.awesome-markers.css; \
	put leaflet-awesome-markers/images $(NM)/drmonty-leaflet-awesome-markers/css/images/*.png; \
	put leaflet.markercluster $(NM)/leaflet.markercluster/dist/{leaflet.markercluster.js,MarkerCluster.css,MarkerCluster.Default.css} \
	  $(NM)/leaflet.markercluster/MIT-LICENCE.txt; \
	put leaflet.fullscreen $(NM)/leaflet.fullscreen/{Control.FullScreen.js,Control.FullScreen.css,icon-fullscreen.svg,LICENSE}; \
	put leaflet.featuregroup.subgroup $(NM)/leaflet.featuregroup.subgroup/{dist/leaflet.featuregroup.subgroup.js,LICENSE}; \
	put noto-nastaliq-urdu $(NM)/@fontsource/noto-nastaliq-urdu/LICENSE $(NM)/@fontsource/noto-nastaliq-urdu/files/noto-nastaliq-urdu-{arabic,latin}-{400,700}-normal.woff2
	touch $@

# folium's own rotation classes (Icon(angle=...)): in folium's sdist on PyPI, not in its wheel. Taken from the
# sdist of the folium version installed in the venv.
$(VENDOR)/folium/leaflet.awesome.rotate.css: $(VENV)/.runtime
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	v=$$($(PY) -c 'import importlib.metadata as m; print(m.version("folium"))'); \
	echo "folium $$v sdist -> $@"; \
	$(PY) -m pip download -q --disable-pip-version-check --no-deps --no-binary :all: -d "$$tmp" "folium==$$v"; \
	tar -xzf "$$tmp/folium-$$v.tar.gz" -C "$$tmp" "folium-$$v/folium/templates/leaflet.awesome.rotate.css"; \
	mkdir -p $(@D); cp "$$tmp/folium-$$v/folium/templates/leaflet.awesome.rotate.css" $@

# The hub map's scripts joined into one file, in the order components/mapassets.py names (BUNDLE_PARTS).
$(VENDOR)/bundle/hubmap-scripts.js: $(VENDOR)/.npm components/mapassets.py $(VENV)/.runtime
	$(PY) -m components.mapassets bundle

assets: node_modules/.installed $(VENDOR)/.npm $(VENDOR)/folium/leaflet.awesome.rotate.css $(VENDOR)/bundle/hubmap-scripts.js

constraints: deps-dev ## Re-pin transitive dependencies after changing requirements*.txt
	{ echo "# Transitive pins for requirements*.txt: generated by 'make constraints' (pip freeze of the project venv)."; \
	  $(PY) -m pip freeze --exclude-editable; } > constraints.txt

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache
