//! The EXAMPLES of every help text (and so of the man pages).

pub(super) const MAIN_EXAMPLES: &str = "\
Examples:
  tuntapctl add tap44 --user waldner          a tap that user waldner may attach to
  tuntapctl add tun0 --user openvpn -a 10.8.0.1/24 --up
  IF=$(tuntapctl add -b --user qemu)          let the kernel pick tapN, print it
  tuntapctl list                              all tun/tap interfaces as a table
  tuntapctl del tap44                         delete it (refused while a process holds it)";

pub(super) const ADD_EXAMPLES: &str = "\
Examples:
  tuntapctl add tap44 --user waldner
  tuntapctl add tun0 --tun --user openvpn -a 10.8.0.1/24 --up
  tuntapctl add vm%d --user qemu --group kvm --mac random --vnet-hdr -b
  tuntapctl add tap-vm1 --user qemu --master br0 --addrgenmode none --alias \"vm1 eth0\" --up
  tuntapctl add tap44 --user waldner --exist-ok   # idempotent, for boot scripts";

pub(super) const DEL_EXAMPLES: &str = "\
Examples:
  tuntapctl del tap44
  tuntapctl del tap1 tap2 tap3 --missing-ok       # idempotent, for shutdown scripts
  tuntapctl del 'tap-vm*'                         # every tun/tap the pattern matches";

pub(super) const SET_EXAMPLES: &str = "\
Examples:
  tuntapctl set tap44 --user alice --group kvm
  tuntapctl set tap-vm1 tap-vm2 --mtu 9000 --up   # the same settings on several
  tuntapctl set tap44 --mtu 9000 -a 192.0.2.1/24 --up
  tuntapctl set tap44 --master br0 --alias \"vm1 eth0\"   # a bridge port, labelled
  tuntapctl set tap44 --nomaster --alias ''          # free it, drop the label
  tuntapctl set tap44 --rename tap-vm1
  tuntapctl set tap44 --move-to blue                 # into /run/netns/blue";

pub(super) const LIST_EXAMPLES: &str = "\
Examples:
  tuntapctl list
  tuntapctl list 'tap-vm*' tun0                 names or shell patterns (quote them)
  tuntapctl list --mode tap --user qemu --json
  tuntapctl list --stats                        with rx/tx packets, bytes, errors, dropped
  tuntapctl list --master br0                   the ports of bridge br0";

pub(super) const SHOW_EXAMPLES: &str = "\
Examples:
  tuntapctl show                                 every tun/tap
  tuntapctl show tap44
  tuntapctl show 'tap-vm*' tun0 --json";

pub(super) const APPLY_EXAMPLES: &str = "\
Examples:
  tuntapctl list --json > /etc/tuntapctl/saved.json    # save the current set
  tuntapctl apply /etc/tuntapctl/saved.json            # restore it after a reboot
  tuntapctl apply --dry-run --prune taps.toml          # show what would change";

pub(super) const BATCH_EXAMPLES: &str = "\
Examples:
  printf 'add tap1 --user qemu\\nadd tap2 --user qemu --up\\n' | tuntapctl batch -
  tuntapctl batch --force /etc/tuntapctl/boot.batch";

pub(super) const TUNCTL_EXAMPLES: &str = "\
Examples:
  tuntapctl tunctl -u waldner -t tap44     # Set 'tap44' persistent and owned by uid 1000
  IF=$(tuntapctl tunctl -b -u qemu)        # the kernel picks tapN; only its name is printed
  tuntapctl tunctl -n -t tun0 -u openvpn   # a tun instead of a tap
  tuntapctl tunctl -d tap44                # Set 'tap44' nonpersistent
  PATH=/usr/lib/tuntapctl:$PATH tunctl -b  # scripts that call tunctl get this mode";

pub(super) const TUNCTL_ABOUT: &str = "\
Act like tunctl, for scripts written for it: take the command line of Debian's tunctl \
(uml-utilities) and print what it prints, byte for byte. The same happens when the binary is \
started under the name tunctl (a symlink such as /usr/lib/tuntapctl/tunctl).

Create:  [-b] [-u OWNER] [-g GROUP] [-t NAME] [-f CLONEDEV] [-n|-p]
Delete:  -d NAME [-f CLONEDEV] [-n|-p]

-b prints only the interface name. -u and -g take a name or a number (read like C's strtol, \
so 0x10 is 16). Without -u and -g the caller becomes the owner. Without -t the kernel picks \
tapN (tunN with -n). -t NAME on an existing tap of the same mode changes its owner and group \
(tunctl's re-own). -n makes or deletes a tun, -p a tap (the default), as in tunctl 1.5. -f must \
name the tun clone device (character device 10:200); the interface is made through \
/dev/net/tun. Options may be grouped (-bt tap0); words that are not options print the usage.

On success the output is tunctl's: \"Set 'tap0' persistent and owned by uid 65534\" (with \
\" gid N\" after it when -g is given, and only \" gid N\" with -g alone), the bare name with -b, \
and \"Set 'tap0' nonpersistent\" with -d. Argument errors print tunctl's messages and usage.

Where tunctl is unsafe, this mode is not: a name over 15 bytes is refused instead of being cut \
(tunctl would create or delete the 15-byte name), -d of a missing name deletes nothing and \
creates no device (it still prints tunctl's line and exits 0, with a note on stderr), -d of an \
interface that is not a tun/tap of the asked mode is refused, and -d of an interface that a \
process holds is refused.

Every failure exits with status 1, as tunctl's do (not with the statuses listed below); the \
message names the interface, the cause and the fix. --quiet and --netns given before tunctl \
apply; --json does not.";
pub(super) const DOCTOR_EXAMPLES: &str = "\
Examples:
  tuntapctl doctor tap44 --user waldner --tap          would waldner's qemu get tap44?
  tuntapctl doctor tap44 --user waldner --group kvm    check with the groups of a new login
  tuntapctl doctor tun0 --user openvpn --tun --try     really attach as openvpn, then detach";

pub(super) const MONITOR_EXAMPLES: &str = "\
Examples:
  tuntapctl monitor                                    every tun/tap event, until Ctrl-C
  tuntapctl monitor 'tap-vm*' --json                   one JSON object per line
  tuntapctl monitor tap44 --count 1                    wait for the next event of tap44";

pub(super) const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  tuntapctl completions bash > /usr/share/bash-completion/completions/tuntapctl
  tuntapctl completions zsh > /usr/share/zsh/vendor-completions/_tuntapctl";
