#!/usr/bin/env bash
# The kernel tests on a distribution kernel (SPEC §14): boots Debian 12's
# kernel (the package linux-image-amd64 depends on, fetched with
# `apt-get download`, unpacked, never installed) in qemu (KVM where /dev/kvm
# exists, TCG otherwise) from a small initramfs that holds the kernel test
# binaries, tuntapctl, examples/tun_attach, iproute2 and what the tests exec
# (with their shared libraries), runs them on the serial console, and prints
# one summary: passed, failed, skipped (every SKIPPED line, with its reason).
#
#   ./scripts/test-kernel.sh             as root (installs qemu etc. with apt)
#   ./scripts/test-kernel.sh --host      the same tests on the running kernel,
#                                        summarised the same way
#   ./scripts/test-kernel.sh --kernel debian-11
#                                        Debian 11's kernel (5.10), from bullseye
#                                        (apt-get download, signatures checked)
#   ./scripts/test-kernel.sh --kernel ubuntu-18.04-hwe
#                                        Ubuntu 18.04's HWE kernel 4.18 (the
#                                        minimum), fetched from archive.ubuntu.com
#                                        and checked against the SHA-256 sums below
#   ./scripts/test-kernel.sh --kernel NAME --fetch-only
#                                        fetch that kernel and stop; exit 77
#                                        when the archive cannot be reached
#   KERNEL_PACKAGE=linux-image-6.1.0-57-amd64 ./scripts/test-kernel.sh
#                                        another kernel package of the archive
#   KERNEL_DEB=/path/linux-image-5.10.0-35-amd64_..._amd64.deb ./scripts/test-kernel.sh
#                                        a kernel .deb fetched by hand (another
#                                        release's), unpacked, never installed;
#                                        several, space-separated, for a kernel
#                                        whose modules are packaged apart
#                                        (Ubuntu: linux-image-unsigned-V, then
#                                        linux-modules-V, linux-modules-extra-V)
#
# Extra arguments after `--` go to every test binary (e.g. `-- hold`).
# Work files: target/kernel-vm/ (the .deb is kept between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$root/target/kernel-vm
mode=vm
extra=()
kernel=debian-12
fetch_only=0
while [ $# -gt 0 ]; do
  case $1 in
    --host) mode=host ;;
    --kernel)
      [ $# -ge 2 ] || { echo "usage: --kernel debian-12|debian-11|ubuntu-18.04-hwe" >&2; exit 2; }
      shift; kernel=$1 ;;
    --fetch-only) fetch_only=1 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "usage: $0 [--host] [--kernel debian-12|debian-11|ubuntu-18.04-hwe] [--fetch-only] [-- TEST-ARGS...]" >&2; exit 2 ;;
  esac
  shift
done

die() {
  echo "scripts/test-kernel.sh: $*" >&2
  exit 1
}

# The test binaries that touch the kernel. The others (golden, usage,
# completion, deb, systemd, test_script) check files and shells, not the
# kernel: the normal suite runs them.
TESTS=(add_del around batch_add batch_apply bulk cni del_address delegate
  delegate_hostile doctor errors faults hostile json_errors kernel_features
  list_set monitor patterns robust small_fixes smoke table tunctl)
# KERNEL_TESTS="list_set around" runs only those binaries.
if [ -n "${KERNEL_TESTS:-}" ]; then
  read -r -a TESTS <<<"$KERNEL_TESTS"
fi

# What the tests exec besides tuntapctl and tun_attach (scripts/test.sh
# installs the same packages for the normal suite).
TOOLS=(ip bridge unshare setpriv setsid nsenter mount umount sh bash script tunctl setfacl
  getfacl setcap getcap ping flock python3 slirp4netns /usr/bin/time sysctl timeout
  grep chown chmod mkfifo mknod getent id cat sleep kill env ls stat mkdir rm cp
  true false sed head tail tr wc sort readlink dirname basename touch ln
  systemd-socket-activate /usr/lib/cni/host-local)

[ "$(id -u)" -eq 0 ] || die "run as root: the kernel tests need root, and qemu and the kernel package are installed with apt-get"

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx insmod || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v xz >/dev/null || need+=(xz-utils)
command -v zstd >/dev/null || need+=(zstd)
command -v depmod >/dev/null || need+=(kmod)
[ -x /usr/bin/python3 ] || need+=(python3)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ] && [ "$mode" = vm ]; then
  echo "installing: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# The tools the tests exec, as scripts/test.sh installs them.
