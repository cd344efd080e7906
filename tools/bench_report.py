#!/usr/bin/env python3
"""Turn a package-benchmark JMH export into one table of per-operation figures and ratios.

Benchmarks come in pairs measured in the same run: "<workload> — Annals" (or "— Swift layer")
and "<workload> — raw LMDB" (or "— direct C calls"); one pair compares a declared projection
with the built-in timeline ("— declared" against "— timeline"). For each workload the table shows the
median time per operation of both, the throughput ratio (baseline time / subject time, so
1.00 means as fast as raw LMDB), and the subject's mallocs and disk bytes per operation.
The operations per iteration are read from the workload's name ("1M", "100k", "10M").

Usage: bench_report.py Current_run.jmh.json
"""
import json
import re
import statistics
import sys

SUBJECTS = ("Annals", "Swift layer", "declared")
BASELINES = ("raw LMDB", "direct C calls", "timeline")
UNIT_NS = {"ns": 1, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}


def operations(name):
    match = re.search(r"(\d+(?:\.\d+)?)\s*([kM])\b", name)
    if not match:
        return 1
    return float(match.group(1)) * (1_000 if match.group(2) == "k" else 1_000_000)


def median(metric):
    return statistics.median(metric["rawData"][0])


def summarise(entry):
    name = entry["benchmark"].split(".", 3)[-1].replace("_", " ")
    ops = operations(name)
    metrics = entry["secondaryMetrics"]
    result = {"name": name}
    if "Time (wall clock)" in metrics:
        time = metrics["Time (wall clock)"]
        result["ns_per_op"] = median(time) * UNIT_NS.get(time["scoreUnit"], 1) / ops
    if "Malloc (total)" in metrics:
        result["mallocs_per_op"] = median(metrics["Malloc (total)"]) / ops
    # The JMH export carries a custom metric over into later benchmarks that lack it, so each
    # workload reads only the disk metric its own suite records.
    disk_metric = {"append": "disk bytes per event", "ingest": "disk bytes per fact"}.get(name.split(" ", 1)[0])
    for key, metric in metrics.items():
        if disk_metric and key.startswith(disk_metric):
            result["disk_per_op"] = median(metric)
    return result


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench_report.py Current_run.jmh.json")
    with open(sys.argv[1]) as handle:
        entries = [summarise(e) for e in json.load(handle)]
    pairs = {}
    for entry in entries:
        workload, _, side = entry["name"].rpartition(" — ")
        if not workload:
            workload, side = entry["name"], "Annals"
        pairs.setdefault(workload, {})[side] = entry
    rows = [("workload", "Annals ns/op", "raw ns/op", "Annals / raw", "Annals ops/s", "mallocs/op", "disk B/op")]
    for workload, sides in pairs.items():
        subject = next((sides[s] for s in SUBJECTS if s in sides), None)
        baseline = next((sides[s] for s in BASELINES if s in sides), None)
        if subject is None:
            continue
        ns = subject.get("ns_per_op")
        raw_ns = baseline.get("ns_per_op") if baseline else None
        rows.append((
            workload,
            f"{ns:,.0f}" if ns else "-",
            f"{raw_ns:,.0f}" if raw_ns else "-",
            f"{raw_ns / ns:.2f}×" if ns and raw_ns else "-",
            f"{1e9 / ns:,.0f}" if ns else "-",
            f"{subject['mallocs_per_op']:.2f}" if "mallocs_per_op" in subject else "-",
            f"{subject['disk_per_op']:.0f}" if "disk_per_op" in subject else "-",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i]) for i, cell in enumerate(row) if i > 0]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
