#!/usr/bin/env bash
# Listing many tun/tap interfaces: tuntapctl against iproute2, side by side.
#
#   sudo -E env PATH="$PATH" bench/list.sh
#   (RUNS=N FD_RUNS=N FDS=N FD_IFACES=N HOLDERS=N to tune; COMPARE_BIN=PATH
#   adds another tuntapctl build to the first part, e.g. to weigh a change)
#
# Builds the release binary (and the repository's examples/tun_attach, a
# process that attaches to a tap the way a VM does), then re-executes itself
# inside a throwaway network and mount namespace (unshare -n -m): the host's
# interfaces are never touched. sysfs is remounted inside, privately, so that
# `ip tuntap show`, which reads /sys/class/net, sees this namespace's devices
# (with the host's sysfs it would fail on every interface and be timed
# failing). Then, with hyperfine:
#   1. 1000 and then 5000 taps (made with `ip -batch`, `tuntap add tapN mode
#      tap`): `tuntapctl list --json`  vs  `ip -j tuntap show`  vs
#      `ip -d -j link show type tun`
#   2. many open fds: a process holding FDS (10000) fds on /dev/null plus
#      HOLDERS (10) processes attached to taps, FD_IFACES (100) taps:
#      `tuntapctl list`  vs  `ip -d tuntap show` (which scans every fd in
#      /proc once per interface, hence the smaller interface count)
# and prints a table of means and the ratio to the ip command (below 1 is
# faster). The goal for tuntapctl list --json at 5000 taps is a ratio of at
# most 0.3 to `ip -j tuntap show`.
set -euo pipefail

