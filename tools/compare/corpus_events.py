"""The events Annals' ingest derives from a JSON Lines corpus, for the peers to store.

Ids, types and metadata follow docs/INPUT.md ("What ingestion writes") and the ingest planner
(Sources/AnnalsTimeline/Ingest/IngestPlanner.swift):

    article      -> article.recorded   article/<id>
    alias        -> actor.named        actor/<actor>                    when the actor is new
                    actor.aliased      actor/<actor>/alias/<name key>   per name new to the actor
    fact         -> fact.asserted      article/<article>/asserts/<id>
    correction   -> fact.corrected     article/<article>/corrects/<fact>
    retraction   -> fact.retracted     article/<article>/retracts/<fact>

source is "<path as given>:<line>"; correlation_id is the record's article (none for alias
records, as in Annals); causation_id is article/<article> for facts, corrections and
retractions. The payload is the record's JSON line as read (Annals stores a compact binary
encoding instead). A name key is the name lowercased with whitespace runs folded, as Annals'
ActorName.key. A new actor's own name is not an alias; a name that already names the actor is
skipped, one that names another actor is an error, as in Annals.

The corpus is read line by line. What is kept is what Annals' planner keeps too: the actors
declared so far and the owner of each actor name, so memory grows with the number of actor
names, not with the number of facts.

This is not a validator: it checks only what it needs to derive ids. Feed it corpora that
Annals accepts.
"""
import json
import os
from typing import Iterator, NamedTuple, Optional


class Event(NamedTuple):
    id: str
    type: str
    source: str
    correlation_id: Optional[str]
    causation_id: Optional[str]
    payload: bytes
    record: dict
    #: The Annals id of the stream the event belongs to: article/<article> or actor/<actor>.
    stream: str


class CorpusError(Exception):
    """A problem with the input, as one line: path:line: what."""


def name_key(name: str) -> str:
    return " ".join(name.split()).lower()


class Corpus:
    """Reads a corpus and yields its events grouped by article, in input order."""

    def __init__(self, path: str):
        self.path = path
        try:
            self.input_bytes = os.path.getsize(path)
        except OSError as error:
            raise CorpusError(f"{path}: {error.strerror}") from None
        self.records = {"article": 0, "alias": 0, "fact": 0, "correction": 0, "retraction": 0}
        self.events = 0
        self._actors = set()
        self._name_owners = {}

    def article_batches(self) -> Iterator[list]:
        """One list of events per article: the article's own events and the alias events of
        the records between them. Annals writes each such group all or nothing, and so do the
        peers: their transactions break only between groups."""
        group, group_article = [], None
        for event_list, article in self._events():
            if article is not None and article != group_article:
                if group:
                    yield group
                group, group_article = [], article
            group.extend(event_list)
        if group:
            yield group

    def _events(self):
        try:
            handle = open(self.path, "rb")
        except OSError as error:
            raise CorpusError(f"{self.path}: {error.strerror}") from None
        with handle:
            for number, line in enumerate(handle, start=1):
                line = line.rstrip(b"\r\n")
                if not line.strip(b" \t\r"):
                    continue
                source = f"{self.path}:{number}"
                try:
                    record = json.loads(line)
                    events, article = self._derive(record, line, source)
                except CorpusError as error:
                    raise CorpusError(f"{source}: {error}") from None
                except json.JSONDecodeError as error:
                    raise CorpusError(f"{source}: column {error.colno}: {error.msg}") from None
                except KeyError as error:
                    raise CorpusError(f"{source}: field {error.args[0]!r} is missing") from None
                except (TypeError, AttributeError):
                    raise CorpusError(f"{source}: expected a JSON object with the fields of its type") from None
                self.events += len(events)
                yield events, article

    def _derive(self, record: dict, line: bytes, source: str):
        kind = record["type"]
        if kind not in self.records:
            raise CorpusError(f"type {kind!r} is not one of {', '.join(self.records)}")
        self.records[kind] += 1
        if kind == "alias":
            return self._actor_events(record, line, source), None
        if kind == "article":
            article = record["id"]
            stream = f"article/{article}"
            return [Event(stream, "article.recorded", source, article, None, line, record, stream)], article
        article = record["article"]
        stream = f"article/{article}"
        if kind == "fact":
            id, type = f"{stream}/asserts/{record['id']}", "fact.asserted"
        elif kind == "correction":
            id, type = f"{stream}/corrects/{record['fact']}", "fact.corrected"
        else:
            id, type = f"{stream}/retracts/{record['fact']}", "fact.retracted"
        return [Event(id, type, source, article, stream, line, record, stream)], article

    def _actor_events(self, record: dict, line: bytes, source: str) -> list:
        actor = record["actor"]
        stream = f"actor/{actor}"
        names = list(record.get("aliases") or [])
        name = record.get("name")
        events = []
        if actor not in self._actors:
            if not name or not record.get("kind"):
                raise CorpusError(f"actor {actor} is new, so it needs a name and a kind")
            for key in (name_key(actor), name_key(name)):
                owner = self._name_owners.setdefault(key, actor)
                if owner != actor:
                    raise CorpusError(f"{key!r} already names actor {owner}")
            self._actors.add(actor)
            events.append(Event(stream, "actor.named", source, None, None, line, record, stream))
        elif name:
            names.insert(0, name)
        for alias in names:
            key = name_key(alias)
            owner = self._name_owners.get(key)
            if owner == actor:
                continue
            if owner is not None:
                raise CorpusError(f"{alias!r} already names actor {owner}; a name belongs to one actor")
            self._name_owners[key] = actor
            events.append(Event(f"{stream}/alias/{key}", "actor.aliased", source, None, None, line, record, stream))
        return events
