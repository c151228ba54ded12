# The two commands of the README (`make demo`, `make test`) and the rest of the developer loop.
SWIFT ?= swift
SOURCES := Sources Tests Benchmarks Tools Package.swift

.PHONY: deps build release demo test lint format bench crashtest soak fuzz clean

## Install the Debian packages wordbench needs (as root or with sudo).
deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

## Build in release mode and run the whole pipeline on the sample corpus.
demo: release
	.build/release/wordbench demo

## Build and run the whole test suite. One test checks the emulator against the official OpenAI Python SDK, which
## goes in a venv under .build/ (from PyPI); another serves the dictd export with Debian's dictd, reads it with dict
## and rebuilds it with dictfmt.
TEST_PACKAGES := python3 python3-venv dictd dict dictfmt
test: deps
	@scripts/install-deps.sh $(TEST_PACKAGES)
	scripts/sdk/setup-openai-sdk.sh .build/sdk-venv
	$(SWIFT) build --build-tests
	$(SWIFT) test

## Check formatting and style (swift format, strict).
lint:
	$(SWIFT) format lint --strict --recursive $(SOURCES)

## Reformat the sources in place.
format:
	$(SWIFT) format format --in-place --recursive $(SOURCES)

## Run the benchmarks side by side with their references and print the table. The references need Python, NLTK
## (in a venv under .build/, from PyPI), and Debian's big word list and WordNet extras.
BENCH_PACKAGES := python3 python3-venv wamerican-huge wordnet wordnet-sense-index zstd time curl
bench: release
	@scripts/install-deps.sh $(BENCH_PACKAGES)
	scripts/bench/setup-nltk.sh .build/bench-venv
	.build/release/wordbench-bench

## Crash injection: the whole pipeline (2,000 words, 4 shards) against the emulator, killed with SIGKILL 120 times
## during prepare, upload, status, fetch, merge and archive, each command run again, then compared with an
## uninterrupted run. The test suite runs a short version.
crashtest: build
	.build/debug/wordbench-crashtest --kills 120 --words 2000 --batch-size 500

## Fault soak: the pipeline against an emulator injecting HTTP faults, per-line errors, invalid content, cut-short
## downloads and an expiry; it must finish through retries with every word merged or quarantined.
soak: build
	.build/debug/wordbench-crashtest --soak --words 2000 --batch-size 250

## The fuzz tests of the suite (seeded mutations of every parser of outside input) 40 times longer, from another
## seed each time unless FUZZ_SEED is given; an input that crashes becomes a regression test.
FUZZ_SEED ?= $(shell date +%s)
fuzz: build
	$(SWIFT) build --build-tests
	WORDBENCH_FUZZ_SCALE=40 WORDBENCH_FUZZ_SEED=$(FUZZ_SEED) $(SWIFT) test --skip-build --filter FuzzTests

clean:
	rm -rf .build
