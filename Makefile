# The two commands of the README's quick start, and the benchmarks.
#   make demo   set up, build, and show Annals on the seed articles
#   make test   set up and run the whole test suite
#   make bench  set up and run the benchmark suites (release build)

SWIFT ?= swift
DEMO_STORE ?= .demo/annals.lmdb
ANNALS = .build/debug/annals --store $(DEMO_STORE)

.PHONY: setup build demo test bench

setup:
	@bash tools/setup.sh

build: setup
	$(SWIFT) build --product annals

demo: build
	@rm -rf $(dir $(DEMO_STORE)) && mkdir -p $(DEMO_STORE)
	@echo '== write two entries with plain LMDB tools, then inspect them with annals'
	@printf 'hello\nworld\nColonial Pipeline\n2021-05-06\n' | mdb_load -T -s greetings $(DEMO_STORE)
	$(ANNALS) stats
	$(ANNALS) backup $(dir $(DEMO_STORE))backup.lmdb
	mdb_dump -p -s greetings $(dir $(DEMO_STORE))backup.lmdb

test: setup
	$(SWIFT) test

# Runs every suite (release build), then prints per-operation figures and the ratio of each
# workload to raw LMDB doing the same work in the same run.
bench: setup
	@mkdir -p .bench
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark --format jmh --path ../.bench
	@python3 tools/bench_report.py .bench/Current_run.jmh.json
