#!/usr/bin/env bash
# Delegation (SPEC §12), side by side, whole-process times:
#
#   add through the service, as nobody:  tuntapctl add vm-nobody-0
#   the same as root with sudo:          sudo tuntapctl add vm-nobody-0 --user nobody
#   qemu start-up (-machine none, quit at once) as nobody with our helper
#     vs as root with qemu's own /usr/lib/qemu/qemu-bridge-helper
#
# Everything runs inside unshare -m -n: a throwaway network namespace with
# br0, a private tmpfs on /run (the service's socket and policy) and an
# overlay on /etc (/etc/qemu/bridge.conf for qemu's helper), so the host is
# never touched.
# Goals: add through the service no slower than sudo; qemu with our helper
# at most 1.1x qemu with qemu-bridge-helper. Needs root; installs hyperfine,
# sudo and qemu-system-x86 if missing. Not a test: figures only.
#
# usage: sudo -E env PATH="$PATH" bench/serve.sh     (RUNS=N WARMUP=N to tune)
set -euo pipefail

RUNS=${RUNS:-100}
WARMUP=${WARMUP:-5}

inner() {
    local bin=$1 out=$2
    mount -t tmpfs -o mode=755 none /run
    mkdir -m 755 /run/tuntapctl /run/etc-up /run/etc-work
    # /etc/qemu/bridge.conf in an overlay of /etc private to this namespace.
    mount -t overlay overlay -o lowerdir=/etc,upperdir=/run/etc-up,workdir=/run/etc-work /etc
    mkdir -p -m 755 /etc/qemu
    echo 'allow br0' >/etc/qemu/bridge.conf
    printf '[[allow]]\ngroup = "nogroup"\nnames = "vm-{user}-*"\nmax = 8\nmasters = ["br0"]\n' \
        >/run/tuntapctl/delegate.toml
    ip link set lo up
    ip link add br0 type bridge
    "$bin" serve --policy /run/tuntapctl/delegate.toml 2>"$out/serve.log" &
    SERVE_PID=$!
    trap 'kill "$SERVE_PID" 2>/dev/null || true' EXIT
    while [ ! -S /run/tuntapctl/tuntapctl.sock ]; do sleep 0.05; done
    local as_nobody="setpriv --reuid=65534 --regid=65534 --init-groups"
    local del="sh -c 'ip link del vm-nobody-0 2>/dev/null; true'"
    # Each must really make the device, or we would time an error.
    for cmd in "$as_nobody $bin add vm-nobody-0" "sudo $bin add vm-nobody-0 --user nobody"; do
        $cmd >/dev/null
        ip -d link show dev vm-nobody-0 | grep -Eq 'persist on.*user (nobody|65534)' ||
            { echo "bench: '$cmd' did not make vm-nobody-0 for nobody" >&2; exit 1; }
        ip link del vm-nobody-0
    done
    hyperfine -N --style basic --runs "$RUNS" --warmup "$WARMUP" \
        --prepare "$del" --cleanup "$del" --export-csv "$out/add.csv" \
        -n "add through the service (nobody)" "$as_nobody $bin add vm-nobody-0" \
        -n "sudo tuntapctl add" "sudo $bin add vm-nobody-0 --user nobody"
    local qemu="qemu-system-x86_64 -machine none -S -nodefaults -display none -serial none -monitor stdio"
    ln -sf "$bin" "$out/qemu-bridge-helper"
    hyperfine --style basic --runs "$RUNS" --warmup "$WARMUP" --export-csv "$out/qemu.csv" \
        -n "qemu as nobody + tuntapctl helper" \
        "echo quit | $as_nobody $qemu -netdev bridge,id=n0,br=br0,helper=$out/qemu-bridge-helper" \
        -n "qemu as root + qemu-bridge-helper" \
        "echo quit | $qemu -netdev bridge,id=n0,br=br0,helper=/usr/lib/qemu/qemu-bridge-helper"
}

if [ "${1:-}" = "--inner" ]; then
    shift
    inner "$@"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "bench/serve.sh: run as root (sudo -E env PATH=\"\$PATH\" bench/serve.sh): it makes taps inside unshare -n" >&2
    exit 1
fi
. "$(dirname "$0")/lib.sh"
need hyperfine hyperfine
need sudo sudo
need qemu-system-x86_64 qemu-system-x86
need unshare util-linux

cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN=$PWD/target/release/tuntapctl
OUT=$(mktemp -d)
chmod 755 "$OUT"
trap 'rm -rf "$OUT"' EXIT
echo "kernel $(uname -r); $(hyperfine --version); $($BIN --version); $(qemu-system-x86_64 --version | head -1)"
echo "runs $RUNS, warm-up $WARMUP"
echo
unshare -m -n --propagation private "$0" --inner "$BIN" "$OUT"
echo
for f in add qemu; do
    awk -F, 'NR == 1 { next }
        NR == 2 { base = $2 }
        { printf "  %-36s mean %8.3f ms ± %7.3f   median %8.3f ms   (%.2fx the first)\n", $1, $2 * 1000, $3 * 1000, $4 * 1000, $2 / base }' \
        "$OUT/$f.csv"
done
echo "goals: add through the service <= sudo tuntapctl add (1.00x); qemu with our helper <= 1.1x qemu-bridge-helper"
