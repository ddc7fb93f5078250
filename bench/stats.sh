#!/usr/bin/env bash
# Listing 5000 taps with and without counters: tuntapctl against iproute2,
# side by side, in interleaved rounds.
#
#   sudo -E env PATH="$PATH" bench/stats.sh
#   (N=taps ROUNDS=rounds RUNS=runs per command per round, to tune)
#
# Builds the release binary, then re-executes itself inside a throwaway
# network and mount namespace (unshare -n -m; sysfs remounted privately so
# `ip tuntap show` sees this namespace): the host's interfaces are never
# touched. It makes N (5000) taps with `ip -batch`, then runs ROUNDS (7)
# rounds; each round times every command below with hyperfine (RUNS runs,
# one after the other, so the commands interleave over the rounds):
#   tuntapctl list --json            ip -j tuntap show (issue 1's reference)
#   tuntapctl list --json --stats    ip -s -j link show type tun
#                                    ip -d -j link show type tun
# and prints, per command, the median over the rounds of the round means,
# and the ratios: list --json / ip -j tuntap show (goal: at most 0.3) and
# list --json --stats / ip -s -j link show type tun.
set -euo pipefail

N=${N:-5000}
ROUNDS=${ROUNDS:-7}
RUNS=${RUNS:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${TUNTAPCTL_BENCH_INNER:-}" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "stats.sh: run as root (it creates interfaces in a private network namespace)" >&2; exit 5; }
    need hyperfine hyperfine
    need ip iproute2
    need unshare util-linux
    (cd "$ROOT" && cargo build --release --quiet)
    export TUNTAPCTL_BENCH_INNER=1
    exec unshare -n -m --propagation private "$0" "$@"
fi

TT="$ROOT/target/release/tuntapctl"
[ -x "$TT" ] || { echo "stats.sh: run it without TUNTAPCTL_BENCH_INNER: the build step is missing" >&2; exit 2; }
mount -t sysfs sysfs /sys

W=$(mktemp -d /tmp/tuntapctl-bench-stats.XXXXXX)
trap 'rm -rf "$W"' EXIT

for ((i = 1; i <= N; i++)); do echo "tuntap add tap$i mode tap"; done >"$W/add"
ip -batch "$W/add"

names=("tuntapctl list --json" "tuntapctl list --json --stats" "ip -j tuntap show" "ip -s -j link show type tun" "ip -d -j link show type tun")
cmds=("$TT list --json" "$TT list --json --stats" "ip -j tuntap show" "ip -s -j link show type tun" "ip -d -j link show type tun")

# Each command must see every tap (and the counters), or we would time an error.
got=$("$TT" list --json | grep -o '"ifindex"' | wc -l)
[ "$got" -eq "$N" ] || { echo "stats.sh: list --json shows $got of $N" >&2; exit 1; }
got=$("$TT" list --json --stats | grep -o '"rx_packets"' | wc -l)
[ "$got" -eq "$N" ] || { echo "stats.sh: list --json --stats has counters for $got of $N" >&2; exit 1; }
got=$("$TT" list --json | grep -c '"stats"' || true)
[ "$got" -eq 0 ] || { echo "stats.sh: list --json without --stats printed counters" >&2; exit 1; }
got=$(ip -s -j link show type tun | grep -o '"stats64"' | wc -l)
[ "$got" -eq "$N" ] || { echo "stats.sh: ip -s -j link shows counters for $got of $N" >&2; exit 1; }
got=$(ip -j tuntap show 2>/dev/null | grep -o '"ifname"' | wc -l)
[ "$got" -eq "$N" ] || { echo "stats.sh: ip -j tuntap show shows $got of $N" >&2; exit 1; }

for ((r = 1; r <= ROUNDS; r++)); do
    for c in "${!cmds[@]}"; do
        hyperfine -N --style none --warmup 2 --runs "$RUNS" --export-csv "$W/r$r-c$c.csv" \
            -n "${names[$c]}" "${cmds[$c]}" >/dev/null 2>&1
    done
    echo "round $r of $ROUNDS done" >&2
done

# Median over rounds of each command's mean (ms).
median() { # median CMD_INDEX
    for ((r = 1; r <= ROUNDS; r++)); do
        awk -F, 'NR == 2 { printf "%.3f\n", $2 * 1000 }' "$W/r$r-c$1.csv"
    done | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
declare -a med
echo
printf "%-34s %12s\n" "command ($N taps, median of $ROUNDS rounds)" "ms"
for c in "${!cmds[@]}"; do
    med[$c]=$(median "$c")
    printf "%-34s %12s\n" "${names[$c]}" "${med[$c]}"
done
echo
awk -v a="${med[0]}" -v b="${med[2]}" 'BEGIN { r = a / b; printf "list --json / ip -j tuntap show:                 %.3f (goal <= 0.3: %s)\n", r, (r <= 0.3 ? "met" : "NOT met") }'
awk -v a="${med[0]}" -v b="${med[4]}" 'BEGIN { printf "list --json / ip -d -j link show type tun:        %.3f\n", a / b }'
awk -v a="${med[1]}" -v b="${med[3]}" 'BEGIN { printf "list --json --stats / ip -s -j link show type tun: %.3f\n", a / b }'
awk -v a="${med[1]}" -v b="${med[0]}" 'BEGIN { printf "list --json --stats / list --json:                %.3f\n", a / b }'
