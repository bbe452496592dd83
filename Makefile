# donation-guard: `make run` and `make test` are the two commands (README.md).
# Every target installs what it needs first (tests/tools/setup.sh), idempotently.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
CARGO ?= cargo
BIN := target/release/donation-guard
CASES := ../shared/fixtures/cases.jsonl

.PHONY: all run test setup build lint test-rust test-server test-cases test-node test-browser bench bench-server report fuzz clean

all: build

## Set-up: system packages, Rust targets and tools, npm packages. Quick when already there.
setup:
	@bash tests/tools/setup.sh

build: setup
	$(CARGO) build --release --locked

## The main job: the server with its SQLite ledger, serving the demo page and the widget.
run: build www-assets
	@$(BIN) serve --listen 127.0.0.1:8080 --db ./donation-guard.sqlite --www ./www

## Every test: lints, Rust (unit, cases, properties, CLI, HTTP), wasm on Node, the real browser.
test: setup lint test-rust test-cases test-node test-browser test-server
	@echo "make test: all green"

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --locked --all-targets -- -D warnings
	$(CARGO) clippy --locked --target wasm32-unknown-unknown --no-default-features --all-targets -- -D warnings

test-rust:
	$(CARGO) test --release --locked

## The ledger against a real PostgreSQL on loopback, and schemathesis against /openapi.json.
test-server: build
	bash tests/server/pg.sh
	bash tests/server/fuzz_api.sh

test-cases: build
	python3 ../shared/tools/run_cases.py $(CASES) -- $(BIN) check

.PHONY: www-assets browser-test report-widget
## The widget's engine beside it (www/widget/engine/, gitignored), from the wasm build (pkg/web).
www-assets: setup
	bash tests/tools/build-wasm.sh
	@mkdir -p www/widget/engine
	cp pkg/web/donation_guard.js pkg/web/donation_guard_bg.wasm www/widget/engine/

## The widget and the demo page in Debian's Chromium (tests/browser/): donor flows, keyboard,
## CSP, axe-core, and the shared cases through the wasm, byte for byte against the CLI.
test-browser: build www-assets
	node --test tests/browser/
browser-test: test-browser

## The widget's weight and speed, measured in Chromium (figures, not assertions).
report-widget: build www-assets
	node tests/browser/report.mjs

## Benchmarks (figures, not pass/fail): engine, JSON entry point, CLI throughput.
bench: build bench-wasm bench-sanctions
	$(CARGO) bench --locked --bench check
	bash tests/tools/cli_throughput.sh

## The HTTP server under wrk on loopback: /v1/check and durable /v1/contributions (figures).
bench-server: build
	bash tests/bench_server.sh

fuzz:
	bash tests/tools/fuzz.sh

clean:
	$(CARGO) clean
	rm -rf pkg node_modules test-output www/widget/engine

.PHONY: wasm test-node size bench-wasm
## The WebAssembly engine: pkg/web, pkg/node, pkg/bundler (never committed). Offline; quick
## when up to date (tests/tools/build-wasm.sh).
wasm: setup
	bash tests/tools/build-wasm.sh

## The wasm on Node (tests/node/): the JS API, every shared case and 12,000 generated
## submissions byte for byte against the CLI, the npm package (CJS, ESM, web), TypeScript types.
test-node: build wasm
	node --test tests/node/

## gzip -9 bytes of the .wasm and of the JS glue, against the 60 KB budget (a report).
size: wasm
	node tests/tools/size.mjs

## µs per check through the wasm boundary on Node and in headless Chromium (a report, not a
## timed test).
bench-wasm: wasm
	node tests/tools/bench-wasm.mjs
	node tests/tools/bench-wasm-chromium.mjs

.PHONY: bench-sanctions
## OFAC SDN screening: recall, false positives per 10,000 real donor names by threshold,
## names/s on one core, index memory (figures; needs ../shared/data).
bench-sanctions: setup
	$(CARGO) bench --locked --bench sanctions
