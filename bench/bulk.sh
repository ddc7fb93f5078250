#!/usr/bin/env bash
# Bulk paths side by side with ip(8), interleaved rounds, median and ratio.
#
#   sudo bench/bulk.sh [ROUNDS]        (default 7 rounds)
#
# Builds the release binary and re-executes itself inside a fresh network
# namespace (unshare -n -m: the host's interfaces are never touched; sysfs is
# remounted inside so that ip tuntap show sees the namespace's taps). Each round
# runs tuntapctl and ip one after the other on the same work (A B A B ...),
# from the same starting state, and records the wall time of each. Printed:
# the median of each side and the median of the per-round ratios
# (tuntapctl / ip; below 1 is faster), for
#   1. batch: create 1000 taps owned by nobody        vs ip -batch
#   2. batch: create + /30 address + up, 1000         vs ip -batch
#   3. apply of the same 1000 from nothing            vs ip -batch
#   4. list --json of 5000 taps                       vs ip -j tuntap show
#   5. delete 300 taps in one command                 vs ip -batch link del
#   6. a second, no-op apply of the same 1000 (tuntapctl alone)
set -euo pipefail

ROUNDS=${1:-7}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${TUNTAPCTL_BENCH_INNER:-}" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "bulk.sh: run as root (it creates interfaces in a private network namespace)" >&2; exit 5; }
    need ip iproute2
    need unshare util-linux
    need python3 python3
    (cd "$ROOT" && cargo build --release --quiet)
    export TUNTAPCTL_BENCH_INNER=1
    exec unshare -n -m "$0" "$@"
fi

TT="$ROOT/target/release/tuntapctl"
W=$(mktemp -d /tmp/tuntapctl-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
ip link set lo up
# ip tuntap show reads /sys/class/net, which shows the host's interfaces
# until sysfs is mounted again inside the new namespaces.
mount --make-rprivate /
mount -t sysfs sysfs /sys

addr() { echo "10.$(($1 / 64)).$(($1 % 64 * 4)).1/30"; }
for ((i = 0; i < 1000; i++)); do echo "add tap$i --tap --user nobody"; done >"$W/tt-create"
for ((i = 0; i < 1000; i++)); do echo "tuntap add tap$i mode tap user nobody"; done >"$W/ip-create"
for ((i = 0; i < 1000; i++)); do echo "add tap$i --tap --user nobody -a $(addr $i) --up"; done >"$W/tt-full"
for ((i = 0; i < 1000; i++)); do
    echo "tuntap add tap$i mode tap user nobody"
    echo "addr add $(addr $i) dev tap$i"
    echo "link set tap$i up"
done >"$W/ip-full"
{
    printf '['
    for ((i = 0; i < 1000; i++)); do
        [ "$i" -gt 0 ] && printf ','
        printf '{"name":"tap%d","mode":"tap","owner":"nobody","addresses":["%s"],"up":true}' "$i" "$(addr $i)"
    done
    printf ']\n'
} >"$W/apply.json"
for ((i = 0; i < 5000; i++)); do echo "tuntap add tap$i mode tap user nobody"; done >"$W/ip-create5000"
for ((i = 0; i < 300; i++)); do echo "link del tap$i"; done >"$W/ip-del300"
for ((i = 0; i < 300; i++)); do echo "tuntap add tap$i mode tap user nobody"; done >"$W/ip-create300"
names=""
for ((i = 0; i < 300; i++)); do names+=" tap$i"; done
echo "$names" >"$W/del-names"

python3 - "$TT" "$W" "$ROUNDS" <<'PY'
import json, statistics, subprocess, sys, time
tt, w, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])

def sh(cmd):
    subprocess.run(cmd, shell=True, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def clean():
    # Delete every tun/tap, whatever the last step left (not timed; one
    # group delete, where ip would take 16 ms per device).
    out = subprocess.run(["ip", "-j", "link", "show", "type", "tun"], capture_output=True, text=True).stdout
    names = [l["ifname"] for l in json.loads(out or "[]")]
    if names:
        subprocess.run([tt, "-q", "del", "--force", *names], check=True)

def timed(cmd):
    start = time.perf_counter()
    r = subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"bulk.sh: `{cmd}` failed ({r.returncode}): {r.stderr.decode()[:300]}")
    return took

scenarios = [
    ("batch: create 1000 taps", None, f"{tt} -q batch {w}/tt-create", f"ip -batch {w}/ip-create", clean, 0.95),
    ("batch: create + /30 + up, 1000", None, f"{tt} -q batch {w}/tt-full", f"ip -batch {w}/ip-full", clean, 0.85),
    ("apply: the same 1000 from nothing", None, f"{tt} -q apply {w}/apply.json", f"ip -batch {w}/ip-full", clean, 0.85),
    ("list --json of 5000", f"ip -batch {w}/ip-create5000", f"{tt} -j list", "ip -j tuntap show", None, 0.25),
    ("delete 300 in one command", None, f"{tt} del $(cat {w}/del-names)", f"ip -batch {w}/ip-del300", lambda: (clean(), sh(f"ip -batch {w}/ip-create300")), 0.05),
]
print(f"{'work':36} {'tuntapctl ms':>13} {'ip ms':>9} {'ratio':>7} {'goal':>6}")
for label, setup, a, b, before, goal in scenarios:
    clean()
    if setup:
        sh(setup)
    ta, tb, ratios = [], [], []
    for _ in range(rounds):
        if before: before()
        x = timed(a)
        if before: before()
        y = timed(b)
        ta.append(x); tb.append(y); ratios.append(x / y)
    clean()
    r = statistics.median(ratios)
    print(f"{label:36} {statistics.median(ta)*1000:13.1f} {statistics.median(tb)*1000:9.1f} {r:7.2f} {'<=' + str(goal):>6}")
# A second apply of the same file changes nothing: what a boot unit pays
# on every boot after the first (no ip equivalent).
clean()
sh(f"{tt} -q apply {w}/apply.json")
noop = statistics.median(timed(f"{tt} -q apply {w}/apply.json") for _ in range(rounds))
clean()
print(f"{'apply: the same 1000, second (no-op)':36} {noop*1000:13.1f} {'-':>9} {'-':>7} {'-':>6}")
PY
