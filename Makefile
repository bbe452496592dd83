# donation-guard: `make run` and `make test` are the two commands (README.md).
# Every target installs what it needs first (tests/tools/setup.sh), idempotently.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
BIN := $(or $(CARGO_TARGET_DIR),target)/release/donation-guard
CASES := tests/fixtures/cases.jsonl
# The shared workspace's cases, run as well when they sit beside the clone (CI).
SHARED_CASES := $(wildcard ../shared/fixtures/cases.jsonl)

.PHONY: all run test setup setup-serve build lint test-rust test-server test-cases test-node test-browser bench bench-server report fuzz clean

all: build

## Set-up: system packages, Rust targets and tools, npm packages. Quick when already there.
setup:
	@bash tests/tools/setup.sh

## What `make run` needs, and no more: the Rust build and the wasm tools (no browser, no database).
setup-serve:
	@bash tests/tools/setup.sh serve

build: setup-serve
	$(CARGO) build --release --locked

## The main job: the server with its SQLite ledger, serving the demo page and the widget.
run: build www-assets
	@$(BIN) serve --listen 127.0.0.1:8080 --db ./donation-guard.sqlite --www ./www

## Every test: lints, Rust (unit, cases, properties, CLI, HTTP), wasm on Node, the real browser.
test: setup lint test-rust test-cases test-node test-browser test-server
	@echo "make test: all green"

lint: lint-js
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings
	$(CARGO) clippy --locked --target wasm32-unknown-unknown --no-default-features --all-targets -- -D warnings

## The JavaScript (npm ci first: make setup): ESLint over the project's JS, tsc --checkJs --strict
## over the widget's sources, and the committed www/widget/donation-guard.js is what they build.
.PHONY: lint-js
lint-js:
	node node_modules/eslint/bin/eslint.js .
	node node_modules/typescript/bin/tsc -p www/widget/jsconfig.json
	node tests/tools/build-widget.mjs --check

test-rust:
	$(CARGO) test --release --locked

## The ledger against a real PostgreSQL on loopback, and schemathesis against /openapi.json.
test-server: setup build
	bash tests/server/pg.sh
	bash tests/server/fuzz_api.sh
	bash tests/deploy/container.sh

## The cases through the CLI, with the expectations later contract additions changed
## (tests/fixtures/superseded.jsonl, each with its reason).
test-cases: build
	@mkdir -p test-output
	python3 tests/tools/apply_superseded.py $(CASES) tests/fixtures/superseded.jsonl > test-output/cases.jsonl
	python3 tests/tools/run_cases.py test-output/cases.jsonl -- $(BIN) check
	$(if $(SHARED_CASES),python3 tests/tools/apply_superseded.py $(SHARED_CASES) tests/fixtures/superseded.jsonl > test-output/shared-cases.jsonl)
	$(if $(SHARED_CASES),python3 tests/tools/run_cases.py test-output/shared-cases.jsonl -- $(BIN) check)

.PHONY: www-assets browser-test report-widget
## The widget's engine beside it (www/widget/engine/, gitignored), from the wasm build (pkg/web).
www-assets: setup-serve
	bash tests/tools/build-wasm.sh
	@mkdir -p www/widget/engine
	cp pkg/web/donation_guard.js pkg/web/donation_guard_bg.wasm www/widget/engine/
	@bash tests/tools/sri.sh

## The widget and the demo page in Debian's Chromium (tests/browser/): donor flows, keyboard,
## CSP, axe-core, and the shared cases through the wasm, byte for byte against the CLI.
test-browser: setup build www-assets
	node --test tests/browser/
browser-test: test-browser

## The widget's weight and speed, measured in Chromium (figures, not assertions).
report-widget: setup build www-assets
	node tests/browser/report.mjs

## Benchmarks (figures, not pass/fail): engine, JSON entry point, CLI throughput.
bench: build bench-wasm bench-sanctions
	$(CARGO) bench --locked --bench check
	bash tests/tools/cli_throughput.sh

## The HTTP server under wrk on loopback: /v1/check and durable /v1/contributions (figures).
bench-server: setup build
	bash tests/bench_server.sh

fuzz:
	bash tests/tools/fuzz.sh

clean:
	$(CARGO) clean
	rm -rf pkg node_modules test-output www/widget/engine

.PHONY: wasm test-node size bench-wasm
## The WebAssembly engine: pkg/web, pkg/node, pkg/bundler (never committed). Offline; quick
## when up to date (tests/tools/build-wasm.sh).
wasm: setup-serve
	bash tests/tools/build-wasm.sh

## The wasm on Node (tests/node/): the JS API, every shared case and 12,000 generated
## submissions byte for byte against the CLI, the npm package (CJS, ESM, web), TypeScript types.
test-node: setup build wasm
	node --test tests/node/

## gzip -9 bytes of the .wasm and of the JS glue, against the 60 KB budget (a report).
size: wasm
	node tests/tools/size.mjs

## µs per check through the wasm boundary on Node and in headless Chromium (a report, not a
## timed test).
bench-wasm: setup wasm
	node tests/tools/bench-wasm.mjs
	node tests/tools/bench-wasm-chromium.mjs

# `donation-guard screen` over a generated itcont file: rows/s and peak RSS (README, "Re-screening files").
# BENCH_ROWS / BENCH_DONORS override the size (default 10,000,000 rows, 3,000,000 donors).
BENCH_ROWS ?= 10000000
BENCH_DONORS ?= 3000000
bench-screen: build
	python3 tests/tools/gen_itcont.py $(BENCH_ROWS) $(BENCH_DONORS) > target/bench-itcont.txt
	/usr/bin/time -v target/release/donation-guard screen target/bench-itcont.txt --csv /dev/null 2> target/bench-screen.txt || true
	grep -E "Elapsed|Maximum resident" target/bench-screen.txt
	@awk '/Elapsed/ {split($$NF,t,":"); s=(length(t)==3)?t[1]*3600+t[2]*60+t[3]:t[1]*60+t[2]; printf "rows/s: %.0f\n", $(BENCH_ROWS)/s}' target/bench-screen.txt

.PHONY: bench-sanctions
## OFAC SDN screening: recall, false positives per 10,000 real donor names by threshold,
## names/s on one core, index memory (figures; needs ../shared/data).
bench-sanctions: setup
	$(CARGO) bench --locked --bench sanctions
