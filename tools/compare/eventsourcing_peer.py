#!/usr/bin/env python3
"""Ingests an Annals corpus with Python's eventsourcing library (9.5) and its SQLite recorder.

    eventsourcing_peer.py CORPUS.jsonl --batch 10000 --db PATH [--layer application|recorder] [--json]

Streams, as the library models them: each article is one aggregate (originator) whose events
are article.recorded (version 1), then the facts it asserts, corrects and retracts (versions
2, 3, …); each actor is one aggregate, actor.named then its actor.aliased events. An
originator id is uuid5(ANNALS_NAMESPACE, "article/<article>" or "actor/<actor>"): the Annals id
of the stream's first event. The application recorder gives every stored event a global
notification id, SQLite's rowid, gapless like Annals' positions. Stored topics are Annals'
event types (the library's explicit TOPIC support). Each stored state carries the Annals id,
source, correlation and causation ids, schema version, timestamp and the input record.

--layer application (the default, what a user of the library writes): Article and Actor are
Aggregate subclasses with one event class per Annals type; the application's repository loads
each stream before appending to it (a new stream is "not found"), the aggregate skips an
Annals id it already holds (so ingesting again appends nothing), and Application.save() stores
the pending events of about --batch events' worth of aggregates in one transaction. The
library's mapper and JSON transcoder turn each event object into a stored event.

--layer recorder: the same rows built directly as StoredEvent objects (state = JSON bytes with
the input line spliced in verbatim) and written with ApplicationRecorder.insert_events(), one
call per batch. This skips the library's aggregate, mapper and transcoder layers, so it
flatters the library: it is the floor of its storage cost, not what its users pay.

Durability is the library's default for SQLite (eventsourcing/sqlite.py): it switches the
database to WAL (journal_mode=WAL) and leaves `synchronous` at SQLite's default, which in WAL
mode is FULL (Debian builds SQLite with DEFAULT_WAL_SYNCHRONOUS=2): the WAL is fsynced at
every commit, so a saved batch survives a power cut. The report reads the level back.
"""
import json
import sqlite3
from importlib.metadata import version
import sys
from collections import OrderedDict
from typing import Optional
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore
import eventsourcing

from corpus_events import Corpus, CorpusError
import measure

ANNALS_NAMESPACE = uuid5(NAMESPACE_URL, "annals:event-id")
#: Streams the recorder layer remembers between batches (the application uses its repository's cache).
STREAM_CACHE = 10_000


def stream_id(stream: str) -> UUID:
    return uuid5(ANNALS_NAMESPACE, stream)


# The application layer: the aggregates a user of the library would define.

class Article(Aggregate):
    """An article and, in order, what it asserts, corrects and retracts."""
    TOPIC = "annals:Article"

    class Created(Aggregate.Created):
        TOPIC = "article.recorded"
        annals_id: str
        source: str
        correlation_id: Optional[str]
        causation_id: Optional[str]
        schema_version: int
        record: dict

    @staticmethod
    def create_id(annals_id: str) -> UUID:
        return stream_id(annals_id)

    def __init__(self, annals_id: str, source: str, correlation_id: Optional[str], causation_id: Optional[str],
                 schema_version: int, record: dict):
        self.recorded = {annals_id}

    @event("FactAsserted", topic="fact.asserted")
    def assert_fact(self, annals_id: str, source: str, correlation_id: Optional[str], causation_id: Optional[str],
                    schema_version: int, record: dict):
        self.recorded.add(annals_id)

    @event("FactCorrected", topic="fact.corrected")
    def correct_fact(self, annals_id: str, source: str, correlation_id: Optional[str], causation_id: Optional[str],
                     schema_version: int, record: dict):
        self.recorded.add(annals_id)

    @event("FactRetracted", topic="fact.retracted")
    def retract_fact(self, annals_id: str, source: str, correlation_id: Optional[str], causation_id: Optional[str],
                     schema_version: int, record: dict):
        self.recorded.add(annals_id)


class Actor(Aggregate):
    """An actor: its first naming, then each further name."""
    TOPIC = "annals:Actor"

    class Created(Aggregate.Created):
        TOPIC = "actor.named"
        annals_id: str
        source: str
        correlation_id: Optional[str]
        causation_id: Optional[str]
        schema_version: int
        record: dict

    @staticmethod
    def create_id(annals_id: str) -> UUID:
        return stream_id(annals_id)

    def __init__(self, annals_id: str, source: str, correlation_id: Optional[str], causation_id: Optional[str],
                 schema_version: int, record: dict):
        self.recorded = {annals_id}

    @event("Aliased", topic="actor.aliased")
    def alias(self, annals_id: str, source: str, correlation_id: Optional[str], causation_id: Optional[str],
              schema_version: int, record: dict):
        self.recorded.add(annals_id)


CREATORS = {"article.recorded": Article, "actor.named": Actor}
COMMANDS = {"fact.asserted": Article.assert_fact, "fact.corrected": Article.correct_fact,
            "fact.retracted": Article.retract_fact, "actor.aliased": Actor.alias}


class Timeline(Application):
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        # Keep recently saved aggregates (the actors, above all) in memory; this process is the
        # only writer, so cached aggregates need no fast-forwarding from the database.
        "AGGREGATE_CACHE_MAXSIZE": str(STREAM_CACHE),
        "AGGREGATE_CACHE_FASTFORWARD": "n",
    }


