//! Generated documentation: man pages (clap_mangen plus hand-written roff
//! sections) and shell completion scripts (clap_complete plus small
//! additions that complete interface names, users and groups).
//!
//! The output is checked in under man/ and completions/; tests/golden.rs
//! fails when it is stale (`UPDATE_GOLDEN=1 cargo test --test golden`
//! rewrites it). Nothing here touches the kernel or the file system.

use clap::Command;
use clap_mangen::Man;

use crate::cli;
use crate::request::Shell;

/// Every shell we ship a script for, with the file name under completions/.
pub const COMPLETION_FILES: [(Shell, &str); 5] = [
    (Shell::Bash, "tuntapctl.bash"),
    (Shell::Zsh, "_tuntapctl"),
    (Shell::Fish, "tuntapctl.fish"),
    (Shell::Elvish, "tuntapctl.elv"),
    (Shell::Powershell, "_tuntapctl.ps1"),
];

/// Subcommands whose positional NAME arguments are existing interfaces.
const NAME_SUBCOMMANDS: [&str; 4] = ["del", "set", "show", "list"];

/// Every generated file: (path relative to the crate root, contents).
pub fn generated_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = man_pages()
        .into_iter()
        .map(|(name, text)| (format!("man/{name}"), text))
        .collect();
    for (shell, file) in COMPLETION_FILES {
        files.push((format!("completions/{file}"), completion(shell)));
    }
    files
}

// ---------------------------------------------------------------- man pages

/// The date in the pages' title line; bump it with notable changes.
const DATE: &str = "2026-11-21";

const SEE_ALSO_EXTERNAL: &str = ".BR ip\\-tuntap (8),\n.BR ip\\-link (8),\n.BR tunctl (8)";

/// The man pages: (file name, roff text), `tuntapctl.8` first.
pub fn man_pages() -> Vec<(String, String)> {
    let mut cmd = cli::command().disable_help_subcommand(true);
    cmd.build();
    let subs: Vec<Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    let sub_names: Vec<String> = subs.iter().map(|s| s.get_name().to_string()).collect();
    let mut pages = vec![(
        "tuntapctl.8".to_string(),
        man_page(cmd.clone(), None, &sub_names),
    )];
    for sub in subs {
        let name = sub.get_name().to_string();
        pages.push((
            format!("tuntapctl-{name}.8"),
            man_page(sub, Some(&name), &sub_names),
        ));
    }
    pages
}

fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut buf = Vec::new();
    f(&mut buf).expect("rendering into memory cannot fail");
    let text = String::from_utf8(buf).expect("clap_mangen writes UTF-8");
    // Every render_* call starts with roff's apostrophe preamble; the page
    // needs it once, at the top.
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with(".ie \\n(.g .ds Aq") && !l.starts_with(".el .ds Aq"))
        .map(|l| format!("{l}\n"))
        .collect();
    // clap_mangen separates "Possible values:" with `.br`, a blank line and
    // `.br`, which mandoc -T lint warns about; one `.sp` says the same.
    text.replace(".br\n\n.br\n", ".sp\n")
}

fn man_page(cmd: Command, sub: Option<&str>, all_subs: &[String]) -> String {
    let title = match sub {
        Some(s) => format!("TUNTAPCTL-{}", s.to_uppercase()),
        None => "TUNTAPCTL".to_string(),
    };
    let has_args = cmd.get_arguments().any(|a| !a.is_hide_set());
    let has_subs = cmd.get_subcommands().any(|s| !s.is_hide_set());
    let examples = cmd.get_after_help().map(|h| h.to_string());
    let has_version = cmd.get_version().is_some();
    // The same synopsis as the usage line of --help (src/synopsis.rs):
    // option values shown, global options apart from the command's own.
    let synopsis = match sub {
        Some(_) => crate::synopsis::of_subcommand(&cmd),
        None => crate::synopsis::of_program(&cmd),
    };
    let man = Man::new(cmd)
        .title(title)
        .section("8")
        .date(DATE)
        .source(format!("tuntapctl {}", env!("CARGO_PKG_VERSION")))
        .manual("System Administration");

    let mut out = String::from(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n");
    out += &render(|w| man.render_title(w));
    out += &render(|w| man.render_name_section(w));
    out += ".SH SYNOPSIS\n.na\n";
    out += &crate::synopsis::roff(&synopsis);
    out += "\n.ad\n";
    if sub.is_some() {
        out += ".PP\nGLOBAL OPTIONS are listed below and in \\fBtuntapctl\\fR(8).\n";
    }
    // NAME already carries the one-line summary: DESCRIPTION does not
    // repeat it.
    out += ".SH DESCRIPTION\n";
    out += description(sub);
    if has_args {
        out += &render(|w| man.render_options_section(w));
    }
    if has_subs {
        out += &render(|w| man.render_subcommands_section(w));
    }
    out += ".SH EXAMPLES\n";
    if let Some(ex) = examples {
        out += &examples_roff(&ex);
    }
    if matches!(sub, None | Some("add")) {
        out += INIT_SCRIPT_EXAMPLE;
    }
    out += EXIT_STATUS;
    out += FILES;
    out += NOTES;
    out += ".SH SEE ALSO\n";
    match sub {
        None => {
            for s in all_subs {
                out += &format!(".BR tuntapctl\\-{} (8),\n", s.replace('-', "\\-"));
            }
        }
        Some(_) => out += ".BR tuntapctl (8),\n",
    }
    out += SEE_ALSO_EXTERNAL;
    out += "\n";
    if has_version {
        out += &render(|w| man.render_version_section(w));
    }
    out
}

/// Escape plain text for a roff text line.
fn roff_escape(line: &str) -> String {
    let s = line.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') {
        format!("\\&{s}")
    } else {
        s
    }
}

