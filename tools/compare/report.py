#!/usr/bin/env python3
"""Gathers the runs of run.sh into one JSON file and prints one table.

    report.py MANIFEST.tsv --results RESULTS.json --corpus FILE [--facts N] [--generator CMD]

Each manifest line is `label<TAB>ok|failed<TAB>file`: the run's JSON report when it succeeded,
its standard error when it failed. The first line is Annals, whose ratio column compares
everyone to it: Annals events/s divided by the peer's (above 1.00: Annals is faster).
"""
import argparse
import datetime
import json
import os
import platform
import sys

# What the table reads from a run: Annals' `bench ingest --format json` contract, which the
# peers' reports also follow.
FIELDS = {"events": int, "seconds": float, "events_per_second": float, "mb_per_second": float,
          "bytes_per_event": float, "peak_rss_bytes": int, "durability": str}


def one_line(path: str, last: bool) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = [part.strip() for line in handle for part in line.split("\r") if part.strip()]
    except OSError:
        return "no output"
    if not lines:
        return "failed without a message"
    return lines[-1] if last else lines[0]


def load(label: str, status: str, path: str, annals: bool) -> dict:
    run = {"label": label, "ok": False, "error": None, "result": None}
    if status != "ok":
        run["error"] = one_line(path, last=not annals)
        return run
    try:
        with open(path, encoding="utf-8") as handle:
            result = json.loads(handle.read().strip().splitlines()[-1])
        for field, kind in FIELDS.items():
            if not isinstance(result.get(field), (int, float) if kind is float else kind):
                raise ValueError(f"field {field!r} is missing or not {kind.__name__}")
    except (OSError, IndexError, ValueError) as error:
        run["error"] = f"unreadable report: {error}"
        return run
    run.update(ok=True, result=result)
    return run


def durability(run: dict) -> str:
    text = run["result"]["durability"]
    return text.replace(" (library default)", "") if run["ok"] else "n/a"


def table(runs: list) -> str:
    annals = runs[0]["result"]["events_per_second"] if runs and runs[0]["ok"] else None
    header = ["system", "durability", "events", "seconds", "events/s", "MB/s", "bytes/event", "Annals ÷ peer"]
    rows = []
    for run in runs:
        if not run["ok"]:
            rows.append([run["label"], "n/a", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"])
            continue
        r = run["result"]
        ratio = "n/a" if annals is None or r["events_per_second"] <= 0 else f"{annals / r['events_per_second']:.2f}"
        rows.append([run["label"], durability(run), f"{r['events']:,}", f"{r['seconds']:.2f}", f"{r['events_per_second']:,.0f}",
                     f"{r['mb_per_second']:.1f}", f"{r['bytes_per_event']:,.0f}", ratio])
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    numeric = range(2, len(header))

    def line(cells):
        return "  ".join(cell.rjust(width) if i in numeric else cell.ljust(width) for i, (cell, width) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(header), line(["-" * width for width in widths])] + [line(row) for row in rows])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifest")
    parser.add_argument("--results", required=True, help="where to write every run's raw JSON")
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--facts", help="the fact count the corpus was generated with, if it was")
    parser.add_argument("--generator", help="the command that generated it, if one did")
    args = parser.parse_args()

    with open(args.manifest, encoding="utf-8") as handle:
        entries = [line.rstrip("\n").split("\t") for line in handle if line.strip()]
    runs = [load(label, status, path, annals=index == 0) for index, (label, status, path) in enumerate(entries)]
    results = {
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "corpus": {"path": os.path.abspath(args.corpus), "bytes": os.path.getsize(args.corpus), "facts": args.facts,
                   "generator": args.generator, "seed": 42 if args.generator else None},
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "runs": runs,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    with open(args.results, "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2)
        handle.write("\n")

    for run in runs:
        if not run["ok"]:
            print(f"{run['label']}: {run['error']} (its row is n/a)", file=sys.stderr)
    counts = {run["result"]["events"] for run in runs if run["ok"]}
    sys.stderr.flush()
    print()
    print(table(runs))
    print()
    print("durable: a committed batch survives a power cut (Annals --durable: LMDB syncs every commit; SQLite WAL "
          "synchronous=FULL fsyncs the WAL every commit). synchronous=NORMAL fsyncs only at checkpoints: a power cut "
          "can lose the last commits.")
    print(f"MB/s: input bytes ({results['corpus']['bytes']:,}) per second of ingest. Annals' seconds include building its "
          "projections; the peers build none. Raw results: " + os.path.relpath(args.results))
    if len(counts) > 1:
        print(f"warning: the systems appended different numbers of events: {sorted(counts)}", file=sys.stderr)


if __name__ == "__main__":
    main()
