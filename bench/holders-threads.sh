#!/usr/bin/env bash
# The holder scan with threads (issue 23 item 2): what reading every
# distinct fd table of every process (/proc/PID/task/TID/fd, compared with
# kcmp) costs `tuntapctl list`, with 10000 fds open.
#
#   sudo -E env PATH="$PATH" bench/holders-threads.sh
#   (RUNS=N FDS=N THREADS=N IFACES=N to tune; BEFORE_BIN=PATH adds another
#   build, e.g. one from before the change, timed on the same setup)
#
# Re-executes itself in a throwaway network namespace (unshare -n): the
# host's interfaces are never touched. Setup, in that namespace:
#   - IFACES (100) taps; tap1 held by a plain process, tap2 by a thread after
#     its main thread exited, tap3 by a thread with its own fd table
#     (examples/tun_attach thread=exit / thread=unshare);
#   - process A: FDS (10000) fds on /dev/null shared by THREADS (16) threads
#     (the common shape: one table, many threads);
#   - process B: a thread that unshared its fd table holds FDS fds of its
#     own (the worst shape: a second table of 10000 fds to read).
# Times `tuntapctl list` with hyperfine (and BEFORE_BIN's) with A alone
# ("shared": the cost of looking at threads at all), then with B too
# ("unshared": B's second table of 10000 fds has to be read), after
# printing which holders each build sees.
set -euo pipefail

RUNS=${RUNS:-10}
FDS=${FDS:-10000}
THREADS=${THREADS:-16}
IFACES=${IFACES:-100}
BEFORE_BIN=${BEFORE_BIN:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")

# shellcheck source=lib.sh
. "$HERE/lib.sh"

if [ -z "${TUNTAPCTL_BENCH_INNER:-}" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "holders-threads.sh: run as root (it creates interfaces in a private network namespace)" >&2; exit 5; }
    need hyperfine hyperfine
    need ip iproute2
    need unshare util-linux
    need python3 python3
    (cd "$ROOT" && cargo build --release --quiet && cargo build --release --quiet --example tun_attach)
    export TUNTAPCTL_BENCH_INNER=1
    exec unshare -n "$0" "$@"
fi

TT="$ROOT/target/release/tuntapctl"
ATTACH="$ROOT/target/release/examples/tun_attach"
W=$(mktemp -d /tmp/tuntapctl-bench-threads.XXXXXX)
PIDS=()
cleanup() {
    if [ ${#PIDS[@]} -gt 0 ]; then kill "${PIDS[@]}" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT

for ((i = 1; i <= IFACES; i++)); do echo "tuntap add tap$i mode tap"; done >"$W/add"
ip -batch "$W/add"

mkfifo "$W/hold"
exec 9<>"$W/hold" # keeps the holders' stdin open (they hold until EOF)
"$ATTACH" tap1 tap <"$W/hold" >"$W/h1" &
PIDS+=($!)
"$ATTACH" tap2 tap thread=exit <"$W/hold" >"$W/h2" &
PIDS+=($!)
"$ATTACH" tap3 tap thread=unshare <"$W/hold" >"$W/h3" &
PIDS+=($!)
cat >"$W/fds.py" <<'PY'
import ctypes, os, sys, threading, time
import resource
n, threads, shape = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
resource.setrlimit(resource.RLIMIT_NOFILE, (n + 256, n + 256))
def hold():
    if shape == "unshare":
        libc = ctypes.CDLL(None, use_errno=True)
        assert libc.unshare(0x400) == 0  # CLONE_FILES
    fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(n)]
    print("ready", flush=True)
    time.sleep(1e6)
if shape == "shared":
    fds = [os.open("/dev/null", os.O_RDONLY) for _ in range(n)]
    for _ in range(threads):
        threading.Thread(target=time.sleep, args=(1e6,), daemon=True).start()
    print("ready", flush=True)
    time.sleep(1e6)
else:
    threading.Thread(target=hold, daemon=True).start()
    time.sleep(1e6)
PY
# wait_for N FILE...: until N of the files say attached/ready.
wait_for() {
    local n=$1 ready=0
    shift
    for _ in $(seq 200); do
        ready=$(cat "$@" 2>/dev/null | grep -c -e '^attached' -e '^ready' || true)
        [ "$ready" -eq "$n" ] && return 0
        sleep 0.05
    done
    echo "holders-threads.sh: holders did not start: $(cat "$@")" >&2
    exit 1
}

cmds=(-n "tuntapctl list" "$TT list")
if [ -n "$BEFORE_BIN" ]; then
    cmds+=(-n "before: list" "$BEFORE_BIN list")
fi
# measure TAG: check what each build sees, then time them.
measure() {
    local fdcount threads bin
    # (find fails on entries that vanish or cannot be read: count what it sees)
    fdcount=$( (find /proc/[0-9]*/fd /proc/[0-9]*/task/[0-9]*/fd -mindepth 1 -maxdepth 1 2>/dev/null || true) | wc -l)
    threads=$( (find /proc/[0-9]*/task -mindepth 1 -maxdepth 1 2>/dev/null || true) | wc -l)
    echo "== $1: $IFACES taps, $threads tasks, $fdcount fd entries under /proc (each task's view)" >&2
    for bin in "$TT" ${BEFORE_BIN:+"$BEFORE_BIN"}; do
        echo "$bin sees holders on: $("$bin" list | grep -o '^ tap[0-9]*  .*tun_attach' | awk '{print $1}' | tr '\n' ' ')" >&2
    done
    hyperfine -N --style basic --warmup 2 --runs "$RUNS" --export-csv "$W/$1.csv" "${cmds[@]}" >&2
}

# 1. Process A: FDS fds in one table shared by THREADS threads.
python3 "$W/fds.py" "$FDS" "$THREADS" shared >"$W/a" &
PIDS+=($!)
wait_for 4 "$W"/h[123] "$W/a"
measure shared
# 2. And process B: a thread with its own table of FDS fds.
python3 "$W/fds.py" "$FDS" 1 unshare >"$W/b" &
PIDS+=($!)
wait_for 5 "$W"/h[123] "$W/a" "$W/b"
measure unshared

echo
for tag in shared unshared; do
    awk -F, -v tag="$tag" 'NR > 1 { printf "%-9s %-15s mean %7.1f ms  min %7.1f ms  max %7.1f ms\n", tag, $1, $2 * 1000, $7 * 1000, $8 * 1000 }' "$W/$tag.csv"
done
exec 9>&-
