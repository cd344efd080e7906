#!/usr/bin/env python3
"""Read an Annals log with plain LMDB, independently of the Swift code.

Follows docs/FORMAT.md only: opens the store with python3-lmdb, walks the `log` database,
decodes every record, recomputes the SHA-256 hash chain and checks the id index. Prints one
JSON object per event on standard output, or with --summary one object with the head and the
head hash. Exits with status 1 and one line on standard error at the first disagreement.

Usage: read_log.py STORE [--summary]
Needs Debian's python3-lmdb: run it with /usr/bin/python3.
"""
import hashlib
import json
import struct
import sys

import lmdb

SUPPORTED_FORMAT = 1
HEADER = struct.Struct("<32sQqII5B3s")  # hash, position, recorded-at, schema, payload length, 5 lengths, reserved


def fail(message):
    print(f"read_log.py: {message}", file=sys.stderr)
    sys.exit(1)


def decode(position, record):
    if len(record) < HEADER.size:
        fail(f"position {position}: record of {len(record)} bytes is shorter than the header")
    (chain, stored_position, recorded_at, schema, payload_length,
     id_len, type_len, source_len, correlation_len, causation_len, reserved) = HEADER.unpack_from(record)
    if stored_position != position:
        fail(f"position {position}: record says it is at {stored_position}")
    if reserved != b"\0\0\0":
        fail(f"position {position}: reserved bytes are not zero")
    offset = HEADER.size
    fields = []
    for length in (id_len, type_len, source_len, correlation_len, causation_len):
        fields.append(record[offset:offset + length].decode("utf-8"))
        offset += length
    payload = record[offset:]
    if len(payload) != payload_length:
        fail(f"position {position}: payload is {len(payload)} bytes, header says {payload_length}")
    event_id, event_type, source, correlation, causation = fields
    return {
        "position": position,
        "id": event_id,
        "type": event_type,
        "schema_version": schema,
        "recorded_at_us": recorded_at,
        "source": source or None,
        "correlation_id": correlation or None,
        "causation_id": causation or None,
        "payload_hex": payload.hex(),
        "chain_hash": chain.hex(),
    }, chain


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        fail("usage: read_log.py STORE [--summary]")
    summary = "--summary" in sys.argv
    env = lmdb.open(args[0], readonly=True, max_dbs=16, subdir=True)
    meta = env.open_db(b"meta", create=False)
    log = env.open_db(b"log", create=False)
    ids = env.open_db(b"ids", create=False)
    with env.begin() as txn:
        version = txn.get(b"format-version", db=meta)
        if version is None or int(version) > SUPPORTED_FORMAT:
            fail(f"unsupported format version {version!r}")
        previous = bytes(32)
        expected = 1
        for key, record in txn.cursor(db=log):
            (position,) = struct.unpack(">Q", key)
            if position != expected:
                fail(f"expected position {expected}, found {position}")
            event, chain = decode(position, record)
            if hashlib.sha256(previous + record[32:]).digest() != chain:
                fail(f"position {position}: chain hash does not match")
            indexed = txn.get(event["id"].encode("utf-8"), db=ids)
            if indexed is None or struct.unpack(">Q", indexed)[0] != position:
                fail(f"position {position}: id index does not point here")
            if not summary:
                print(json.dumps(event, ensure_ascii=False, sort_keys=True))
            previous = chain
            expected += 1
        if summary:
            print(json.dumps({"head": expected - 1, "head_hash": previous.hex()}))


if __name__ == "__main__":
    main()
