#!/usr/bin/env bash
# Whole-process time of creating one persistent tap owned by nobody:
#
#   tuntapctl add tapN --user nobody            (release build)
#   tunctl -u nobody -t tapN                    (uml-utilities)
#   ip tuntap add tapN mode tap user nobody     (iproute2)
#
# All three run in the same hyperfine invocation, inside a throwaway network
# namespace (unshare -n), so the host's interfaces are never touched. Before
# every run (warm-up runs included) the device is deleted, so each run creates
# a fresh one. Needs root; installs hyperfine and uml-utilities if missing.
#
# usage: sudo -E env PATH="$PATH" bench/add.sh        (RUNS=N WARMUP=N to tune)
set -euo pipefail

RUNS=${RUNS:-300}
WARMUP=${WARMUP:-20}
NAME=tapN

inner() {
    local bin=$1 tunctl=$2 out=$3
    # Empty programs: what a process costs before its own code runs. Rust's
    # (std, runtime start-up) costs more than C's; the comparison subtracts
    # each language's own.
    printf 'int main(void) { return 0; }\n' >"$out/empty.c"
    cc -O2 -o "$out/empty-c" "$out/empty.c"
    printf 'fn main() {}\n' >"$out/empty.rs"
    rustc -C opt-level=3 -C panic=abort -C strip=symbols -o "$out/empty-rust" "$out/empty.rs"
    local del="sh -c 'ip link del $NAME 2>/dev/null; true'"
    # Each tool must really make the device, or we would time an error.
    for cmd in "$bin add $NAME --user nobody" "$tunctl -u nobody -t $NAME" \
        "ip tuntap add $NAME mode tap user nobody"; do
        $cmd >/dev/null
        if ! ip -d link show dev "$NAME" | grep -Eq 'persist on.*user (nobody|65534)'; then
            echo "bench: '$cmd' did not create a persistent $NAME owned by nobody" >&2
            ip -d link show dev "$NAME" >&2 || true
            exit 1
        fi
        ip link del "$NAME"
    done
    hyperfine -N --style basic --runs "$RUNS" --warmup "$WARMUP" \
        --prepare "$del" --cleanup "$del" \
        --export-csv "$out/add.csv" --export-markdown "$out/add.md" \
        -n "tuntapctl add" "$bin add $NAME --user nobody" \
        -n "tunctl" "$tunctl -u nobody -t $NAME" \
        -n "ip tuntap add" "ip tuntap add $NAME mode tap user nobody" \
        -n "empty Rust main" "$out/empty-rust" \
        -n "empty C main" "$out/empty-c"
}

if [ "${1:-}" = "--inner" ]; then
    shift
    inner "$@"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "bench/add.sh: run as root (sudo -E env PATH=\"\$PATH\" bench/add.sh): it creates tap devices inside unshare -n" >&2
    exit 1
fi

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v tunctl >/dev/null || missing+=(uml-utilities)
command -v ip >/dev/null || missing+=(iproute2)
command -v unshare >/dev/null || missing+=(util-linux)
command -v cc >/dev/null || missing+=(gcc)
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench/add.sh: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Debian ships tunctl in /usr/bin, older releases in /usr/sbin.
TUNCTL=$(command -v tunctl || echo /usr/sbin/tunctl)

cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$PWD/target/release/tuntapctl

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "kernel $(uname -r); $(hyperfine --version); $($BIN --version); $(ip -V)"
echo "runs $RUNS, warm-up $WARMUP; each run creates $NAME (deleted before every run, not timed)"
echo
unshare -n "$0" --inner "$BIN" "$TUNCTL" "$OUT"

echo
echo "Mean whole-process time of creating one persistent tap owned by nobody:"
awk -F, 'NR == 1 { next }
    NR == 2 { base = $2 }
    { printf "  %-16s mean %7.3f ms ± %6.3f   median %7.3f ms   min %7.3f ms   (mean %.2fx)\n", $1, $2 * 1000, $3 * 1000, $4 * 1000, $7 * 1000, $2 / base }' \
    "$OUT/add.csv"
# What our own code adds against what tunctl's adds, by median.
awk -F, 'NR > 1 { med[$1] = $4 }
    END {
        ours = med["tuntapctl add"] - med["empty Rust main"]
        theirs = med["tunctl"] - med["empty C main"]
        printf "\n  (tuntapctl add - empty Rust main) = %.3f ms; (tunctl - empty C main) = %.3f ms; ratio %.2f (goal <= 1.0)\n",
            ours * 1000, theirs * 1000, ours / theirs
    }' "$OUT/add.csv"
