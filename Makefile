# Focal-Entropy Explorer: `make serve` and `make test` install what they need
# (idempotently, pinned) on a Debian machine with Rust from rustup.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

TRUNK_VERSION := 0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/[^0-9.]/, "", $$0); print; exit }' Cargo.lock)
CARGO_BIN := $(HOME)/.cargo/bin
BROWSER_DIR := tests/browser
NODE_BIN := $(CURDIR)/$(BROWSER_DIR)/node_modules/.bin
export PATH := $(NODE_BIN):$(CARGO_BIN):$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The web build names the crates it is made of by name and version in the
# panic locations it carries, not by this machine's path to them: the same
# on every machine, and 170 bytes less to download. Expanded as each recipe
# runs, so that the registry a new machine's setup makes is found.
CARGO_REGISTRY_SOURCES = $(wildcard $(or $(CARGO_HOME),$(HOME)/.cargo)/registry/src/*)
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS = $(foreach source,$(CARGO_REGISTRY_SOURCES),--remap-path-prefix=$(source)/=)

.PHONY: serve build test test-native test-wasm test-browser bench setup setup-build setup-test \
	setup-wasm-target setup-trunk setup-wasm-bindgen setup-node setup-chromium

## serve: build and serve the app at http://127.0.0.1:8080
serve: setup-build
	trunk serve --offline --address 127.0.0.1 --port 8080

## build: the release build in dist/ (plain static files)
build: setup-build
	trunk build --release --offline

## test: every test (native, wasm-bindgen-test in Chromium, end-to-end in Chromium)
test: setup-test test-native test-wasm build test-browser

test-native:
	cargo test --locked

test-wasm: setup-test
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	CHROMEDRIVER=/usr/bin/chromedriver \
	WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(CURDIR)/tests/webdriver.json \
	WASM_BINDGEN_TEST_TIMEOUT=120 \
	cargo test --locked --target wasm32-unknown-unknown --test components

test-browser: setup-test
	cargo build --locked --release --bin focal
	cd $(BROWSER_DIR) && npx playwright test

## bench: criterion benchmarks of the solver
bench:
	cargo bench --locked --bench solve

setup: setup-test

setup-build: setup-wasm-target setup-trunk setup-wasm-bindgen setup-node

setup-test: setup-build setup-chromium

setup-wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

setup-trunk:
	@trunk --version 2>/dev/null | grep -qF '$(TRUNK_VERSION)' || cargo install trunk --version $(TRUNK_VERSION) --locked

setup-wasm-bindgen:
	@test -n '$(WASM_BINDGEN_VERSION)' || { echo 'wasm-bindgen not found in Cargo.lock' >&2; exit 1; }
	@grep -qF 'wasm_bindgen = "$(WASM_BINDGEN_VERSION)"' Trunk.toml || { echo 'Trunk.toml [tools] wasm_bindgen must be $(WASM_BINDGEN_VERSION)' >&2; exit 1; }
	@wasm-bindgen --version 2>/dev/null | grep -qF '$(WASM_BINDGEN_VERSION)' || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# npm packages of the browser tests, and binaryen's current wasm-opt for Trunk.
setup-node:
	@if [ ! -x $(NODE_BIN)/wasm-opt ] || [ ! -x $(NODE_BIN)/playwright ] || [ $(BROWSER_DIR)/package-lock.json -nt $(BROWSER_DIR)/node_modules/.package-lock.json ]; then \
		cd $(BROWSER_DIR) && npm ci --no-audit --no-fund; \
	fi

setup-chromium:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		$(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y chromium chromium-driver; \
	fi