/// The clap `after_help` examples (shared with `--help`) as a literal block.
fn examples_roff(after_help: &str) -> String {
    let mut out = String::from(".nf\n.RS 4\n");
    for line in after_help.lines() {
        if line.trim_end() == "Examples:" {
            continue;
        }
        let line = line.strip_prefix("  ").unwrap_or(line);
        out += &roff_escape(line);
        out += "\n";
    }
    out += ".RE\n.fi\n";
    out
}

const INIT_SCRIPT_EXAMPLE: &str = r#".PP
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

const EXIT_STATUS: &str = r#".SH EXIT STATUS
.TP
.B 0
Success (also an unchanged interface with \fB\-\-exist\-ok\fR and a missing one
with \fB\-\-missing\-ok\fR).
.TP
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

const FILES: &str = r#".SH FILES
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

const NOTES: &str = r#".SH NOTES
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

fn description(sub: Option<&str>) -> &'static str {
    match sub {
        None => {
            r#"A tun interface carries IP packets (layer 3), a tap interface Ethernet
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
"#
        }
        Some("add") => {
            r#"Creates a persistent tun or tap interface NAME. NAME may contain one
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
"#
        }
        Some("del") => {
            r#"Deletes persistent tun/tap interfaces. Every NAME is looked up over
netlink before anything is deleted: if one is missing (without
\fB\-\-missing\-ok\fR), is not a tun/tap, or is held by a process (without
\fB\-\-force\fR), nothing is deleted and the error names it, and for a held
interface the processes holding it.
"#
        }
        Some("set") => {
            r#"Changes an existing tun/tap interface: its owner and group, MAC address,
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
attached (the processes keep working).
.PP
\fB\-\-move\-to NS\fR moves the interface to another network namespace (a
name under /run/netns, a path such as /proc/PID/ns/net, or a PID). Its
owner, group, persistence, MAC, MTU and alias go with it; the kernel drops
its addresses and its master and brings it down there, and the output says
which addresses and master were dropped. It may be combined with
\fB\-\-rename\fR (a name taken in the target namespace is exit 4) and with
the owner, group, MAC, MTU, txqueuelen and alias options, which are applied
first; configure the rest with \fBtuntapctl \-\-netns NS set\fR afterwards.
"#
        }
        Some("list") => {
            r#"Lists the tun/tap interfaces in the network namespace as a table, or as
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
MAC, ADDRESSES, the drop and packet counters (a narrow one comes back when
there is room), and names them under the table; \fBtuntapctl show\fR
prints every field. Piped or redirected, the
table is one line per interface with every column, for grep and awk.
.PP
A MASTER column appears when any listed interface is a port of a bridge
(bond, vrf). \fB\-\-stats\fR adds the traffic counters (rx and tx packets,
bytes, errors and dropped, from IFLA_STATS64) to the table, and a "stats"
object to each JSON object.
"#
        }
        Some("show") => {
            r#"Shows tun/tap interfaces in full: mode, owner and group, flags, MAC address,
MTU, transmit queue length, state, attached queues, master, alias, IPv6
address generation mode, addresses, traffic counters (rx and tx packets,
bytes, errors, dropped) and the processes holding the interface. Without PATTERN, every tun/tap in the
network namespace. Each PATTERN is a name or a quoted shell pattern as for
\fBtuntapctl list\fR (\fB\(aqtap\-vm*\(aq\fR); interfaces are shown in the
order asked, each once. A PATTERN that matches nothing is an error (exit 3)
naming it; a NAME that is not a tun/tap is exit 4.
"#
        }
        Some("apply") => {
            r#"Makes the system match a declared set of interfaces, read from FILE (JSON
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
"#
        }
        Some("batch") => {
            r#"Runs many tuntapctl commands, one per line without the program name, in one
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
"#
        }
        Some("completions") => {
            r#"Prints a completion script for SHELL on standard output. The scripts
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
"#
        }
        Some("tunctl") => {
            r#"The Debian package installs the symlink
.I /usr/lib/tuntapctl/tunctl
(uml\-utilities owns /usr/sbin/tunctl). Scripts that call plain
\fBtunctl\fR use it when /usr/lib/tuntapctl comes first in their PATH, for
example PATH=/usr/lib/tuntapctl:$PATH in the script or in the systemd
unit's Environment=.
"#
        }
        Some("doctor") => {
            r#"Explains whether USER could attach to the tun/tap NAME, and if not, why
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
"#
        }
        Some("monitor") => {
            r#"Follows tun/tap interfaces and prints one line per event:
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
"#
        }
        Some("serve") => crate::delegate::manual::SERVE,
        Some("bridge-helper") => crate::delegate::manual::BRIDGE_HELPER,
        Some(_) => "",
    }
}

// -------------------------------------------------------------- completions

/// The command that completions describe: the real one without hidden
/// subcommands (such as `__complete-names`), which users should not see.
fn completion_command() -> Command {
    let full = cli::command();
    let mut cmd = Command::new("tuntapctl")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true);
    for arg in full.get_arguments() {
        cmd = cmd.arg(arg.clone());
    }
    for sub in full.get_subcommands().filter(|s| !s.is_hide_set()) {
        cmd = cmd.subcommand(sub.clone());
    }
    cmd
}

