# The two commands of the README: `make demo` (main job on synthetic data) and `make test`.
SWIFT ?= swift
RELEASE = -c release
BIN = .build/release/mammoseg

.PHONY: setup build test demo bench clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build $(RELEASE) --product mammoseg

# Numeric tests run in release (debug builds are many times slower) with testability on;
# every test is XCTest, so the (empty) Swift Testing run is switched off.
test: setup
	@bash scripts/setup_test_tools.sh
	$(SWIFT) test $(RELEASE) -Xswiftc -enable-testing --disable-swift-testing

demo: build
	$(BIN) demo --out demo-out

bench: build
	bash scripts/bench_compare.sh

clean:
	rm -rf .build demo-out
