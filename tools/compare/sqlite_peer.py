#!/usr/bin/env python3
"""Ingests an Annals corpus into one SQLite table of events, as a user would instead of Annals.

    sqlite_peer.py CORPUS.jsonl --synchronous FULL|NORMAL --batch 10000 --db PATH [--json]

The table has Annals' event columns. The events, their ids and metadata are those Annals
derives (corpus_events.py); the payload is the record's JSON line. An event whose id the table
already holds is skipped (INSERT OR IGNORE on the UNIQUE id), so ingesting again appends
nothing. SQLite runs in WAL mode with the synchronous level asked for:
  FULL    the WAL is fsynced at every commit: a committed batch survives a power cut (durable)
  NORMAL  the WAL is fsynced only at checkpoints: a power cut can lose the last commits
          (the database stays consistent; an application crash loses nothing)
"""
import os
import sqlite3
import sys

from corpus_events import Corpus, CorpusError
import measure

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    position       INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    type           TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    recorded_at    INTEGER NOT NULL,
    source         TEXT,
    correlation_id TEXT,
    causation_id   TEXT,
    payload        BLOB NOT NULL
)"""
INSERT = ("INSERT OR IGNORE INTO events (id, type, schema_version, recorded_at, source, correlation_id, causation_id, payload) "
          "VALUES (?, ?, 1, ?, ?, ?, ?, ?)")


def main():
    args = measure.arguments(__doc__.split("\n\n")[0], lambda parser: parser.add_argument(
        "--synchronous", type=str.upper, choices=["FULL", "NORMAL"], default="FULL", help="SQLite's synchronous level (default FULL)"))
    try:
        corpus = Corpus(args.corpus)
        connection = sqlite3.connect(args.db, isolation_level=None)  # transactions are begun and committed explicitly
        if connection.execute("PRAGMA journal_mode=WAL").fetchone()[0] != "wal":
            sys.exit(f"sqlite_peer: {args.db}: could not switch to WAL mode")
        connection.execute(f"PRAGMA synchronous={args.synchronous}")
        connection.execute(SCHEMA)
        head_before = connection.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()[0]
        progress = measure.Progress("sqlite")

        # Timed: reading and parsing the corpus, deriving the events, inserting and committing
        # them. Not timed: opening the database and creating the table (above), the final
        # checkpoint and the counts (below).
        clock = measure.Clock()
        changes_before = connection.total_changes
        pending, batches, recorded_at = [], 0, 0

        def commit():
            nonlocal pending, batches, recorded_at
            recorded_at = measure.microseconds_now(recorded_at)
            connection.execute("BEGIN")
            connection.executemany(INSERT, ((e.id, e.type, recorded_at, e.source, e.correlation_id, e.causation_id, e.payload)
                                            for e in pending))
            connection.execute("COMMIT")
            pending, batches = [], batches + 1
            progress.update(connection.total_changes - changes_before)

        for group in corpus.article_batches():
            if len(pending) >= args.batch:
                commit()
            pending.extend(group)
        if pending:
            commit()
        appended = connection.total_changes - changes_before
        seconds = clock.stop()
        progress.done()

        by_type = dict(connection.execute("SELECT type, count(*) FROM events WHERE position > ? GROUP BY type", (head_before,)))
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[connection.execute("PRAGMA synchronous").fetchone()[0]]
        connection.close()
    except CorpusError as error:
        sys.exit(f"sqlite_peer: {error}")
    except (sqlite3.Error, OSError) as error:
        sys.exit(f"sqlite_peer: {args.db}: {error}")
    measure.report(args, system=f"SQLite {sqlite3.sqlite_version}", durability=f"WAL, synchronous={synchronous}", corpus=corpus,
                   events=appended, seconds=seconds, bytes_on_disk=measure.files_size(args.db, args.db + "-wal"),
                   by_type=by_type, batches=batches)


if __name__ == "__main__":
    main()