/// The completion script for `shell`, ending in one newline.
pub fn completion(shell: Shell) -> String {
    use clap_complete::aot::{Shell as S, generate};
    let s = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Elvish => S::Elvish,
        Shell::Powershell => S::PowerShell,
    };
    let mut cmd = completion_command();
    let mut buf = Vec::new();
    generate(s, &mut cmd, "tuntapctl", &mut buf);
    let text = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    let text = match shell {
        Shell::Bash => bash_additions(&text),
        Shell::Zsh => zsh_additions(&text),
        Shell::Fish => fish_additions(&text),
        Shell::Elvish | Shell::Powershell => text,
    };
    format!("{}\n", text.trim_end())
}

/// Every spelling (`-u`, `--user`) of an option that takes a value, in any
/// subcommand or globally, sorted.
fn value_option_spellings() -> Vec<String> {
    let mut cmd = completion_command();
    cmd.build();
    let mut out = Vec::new();
    let mut add = |c: &Command| {
        for a in c.get_arguments() {
            if a.is_positional() || !a.get_num_args().is_some_and(|n| n.takes_values()) {
                continue;
            }
            if let Some(s) = a.get_short() {
                out.push(format!("-{s}"));
            }
            if let Some(l) = a.get_long() {
                out.push(format!("--{l}"));
            }
        }
    };
    add(&cmd);
    for sub in cmd.get_subcommands() {
        add(sub);
    }
    out.sort();
    out.dedup();
    out
}

/// Names and aliases of the subcommands that take existing interface names.
fn name_subcommand_spellings(name: &str) -> Vec<String> {
    let cmd = cli::command();
    let sub = cmd
        .find_subcommand(name)
        .unwrap_or_else(|| panic!("no subcommand {name}"));
    let mut out = vec![sub.get_name().to_string()];
    out.extend(sub.get_all_aliases().map(str::to_string));
    out
}

fn bash_additions(generated: &str) -> String {
    const START: &str = "_tuntapctl() {\n";
    const COMPLETE: &str = "\nif [[ \"${BASH_VERSINFO[0]}\" -eq 4";
    assert!(
        generated.starts_with(START),
        "clap's bash script changed shape"
    );
    let split = generated
        .find(COMPLETE)
        .expect("clap's bash script changed shape");
    let (function, register) = generated.split_at(split);
    let multi: Vec<String> = ["del", "show", "list"]
        .iter()
        .flat_map(|s| name_subcommand_spellings(s))
        .collect();
    let single = name_subcommand_spellings("set");
    let wrapper = BASH_WRAPPER
        .replace("@VALUE_OPTIONS@", &value_option_spellings().join("|"))
        .replace("@MULTI@", &multi.join("|"))
        .replace("@SINGLE@", &single.join("|"));
    format!(
        "_tuntapctl_clap() {{\n{}\n{}{}",
        &function[START.len()..],
        wrapper,
        register
    )
}

