# Shared by the bench scripts (sourced, not run).

# need COMMAND PACKAGE: make sure COMMAND exists, installing PACKAGE with
# apt-get when running as root; otherwise stop with a message.
need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing $2 for $1" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2
    fi
    command -v "$1" >/dev/null 2>&1 || { echo "$(basename "$0"): $1 is missing: install $2" >&2; exit 2; }
}
