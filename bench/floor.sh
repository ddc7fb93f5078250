#!/usr/bin/env bash
# The configure path against ip(8) and against the physical floor, side by
# side in one run.
#
#   sudo bench/floor.sh [ROUNDS]        (default 10 rounds; ADD_RUNS=N adds per
#                                       round; TUNTAPCTL_BIN=PATH times another build)
#
# The floor is bench/floor.c (built here with gcc -O2): only the kernel calls,
# per tap open /dev/net/tun, TUNSETIFF, TUNSETOWNER, TUNSETPERSIST, and for
# the configured case RTM_NEWADDR + RTM_NEWLINK up for every tap in one
# sendmsg, every ack read. Everything runs inside a fresh network and mount
# namespace (unshare -n -m; sysfs remounted inside): the host's interfaces
# are never touched. Rounds are interleaved (each command takes each place
# in the order in turn, each starts from the same state after the cleanup
# has settled, cleanup not timed); printed
# are the median wall time of each side and the medians of the per-round
# ratios (below 1 is faster), of wall time and of the CPU time (user +
# system) the kernel accounted to each process, which a shared, loaded
# machine disturbs less (waits for the RTNL lock or an RCU grace period are
# wall time only):
#   1. batch: create 1000 taps owned by nobody     vs ip -batch, vs floor
#   2. batch: create + /30 + up, 1000              vs ip -batch, vs floor
#   3. apply of the same 1000 from nothing         vs ip -batch, vs floor
#   4. list --json of 5000                         vs ip -j tuntap show
#   5. one add, above each language's empty main   vs tunctl, vs floor
# The load average is printed with the run: the machine is shared.
set -euo pipefail

ROUNDS=${1:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${TUNTAPCTL_BENCH_INNER:-}" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "floor.sh: run as root (it creates interfaces in a private network namespace)" >&2; exit 5; }
    need ip iproute2
    need unshare util-linux
    need python3 python3
    need gcc gcc
    need rustc rustc
    need tunctl uml-utilities
    (cd "$ROOT" && cargo build --release --quiet)
    B=$(mktemp -d /tmp/tuntapctl-floor-bin.XXXXXX)
    gcc -O2 -o "$B/floor" "$HERE/floor.c"
    printf 'int main(void) { return 0; }\n' >"$B/empty.c"
    gcc -O2 -o "$B/empty-c" "$B/empty.c"
    printf 'fn main() {}\n' >"$B/empty.rs"
    rustc -C opt-level=3 -C panic=abort -C strip=symbols -o "$B/empty-rust" "$B/empty.rs"
    export TUNTAPCTL_BENCH_INNER=1 TUNTAPCTL_BENCH_BIN=$B
    echo "kernel $(uname -r); $(nproc) cpus; $("$ROOT/target/release/tuntapctl" --version); $(ip -V)"
    echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    rc=0
    unshare -n -m "$0" "$@" || rc=$?
    echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    rm -rf "$B"
    exit $rc
fi

TT=${TUNTAPCTL_BIN:-$ROOT/target/release/tuntapctl}
B=$TUNTAPCTL_BENCH_BIN
W=$(mktemp -d /tmp/tuntapctl-floor.XXXXXX)
trap 'rm -rf "$W"' EXIT
ip link set lo up
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
NOBODY=$(id -u nobody)

python3 - "$TT" "$W" "$B" "$ROUNDS" "$NOBODY" "${ADD_RUNS:-30}" <<'PY'
import json, os, statistics, subprocess, sys, time
tt, w, b, rounds, nobody, add_runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], int(sys.argv[6])
med = statistics.median

def ip_j(*args):
    out = subprocess.run(["ip", "-j", *args], capture_output=True, text=True).stdout
    return json.loads(out or "[]")

def clean():
    names = [l["ifname"] for l in ip_j("link", "show", "type", "tun")]
    if names:
        subprocess.run([tt, "-q", "del", "--force", *names], check=True)

def check(label, configured):
    # Every side must really have made the 1000 (owned by nobody; with
    # the address and up when configured), or we would time an error.
    links = {l["ifname"]: l for l in ip_j("-d", "link", "show", "type", "tun")}
    ok = len(links) == 1000 and all(
        l.get("linkinfo", {}).get("info_data", {}).get("user") in ("nobody", nobody) for l in links.values())
    if configured:
        addrs = {a["ifname"]: a for a in ip_j("addr", "show", "type", "tun")}
        ok = ok and all("UP" in l["flags"] for l in links.values()) and all(
            any(i.get("prefixlen") == 30 for i in a.get("addr_info", [])) for a in addrs.values()) and len(addrs) == 1000
    if not ok:
        sys.exit(f"floor.sh: {label} did not make the 1000 taps as asked")

def timed(cmd):
    # Wall time, and the CPU time (user + system) the kernel accounted to
    # the process: on a shared, loaded machine the second moves less.
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    took = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"floor.sh: `{' '.join(cmd)}` failed ({p.returncode}): {err.decode()[:300]}")
    return took, ru.ru_utime + ru.ru_stime