const BASH_WRAPPER: &str = r#"# tuntapctl's additions to clap's completion (_tuntapctl_clap): existing
# tun/tap interface names from `tuntapctl __complete-names` (netlink, honours
# --netns) for del/set/show/list, users for --user, groups for --group,
# bridges (bonds, vrfs) for --master, namespaces under /run/netns for --move-to.
#
# Candidates are data, never code: `compgen -W "$(...)"` would expand each
# name again, and a device named `$(id>PWNED)` would run as root on TAB. Each
# line that tuntapctl prints is compared as a plain prefix and quoted with
# %q (tuntapctl prints only plain words anyway).
_tuntapctl_words() {
    local prefix="$1" line quoted
    shift
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line && $line == "$prefix"* ]] || continue
        printf -v quoted '%q' "$line"
        COMPREPLY+=("$quoted")
    done < <(command tuntapctl "$@" 2>/dev/null)
}

_tuntapctl() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" sub="" w i npos=0 inval=0
    local -a ns=()
    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ $prev == "=" && COMP_CWORD -gt 1 ]]; then
        prev="${COMP_WORDS[COMP_CWORD-2]}"
    fi
    [[ $cur == "=" ]] && cur=""
    for (( i = 1; i < COMP_CWORD; i++ )); do
        w="${COMP_WORDS[i]}"
        case "$w" in
            -N|--netns)
                ns=(--netns "${COMP_WORDS[i+1]}")
                (( i + 1 == COMP_CWORD )) && inval=1
                (( i++ ))
                [[ ${COMP_WORDS[i]} == "=" ]] && { ns=(--netns "${COMP_WORDS[i+1]}"); (( i + 1 == COMP_CWORD )) && inval=1; (( i++ )); }
                continue ;;
            --netns=*) ns=("$w"); continue ;;
            @VALUE_OPTIONS@)
                (( i + 1 == COMP_CWORD )) && inval=1
                (( i++ ))
                [[ ${COMP_WORDS[i]} == "=" ]] && { (( i + 1 == COMP_CWORD )) && inval=1; (( i++ )); }
                continue ;;
            -*) continue ;;
        esac
        if [[ -z $sub ]]; then sub="$w"; else (( npos++ )); fi
    done
    if [[ -n $sub ]]; then
        case "$prev" in
            -u|--user) mapfile -t COMPREPLY < <(compgen -u -- "$cur"); return 0 ;;
            -g|--group) mapfile -t COMPREPLY < <(compgen -g -- "$cur"); return 0 ;;
            --master) _tuntapctl_words "$cur" "${ns[@]}" __complete-masters; return 0 ;;
            --move-to) _tuntapctl_words "$cur" __complete-netns; return 0 ;;
        esac
    fi
    if (( ! inval )) && [[ $cur != -* ]]; then
        local names=0
        case "$sub" in
            @MULTI@) names=1 ;;
            @SINGLE@) (( npos == 0 )) && names=1 ;;
        esac
        if (( names )); then
            _tuntapctl_words "$cur" "${ns[@]}" __complete-names
            return 0
        fi
    fi
    _tuntapctl_clap "$@"
}
"#;

fn zsh_additions(generated: &str) -> String {
    let mut cmd = cli::command();
    cmd.build();
    let mut text = generated.to_string();
    for name in NAME_SUBCOMMANDS {
        let sub = cmd.find_subcommand(name).expect("subcommand");
        for arg in sub.get_positionals() {
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            let from = format!(" -- {help}:_default'");
            let to = format!(" -- {help}:_tuntapctl_names'");
            assert!(text.contains(&from), "zsh spec for {name} NAME not found");
            text = text.replace(&from, &to);
        }
    }
    assert!(
        text.contains(":GROUP:_default'"),
        "zsh spec for --group not found"
    );
    text = text.replace(":GROUP:_default'", ":GROUP:_groups'");
    for (value, function) in [
        (":DEV:", "_tuntapctl_masters"),
        (":NS:", "_tuntapctl_netns"),
    ] {
        let from = format!("{value}_default'");
        assert!(text.contains(&from), "zsh spec for {value} not found");
        text = text.replace(&from, &format!("{value}{function}'"));
    }
    const TAIL: &str = "if [ \"$funcstack[1]\" = \"_tuntapctl\" ]; then";
    let at = text.find(TAIL).expect("clap's zsh script changed shape");
    text.insert_str(at, ZSH_NAMES);
    text
}

