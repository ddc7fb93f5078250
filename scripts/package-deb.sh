#!/usr/bin/env bash
# Build the Debian package (target/debian/tuntapctl_VERSION-1_ARCH.deb) with
# cargo-deb, from the metadata in Cargo.toml ([package.metadata.deb]).
# Installs cargo-deb with cargo first if it is missing.
#
#   ./scripts/package-deb.sh                 # release build (lto), then the .deb
#   ./scripts/package-deb.sh --profile NAME  # other arguments go to cargo deb
#
# Prints the path of the .deb on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deb --version >/dev/null 2>&1; then
  echo "installing cargo-deb (cargo install cargo-deb --locked)" >&2
  cargo install cargo-deb --locked >&2
fi
# cargo deb prints the .deb's path on stdout.
cargo deb --locked "$@"