def ingest_application(args, corpus: Corpus, progress):
    app = Timeline(env={"SQLITE_DBNAME": args.db})
    datastore = app.recorder.datastore
    head_before = max_notification_id(app.recorder)

    # Timed: reading and parsing the corpus, deriving the events, loading each stream from the
    # repository, triggering the events on the aggregates, and saving them (mapping,
    # transcoding, inserting, committing). Not timed: constructing the application and its
    # table (above), the counts and the final checkpoint (in main).
    clock = measure.Clock()
    pending, pending_events, appended, batches = {}, [], 0, 0

    def load(stream: str):
        aggregate = pending.get(stream)
        if aggregate is None:
            try:
                aggregate = app.repository.get(stream_id(stream))
            except AggregateNotFoundError:
                return None
        return aggregate

    def save():
        nonlocal pending, pending_events, appended, batches
        # Given only aggregates, save() records their events aggregate by aggregate, so the
        # notification ids would not follow the input. Given the events (collected in input
        # order) and then the aggregates (whose events are already collected: this only puts
        # them in the repository's cache), it records them in input order, as Annals does.
        app.save(*pending_events, *pending.values())
        appended, batches = appended + len(pending_events), batches + 1
        pending, pending_events = {}, []
        progress.update(appended)

    for group in corpus.article_batches():
        if len(pending_events) >= args.batch:
            save()
        for e in group:
            aggregate = load(e.stream)
            if aggregate is None:
                creator = CREATORS.get(e.type)
                if creator is None:
                    raise CorpusError(f"{e.source}: {e.stream} is not recorded before {e.type} {e.id}")
                aggregate = creator(annals_id=e.id, source=e.source, correlation_id=e.correlation_id,
                                    causation_id=e.causation_id, schema_version=1, record=e.record)
            elif e.id in aggregate.recorded:
                continue
            else:
                COMMANDS[e.type](aggregate, e.id, e.source, e.correlation_id, e.causation_id, 1, e.record)
            pending[e.stream] = aggregate
            pending_events.extend(aggregate.collect_events())
    if pending:
        save()
    seconds = clock.stop()
    return app, datastore, head_before, appended, batches, seconds


def ingest_recorder(args, corpus: Corpus, progress):
    datastore = SQLiteDatastore(args.db)
    recorder = SQLiteApplicationRecorder(datastore)
    recorder.create_table()
    head_before = max_notification_id(recorder)

    # Timed: as for the application layer, but the rows are built here and written with
    # insert_events(): no aggregates, mapper or transcoder.
    clock = measure.Clock()
    streams = OrderedDict()  # stream -> [last version, Annals ids recorded]; bounded between batches
    pending, appended, batches, recorded_at = [], 0, 0, 0

    def state_of(stream: str):
        known = streams.get(stream)
        if known is None:
            stored = recorder.select_events(stream_id(stream))
            known = [stored[-1].originator_version if stored else 0, {json.loads(s.state)["annals_id"] for s in stored}]
            streams[stream] = known
        else:
            streams.move_to_end(stream)
        return known

    def save():
        nonlocal pending, appended, batches, recorded_at
        recorded_at = measure.microseconds_now(recorded_at)
        stamp = b',"recorded_at":%d,"record":' % recorded_at
        recorder.insert_events([StoredEvent(originator_id=oid, originator_version=version, topic=e.type,
                                            state=head + stamp + e.payload + b"}") for e, oid, version, head in pending])
        appended, batches, pending = appended + len(pending), batches + 1, []
        while len(streams) > STREAM_CACHE:
            streams.popitem(last=False)
        progress.update(appended)

    for group in corpus.article_batches():
        if len(pending) >= args.batch:
            save()
        for e in group:
            known = state_of(e.stream)
            if e.id in known[1]:
                continue
            if known[0] == 0 and e.type not in CREATORS:
                raise CorpusError(f"{e.source}: {e.stream} is not recorded before {e.type} {e.id}")
            known[0] += 1
            known[1].add(e.id)
            head = json.dumps({"annals_id": e.id, "source": e.source, "correlation_id": e.correlation_id,
                               "causation_id": e.causation_id, "schema_version": 1}, separators=(",", ":"))[:-1].encode()
            pending.append((e, stream_id(e.stream), known[0], head))
    if pending:
        save()
    seconds = clock.stop()
    return None, datastore, head_before, appended, batches, seconds


def max_notification_id(recorder) -> int:
    return recorder.max_notification_id() or 0


def pragma(datastore: SQLiteDatastore, name: str):
    with datastore.get_connection(commit=False) as connection:
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def main():
    args = measure.arguments(__doc__.split("\n\n")[0], lambda parser: parser.add_argument(
        "--layer", choices=["application", "recorder"], default="application",
        help="application: aggregates and Application.save() (default); recorder: StoredEvents straight into insert_events()"))
    progress = measure.Progress(f"eventsourcing ({args.layer})")
    try:
        corpus = Corpus(args.corpus)
        ingest = ingest_application if args.layer == "application" else ingest_recorder
        app, datastore, head_before, appended, batches, seconds = ingest(args, corpus, progress)
        progress.done()
        journal = pragma(datastore, "journal_mode")
        synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[pragma(datastore, "synchronous")]
        if app is not None:
            app.close()
        else:
            datastore.close()
        with sqlite3.connect(args.db) as connection:
            by_type = dict(connection.execute(
                "SELECT topic, count(*) FROM stored_events WHERE rowid > ? GROUP BY topic", (head_before,)))
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
    except CorpusError as error:
        sys.exit(f"eventsourcing_peer: {error}")
    except (sqlite3.Error, eventsourcing.persistence.PersistenceError, OSError) as error:
        sys.exit(f"eventsourcing_peer: {args.db}: {error}")
    measure.report(args, system=f"eventsourcing {version('eventsourcing')} ({args.layer})",
                   durability=f"{journal.upper()}, synchronous={synchronous} (library default)", corpus=corpus,
                   events=appended, seconds=seconds, bytes_on_disk=measure.files_size(args.db, args.db + "-wal"),
                   by_type=by_type, batches=batches, layer=args.layer)


if __name__ == "__main__":
    main()