const ZSH_NAMES: &str = r#"(( $+functions[_tuntapctl_names] )) ||
_tuntapctl_names() {
    # Existing tun/tap interfaces, over netlink (tuntapctl __complete-names).
    local -a names ns
    local i
    for (( i = 1; i < $#words; i++ )); do
        case $words[i] in
            -N|--netns) ns=(--netns $words[i+1]) ;;
            --netns=*) ns=($words[i]) ;;
        esac
    done
    names=(${(f)"$(_call_program interfaces tuntapctl $ns __complete-names 2>/dev/null)"})
    _wanted interfaces expl 'tun/tap interface' compadd -a names
}

(( $+functions[_tuntapctl_masters] )) ||
_tuntapctl_masters() {
    # Bridges, bonds and vrfs, over netlink (tuntapctl __complete-masters).
    local -a names ns
    local i
    for (( i = 1; i < $#words; i++ )); do
        case $words[i] in
            -N|--netns) ns=(--netns $words[i+1]) ;;
            --netns=*) ns=($words[i]) ;;
        esac
    done
    names=(${(f)"$(_call_program masters tuntapctl $ns __complete-masters 2>/dev/null)"})
    _wanted masters expl 'bridge' compadd -a names
}

(( $+functions[_tuntapctl_netns] )) ||
_tuntapctl_netns() {
    # Network namespaces under /run/netns (tuntapctl __complete-netns).
    local -a names
    names=(${(f)"$(_call_program namespaces tuntapctl __complete-netns 2>/dev/null)"})
    _wanted namespaces expl 'network namespace' compadd -a names
}

"#;

fn fish_additions(generated: &str) -> String {
    let mut out = String::new();
    let mut found_group = false;
    for line in generated.lines() {
        out += line;
        if line.contains(" -l group ") && line.ends_with(" -r") {
            out += " -f -a \"(__fish_complete_groups)\"";
            found_group = true;
        }
        out += "\n";
    }
    assert!(found_group, "fish --group lines not found");
    let mut out = out
        .lines()
        .map(|line| {
            let extra = if line.contains(" -l master ") && line.ends_with(" -r") {
                " -f -a \"(tuntapctl __complete-masters 2>/dev/null)\""
            } else if line.contains(" -l move-to ") && line.ends_with(" -r") {
                " -f -a \"(tuntapctl __complete-netns 2>/dev/null)\""
            } else {
                ""
            };
            format!("{line}{extra}\n")
        })
        .collect::<String>();
    let multi: Vec<String> = ["del", "show", "list"]
        .iter()
        .flat_map(|s| name_subcommand_spellings(s))
        .collect();
    out += "\n# Existing tun/tap interfaces, over netlink (tuntapctl __complete-names).\n";
    out += &format!(
        "complete -c tuntapctl -n \"__fish_tuntapctl_using_subcommand {}\" -f -a \"(tuntapctl __complete-names 2>/dev/null)\" -d 'tun/tap interface'\n",
        multi.join(" ")
    );
    out += &format!(
        "complete -c tuntapctl -n \"__fish_tuntapctl_using_subcommand {}; and __fish_tuntapctl_set_needs_name\" -f -a \"(tuntapctl __complete-names 2>/dev/null)\" -d 'tun/tap interface'\n",
        name_subcommand_spellings("set").join(" ")
    );
    out += &FISH_SET_NEEDS_NAME.replace("@SET_OPTSPEC@", &fish_optspec("set"));
    out
}

/// An argparse option spec for subcommand `name` (with the global options).
fn fish_optspec(name: &str) -> String {
    let mut cmd = completion_command();
    cmd.build();
    let sub = cmd.find_subcommand(name).expect("subcommand");
    let mut specs = Vec::new();
    for a in sub.get_arguments().filter(|a| !a.is_positional()) {
        let mut spec = match (a.get_short(), a.get_long()) {
            (Some(s), Some(l)) => format!("{s}/{l}"),
            (Some(s), None) => s.to_string(),
            (None, Some(l)) => l.to_string(),
            (None, None) => continue,
        };
        if a.get_num_args().is_some_and(|n| n.takes_values()) {
            spec.push('=');
        }
        specs.push(spec);
    }
    specs.join(" ")
}

const FISH_SET_NEEDS_NAME: &str = r#"
function __fish_tuntapctl_set_needs_name
    # True while `set` has no interface name yet (words that are not options).
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tuntapctl_global_optspecs) -- $cmd 2>/dev/null
    or return 1
    set -e argv[1]
    argparse @SET_OPTSPEC@ -- $argv 2>/dev/null
    or return 1
    test (count $argv) -eq 0
end
"#;
