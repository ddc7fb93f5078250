//! The hand-written roff of the man pages: each page's DESCRIPTION, and
//! the sections that tuntapctl(8) adds (examples for init scripts, exit
//! status, files, notes). Plain text, one constant each; `docs` puts them
//! around what clap_mangen makes of the command line.

/// The DESCRIPTION of tuntapctl(8) (`None`) or of a subcommand's page.
pub(super) fn description(sub: Option<&str>) -> &'static str {
    match sub {
        None => PROGRAM,
        Some("add") => ADD,
        Some("del") => DEL,
        Some("set") => SET,
        Some("list") => LIST,
        Some("show") => SHOW,
        Some("apply") => APPLY,
        Some("batch") => BATCH,
        Some("completions") => COMPLETIONS,
        Some("cni") => crate::cni::doc::MAN_DESCRIPTION,
        Some("tunctl") => TUNCTL,
        Some("doctor") => DOCTOR,
        Some("monitor") => MONITOR,
        Some("serve") => crate::delegate::manual::SERVE,
        Some("bridge-helper") => crate::delegate::manual::BRIDGE_HELPER,
        Some(_) => "",
    }
}

pub(super) const INIT_SCRIPT_EXAMPLE: &str = r#".PP
A boot script that is quiet on success, idempotent and stops at the first
failure with tuntapctl's exit status:
.PP
.nf
.RS 4
#!/bin/sh
tuntapctl \-q add tap\-vm1 \-\-user qemu \-\-group kvm \-\-exist\-ok \-\-up || exit $?
tuntapctl \-q add tap\-vm2 \-\-user qemu \-\-group kvm \-\-exist\-ok \-\-up || exit $?
.RE
.fi
"#;

/// The EXIT STATUS section: the line for 0 names only the options the
/// page's command has (apply has neither --exist-ok nor --missing-ok).
pub(super) fn exit_status(sub: Option<&str>) -> String {
    let success = match sub {
        None | Some("batch") => {
            "Success (also an unchanged interface with \\fB\\-\\-exist\\-ok\\fR and a missing one\nwith \\fB\\-\\-missing\\-ok\\fR)."
        }
        Some("add") => "Success (also an unchanged interface with \\fB\\-\\-exist\\-ok\\fR).",
        Some("del") => "Success (also a missing interface with \\fB\\-\\-missing\\-ok\\fR).",
        Some("apply") => {
            "Success: the interfaces match the file, or with \\fB\\-\\-dry\\-run\\fR the plan was shown."
        }
        Some(_) => "Success.",
    };
    format!(".SH EXIT STATUS\n.TP\n.B 0\n{success}\n{EXIT_STATUS_REST}")
}

const EXIT_STATUS_REST: &str = r#".TP
.B 1
The operation failed: a kernel error not listed below.
.TP
.B 2
Usage error or invalid input (name, MAC, address, user, group, file).
.TP
.B 3
No such interface.
.TP
.B 4
Conflict: the interface already exists, exists with another mode or flags,
or is not a tun/tap.
.TP
.B 5
Permission denied: CAP_NET_ADMIN, access to /dev/net/tun, or ownership is
missing.
.TP
.B 6
Busy: a process is attached to the interface.
.PP
Every error message, on standard error, names the interface and value
involved, the cause, and what to do.
With \fB\-\-json\fR, a failure also prints one object on standard output:
{"error": {"exit": N, "kind": "usage|failed|not_found|conflict|permission|busy",
"message": "...", "interface": NAME or null}}, plus "fix" (what to do) when
the error knows it, and "holders" (an array of {"pid", "command"}) when the
kind is busy.
"#;

pub(super) const FILES: &str = r#".SH FILES
.TP
.I /dev/net/tun
The tun/tap clone device, opened to create an interface and to change its
owner, group and persistence.
.TP
.I /run/tuntapctl.lock
Held (flock) while \fBtuntapctl apply\fR changes interfaces, so that
concurrent applies on one host do not interleave. Created when missing as a
root\-owned regular file with mode 0600, opened without following links;
a symlink, a FIFO, a file of another user, or one other users can open is
refused (exit 5: remove it). A held lock is waited for up to 30 seconds,
with a message naming the process that holds it, then exit 6.
"#;

