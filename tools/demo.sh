#!/usr/bin/env bash
# The README's demo: a fresh store, the seed articles ingested (the Reuters article first, so
# the log tells the story of what was known when), then the main queries.
# Usage: tools/demo.sh [STORE]   (make demo runs it after building)
set -euo pipefail
cd "$(dirname "$0")/.."
annals_binary="${ANNALS:-.build/debug/annals}"
store="${1:-.demo/annals.lmdb}"
rm -rf "$store"

annals() { "$annals_binary" --store "$store" "$@"; }
if [ -t 1 ]; then
    section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
    section() { printf '\n== %s\n' "$*"; }
fi

section "annals ingest seeds"
annals ingest seeds
section "annals ingest seeds   (again: the store already holds every record)"
annals ingest seeds
section "annals log --limit 10   (the raw, append-only log)"
annals log --limit 10
section "annals sources"
annals sources
section "annals timeline   (valid-time order; ≈ marks sources that differ in precision)"
annals timeline
section "annals actor Putin   (aliases resolve to one actor)"
annals actor Putin

# The position just before the second article arrived: the store as Reuters alone told it.
second=$(annals sources --format jsonl | sed -n 2p | sed 's/.*"position":\([0-9]*\).*/\1/')
before=$((second - 1))
section "annals timeline --kind attack --as-of $before   (before the second article: \"in May\")"
annals timeline --kind attack --as-of "$before"
section "annals timeline --kind attack   (after it: both sources, and the day)"
annals timeline --kind attack
section "annals fact colonial-pipeline-attack --history   (the bitemporal record)"
annals fact colonial-pipeline-attack --history
section "annals projection define examples/projections/facts-by-actor-year.yaml   (a projection declared in a file, kept in the log)"
annals projection define examples/projections/facts-by-actor-year.yaml
section "annals projection show facts-by-actor-year"
annals projection show facts-by-actor-year
section "annals verify"
annals verify

page="$(dirname "$store")/timeline.html"
section "annals timeline --format html > $page   (the timeline as a page: zoom, lanes, sources, and an as-of slider)"
annals timeline --format html > "$page"
echo "wrote $page: open it in a browser (it needs no network); add ?as-of=$before to its address to open it as of position $before"
echo "or serve it live, following the store as it grows: $annals_binary serve --store $store (then open http://127.0.0.1:8080/)"
