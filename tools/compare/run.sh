#!/usr/bin/env bash
# Ingests one corpus with Annals and with what users would pick instead, and prints one table.
#
#   tools/compare/run.sh [--facts N | --input FILE] [--keep]
#
#   --facts N     generate a corpus of N facts (default 100000; 10k and 1M work too) with seed 42,
#                 by tools/generate-corpus, or by sample_corpus.py where that script is missing
#   --input FILE  use this JSON Lines corpus instead
#   --keep        keep the scratch directory (stores, generated corpus, each run's output)
#
# In order, each into a fresh store under tools/compare/.work/: Annals (`annals bench ingest
# --durable`, 10,000 events per transaction), SQLite in WAL mode with synchronous=FULL, then
# NORMAL, then Python's eventsourcing library through its aggregates and application, then
# through its recorder alone. Every run's raw JSON goes to .work/results-<timestamp>.json.
#
# Environment:
#   ANNALS_BIN  the annals binary; default .build/release/annals, built (swift build -c release
#               --product annals) when missing. A binary named here is never built.
#   GENERATOR   the corpus generator, any command taking --facts N --seed S --output FILE;
#               default tools/generate-corpus, else tools/compare/sample_corpus.py.
# Needs python3 with venv; installs eventsourcing 9.5 from PyPI into tools/compare/.venv.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
usage="usage: tools/compare/run.sh [--facts N | --input FILE] [--keep]"
facts=""
input=""
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --facts) [ $# -ge 2 ] || { echo "run: --facts needs a count; $usage" >&2; exit 2; }; facts="$2"; shift 2 ;;
        --input) [ $# -ge 2 ] || { echo "run: --input needs a file; $usage" >&2; exit 2; }; input="$2"; shift 2 ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run: unknown argument $1; $usage" >&2; exit 2 ;;
    esac
done
if [ -n "$facts" ] && [ -n "$input" ]; then
    echo "run: give --facts or --input, not both; $usage" >&2
    exit 2
fi
if [ -n "$input" ] && [ ! -f "$input" ]; then
    echo "run: $input: no such file" >&2
    exit 2
fi
facts="${facts:-100000}"
say() { if [ -t 2 ]; then echo "run: $*" >&2; fi; }

# (a) A private virtual environment with eventsourcing 9.5.
venv="$here/.venv"
py="$venv/bin/python"
if [ ! -x "$py" ]; then
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        rm -rf "$venv"
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
            echo "run: python3 cannot create virtual environments; installing python3-venv" >&2
            DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            python3 -m venv "$venv"
        else
            echo "run: python3 cannot create virtual environments; run: sudo apt-get install -y python3-venv" >&2
            exit 1
        fi
    fi
fi
if ! "$py" -c 'import sys; from importlib.metadata import version; sys.exit(version("eventsourcing").split(".")[:2] != ["9", "5"])' 2>/dev/null; then
    echo "run: installing eventsourcing 9.5 into tools/compare/.venv" >&2
    "$py" -m pip install --quiet --disable-pip-version-check 'eventsourcing>=9.5,<9.6'
fi

# (b) The corpus.
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
work="$here/.work/run-$stamp"
results="$here/.work/results-$stamp.json"
mkdir -p "$work"
if [ "$keep" -eq 1 ]; then
    trap 'echo "run: kept $work" >&2' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi
generator=""
if [ -n "$input" ]; then
    corpus="$(cd "$(dirname "$input")" && pwd)/$(basename "$input")"
else
    generator="${GENERATOR:-}"
    if [ -z "$generator" ]; then
        if [ -x "$root/tools/generate-corpus" ]; then generator="$root/tools/generate-corpus"; else generator="$here/sample_corpus.py"; fi
    fi
    corpus="$work/corpus.jsonl"
    say "generating $facts facts with $generator"
    if ! "$generator" --facts "$facts" --seed 42 --output "$corpus"; then
        echo "run: $generator --facts $facts --seed 42 failed" >&2
        exit 1
    fi
fi

# (c) The runs. Each appends `label<TAB>ok|failed<TAB>its JSON or its stderr` to the manifest.
manifest="$work/manifest.tsv"
: >"$manifest"
run() {
    local label="$1" name="$2"
    shift 2
    say "$label"
    if "$@" >"$work/$name.json" 2>"$work/$name.err"; then
        printf '%s\tok\t%s\n' "$label" "$work/$name.json" >>"$manifest"
    else
        printf '%s\tfailed\t%s\n' "$label" "$work/$name.err" >>"$manifest"
    fi
}

annals="${ANNALS_BIN:-$root/.build/release/annals}"
missing="$annals: no such executable"
if [ -z "${ANNALS_BIN:-}" ] && [ ! -x "$annals" ]; then
    echo "run: building Annals: swift build -c release --product annals" >&2
    (cd "$root" && swift build -c release --product annals) >&2 || missing="swift build -c release --product annals failed"
fi
if [ -x "$annals" ]; then
    run "Annals" annals "$annals" --store "$work/annals.lmdb" bench ingest --input "$corpus" --batch 10000 --durable --format json
else
    echo "$missing" >"$work/annals.err"
    printf '%s\tfailed\t%s\n' "Annals" "$work/annals.err" >>"$manifest"
fi
run "SQLite" sqlite-full "$py" "$here/sqlite_peer.py" "$corpus" --synchronous FULL --batch 10000 --db "$work/sqlite-full.db" --json
run "SQLite" sqlite-normal "$py" "$here/sqlite_peer.py" "$corpus" --synchronous NORMAL --batch 10000 --db "$work/sqlite-normal.db" --json
run "eventsourcing (aggregates)" eventsourcing "$py" "$here/eventsourcing_peer.py" "$corpus" --batch 10000 --db "$work/eventsourcing.db" --json
run "eventsourcing (recorder)" eventsourcing-recorder "$py" "$here/eventsourcing_peer.py" "$corpus" --layer recorder --batch 10000 --db "$work/eventsourcing-recorder.db" --json

# (d) The table, after a line for each run that failed (their rows are n/a).
"$py" "$here/report.py" "$manifest" --results "$results" --corpus "$corpus" \
    ${generator:+--facts "$facts" --generator "$generator"}