./scripts/test.sh --no-run >/dev/null 2>&1 || die "building the tests failed: run ./scripts/test.sh --no-run to see why"

# Build as the owner of the checkout (as scripts/test.sh does), list the
# test executables.
builder_uid=$(stat -c %u .)
as_builder() {
  if [ "$builder_uid" -ne 0 ]; then
    local home
    home=$(getent passwd "$builder_uid" | cut -d: -f6)
    setpriv --reuid="$builder_uid" --regid="$(stat -c %g .)" --init-groups \
      env HOME="$home" PATH="$home/.cargo/bin:$PATH" "$@"
  else
    "$@"
  fi
}
test_args=()
for t in "${TESTS[@]}"; do test_args+=(--test "$t"); done
as_builder cargo build --quiet --example tun_attach
mapfile -t bins < <(as_builder cargo test --quiet --locked --no-run --message-format=json "${test_args[@]}" |
  python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        print(m["executable"])
')
[ ${#bins[@]} -eq ${#TESTS[@]} ] || die "expected ${#TESTS[@]} test binaries, cargo listed ${#bins[@]}"
tuntapctl=$root/target/debug/tuntapctl
attach=$root/target/debug/examples/tun_attach

# The summary of a log holding the test binaries' output: per binary and in
# total, with every SKIPPED line and every failed test.
summarise() {
  python3 - "$1" "$2" <<'EOF'
import re, sys
log, where = sys.argv[1], sys.argv[2]
text = open(log, errors="replace").read().replace("\r", "")
passed = failed = ignored = 0
results = re.findall(r"test result: (\w+)\. (\d+) passed; (\d+) failed; (\d+) ignored", text)
for _, p, f, i in results:
    passed += int(p); failed += int(f); ignored += int(i)
ran = re.findall(r"^=== RUN (\S+)$", text, re.M)
done = dict(re.findall(r"^=== EXIT (\S+) (\d+)$", text, re.M))
skips = sorted(set(m.strip() for m in re.findall(r"^.*SKIPPED.*$", text, re.M)))
fails = re.findall(r"^test (\S+) \.\.\. FAILED$", text, re.M)
broken = [b for b in ran if b not in done] + [b for b, rc in done.items() if rc != "0" and rc != "101"]
for b in ran:
    print(f"  {b}: exit {done.get(b, 'none (no end marker: crashed or timed out)')}")
print(f"SKIPPED ({len(skips)}):")
for s in skips:
    print("  " + s)
if fails:
    # Each failure's own words again here, next to the summary: a CI log's
    # tail is often all that is kept.
    print("FAILED:")
    for f in fails:
        print("  " + f)
        block = re.search(r"^---- " + re.escape(f) + r" stdout ----\n(.*?)(?=^---- |^failures:$|\Z)", text, re.M | re.S)
        lines = [l for l in (block.group(1).splitlines() if block else []) if l.strip()]
        for line in lines[:12]:
            print("    | " + line[:300])
ok = failed == 0 and not broken and len(results) == len(ran) and passed > 0
print(f"test result: {'ok' if ok else 'FAILED'}. {passed} passed; {failed} failed; {ignored} ignored; "
      f"{len(skips)} skipped; {len(ran)} test binaries on {where}")
sys.exit(0 if ok else 1)
EOF
}

# Two test threads; one on the 4.18 kernel, which lacks the full holder
# proof: there a same-named tap held by a parallel test in its own
# namespace counts as a holder of another test's tap (the weaker proof).
threads=${KERNEL_TEST_THREADS:-2}
[ "$kernel" = ubuntu-18.04-hwe ] && threads=${KERNEL_TEST_THREADS:-1}
run_args="--test-threads=$threads --show-output ${extra[*]:-}"

if [ "$mode" = host ]; then
  log=$work/host.log
  mkdir -p "$work"
  : >"$log"
  start=$(date +%s)
  for b in "${bins[@]}"; do
    name=$(basename "$b")
    echo "=== RUN ${name%-*}" >>"$log"
    rc=0
    # shellcheck disable=SC2086
    "$b" $run_args >>"$log" 2>&1 || rc=$?
    echo "=== EXIT ${name%-*} $rc" >>"$log"
  done
  echo "log: $log ($(($(date +%s) - start)) s)"
  summarise "$log" "Linux $(uname -r) (host)"
  exit
fi

# --- The kernel ---------------------------------------------------------------
mkdir -p "$work/deb"

# Debian 11's kernel: bullseye's linux-image-amd64 dependency, with apt's
# own signature checks (debian-archive-keyring holds bullseye's keys), in a
# private apt state under target/.
fetch_debian_11() {
  local apt=$work/apt-bullseye opts pkg
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
  echo "deb http://deb.debian.org/debian bullseye main" >"$apt/sources.list"
  opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o APT::Architecture=amd64)
  apt-get "${opts[@]}" update -qq >/dev/null || die "apt-get update for bullseye failed"
  pkg=$(apt-cache "${opts[@]}" depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
  [ -n "$pkg" ] || die "bullseye's linux-image-amd64 names no kernel package"
  ls "$work/deb/${pkg}"_*.deb >/dev/null 2>&1 ||
    (cd "$work/deb" && apt-get "${opts[@]}" download "$pkg" 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
  KERNEL_DEB=$(ls "$work/deb/${pkg}"_*.deb 2>/dev/null | head -1) || true
  [ -n "$KERNEL_DEB" ] || die "apt-get download $pkg (bullseye) failed"
}

# Ubuntu 18.04's HWE kernel 4.18, the minimum supported (RHEL 8's version).
# There is no Ubuntu archive key on Debian: the files are pinned by SHA-256
# (the sums of bionic-updates' Packages index, read 2026-12-06).
fetch_ubuntu_4_18() {
  local base=http://archive.ubuntu.com/ubuntu/pool/main/l/linux-hwe v=4.18.0-25 r=4.18.0-25.26~18.04.1 f sum
  local files=(
    "linux-image-unsigned-$v-generic_${r}_amd64.deb 48255bba33b59127b69a9b8fdca27a25187bffd151ed0762bf7205b23474a08a"
    "linux-modules-$v-generic_${r}_amd64.deb d21662c73ba590cce15b4360a282120d7f12b0c2febb72dd655ffe2ee92d7eee"
    "linux-modules-extra-$v-generic_${r}_amd64.deb ccc40e395875a40d1c910404e8d38a8286a76e6e86517c8510b08c76103b9b1f"
  )
  KERNEL_DEB=
  for entry in "${files[@]}"; do
    read -r f sum <<<"$entry"
    if ! echo "$sum  $work/deb/$f" | sha256sum -c --quiet 2>/dev/null; then
      # Unreachable is exit 77 (CI says SKIPPED); a wrong sum is a failure.
      curl -fsS --connect-timeout 20 --max-time 900 --retry 2 -o "$work/deb/$f.part" "$base/$f" || {
        echo "scripts/test-kernel.sh: cannot fetch $base/$f" >&2
        exit 77
      }
      echo "$sum  $work/deb/$f.part" | sha256sum -c --quiet || die "$f: SHA-256 differs from the pinned sum"
      mv "$work/deb/$f.part" "$work/deb/$f"
    fi
    KERNEL_DEB+="$work/deb/$f "
  done
}

case $kernel in
  debian-12) ;;
  debian-11) [ -n "${KERNEL_DEB:-}" ] || fetch_debian_11 ;;
  ubuntu-18.04-hwe) [ -n "${KERNEL_DEB:-}" ] || fetch_ubuntu_4_18 ;;
  *) die "--kernel $kernel: give debian-12, debian-11 or ubuntu-18.04-hwe" ;;
