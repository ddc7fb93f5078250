#!/usr/bin/env bash
# Latency of one CNI attachment: ADD then DEL of a tap, as a runtime runs
# the plugin (CNI_* variables, the config on stdin, a fresh process each),
# without IPAM and with Debian's host-local IPAM (two more processes per
# verb: the IPAM plugin's VERSION and its ADD or DEL).
#
# Everything happens in a throwaway mount and network namespace (unshare -m
# -n): the container namespace is made there with `ip netns add`, host-local
# keeps its state in a temporary directory. Needs root; installs
# containernetworking-plugins if missing.
#
# usage: sudo bench/cni.sh [BINARY]     (default target/release/tuntapctl;
#                                        RUNS=N to tune, default 200)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

RUNS=${RUNS:-200}
if [ "${1:-}" = "--inner" ]; then
    INNER=1
    shift
fi
BIN=${1:-$here/../target/release/tuntapctl}
[ -x "$BIN" ] || { echo "cni.sh: $BIN is missing: cargo build --release (or give a binary)" >&2; exit 2; }
[ -x /usr/lib/cni/host-local ] || need /usr/lib/cni/host-local containernetworking-plugins
BIN=$(readlink -f "$BIN")

inner() {
    local bin=$1 runs=$2
    tmp=$(mktemp -d)
    trap 'ip netns del cnibench 2>/dev/null; rm -rf "$tmp"' EXIT
    ip netns add cnibench
    export CNI_CONTAINERID=bench CNI_NETNS=/run/netns/cnibench CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni
    printf '{"cniVersion":"1.0.0","name":"bench","type":"tuntapctl","mtu":1400}' >"$tmp/plain.json"
    printf '{"cniVersion":"1.0.0","name":"bench","type":"tuntapctl","mtu":1400,"ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.99.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}]}}' "$tmp/ipam" >"$tmp/ipam.json"
    for conf in plain ipam; do
        # It must really work, or we would time an error.
        CNI_COMMAND=ADD "$bin" <"$tmp/$conf.json" >/dev/null
        ip -n cnibench -d link show eth0 | grep -q 'tun type tap' || { echo "cni.sh: ADD ($conf) made no tap" >&2; exit 1; }
        CNI_COMMAND=DEL "$bin" <"$tmp/$conf.json" >/dev/null
        local times=()
        for _ in $(seq "$runs"); do
            local t0 t1
            t0=$(date +%s%N)
            CNI_COMMAND=ADD "$bin" <"$tmp/$conf.json" >/dev/null
            CNI_COMMAND=DEL "$bin" <"$tmp/$conf.json" >/dev/null
            t1=$(date +%s%N)
            times+=($(( (t1 - t0) / 1000 )))
        done
        printf '%s\n' "${times[@]}" | sort -n | awk -v conf="$conf" -v runs="$runs" '
            { v[NR] = $1; sum += $1 }
            END { printf "%-24s runs %d  mean %.2f ms  median %.2f ms  p90 %.2f ms\n",
                  (conf == "plain" ? "ADD+DEL, no IPAM" : "ADD+DEL, host-local"),
                  runs, sum / NR / 1000, v[int((NR + 1) / 2)] / 1000, v[int(NR * 0.9)] / 1000 }'
    done
}

if [ -n "${INNER:-}" ]; then
    inner "$@"
    exit
fi
[ "$(id -u)" -eq 0 ] || { echo "cni.sh: run as root (it makes network namespaces)" >&2; exit 2; }
echo "binary: $BIN"
exec unshare -m -n --propagation private "$0" --inner "$BIN" "$RUNS"
