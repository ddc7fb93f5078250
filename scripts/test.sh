#!/usr/bin/env bash
# The whole test suite. Kernel tests make their own network namespaces; they
# need root (or CAP_NET_ADMIN + CAP_SYS_ADMIN) and say SKIPPED loudly without.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests run besides cargo: ip (iproute2), unshare/setpriv/mount
# (util-linux, mount), mandoc (man page lint), bash and fish (completion
# tests), systemd-analyze (unit check), tunctl (a tap made by another tool),
# setcap (libcap2-bin), flock, python3, slirp4netns and /usr/bin/time (tests/hostile.rs:
# a file-capability copy, a held lock, a prctl-named holder, peak memory).
need=()
command -v ip >/dev/null || need+=(iproute2)
command -v unshare >/dev/null || need+=(util-linux)
command -v setpriv >/dev/null || need+=(util-linux)
command -v mount >/dev/null || need+=(mount)
command -v mandoc >/dev/null || need+=(mandoc)
command -v bash >/dev/null || need+=(bash)
command -v fish >/dev/null || need+=(fish)
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v tunctl >/dev/null || need+=(uml-utilities)
command -v cc >/dev/null || need+=(gcc)
command -v setcap >/dev/null || need+=(libcap2-bin)
command -v flock >/dev/null || need+=(util-linux)
command -v python3 >/dev/null || need+=(python3)
command -v slirp4netns >/dev/null || need+=(slirp4netns)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing test dependencies: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing test dependencies: ${need[*]} (install them, e.g. sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "WARNING: not root: the kernel tests will be SKIPPED. Run: sudo -E env PATH=\$PATH ./scripts/test.sh" >&2
fi

cargo test --locked "$@"
