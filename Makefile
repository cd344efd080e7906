# The two commands of the README's quick start, and the benchmarks.
#   make demo   set up, build, and show Annals on the seed articles
#   make test   set up and run the whole test suite
#   make bench  set up and run the benchmark suites (release build)

SWIFT ?= swift
DEMO_STORE ?= .demo/annals.lmdb

.PHONY: setup build demo test bench

setup:
	@bash tools/setup.sh

build: setup
	$(SWIFT) build --product annals

demo: build
	@bash tools/demo.sh $(DEMO_STORE)

test: setup
	$(SWIFT) test

# Runs every suite (release build), then prints per-operation figures and the ratio of each
# workload to raw LMDB doing the same work in the same run.
bench: setup
	@mkdir -p .bench
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --format jmh --path ../.bench
	@python3 tools/bench_report.py .bench/Current_run.jmh.json