def bulk(label, sides, before, configured):
    times = {k: [] for k in sides}
    ratios = {"ip": [], "floor": [], "cpu ip": [], "cpu floor": []}
    keys = list(sides)
    for r in range(rounds):
        got = {}
        # Each side takes each place in turn (what ran just before matters
        # on a busy kernel).
        order = keys[r % len(keys):] + keys[:r % len(keys)]
        for k in order:
            if before:
                before()
                # Let the deletes' deferred work (RCU callbacks, freeing the
                # devices) finish before the clock starts.
                time.sleep(0.3)
            got[k] = timed(sides[k])
            if configured is not None and r == 0:
                check(f"{label} ({k})", configured)
        for k in keys: times[k].append(got[k][0])
        for other in ("ip", "floor"):
            if other in got:
                ratios[other].append(got["tt"][0] / got[other][0])
                ratios["cpu " + other].append(got["tt"][1] / got[other][1])
    clean()
    m = lambda k: ratios[k] and med(ratios[k])
    row(label, med(times["tt"]), med(times["ip"]), times.get("floor") and med(times["floor"]),
        m("ip"), m("floor"), m("cpu ip"), m("cpu floor"))

def fmt(x, spec):
    return format(x, spec) if x else "-"

def row(label, t, i, f, ri, rf, ci, cf):
    print(f"{label:40} {t*1000:9.1f} {i*1000:9.1f} {fmt(f and f*1000, '9.1f'):>9} {fmt(ri, '9.3f'):>9} {fmt(rf, '9.3f'):>9}"
          f" {fmt(ci, '9.3f'):>9} {fmt(cf, '9.3f'):>9}", flush=True)

print(f"{'work (ms are medians; ratios are medians of per-round ratios)':40}")
print(f"{'':40} {'wall ms':>29} {'wall ratio':>19} {'cpu-time ratio':>19}")
print(f"{'':40} {'tuntapctl':>9} {'ip':>9} {'floor':>9} {'tt/ip':>9} {'tt/floor':>9} {'tt/ip':>9} {'tt/floor':>9}")
clean()
bulk("batch: create 1000 owned taps",
     {"tt": [tt, "-q", "batch", f"{w}/tt-create"], "ip": ["ip", "-batch", f"{w}/ip-create"], "floor": [f"{b}/floor", "create", "1000", nobody]},
     clean, False)
bulk("batch: create + /30 + up, 1000",
     {"tt": [tt, "-q", "batch", f"{w}/tt-full"], "ip": ["ip", "-batch", f"{w}/ip-full"], "floor": [f"{b}/floor", "full", "1000", nobody]},
     clean, True)
bulk("apply 1000 from nothing",
     {"tt": [tt, "-q", "apply", f"{w}/apply.json"], "ip": ["ip", "-batch", f"{w}/ip-full"], "floor": [f"{b}/floor", "full", "1000", nobody]},
     clean, True)
subprocess.run(["ip", "-batch", f"{w}/ip-create5000"], check=True)
bulk("list --json of 5000 (ip -j tuntap show)",
     {"tt": [tt, "-j", "list"], "ip": ["ip", "-j", "tuntap", "show"]}, None, None)

# One add: the whole process, many runs per round, every side in turn;
# each tool's cost above its language's empty main.
def delete():
    subprocess.run(["ip", "link", "del", "tapN"], stderr=subprocess.DEVNULL)
sides = {
    "tt": [tt, "add", "tapN", "--user", "nobody"],
    "tunctl": ["tunctl", "-u", "nobody", "-t", "tapN"],
    "floor": [f"{b}/floor", "one", "tapN", nobody],
    "rust": [f"{b}/empty-rust"],
    "c": [f"{b}/empty-c"],
}
makes = {"tt", "tunctl", "floor"}
per = {k: [] for k in sides}
cpu = {k: [] for k in sides}
r_tunctl, r_floor, c_tunctl, c_floor = [], [], [], []
for r in range(rounds):
    got = {k: [] for k in sides}
    keys = list(sides) if r % 2 == 0 else list(sides)[::-1]
    for _ in range(add_runs):
        for k in keys:
            if k in makes: delete()
            got[k].append(timed(sides[k]))
    m = {k: med(x[0] for x in v) for k, v in got.items()}
    c = {k: med(x[1] for x in v) for k, v in got.items()}
    for k in sides:
        per[k].append(m[k])
        cpu[k].append(c[k])
    ours = m["tt"] - m["rust"]
    r_tunctl.append(ours / (m["tunctl"] - m["c"]))
    r_floor.append(ours / (m["floor"] - m["c"]))
    ours = c["tt"] - c["rust"]
    # CPU time is accounted in clock ticks on some kernels: guard zero.
    if c["tunctl"] - c["c"] > 0: c_tunctl.append(ours / (c["tunctl"] - c["c"]))
    if c["floor"] - c["c"] > 0: c_floor.append(ours / (c["floor"] - c["c"]))
delete()
M = {k: med(v) * 1000 for k, v in per.items()}
C = {k: med(v) * 1000 for k, v in cpu.items()}
print(f"{'one add above its empty main (tunctl)':40} {M['tt']-M['rust']:9.3f} {M['tunctl']-M['c']:9.3f} {M['floor']-M['c']:9.3f} "
      f"{med(r_tunctl):9.3f} {med(r_floor):9.3f} {fmt(c_tunctl and med(c_tunctl), '9.3f'):>9} {fmt(c_floor and med(c_floor), '9.3f'):>9}")
print(f"  (whole process wall ms: tuntapctl add {M['tt']:.3f}, empty Rust main {M['rust']:.3f}, tunctl {M['tunctl']:.3f}, empty C main {M['c']:.3f}, floor one {M['floor']:.3f};")
print(f"   cpu ms: {C['tt']:.3f}, {C['rust']:.3f}, {C['tunctl']:.3f}, {C['c']:.3f}, {C['floor']:.3f}; {add_runs} runs per round; the tunctl column is tunctl's cost above the empty C main)")
print(f"goals: create <= 1.03 floor; create+/30+up <= 1.10 floor and <= 0.85 ip; apply <= 1.15 floor; list <= 0.22 ip; one add <= 1.0 tunctl")
PY
