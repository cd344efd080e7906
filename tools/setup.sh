#!/usr/bin/env bash
# Installs the system packages Annals needs, when they are missing:
#   liblmdb-dev   LMDB's header and library, which Annals links against
#   lmdb-utils    mdb_stat and mdb_dump, for inspecting stores
#   python3-lmdb  the independent reader that cross-checks the storage format in the tests
#   libnats-dev   NATS's C client, which `annals replicate` and `annals follow` link against
#   libssl-dev    OpenSSL's libcrypto, whose SHA-256 hashes the log's chain and articles' texts
#   pkg-config    lets SwiftPM find LMDB and the NATS client
# and, with --for-tests, what the test suite needs besides:
#   chromium      a headless browser: the tests open the timeline page in it
#   fonts-dejavu-core  text for the browser's screenshots
#   python3-jsonschema validates exported CloudEvents against their JSON schema
#   nats-server   a JetStream server: the tests run a three-server cluster on 127.0.0.1
# As root it runs apt-get; otherwise it prints the one command to run and fails.
set -euo pipefail

packages=(liblmdb-dev libnats-dev libssl-dev lmdb-utils python3-lmdb pkg-config)
if [ "${1:-}" = "--for-tests" ]; then
    packages+=(chromium fonts-dejavu-core python3-jsonschema nats-server)
fi
missing=()
for package in "${packages[@]}"; do
    # Any installed build of Chromium will do (Ubuntu names its package chromium-browser).
    if [ "$package" = chromium ] && { command -v chromium || command -v chromium-browser; } >/dev/null 2>&1; then
        continue
    fi
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: Annals needs ${missing[*]} (Debian/Ubuntu package names); install them with your system's package manager." >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# Debian calls the browser chromium, Ubuntu chromium-browser.
for index in "${!missing[@]}"; do
    if [ "${missing[$index]}" = chromium ] && ! apt-cache show chromium >/dev/null 2>&1; then
        missing[index]=chromium-browser
    fi
done
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
