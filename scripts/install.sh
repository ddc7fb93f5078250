#!/bin/sh
# Install tuntapctl: the binary, the man pages, the shell completions and the
# systemd unit that applies /etc/tuntapctl/interfaces.json at boot.
#
#   PREFIX   where to install (default /usr/local)
#   DESTDIR  staging root for packagers (default empty: install for real)
#
#   sudo ./scripts/install.sh
#   make a package:  PREFIX=/usr DESTDIR=/tmp/pkg ./scripts/install.sh
#
# Builds target/release/tuntapctl with cargo if it is missing.
set -eu
cd "$(dirname "$0")/.."

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
root="$DESTDIR$PREFIX"
bin=target/release/tuntapctl

if [ ! -x "$bin" ]; then
    echo "building $bin"
    cargo build --release --locked
fi

install -d "$root/bin" "$root/share/man/man8" \
    "$root/share/bash-completion/completions" \
    "$root/share/zsh/site-functions" \
    "$root/share/fish/vendor_completions.d"

install -m 0755 "$bin" "$root/bin/tuntapctl"
for page in man/*.8; do
    install -m 0644 "$page" "$root/share/man/man8/"
done
install -m 0644 completions/tuntapctl.bash "$root/share/bash-completion/completions/tuntapctl"
install -m 0644 completions/_tuntapctl "$root/share/zsh/site-functions/_tuntapctl"
install -m 0644 completions/tuntapctl.fish "$root/share/fish/vendor_completions.d/tuntapctl.fish"

# The boot-time unit, with ExecStart pointing at where the binary went.
install -d "$root/lib/systemd/system"
sed "s#^ExecStart=/usr/bin/tuntapctl#ExecStart=$PREFIX/bin/tuntapctl#" contrib/tuntapctl-apply.service \
    > "$root/lib/systemd/system/tuntapctl-apply.service"
chmod 0644 "$root/lib/systemd/system/tuntapctl-apply.service"

echo "installed tuntapctl into $root (bin, share/man/man8, bash, zsh and fish completions, lib/systemd/system/tuntapctl-apply.service)"
