#!/usr/bin/env bash
# Time and peak memory on hostile input (SPEC §11, issue 14, findings 4
# and 5), for one or two builds side by side:
#
#   del --missing-ok of N distinct names (N = 20000, 40000, 100000)
#   apply --dry-run of 64 MiB JSON `[0,0,...]`, 64 MiB TOML `x = [0,0,...]`,
#   90,000 [[interface]] tables; batch of 1,000,000 `del a` lines; a batch
#   of one 64 MiB line
#
# Everything runs inside a throwaway network namespace (unshare -n); the
# inputs only fail validation or name missing interfaces, so nothing is made.
# Needs root and /usr/bin/time.
#
# usage: sudo bench/hostile.sh target/release/tuntapctl [OLD_BINARY]
#        SKIP_HUGE=1 skips the inputs the old binary needed gigabytes for.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need /usr/bin/time time

bins=("$@")
[ ${#bins[@]} -gt 0 ] || { echo "usage: $0 BINARY [OLD_BINARY]" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" <<'EOF'
import sys
d = sys.argv[1]
cap = 64 * 1024 * 1024 - 64
open(d + "/zeros.json", "w").write("[" + "0," * ((cap - 2) // 2 - 1) + "0]")
open(d + "/zeros.toml", "w").write("x = [" + "0," * ((cap - 8) // 2 - 1) + "0]\n")
open(d + "/tables.toml", "w").write("".join(f'[[interface]]\nname = "t{i}"\n' for i in range(90000)))
open(d + "/del.batch", "w").write("del a\n" * 1000000)
open(d + "/line.batch", "w").write("add " + "a" * (cap - 8) + "\n")
EOF

measure() { # LABEL BINARY ARGS...: "LABEL  exit N  T s  M MiB"
    local label=$1; shift
    local out
    # The inputs are meant to fail: the exit status is not the point.
    out=$(unshare -n /usr/bin/time -f 'time %e %M' "$@" 2>&1 >/dev/null | tail -n 1 || true)
    read -r _ secs kb <<<"$out"
    printf '%-44s %8s s %8d MiB\n' "$label" "$secs" $((kb / 1024))
}

for bin in "${bins[@]}"; do
    echo "== $bin"
    for n in 20000 40000 100000; do
        names=$(seq -f "x%g" 1 "$n" | tr '\n' ' ')
        # shellcheck disable=SC2086
        measure "del --missing-ok of $n names" "$bin" del --missing-ok $names
    done
    measure "apply 90,000 TOML tables (dry run)" "$bin" apply --dry-run "$dir/tables.toml"
    measure "batch of 1,000,000 'del a' lines" "$bin" batch "$dir/del.batch"
    if [ -z "${SKIP_HUGE:-}" ] || [ "$bin" = "${bins[0]}" ]; then
        measure "apply 64 MiB JSON [0,0,...]" "$bin" apply --dry-run "$dir/zeros.json"
        measure "apply 64 MiB TOML x = [0,0,...]" "$bin" apply --dry-run "$dir/zeros.toml"
        measure "batch of one 64 MiB line" "$bin" batch "$dir/line.batch"
    fi
done
