#!/usr/bin/env bash
# Does `tuntapctl monitor` keep up with a burst? While `tuntapctl batch`
# creates N taps (default 1000) in one process, monitor --json runs in the
# same throwaway network namespace (unshare -n, the host is never touched).
# Reported: how many `created` events monitor printed (want N, each once),
# whether it had to say "events were lost" (ENOBUFS, then a re-dump), and
# how far it lagged: the time of its last `created` event minus the moment
# batch exited, and the span of the events against the span of the batch.
# For comparison, `ip monitor link` runs alongside and its RTM_NEWLINK lines
# for new taps are counted the same way.
#
# usage: sudo bench/monitor.sh            (N=1000 RUNS=3 BIN=target/release/tuntapctl)
set -euo pipefail

N=${N:-1000}
RUNS=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
BIN=${BIN:-$here/../target/release/tuntapctl}
if [ ! -x "$BIN" ]; then
    echo "building the release binary" >&2
    (cd "$here/.." && cargo build --release --quiet)
fi
BIN=$(readlink -f "$BIN")
[ "$(id -u)" -eq 0 ] || { echo "monitor.sh: needs root (network namespaces)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "monitor.sh: python3 is missing" >&2; exit 2; }

inner() {
    local out=$1
    printf 'add bench%d --user nobody\n' $(seq 0 $((N - 1))) >"$out/batch"
    "$BIN" --json monitor 'bench*' >"$out/mon.json" 2>"$out/mon.err" &
    local mon=$!
    ip -ts monitor link >"$out/ip.txt" 2>/dev/null &
    local ipm=$!
    sleep 0.5 # both subscribed and past their first dump
    local start end
    start=$(date +%s.%N)
    "$BIN" -q batch "$out/batch"
    end=$(date +%s.%N)
    # Wait (at most 30 s) for the N-th created event.
    for _ in $(seq 300); do
        [ "$(grep -c '"event":"created"' "$out/mon.json" || true)" -ge "$N" ] && break
        sleep 0.1
    done
    sleep 0.5
    kill -TERM "$mon" "$ipm"
    wait "$mon" || true
    wait "$ipm" 2>/dev/null || true
    python3 - "$out" "$start" "$end" "$N" <<'EOF'
import json, sys, datetime, collections, re, statistics
out, start, end, n = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
def ts(text):
    d = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if d.tzinfo is None:  # ip -ts prints local time without a zone
        d = d.astimezone()
    return d.timestamp()
created, mon_t = collections.Counter(), {}
for line in open(f"{out}/mon.json"):
    v = json.loads(line)
    if v["event"] == "created":
        created[v["name"]] += 1
        mon_t.setdefault(v["name"], ts(v["time"]))
ip_t = {}
for line in open(f"{out}/ip.txt"):
    m = re.match(r"^\[([^\]]+)\]\s*\d+: (bench\d+)[:@]", line)
    if m:
        ip_t.setdefault(m.group(2), ts(m.group(1)))
lost = any("events were lost" in l for l in open(f"{out}/mon.err"))
dups = sum(c - 1 for c in created.values())
lags = sorted((mon_t[k] - ip_t[k]) * 1000 for k in mon_t if k in ip_t)
last = (max(mon_t.values()) - end) * 1000 if mon_t else float("nan")
lag = (f"behind ip monitor: median {statistics.median(lags):.1f} ms, max {lags[-1]:.1f} ms"
       if lags else "no common events")
print(f"batch: {n} taps in {(end - start) * 1000:.0f} ms | monitor: {len(created)}/{n} created"
      f" ({dups} duplicates), lost: {'yes (re-dumped)' if lost else 'no'}, {lag},"
      f" last event {last:+.0f} ms after batch exited | ip monitor: {len(ip_t)}/{n}")
EOF
}

if [ "${1:-}" = "--inner" ]; then
    inner "$2"
    exit
fi

echo "tuntapctl $("$BIN" --version | cut -d' ' -f2), $(uname -r), N=$N"
for run in $(seq "$RUNS"); do
    tmp=$(mktemp -d)
    printf 'run %d: ' "$run"
    N=$N BIN=$BIN unshare -n "$0" --inner "$tmp"
    rm -rf "$tmp"
done