esac
if [ "$fetch_only" = 1 ]; then
  echo "fetched: ${KERNEL_DEB:-nothing: Debian 12 kernel comes with apt-get download}"
  exit 0
fi
debs=()
if [ -n "${KERNEL_DEB:-}" ]; then
  for d in $KERNEL_DEB; do
    [ -f "$d" ] || die "KERNEL_DEB: $d is not a file"
    debs+=("$(readlink -f "$d")")
  done
  deb=${debs[0]}
  package=$(dpkg-deb -f "$deb" Package)
else
  package=${KERNEL_PACKAGE:-$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')}
  [ -n "$package" ] || die "cannot find the kernel package linux-image-amd64 depends on (apt-get update?)"
  deb=$(ls "$work/deb/${package}"_*.deb 2>/dev/null | head -1 || true)
fi
if [ -z "$deb" ]; then
  (cd "$work/deb" && apt-get download "$package" 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
  deb=$(ls "$work/deb/${package}"_*.deb 2>/dev/null | head -1 || true)
  [ -n "$deb" ] || die "apt-get download $package failed"
fi
[ ${#debs[@]} -gt 0 ] || debs=("$deb")
kroot=$work/kernel-$package
if [ ! -d "$kroot" ]; then
  rm -rf "$kroot.tmp"
  for d in "${debs[@]}"; do dpkg-deb -x "$d" "$kroot.tmp"; done
  mv "$kroot.tmp" "$kroot"
fi
vmlinuz=$(ls "$kroot"/boot/vmlinuz-* | head -1)
kver=${vmlinuz##*/vmlinuz-}
moddir=$kroot/lib/modules/$kver
# The package leaves modules.dep to the installer: make it here.
[ -e "$moddir/modules.dep" ] || depmod -b "$kroot" "$kver" ||
  die "depmod -b $kroot $kver failed (apt-get install kmod)" 

# --- The initramfs -------------------------------------------------------------
stage=$work/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{usr/bin,usr/sbin,usr/lib,usr/lib64,proc,sys,dev,tmp,run,etc,modules,busybox/bin,var/tmp,root}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$stage/$d"; done

# A file at the same path inside, and the shared libraries it needs.
copied=()
copy_file() {
  local f=$1
  [ -e "$stage$f" ] && return 0
  mkdir -p "$stage$(dirname "$f")"
  cp -aL "$f" "$stage$f"
}
copy_with_libs() {
  local f
  f=$(readlink -f "$1")
  copy_file "$f"
  [ "$f" = "$1" ] || { mkdir -p "$stage$(dirname "$1")"; [ -e "$stage$1" ] || ln -s "$f" "$stage$1"; }
  { ldd "$f" 2>/dev/null || true; } | { grep -oE '(/[^ ]+)' || true; } | while read -r lib; do
    copy_file "$lib"
    copy_file "$(readlink -f "$lib")"
  done
}
# The system's programs, never a shim in root's PATH (pyenv, ~/.cargo).
syspath=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
for t in "${TOOLS[@]}"; do
  p=$(PATH=$syspath type -P "$t" || true)
  if [ -z "$p" ]; then
    echo "note: $t is missing on the host: the tests that exec it fail or say SKIPPED in the guest" >&2
    continue
  fi
  copy_with_libs "$p"
done
for b in "${bins[@]}" "$tuntapctl" "$attach"; do
  copy_with_libs "$b"
  strip --strip-debug "$stage$b" # debug builds: 10-20 MB each, mostly DWARF
done
# python3's standard library (tests/hostile.rs runs a holder in python).
py=$(readlink -f /usr/bin/python3)
pylib=/usr/lib/$(basename "$py")
mkdir -p "$stage$pylib"
(cd "$pylib" && tar --exclude=./test --exclude=./idlelib --exclude=./tkinter \
  --exclude=./ensurepip --exclude=./lib2to3 --exclude='./config-*' --exclude=./site-packages -cf - .) |
  tar -C "$stage$pylib" -xf -
for so in "$stage$pylib"/lib-dynload/*.so; do copy_with_libs "${so#"$stage"}"; done
# The sources the tests read (tests/common/hostile_holder.py, README, ...),
# at the same path: the test binaries hold absolute paths.
mkdir -p "$stage$root/target/tmp"
tar -C "$root" --exclude=./target --exclude=./.git -cf - . | tar -C "$stage$root" -xf -
# Users and groups the tests name (nobody, nogroup, ...).
for f in /etc/passwd /etc/group /etc/nsswitch.conf /etc/hosts /etc/hostname /etc/protocols /etc/services; do
  [ -e "$f" ] && cp "$f" "$stage$f"
done
cp /bin/busybox "$stage/busybox/busybox"

# Kernel modules, dependencies first, decompressed here (busybox insmod
# reads plain .ko only).
modules=()
add_module() {
  local rel dep
  rel=$(grep -E "(^|/)$1\.ko(\.(xz|zst|gz))?:" "$moddir/modules.dep" | head -1 || true)
  [ -n "$rel" ] || { echo "note: module $1 is not in $package (built in, or absent)" >&2; return 0; }
  for dep in ${rel#*:}; do
    add_module "$(basename "$dep" | sed -E 's/\.ko(\.(xz|zst|gz))?$//')"
  done
  local file=${rel%%:*}
  local base
  base=$(basename "$file" | sed -E 's/\.(xz|zst|gz)$//')
  [ -e "$stage/modules/$base" ] && return 0
  case $file in
    *.xz) xz -dc "$moddir/$file" >"$stage/modules/$base" ;;
    *.zst) zstd -qdc "$moddir/$file" >"$stage/modules/$base" ;;
    *.gz) gzip -dc "$moddir/$file" >"$stage/modules/$base" ;;
    *) cp "$moddir/$file" "$stage/modules/$base" ;;
  esac
  modules+=("$base")
}
for m in tun tap bridge veth dummy macvlan af_packet; do add_module "$m"; done
printf '%s\n' "${modules[@]}" >"$stage/modules/order"

{
  echo "TESTS='$(for b in "${bins[@]}"; do printf '%s ' "$b"; done)'"
  echo "RUN_ARGS='$run_args'"
} >"$stage/etc/tests.conf"
# A seed for the guest's random pool, credited at boot: a kernel before 5.4
# under TCG can take many minutes to initialise it, and getrandom() (the
# property tests' generator) blocks until then. 512 bytes of the host's.
head -c 512 /dev/urandom >"$stage/etc/random-seed"
cat >"$stage/init" <<'EOF'
#!/busybox/busybox sh
/busybox/busybox --install -s /busybox/bin
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/busybox/bin HOME=/root LANG=C.UTF-8
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm /dev/net
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mount --make-rshared /
while read -r m; do insmod "/modules/$m" || echo "insmod $m failed"; done </modules/order
# Credit the seed (RNDADDENTROPY, 4096 bits), as systemd-random-seed does.
PYTHONHASHSEED=0 python3 -c 'import fcntl, struct
seed = open("/etc/random-seed", "rb").read()
with open("/dev/random", "wb") as r:
    fcntl.ioctl(r, 0x40085203, struct.pack("ii", 8 * len(seed), len(seed)) + seed)' ||
  echo "crediting the random seed failed: tests that need getrandom() may wait"
[ -e /dev/net/tun ] || mknod /dev/net/tun c 10 200
ip link set lo up
hostname vm
. /etc/tests.conf
echo "=== KERNEL $(uname -r)"
for t in $TESTS; do
  name=${t##*/}
  name=${name%-*}
  echo "=== RUN $name"
  cd /tmp
  "$t" $RUN_ARGS 2>&1
  echo "=== EXIT $name $?"
done
echo "=== DONE"
sync
poweroff -f
EOF
chmod 755 "$stage/init"
initrd=$work/initrd.gz
(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet | gzip -1) >"$initrd"
echo "initramfs: $(du -h "$initrd" | cut -f1), kernel $kver"

# --- Boot ----------------------------------------------------------------------
# KVM where /dev/kvm exists and works: nested KVM can hang a guest before
# its first kernel message (measured under a Firecracker host), so a short
# boot without an initramfs (the kernel panics at once: no root) proves it.
accel=(-accel tcg,thread=multi)
how=TCG
if [ -w /dev/kvm ]; then
  if timeout 60 qemu-system-x86_64 -accel kvm -m 512 -nographic -no-reboot -kernel "$vmlinuz" \
    -append "console=ttyS0 panic=-1" </dev/null 2>&1 | grep -q "Linux version"; then
    accel=(-accel kvm)
    how=KVM
  else
    how="TCG (/dev/kvm is there but a KVM guest printed nothing in 60 s)"
  fi
fi
echo "booting $kver under $how"
log=$work/console.log
start=$(date +%s)
timeout 5400 qemu-system-x86_64 "${accel[@]}" -m 3072 -smp 2 -nographic -no-reboot \
  -kernel "$vmlinuz" -initrd "$initrd" \
  -append "console=ttyS0 quiet loglevel=1 panic=-1 rdinit=/init" </dev/null >"$log" 2>&1 || true
secs=$(($(date +%s) - start))
echo "log: $log ($secs s under $how)"
grep -q "^=== DONE" <(tr -d '\r' <"$log") || echo "the guest did not finish: see $log" >&2
summarise "$log" "Linux $kver (Debian package $package, qemu $how, $secs s)"