pub(super) const NOTES: &str = r#".SH NOTES
These are the kernel's rules, which other tools leave users to discover:
.IP \(bu 2
Owner and group both apply: an unprivileged process may attach only when
(there is no owner or it is the owner) AND (there is no group or it is in the
group).
.IP \(bu 2
The owner and the group can be changed but never cleared: the kernel refuses
to reset them. To remove them, delete the interface and add it again.
.IP \(bu 2
The packet information header (\fB\-\-pi\fR) and the virtio\-net header
(\fB\-\-vnet\-hdr\fR) belong to whoever attaches: the kernel takes them from
every process that attaches, so they are not a lasting property of the
interface.
.IP \(bu 2
The mode (tun or tap) and \fB\-\-multi\-queue\fR must match: a process can
attach only with the same mode and multi\-queue setting, and neither can be
changed on an existing interface.
.PP
Against hostile users and input:
.IP \(bu 2
Under sudo (SUDO_UID set), a FILE is opened with the uid, gid and groups of
the user who ran sudo; a file that user cannot read is exit 5. Standard input
is read as is.
.IP \(bu 2
Input files are limited to 64 MiB; apply files to 100,000 interfaces,
2,000,000 values (an object counts 4, an array 2) and 16 levels of nesting;
batch files to lines of 16 KiB, 100,000 commands and 1,000,000 words. NaN,
infinity and duplicate keys are errors. An error quotes at most 60
characters of a line.
.IP \(bu 2
Names from outside (interfaces, processes, paths, lines of a file) are
printed with control, invisible and bidi characters escaped (\ex1b,
\eu{202e}); JSON carries them exactly. \fBshow\fR, \fBset\fR and
\fBdel\fR reach any name the kernel can hold; \fBadd\fR refuses control,
zero\-width and bidi characters.
.IP \(bu 2
Only processes proven to hold an interface (asked through a copy of their
fd: TUNGETIFF and TUNGETDEVNETNS) count as holders; none is skipped for its
name. Unprivileged, other users' processes cannot be inspected; a note says
so when it matters.
.IP \(bu 2
Privileges gained at exec (setuid, setgid, file capabilities; AT_SECURE)
are refused with exit 5: use sudo.
"#;

const PROGRAM: &str = r#"A tun interface carries IP packets (layer 3), a tap interface Ethernet
frames (layer 2), between the kernel and a user space process such as a
virtual machine or a VPN daemon.
.B tuntapctl
creates such interfaces as persistent devices that outlive the process, sets
the user and group allowed to attach to them, their MAC address, MTU,
transmit queue length and addresses, and lists, shows and deletes them.
It talks to the kernel over rtnetlink and /dev/net/tun, never through sysfs,
so it works in any network namespace (\fB\-\-netns\fR).
.PP
It is meant for people at a shell and for scripts alike: names are validated
before any system call and never truncated, \fBadd\fR either builds the whole
interface or leaves nothing behind, \fB\-\-exist\-ok\fR and \fB\-\-missing\-ok\fR
make boot and shutdown scripts idempotent, \fB\-\-quiet\fR keeps them silent,
\fB\-\-json\fR gives machine\-readable output, and the exit status says what
went wrong.
"#;

const ADD: &str = r#"Creates a persistent tun or tap interface NAME. NAME may contain one
\fB%d\fR, which the kernel replaces with the lowest free number; without NAME
the kernel picks tapN (or tunN with \fB\-\-tun\fR). The mode defaults to tun
when NAME starts with "tun" and to tap otherwise.
.PP
The interface is configured while tuntapctl holds it open and is made
persistent only as the last step: if any step fails (an unknown user, a bad
MTU, a refused address) the kernel removes it again and the error names the
step. Without \fB\-\-user\fR and \fB\-\-group\fR any user who can open
/dev/net/tun may attach; tuntapctl warns about that.
.PP
An existing NAME is a conflict (exit 4) unless \fB\-\-exist\-ok\fR is given
and it is a tun/tap of the same mode and multi\-queue setting: then it is
brought to the requested state and reported as unchanged or updated.
.PP
\fB\-\-master\fR makes the new interface a port of a bridge (or bond, vrf:
any master the kernel accepts). The master is looked up before anything is
made: a missing one is exit 3 and nothing is created; one that cannot take
ports (\fBlo\fR, a veth, a physical device) is exit 4 and the half\-made
interface is removed. \fB\-\-addrgenmode none\fR is set before the link can
get a carrier, so the kernel never makes an IPv6 link\-local address for it
(usual for bridge ports). \fB\-\-alias\fR labels the interface (at most 255
bytes), e.g. with the VM and guest interface it belongs to.
With \fB\-\-exist\-ok\fR, master, alias and addrgenmode are brought to what
is asked as well.
"#;

const DEL: &str = r#"Deletes persistent tun/tap interfaces. Every NAME is looked up over
netlink before anything is deleted: if one is missing (without
\fB\-\-missing\-ok\fR), is not a tun/tap, or is held by a process (without
\fB\-\-force\fR), nothing is deleted and the error names it, and for a held
interface the processes holding it.
"#;

const SET: &str = r#"Changes an existing tun/tap interface: its owner and group, MAC address,
MTU, transmit queue length, addresses, carrier and whether it is up. Options
that are not given leave the current value alone. Changing the owner or group
keeps the interface's current pi and vnet_hdr flags.
.PP
\fB\-\-del\-address\fR ADDR removes that address whatever its prefix length
(as \fBip addr del\fR does); ADDR/PREFIX removes only that exact one. If the
address is on the interface with another prefix length, that is an error
(exit 2) and nothing is changed. An address that is not on the interface at
all leaves it unchanged, with a note on standard error. As with \fBip\fR,
removing a primary IPv4 address also removes the secondary addresses of its
subnet unless net.ipv4.conf.NAME.promote_secondaries is set.
.PP
\fB\-\-master\fR makes it a port of a bridge (or bond, vrf), which must exist
(exit 3 otherwise; exit 4 for a device that cannot take ports, and then it
stays a port of the master it had); \fB\-\-nomaster\fR frees it.
\fB\-\-alias ""\fR removes the alias. \fB\-\-addrgenmode none\fR also removes
the IPv6 link\-local address the kernel already made; another mode takes
effect the next time the link comes up with a carrier. \fB\-\-rename\fR
follows the name rules of \fBadd\fR and works while the interface is up and
attached (the processes keep working); kernels before 6.2 rename only a
device that is down, and the error says so (exit 6).
.PP
\fB\-\-flush\-addresses\fR removes every address except the IPv6 link\-local
ones the kernel made itself. Kernels from 5.18 tag those (IFA_PROTO); on
older ones, with addrgenmode eui64 the MAC's EUI\-64 address is the
kernel's and another link\-local one was added. A link\-local address whose
maker nothing settles is kept, and a note names it and the
\fB\-\-del\-address\fR that removes it.
.PP
\fB\-\-move\-to NS\fR moves the interface to another network namespace (a
name under /run/netns, a path such as /proc/PID/ns/net, or a PID). Its
owner, group, persistence, MAC, MTU and alias go with it; the kernel drops
its addresses and its master and brings it down there, and the output says
which addresses and master were dropped. It may be combined with
\fB\-\-rename\fR (a name taken in the target namespace is exit 4) and with
the owner, group, MAC, MTU, txqueuelen and alias options, which are applied
first; configure the rest with \fBtuntapctl \-\-netns NS set\fR afterwards.
"#;

const LIST: &str = r#"Lists the tun/tap interfaces in the network namespace as a table, or as
a JSON array with \fB\-\-json\fR. The JSON is what \fBtuntapctl apply\fR reads, master, alias and addrgenmode
included.
.PP
Each PATTERN is an interface name or a shell pattern (\fB*\fR any characters,
\fB?\fR one, \fB[a\-z]\fR or \fB[!a\-z]\fR one of a set, \fB\e\fR quotes);
quote it so that the shell leaves it alone: \fBtuntapctl list \(aqtap\-vm*\(aq\fR.
An interface is listed when it matches any PATTERN (all when none is given)
and every filter: \fB\-\-mode\fR, \fB\-\-user\fR, \fB\-\-group\fR,
\fB\-\-up\fR and \fB\-\-down\fR are combined with AND. Nothing matching is not
an error: the result is empty (\fB[]\fR with \fB\-\-json\fR), with a note
on standard error.
.PP
On a terminal the table fits its width and never breaks a name, address,
MAC or number. When it is too narrow it first shortens: FLAGS as letters
(\fBp\fR pi, \fBv\fR vnet_hdr, \fBm\fR multi_queue, \fBt\fR transient),
STATE as one word (\fBup\fR, \fBno\-carrier\fR, \fBdown\fR), PROCESSES as
the first holder and how many more (\fBqemu (+2)\fR), a point\-to\-point
peer on its own line, the counter headers abbreviated (\fBRX_PKTS\fR).
Then it leaves out the least useful columns, in this order: FLAGS, MTU,
GROUP, PROCESSES, MODE, the byte and error counters, MASTER, OWNER, STATE,
MAC, ADDRESSES, the drop and packet counters, the same order at every
width and with or without \fB\-\-stats\fR (a column goes only after every
column before it in the order), and names them under the table; \fBtuntapctl show\fR
prints every field. Piped or redirected, the
table is one line per interface with every column, for grep and awk.
.PP
A MASTER column appears when any listed interface is a port of a bridge
(bond, vrf). \fB\-\-stats\fR adds the traffic counters (rx and tx packets,
bytes, errors and dropped, from IFLA_STATS64) to the table, and a "stats"
object to each JSON object.
"#;

const SHOW: &str = r#"Shows tun/tap interfaces in full: mode, owner and group, flags, MAC address,
MTU, transmit queue length, state, attached queues, master, alias, IPv6
address generation mode, addresses, traffic counters (rx and tx packets,
bytes, errors, dropped) and the processes holding the interface. Without PATTERN, every tun/tap in the
network namespace. Each PATTERN is a name or a quoted shell pattern as for
\fBtuntapctl list\fR (\fB\(aqtap\-vm*\(aq\fR); interfaces are shown in the
order asked, each once. A PATTERN that matches nothing is an error (exit 3)
naming it; a NAME that is not a tun/tap is exit 4.
"#;

const APPLY: &str = r#"Makes the system match a declared set of interfaces, read from FILE (JSON
as printed by \fBtuntapctl list \-\-json\fR, or TOML with the same fields in
one [[interface]] table per interface) or from standard input. The format
comes from the extension (.json, .toml), else from the content.
Every field but name is optional; an absent field is left as it is.
master, alias and addrgenmode converge too: \fB"master": ""\fR frees the
port and \fB"alias": ""\fR removes the alias (null leaves them); a master
that does not exist stops the whole file (exit 3) before anything changes.
Read\-only fields (ifindex, processes, carrier, operstate, queues, stats)
are ignored; unknown fields are errors. The IPv6 link\-local addresses the kernel
makes itself are never added or removed, so saving with list \-\-json and
applying the file again changes nothing.
The whole file is validated, and the plan made, before the first change;
errors name the entry and field. Missing interfaces are created and
existing ones updated; with \fB\-\-prune\fR tun/tap interfaces that the file
does not list are deleted (never other links). \fB\-\-dry\-run\fR prints the
plan and changes nothing. A second run reports nothing changed.
"#;

const BATCH: &str = r#"Runs many tuntapctl commands, one per line without the program name, in one
process over one netlink connection: the fast path for scripts with many
interfaces. Blank lines and lines starting with # are skipped; words are
quoted as in the shell. The first failing line stops the batch and is named
by its line number, unless \fB\-\-force\fR is given: then the remaining lines
run and the exit status is non\-zero at the end, with a summary.
.PP
Every line is parsed, and its users and groups resolved, before the first
one runs. A line that does not parse (a typo, an unknown option, an unknown
user or group) therefore stops the whole batch before anything is changed,
with or without \fB\-\-force\fR: this is by design, so that a typo on line 90
does not leave 89 lines done. \fB\-\-force\fR only carries on past lines that
fail when they run (an interface that exists, one that is busy).
.PP
Consecutive \fBadd\fR lines are built together: every device is created and
held, all their netlink settings are sent at once, then each is made
persistent in order. The result of each line is what running the lines one
by one gives: a device becomes persistent only when it is complete, so a
failure (or a kill) leaves the lines before it done and nothing of the lines
after it (their devices may appear in \fBip monitor\fR for an instant and
vanish). Consecutive \fBdel\fR lines are deleted in one pass.
"#;

const COMPLETIONS: &str = r#"Prints a completion script for SHELL on standard output. The scripts
complete subcommands and options, tun or tap for \fB\-\-mode\fR, user and
group names, and the names of existing tun/tap interfaces for \fBdel\fR,
\fBset\fR, \fBshow\fR and \fBlist\fR, bridges (bonds, vrfs) for
\fB\-\-master\fR (asked from tuntapctl itself, over netlink), and the
namespaces under /run/netns for \fB\-\-move\-to\fR.
Candidates are data, never code: only names that are plain shell words
(ASCII letters, digits and \fB. _ \- + @ , %\fR, not starting with
\fB\-\fR) are offered, so a device named \fB$(id>x)\fR is left out and
never run; type such a name quoted.
Packaged copies are installed as
bash\-completion/completions/tuntapctl, zsh site\-functions/_tuntapctl and
fish vendor_completions.d/tuntapctl.fish.
"#;

const TUNCTL: &str = r#"The Debian package installs the symlink
.I /usr/lib/tuntapctl/tunctl
(uml\-utilities owns /usr/sbin/tunctl). Scripts that call plain
\fBtunctl\fR use it when /usr/lib/tuntapctl comes first in their PATH, for
example PATH=/usr/lib/tuntapctl:$PATH in the script or in the systemd
unit's Environment=.
"#;

const DOCTOR: &str = r#"Explains whether USER could attach to the tun/tap NAME, and if not, why
and what to do. It walks the checks the kernel makes for TUNSETIFF, in the
kernel's order, and prints one line per check, \fBok\fR or \fBFAIL\fR with a
fix, then a verdict; the first failing check is the error a real attach
gets:
.IP \(bu 2
\fB/dev/net/tun\fR: the user may open it read\-write. This is tried for
real: a child process takes the user's uid, primary group and
supplementary groups and opens the node, so ACLs, device cgroups and
security modules count, not only the mode bits (EACCES or EPERM: exit 5).
.IP \(bu 2
\fBdevice\fR: NAME exists in this network namespace and is a tun/tap.
"No such device here" is exit 3 (an unprivileged attach of a missing name
gets EPERM, because the kernel tries to create it); a device that is not a
tun/tap is exit 4 (EINVAL).
.IP \(bu 2
\fBmode\fR and \fBmulti\-queue\fR: what the attacher asks for (\fB\-\-tun\fR
or \fB\-\-tap\fR, default the device's own mode; \fB\-\-multi\-queue\fR)
must match the device (EINVAL: exit 4).
.IP \(bu 2
\fBowner\fR and \fBgroup\fR: the user must be the owner (if one is set) and
in the group (if one is set); uid 0 passes both (EPERM: exit 5). The user's
groups come from the group database unless \fB\-\-group\fR lists them. When
the database has the device's group but running processes of the user do
not, the line notes that the group was added after they logged in.
.IP \(bu 2
\fBbusy\fR: a single\-queue device takes one attacher; the holder is named
(EBUSY: exit 6). \fBqueues\fR: a multi\-queue device takes at most 256
(E2BIG: exit 6).
.IP \(bu 2
\fBflags\fR: not an error: the attacher's \fB\-\-pi\fR and
\fB\-\-vnet\-hdr\fR replace the device's; the line says which would change.
.PP
\fB\-\-try\fR then really attaches as the user, in a child process, and
detaches at once (with the device's own pi and vnet_hdr, so nothing is
rewritten). On an up link the carrier flickers on and off, which link
listeners see. When the try disagrees with the checks, the try wins and the
line says so. Exit status: 0 when the attach would succeed, else 3, 4, 5 or
6 as above. With \fB\-\-json\fR the checks are printed as a JSON array of
{"check", "ok", "detail", "fix"}. Checking another user needs root (doctor
switches to that user); a user may check itself without.
"#;

const MONITOR: &str = r#"Follows tun/tap interfaces and prints one line per event:
\fBcreated\fR, \fBdeleted\fR, \fBup\fR, \fBdown\fR, \fBattached\fR (the
carrier came on: a process attached to an up link), \fBdetached\fR (the
carrier went off), \fBrenamed\fR, \fBmtu\fR, \fBmac\fR, \fBmaster\fR,
\fBaddress\-added\fR and \fBaddress\-removed\fR, as
\fBHH:MM:SS.mmm NAME EVENT DETAIL\fR (local time), or with \fB\-\-json\fR
one object per line with "time" (RFC 3339), "event", "name", "ifindex" and
the event's own keys (mode, old_name, mtu and old_mtu, mac and old_mac,
master, family, address, prefix_len).
.PP
It uses one rtnetlink subscription (links, IPv4 and IPv6 addresses) and
reads the kind of every link from the message itself, so only tun/tap
interfaces are reported, also in the message that deletes them. PATTERNs
(names or shell globs such as \(aqtap\-vm*\(aq) select interfaces; a rename
matches by its old or new name. The state before monitor starts is read
but not replayed. \fB\-\-count N\fR exits after N events; SIGINT and SIGTERM
end it with exit status 0.
.PP
If events arrive faster than monitor reads them, the kernel drops them and
says so (ENOBUFS). monitor then prints "events were lost" on stderr, reads
the whole state again and reports what changed meanwhile as events.
.PP
What the kernel does not announce, and monitor therefore cannot report:
a change of owner or group (TUNSETOWNER, TUNSETGROUP), of the alias, and an
attach or detach while the link is down (the carrier is not announced on a
down link: a link brought up with a process already attached reports
\fBup\fR, then \fBattached\fR). Going down reports only \fBdown\fR: the
process stays attached. Deleting an up link reports \fBdown\fR, then
\fBdeleted\fR.
"#;

#[cfg(test)]
mod tests {
    /// Every page has a DESCRIPTION of its own (a page added to the command
    /// line without one here would have an empty section).
    #[test]
    fn every_page_has_a_description() {
        let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let name = sub.get_name();
            assert!(
                super::description(Some(name)).len() > 100,
                "{name} has no DESCRIPTION in src/docs/pages.rs"
            );
        }
    }
}
