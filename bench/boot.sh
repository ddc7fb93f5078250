#!/usr/bin/env bash
# Boot-time benchmark: tuntapctl batch/apply/del against ip(8), side by side.
#
#   sudo bench/boot.sh [RUNS]
#
# Builds the release binary, re-executes itself inside a fresh network
# namespace (unshare -n: the host's interfaces are never touched), and times
# with hyperfine:
#   1. create 1000 taps owned by nobody:  tuntapctl batch  vs  ip -batch
#   2. create + /30 address + up, 1000:   tuntapctl batch  vs  ip -batch
#   3. apply of a 1000-interface JSON file from scratch, and a second no-op
#      apply (shown next to ip -batch doing the from-scratch work)
#   4. delete 300 and 1000 taps:  one `tuntapctl del tap0 tap1 ...`  vs
#      ip -batch `link del tapN`
# and prints a table of means and ratios (tuntapctl / ip; below 1 is faster).
set -euo pipefail

RUNS=${1:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${TUNTAPCTL_BENCH_INNER:-}" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "boot.sh: run as root (it creates interfaces in a private network namespace)" >&2; exit 5; }
    need hyperfine hyperfine
    need ip iproute2
    need unshare util-linux
    need python3 python3
    (cd "$ROOT" && cargo build --release --quiet)
    export TUNTAPCTL_BENCH_INNER=1
    exec unshare -n "$0" "$@"
fi

TT="$ROOT/target/release/tuntapctl"
[ -x "$TT" ] || { echo "boot.sh: $TT missing: cargo build --release" >&2; exit 2; }
W=$(mktemp -d /tmp/tuntapctl-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

# Inputs.
addr() { echo "10.$(($1 / 64)).$(($1 % 64 * 4)).1/30"; }
for n in 300 1000; do
    : >"$W/ip-del$n"
    for ((i = 0; i < n; i++)); do echo "link del tap$i"; done >"$W/ip-del$n"
    : >"$W/ip-create$n"
    for ((i = 0; i < n; i++)); do echo "tuntap add tap$i mode tap user nobody"; done >"$W/ip-create$n"
    names=""
    for ((i = 0; i < n; i++)); do names+=" tap$i"; done
    echo "$TT del$names" >"$W/tt-del$n.sh"
done
for ((i = 0; i < 1000; i++)); do echo "add tap$i --tap --user nobody"; done >"$W/tt-create"
for ((i = 0; i < 1000; i++)); do echo "add tap$i --tap --user nobody -a $(addr $i) --up"; done >"$W/tt-full"
for ((i = 0; i < 1000; i++)); do
    echo "tuntap add tap$i mode tap user nobody"
    echo "addr add $(addr $i) dev tap$i"
    echo "link set tap$i up"
done >"$W/ip-full"
{
    echo "["
    for ((i = 0; i < 1000; i++)); do
        [ "$i" -gt 0 ] && echo ","
        printf '{"name":"tap%d","mode":"tap","owner":"nobody","addresses":["%s"],"up":true}' "$i" "$(addr $i)"
    done
    echo "]"
} >"$W/apply.json"

# Remove every tap, whatever state the last run left.
CLEAN="ip -force -batch $W/ip-del1000 >/dev/null 2>&1 || true"
HF=(hyperfine --runs "$RUNS" --warmup 1 --shell bash --style basic)

ip link set lo up
echo "kernel $(uname -r), $(nproc) CPUs, $RUNS runs each, in a private network namespace" >&2

"${HF[@]}" --prepare "$CLEAN" --export-json "$W/create.json" \
    -n "tuntapctl batch: 1000 taps" "$TT -q batch $W/tt-create" \
    -n "ip -batch: 1000 taps" "ip -batch $W/ip-create1000"

"${HF[@]}" --prepare "$CLEAN" --export-json "$W/full.json" \
    -n "tuntapctl batch: 1000 taps + /30 + up" "$TT -q batch $W/tt-full" \
    -n "ip -batch: 1000 taps + /30 + up" "ip -batch $W/ip-full"

"${HF[@]}" --prepare "$CLEAN" --export-json "$W/apply.json.out" \
    -n "tuntapctl apply: 1000 from scratch" "$TT -q apply $W/apply.json" \
    -n "ip -batch: same 1000 from scratch" "ip -batch $W/ip-full"

eval "$CLEAN"
"$TT" -q apply "$W/apply.json"
"$TT" apply "$W/apply.json" | tail -1 | grep -q "nothing to change" || { echo "boot.sh: the second apply was not a no-op" >&2; exit 1; }
"${HF[@]}" --export-json "$W/noop.json" \
    -n "tuntapctl apply: 1000, no-op" "$TT -q apply $W/apply.json"

for n in 300 1000; do
    "${HF[@]}" --prepare "$CLEAN; ip -batch $W/ip-create$n" --export-json "$W/del$n.json" \
        -n "tuntapctl del: $n taps" "bash $W/tt-del$n.sh" \
        -n "ip -batch: del $n taps" "ip -batch $W/ip-del$n"
done
eval "$CLEAN"

python3 - "$W" <<'PY'
import json, sys
w = sys.argv[1]
def load(f):
    return [(r["command"], r["mean"], r["stddev"] or 0.0) for r in json.load(open(f"{w}/{f}"))["results"]]
rows = [
    ("create 1000 taps (owner nobody)", load("create.json")),
    ("create + /30 + up, 1000", load("full.json")),
    ("apply 1000 from scratch", load("apply.json.out")),
    ("apply 1000, second (no-op)", load("noop.json") + [("-", None, None)]),
    ("delete 300", load("del300.json")),
    ("delete 1000", load("del1000.json")),
]
print()
print(f"{'scenario':34} {'tuntapctl (ms)':>18} {'ip (ms)':>18} {'ratio tt/ip':>12}")
print("-" * 85)
for label, r in rows:
    tt, ip = r[0], r[1]
    fmt = lambda m, s: "-" if m is None else f"{m*1000:9.1f} ± {s*1000:5.1f}"
    ratio = "-" if ip[1] is None else f"{tt[1] / ip[1]:.2f}"
    print(f"{label:34} {fmt(tt[1], tt[2]):>18} {fmt(ip[1], ip[2]):>18} {ratio:>12}")
PY
