#!/usr/bin/env bash
# The whole test suite. Kernel tests make their own network namespaces; they
# need root (or CAP_NET_ADMIN + CAP_SYS_ADMIN) and say SKIPPED loudly without.
#
#   ./scripts/test.sh            as root, or as a normal user (kernel tests skip)
#   sudo ./scripts/test.sh       from a normal account: builds as you, with
#                                your own cargo (~/.cargo/bin, which sudo's
#                                secure_path leaves out), runs the tests as
#                                root, and leaves target/ owned by you
#
# Extra arguments go to `cargo test` (e.g. `--test table`).
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
  echo "scripts/test.sh: $*" >&2
  exit 1
}

# Who builds: the owner of the checkout. Under sudo (or as root in someone's
# checkout) cargo runs as that user, so target/ and ~/.cargo stay theirs;
# only the tests run as root.
builder=$(stat -c %U .)
builder_uid=$(stat -c %u .)
builder_gid=$(stat -c %g .)
me=$(id -u)
if [ "$me" -eq 0 ] && [ "$builder_uid" -ne 0 ]; then
  builder_home=$(getent passwd "$builder" | cut -d: -f6)
  as_builder() { setpriv --reuid="$builder_uid" --regid="$builder_gid" --init-groups \
    env HOME="$builder_home" USER="$builder" LOGNAME="$builder" "$@"; }
else
  builder_home=$HOME
  as_builder() { "$@"; }
fi

# Find cargo before changing anything: PATH first, then the builder's own
# rustup install (sudo resets PATH to secure_path, which lacks ~/.cargo/bin).
cargo_bin=$(command -v cargo || true)
if [ "$me" -eq 0 ] && [ "$builder_uid" -ne 0 ]; then
  # The builder's cargo, not root's: it is the one that built target/.
  cargo_bin=""
fi
if [ -z "$cargo_bin" ] && [ -x "$builder_home/.cargo/bin/cargo" ]; then
  cargo_bin=$builder_home/.cargo/bin/cargo
fi
if [ -z "$cargo_bin" ] && [ "$builder_uid" -ne "$me" ]; then
  cargo_bin=$(as_builder bash -lc 'command -v cargo' 2>/dev/null || true)
fi
if [ -z "$cargo_bin" ]; then
  die "cannot find cargo (not in PATH, not in $builder_home/.cargo/bin): install Rust for $builder (https://rustup.rs), then run this again"
fi
cargo_dir=$(dirname "$cargo_bin")
# The builder's toolchain and crate cache, also for the root half.
cargo_env=(PATH="$cargo_dir:$PATH" CARGO_HOME="${CARGO_HOME:-$builder_home/.cargo}")
if [ -d "$builder_home/.rustup" ]; then
  cargo_env+=(RUSTUP_HOME="${RUSTUP_HOME:-$builder_home/.rustup}")
fi

# What the tests run besides cargo: ip (iproute2), unshare/setpriv/mount
# (util-linux, mount), script (bsdutils: the pseudo-terminal table test),
# mandoc (man page lint), bash, fish and zsh (completion tests), systemd-analyze
# (unit check), tunctl (a tap made by another tool, and tunctl mode side by
# side), dpkg-deb, gzip and man (the .deb test), setfacl (doctor: an ACL on
# /dev/net/tun), ping (real packets through a tun for the counter test),
# setcap (libcap2-bin), flock, python3, slirp4netns and /usr/bin/time
# (tests/hostile.rs: a file-capability copy, a held lock, a prctl-named
# holder, peak memory); containernetworking-plugins (host-local IPAM for
# tests/cni.rs), podman and busybox-static (tests/cni_podman.rs: a real
# runtime with its CNI backend, an image made offline from busybox);
# qemu-system-x86_64 (tests/delegate_qemu.rs: qemu's -netdev
# bridge,helper= with our bridge helper).
need=()
command -v ip >/dev/null || need+=(iproute2)
command -v unshare >/dev/null || need+=(util-linux)
command -v setpriv >/dev/null || need+=(util-linux)
command -v mount >/dev/null || need+=(mount)
command -v script >/dev/null || need+=(bsdutils)
command -v mandoc >/dev/null || need+=(mandoc)
command -v bash >/dev/null || need+=(bash)
command -v fish >/dev/null || need+=(fish)
command -v zsh >/dev/null || need+=(zsh)
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v tunctl >/dev/null || need+=(uml-utilities)
command -v setfacl >/dev/null || need+=(acl)
command -v cc >/dev/null || need+=(gcc)
command -v dpkg-deb >/dev/null || need+=(dpkg)
command -v gzip >/dev/null || need+=(gzip)
command -v man >/dev/null || need+=(man-db)
command -v ping >/dev/null || need+=(iputils-ping)
command -v setcap >/dev/null || need+=(libcap2-bin)
command -v flock >/dev/null || need+=(util-linux)
command -v python3 >/dev/null || need+=(python3)
command -v slirp4netns >/dev/null || need+=(slirp4netns)
[ -x /usr/bin/time ] || need+=(time)
[ -x /usr/lib/cni/host-local ] || need+=(containernetworking-plugins)
command -v podman >/dev/null || need+=(podman)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$me" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing test dependencies: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    die "missing test dependencies: ${need[*]} (install them: sudo apt-get install ${need[*]}; or run sudo ./scripts/test.sh)"
  fi
fi
# cargo-deb for tests/deb.rs (cargo install, as the builder; the test says
# SKIPPED without it).
if ! as_builder env "${cargo_env[@]}" "$cargo_bin" deb --version >/dev/null 2>&1; then
  as_builder env "${cargo_env[@]}" ./scripts/package-deb.sh --install-only ||
    echo "WARNING: cargo-deb could not be installed: the .deb test will be SKIPPED" >&2
fi
if [ "$me" -ne 0 ]; then
  echo "WARNING: not root: the kernel tests will be SKIPPED. Run: sudo ./scripts/test.sh" >&2
fi

if [ "$me" -eq 0 ] && [ "$builder_uid" -ne 0 ]; then
  # Files an earlier root run left in target/ would stop the build.
  [ -d target ] && chown -R "$builder_uid:$builder_gid" target
  trap 'chown -R "$builder_uid:$builder_gid" target 2>/dev/null || true' EXIT
  echo "building as $builder with $cargo_bin"
  as_builder env "${cargo_env[@]}" "$cargo_bin" test --locked --no-run "$@"
  # Everything is built: root's cargo only runs it (offline, nothing to
  # fetch or compile into $builder's ~/.cargo).
  env "${cargo_env[@]}" "$cargo_bin" test --locked --offline "$@"
else
  env "${cargo_env[@]}" "$cargo_bin" test --locked "$@"
fi
