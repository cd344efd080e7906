#!/usr/bin/env python3
"""Checks the peers on a small sample corpus: run with tools/compare/.venv/bin/python.

    selftest.py [--facts 3000]

For SQLite (FULL, NORMAL) and eventsourcing (application, recorder layers): the first ingest
appends exactly the events an independent count of the corpus expects, by type; ingesting
again appends nothing; positions (notification ids) are gapless; and every store holds the same
Annals ids in the same order, also when a prefix of the corpus was ingested first. Ends with `N passed, N failed`.
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = {
    "sqlite FULL": ["sqlite_peer.py", "--synchronous", "FULL"],
    "sqlite NORMAL": ["sqlite_peer.py", "--synchronous", "NORMAL"],
    "eventsourcing application": ["eventsourcing_peer.py", "--layer", "application"],
    "eventsourcing recorder": ["eventsourcing_peer.py", "--layer", "recorder"],
}


def expected_counts(path):
    """Counted as sets, not replayed as the peers do: an actor's aliases are the keys of all the
    names any record gave it, less its id's and first name's keys."""
    counts = {"article.recorded": 0, "fact.asserted": 0, "fact.corrected": 0, "fact.retracted": 0}
    first_names, keys = {}, {}
    kinds = {"article": "article.recorded", "fact": "fact.asserted", "correction": "fact.corrected", "retraction": "fact.retracted"}
    fold = lambda name: " ".join(name.split()).lower()
    with open(path, "rb") as handle:
        for line in handle:
            record = json.loads(line)
            if record["type"] in kinds:
                counts[kinds[record["type"]]] += 1
                continue
            actor = record["actor"]
            first_names.setdefault(actor, record.get("name"))
            keys.setdefault(actor, set()).update(fold(n) for n in [record.get("name")] + (record.get("aliases") or []) if n)
    counts["actor.named"] = len(first_names)
    counts["actor.aliased"] = sum(len(k - {fold(actor), fold(first_names[actor])}) for actor, k in keys.items())
    return counts


def ingest(peer, corpus, db):
    command = [sys.executable, os.path.join(HERE, PEERS[peer][0]), corpus, "--db", db, "--batch", "1000", "--json"] + PEERS[peer][1:]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def stored_ids(peer, db):
    with sqlite3.connect(db) as connection:
        if peer.startswith("sqlite"):
            rows = connection.execute("SELECT position, id FROM events ORDER BY position").fetchall()
        else:
            rows = [(n, json.loads(state)["annals_id"]) for n, state in
                    connection.execute("SELECT rowid, state FROM stored_events ORDER BY rowid")]
    connection.close()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", default="3000")
    args = parser.parse_args()
    passed, failed = 0, 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        passed, failed = passed + bool(ok), failed + (not ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}")

    with tempfile.TemporaryDirectory(prefix="annals-compare-") as scratch:
        corpus = os.path.join(scratch, "corpus.jsonl")
        subprocess.run([sys.executable, os.path.join(HERE, "sample_corpus.py"), "--facts", args.facts, "--seed", "1", "--output", corpus], check=True)
        expected = expected_counts(corpus)
        orders = {}
        for peer in PEERS:
            db = os.path.join(scratch, peer.replace(" ", "-") + ".db")
            first, again = ingest(peer, corpus, db), ingest(peer, corpus, db)
            check(f"{peer}: appends the expected events", first["events_by_type"] == expected and first["events"] == sum(expected.values()),
                  f"{first['events_by_type']} != {expected}")
            check(f"{peer}: ingesting again appends nothing", again["events"] == 0, f"{again['events']} appended")
            rows = stored_ids(peer, db)
            check(f"{peer}: positions are gapless", [n for n, _ in rows] == list(range(1, len(rows) + 1)))
            orders[peer] = [i for _, i in rows]
        reference = orders["sqlite FULL"]
        for peer, order in orders.items():
            check(f"{peer}: same ids in the same order as sqlite FULL", order == reference)

        # An input that repeats part of what the store holds (cut mid-article) appends the rest.
        with open(corpus, "rb") as handle:
            lines = handle.readlines()
        prefix = os.path.join(scratch, "prefix.jsonl")
        with open(prefix, "wb") as handle:
            handle.writelines(lines[: len(lines) * 55 // 100])
        for peer in PEERS:
            db = os.path.join(scratch, peer.replace(" ", "-") + "-twice.db")
            first, rest = ingest(peer, prefix, db), ingest(peer, corpus, db)
            check(f"{peer}: a prefix, then the whole corpus, stores the same events", stored_ids(peer, db) == list(enumerate(reference, 1))
                  and first["events"] + rest["events"] == len(reference), f"{first['events']} + {rest['events']} != {len(reference)}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
