#!/usr/bin/env bash
# Build the Debian package (target/debian/tuntapctl_VERSION-1_ARCH.deb) with
# cargo-deb, from the metadata in Cargo.toml ([package.metadata.deb]).
# Installs cargo-deb with cargo first if it is missing.
#
#   ./scripts/package-deb.sh                # release build (lto), then the .deb
#   ./scripts/package-deb.sh --install-only # only make sure cargo-deb is there
#   ./scripts/package-deb.sh ARGS...        # ARGS go to cargo deb (-o, --no-build, ...)
#
# cargo deb prints the path of the .deb on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
  echo "installing cargo-deb (cargo install cargo-deb --locked)" >&2
  cargo install cargo-deb --locked >&2
fi
if [ "${1:-}" = "--install-only" ]; then
  exit 0
fi
cargo deb --locked "$@"
