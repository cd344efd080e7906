"""What the peers share: their command line, the clock, progress, and the report."""
import argparse
import json
import os
import resource
import sys
import time


def arguments(description: str, add=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("corpus", help="a JSON Lines corpus in Annals' input format")
    parser.add_argument("--batch", type=int, default=10_000, help="events per transaction (whole articles; default 10000)")
    parser.add_argument("--db", required=True, help="the SQLite database file (created if missing; ingesting again appends nothing)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    if add:
        add(parser)
    args = parser.parse_args()
    if args.batch < 1:
        parser.error("--batch must be at least 1")
    return args


class Clock:
    """Wall-clock seconds from construction to stop()."""

    def __init__(self):
        self.started = time.perf_counter()
        self.seconds = None

    def stop(self) -> float:
        self.seconds = time.perf_counter() - self.started
        return self.seconds


class Progress:
    """Events stored so far, on stderr at most once a second, only when stderr is a terminal."""

    def __init__(self, name: str):
        self.name = name
        self.enabled = sys.stderr.isatty()
        self.started = self.last = time.perf_counter()
        self.shown = False

    def update(self, events: int):
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last >= 1.0:
            self.last = now
            rate = events / (now - self.started)
            sys.stderr.write(f"\r{self.name}: {events:,} events, {rate:,.0f}/s ")
            sys.stderr.flush()
            self.shown = True

    def done(self):
        if self.shown:
            sys.stderr.write("\r\033[K")  # clear the progress line
            sys.stderr.flush()


def microseconds_now(previous: int) -> int:
    """recorded_at as Annals stamps it: once per transaction, never going back."""
    return max(time.time_ns() // 1000, previous)


def files_size(*paths: str) -> int:
    return sum(os.path.getsize(path) for path in paths if os.path.exists(path))


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def report(args, *, system: str, durability: str, corpus, events: int, seconds: float, bytes_on_disk: int,
           by_type: dict, batches: int, **extra):
    """Prints the run's figures: one JSON object with --json, else one line."""
    result = {
        "system": system,
        "durability": durability,
        "corpus": args.corpus,
        "input_bytes": corpus.input_bytes,
        "records": corpus.records,
        "events_derived": corpus.events,
        "events": events,
        "events_by_type": dict(sorted(by_type.items())),
        "batches": batches,
        "seconds": seconds,
        "events_per_second": events / seconds if seconds > 0 else 0.0,
        "mb_per_second": corpus.input_bytes / 1e6 / seconds if seconds > 0 else 0.0,
        "bytes_on_disk": bytes_on_disk,
        "bytes_per_event": bytes_on_disk / events if events else 0.0,
        "peak_rss_bytes": peak_rss_bytes(),
        **extra,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{system}, {durability}: {events:,} events in {seconds:.2f} s, {result['events_per_second']:,.0f} events/s, "
              f"{result['mb_per_second']:.1f} MB/s, {bytes_on_disk:,} bytes on disk ({result['bytes_per_event']:.0f}/event), "
              f"peak RSS {result['peak_rss_bytes'] / 2**20:.0f} MiB")