RUNS=${RUNS:-20}
FD_RUNS=${FD_RUNS:-3}
FDS=${FDS:-10000}
FD_IFACES=${FD_IFACES:-100}
HOLDERS=${HOLDERS:-10}
COMPARE_BIN=${COMPARE_BIN:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${TUNTAPCTL_BENCH_INNER:-}" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "list.sh: run as root (it creates interfaces in a private network namespace)" >&2; exit 5; }
    need hyperfine hyperfine
    need ip iproute2
    need unshare util-linux
    (cd "$ROOT" && cargo build --release --quiet && cargo build --release --quiet --example tun_attach)
    export TUNTAPCTL_BENCH_INNER=1
    exec unshare -n -m --propagation private "$0" "$@"
fi

TT="$ROOT/target/release/tuntapctl"
ATTACH="$ROOT/target/release/examples/tun_attach"
[ -x "$TT" ] && [ -x "$ATTACH" ] || { echo "list.sh: run it without TUNTAPCTL_BENCH_INNER: the build step is missing" >&2; exit 2; }
mount -t sysfs sysfs /sys

W=$(mktemp -d /tmp/tuntapctl-bench-list.XXXXXX)
PIDS=()
cleanup() {
    # Only the processes started here, by pid.
    if [ ${#PIDS[@]} -gt 0 ]; then kill "${PIDS[@]}" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT

have=0 # taps tap1..tap$have exist
grow_to() {
    local n=$1 i
    : >"$W/add"
    for ((i = have + 1; i <= n; i++)); do echo "tuntap add tap$i mode tap" >>"$W/add"; done
    ip -batch "$W/add"
    have=$n
}
shrink_to() {
    local n=$1 i
    : >"$W/del"
    for ((i = n + 1; i <= have; i++)); do echo "link del tap$i" >>"$W/del"; done
    ip -batch "$W/del"
    have=$n
}

# Each command must work and see every interface, or we would time an error.
check_counts() {
    local n=$1 got
    got=$("$TT" list --json | grep -o '"ifindex"' | wc -l)
    [ "$got" -eq "$n" ] || { echo "list.sh: tuntapctl list --json shows $got of $n" >&2; exit 1; }
    got=$(ip -j tuntap show 2>"$W/err" | grep -o '"ifname"' | wc -l)
    if [ "$got" -ne "$n" ] || [ -s "$W/err" ]; then
        echo "list.sh: ip -j tuntap show shows $got of $n: $(head -3 "$W/err")" >&2
        exit 1
    fi
    got=$(ip -d -j link show type tun | grep -o '"ifname"' | wc -l)
    [ "$got" -eq "$n" ] || { echo "list.sh: ip -d -j link show type tun shows $got of $n" >&2; exit 1; }
}

compare=()
if [ -n "$COMPARE_BIN" ]; then
    compare=(-n "other build list --json" "$COMPARE_BIN list --json")
fi
for n in 1000 5000; do
    grow_to "$n"
    check_counts "$n"
    echo "== $n taps" >&2
    hyperfine -N --style basic --warmup 3 --runs "$RUNS" --export-csv "$W/list$n.csv" \
        -n "tuntapctl list --json" "$TT list --json" "${compare[@]}" \
        -n "ip -j tuntap show" "ip -j tuntap show" \
        -n "ip -d -j link show type tun" "ip -d -j link show type tun" >&2
done

# Many open fds, a few real holders.
shrink_to "$FD_IFACES"
mkfifo "$W/hold"
exec 9<>"$W/hold" # keeps the holders' stdin open (they hold until EOF)
bash -c "ulimit -n $((FDS + 64)); for ((i = 0; i < $FDS; i++)); do exec {fd}</dev/null; done; echo ready; exec sleep infinity" >"$W/fdready" &
PIDS+=($!)
for ((i = 1; i <= HOLDERS; i++)); do
    "$ATTACH" "tap$i" tap <"$W/hold" >"$W/holder$i" &
    PIDS+=($!)
done
for _ in $(seq 200); do
    ready=$(cat "$W"/holder* "$W/fdready" 2>/dev/null | grep -c -e '^attached' -e '^ready' || true)
    [ "$ready" -eq $((HOLDERS + 1)) ] && break
    sleep 0.05
done
[ "$ready" -eq $((HOLDERS + 1)) ] || { echo "list.sh: holders did not start: $(cat "$W"/holder*)" >&2; exit 1; }
held=$("$TT" list | grep -c 'tun_attach(' || true)
[ "$held" -eq "$HOLDERS" ] || { echo "list.sh: tuntapctl list shows $held of $HOLDERS holders" >&2; exit 1; }
ip -d tuntap show >/dev/null 2>&1 || { echo "list.sh: ip -d tuntap show failed" >&2; exit 1; }
fdcount=$(find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
echo "== $FD_IFACES taps, $HOLDERS held, $fdcount open fds in all" >&2
hyperfine -N --style basic --warmup 1 --runs "$FD_RUNS" --export-csv "$W/fds.csv" \
    -n "tuntapctl list" "$TT list" \
    -n "ip -d tuntap show" "ip -d tuntap show" >&2

# The table: means in ms, and each command against the ip reference.
report() { # report TITLE CSV REFERENCE
    awk -F, -v title="$1" -v ref="$3" '
        NR > 1 { name[NR] = $1; mean[NR] = $2 * 1000; if ($1 == ref) r = $2 * 1000; last = NR }
        END {
            for (i = 2; i <= last; i++)
                printf "%-34s %-30s %10.1f %8.3f\n", title, name[i], mean[i], mean[i] / r
        }' "$2"
}
echo
printf "%-34s %-30s %10s %8s\n" "scenario" "command" "mean ms" "ratio"
report "1000 taps (ratio to ip -j tuntap)" "$W/list1000.csv" "ip -j tuntap show"
report "5000 taps (ratio to ip -j tuntap)" "$W/list5000.csv" "ip -j tuntap show"
report "$FD_IFACES taps, $fdcount fds (to ip -d)" "$W/fds.csv" "ip -d tuntap show"
awk -F, '$1 == "tuntapctl list --json" { t = $2 } $1 == "ip -j tuntap show" { i = $2 }
    END { r = t / i; printf "\ngoal at 5000 taps: tuntapctl list --json / ip -j tuntap show <= 0.3: %.3f %s\n", r, (r <= 0.3 ? "met" : "NOT met") }' \
    "$W/list5000.csv"
exec 9>&-
