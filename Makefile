# The two commands of the README's quick start, and the benchmarks.
#   make demo   set up, build, and show Annals on the seed articles
#   make test   set up and run the whole test suite
#   make bench  set up and run the benchmark suites (release build); fails when a hot path
#               allocates more than its committed threshold

SWIFT ?= swift
DEMO_STORE ?= .demo/annals.lmdb

.PHONY: setup build demo test bench bench-thresholds

setup:
	@bash tools/setup.sh

build: setup
	$(SWIFT) build --product annals

demo: build
	@bash tools/demo.sh $(DEMO_STORE)

test:
	@bash tools/setup.sh --for-tests
	$(SWIFT) test

# Runs every timed suite (release build) and prints per-operation figures with the ratio of
# each workload to raw LMDB doing the same work in the same run; then checks the allocation
# counts of the hot paths against Benchmarks/Thresholds (a regression fails the target).
bench: setup
	@mkdir -p .bench
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark \
		--skip-target AllocationBenchmarks --format jmh --path ../.bench
	@python3 tools/bench_report.py .bench/Current_run.jmh.json
	cd Benchmarks && $(SWIFT) package benchmark thresholds check --target AllocationBenchmarks --path Thresholds --no-progress

# After a deliberate change in allocations: rewrite the committed thresholds (then commit them).
bench-thresholds: setup
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark \
		thresholds update --target AllocationBenchmarks --path Thresholds
