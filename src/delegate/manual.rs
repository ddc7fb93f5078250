//! The DESCRIPTION sections of tuntapctl-serve(8) and
//! tuntapctl-bridge-helper(8) (roff), used by docs.rs.

pub const SERVE: &str = r#"Lets users who are not root make, change and delete their own tun/tap
interfaces, as a policy file allows, without a setuid binary. \fBserve\fR runs
as root and listens on a Unix socket, \fB/run/tuntapctl/tuntapctl.sock\fR
(mode 0666: the policy decides), or \fB\-\-socket PATH\fR, or the socket
systemd passes (LISTEN_FDS, LISTEN_PID; see \fBtuntapctl.socket\fR). The
caller is known from the kernel only (SO_PEERCRED and SO_PEERGROUPS), never
from what the request says.
.PP
When a user runs \fBtuntapctl add\fR, \fBset\fR or \fBdel\fR without
CAP_NET_ADMIN and the socket exists ($TUNTAPCTL_SOCKET or \fB\-\-socket\fR
name another), the command goes to the service, which parses it with the
same command line, checks it against the policy and runs the same code as
for root: the output, \fB\-\-json\fR and exit statuses are the same. The
owner is always the caller (\fB\-\-user\fR naming anyone else: exit 5); a
\fB\-\-group\fR must be one the caller is in; \fBset\fR and \fBdel\fR only
touch taps the caller owns whose names fit its rule; a rename must stay in
the rule's names; \fB\-\-netns\fR and \fB\-\-move\-to\fR are refused (exit
5). A refusal says which rule refused (or that none matched) and what the
admin would change. The name is checked (at most 15 bytes, no '/', ':',
whitespace, control, invisible or bidi characters) before the policy.
.SS "The policy"
\fB/etc/tuntapctl/delegate.toml\fR (or \fB\-\-policy FILE\fR). It and every
directory above it must be owned by root and not group\- or world\-writable
(as sshd's StrictModes: never under /tmp), else \fBserve\fR and
\fB\-\-check\fR exit 5 naming the path. Unknown keys and bad values are
errors naming the file, the line and what is wrong (exit 2).
.PP
.nf
[[allow]]
group = "kvm"                 # or: user = "alice"; user = "*" is anyone
names = "vm\-{user}\-*"         # required; {user}: the caller's name,
                              # *: one or more characters (at most one *)
max = 8                       # taps the caller may own under it (default 1)
modes = ["tap"]               # default ["tap"]
masters = ["br0"]             # bridges it may attach to (default none)
addresses = false             # may it assign addresses (default false)
multi_queue = true            # default false
mtu = [576, 9000]             # allowed range (default: the kernel's)

[[deny]]
user = "guest"                # with names = "...", only those names
.fi
.PP
A deny rule that covers the caller (and the name, if it has \fBnames\fR)
wins over every allow rule; otherwise the first allow rule whose user or
group covers the caller and whose names fit the name decides. No rule:
refused. A caller's groups are its primary group and the supplementary
groups the kernel reports for the socket (SO_PEERGROUPS). A kernel that
does not report them (before 4.13; serve says so at start) has allow rules
for groups match only the primary group; an allow rule for a group that the
primary group does not settle, and that would otherwise decide, refuses
with itself named (a later rule never stands in for it); and a policy with
a deny rule for a group refuses every request, since that rule could be
passed over. Counts come from the kernel: the taps owned by the caller whose
names fit the rule, so a restart loses nothing. Counting and creating are
done under one lock per rule, so racing adds end at exactly \fBmax\fR.
.SS "Bounds"
One request per connection, at most 64 KiB, sent within 3 seconds; each
caller uid is served on at most 4 connections at once and all callers on
128 (counted after accept: more are answered at once with exit 6 and
\fB"retry": true\fR, which the tuntapctl client retries for up to 10
seconds), so one user's flood never delays another user's request.
Each request is logged on one line on stderr (the journal under systemd):
.PP
.nf
tuntapctl serve: uid=1000 pid=4242 command=add names=vm\-alice\-0 verdict=done rule="allow rule 1 (line 2)"
.fi
.SS "Wire format (version 1)"
The client connects, writes one JSON object and shuts down its write side;
the service answers with one JSON object and closes.
.PP
.nf
{"version": 1, "command": "add" | "set" | "del",
 "args": ["vm\-alice\-0", "\-\-mtu", "1400", ...]}
{"version": 1, "command": "bridge\-tap", "bridge": "br0", "vnet_hdr": true}
.fi
.PP
\fBargs\fR are the command's arguments as on the command line (global
options such as \fB\-\-json\fR and \fB\-\-quiet\fR included). Unknown keys,
another version, or more than 64 KiB: exit 2. The answer:
.PP
.nf
{"version": 1, "exit": 0, "stdout": [LINE...], "stderr": [LINE...],
 "name": "vm\-alice\-0", "retry": true, "error": {ERROR OBJECT}}
.fi
.PP
\fBexit\fR, \fBstdout\fR and \fBstderr\fR are what root's command would have
given; \fBerror\fR is the JSON error object of a failure; \fBname\fR comes
with \fBbridge\-tap\fR, whose answer carries the tap's fd (SCM_RIGHTS).
.PP
\fB\-\-check\fR checks the policy file and exits: 0, 2 (with file, line and
what is wrong) or 5 (ownership). The service never opens a path a caller
names, never says whether a file exists, and never moves a device into a
namespace.
"#;

pub const BRIDGE_HELPER: &str = r#"qemu's bridge helper, without setuid. qemu runs it as the user for
\fB\-netdev bridge,br=BR,helper=/usr/lib/tuntapctl/qemu\-bridge\-helper\fR
(a symlink to tuntapctl that behaves as \fBtuntapctl bridge\-helper\fR) with
\fB\-\-use\-vnet \-\-fd=N \-\-br=BR\fR. It asks the tuntapctl service (at
$TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock; see
\fBtuntapctl\-serve\fR(8)) for a tap: not persistent, owned by the caller,
with vnet_hdr when \fB\-\-use\-vnet\fR is given, on bridge BR with the
bridge's MTU, up. The service passes the tap's fd back, and the helper sends
it to qemu over fd N (SCM_RIGHTS), as qemu\-bridge\-helper does. The tap lives
as long as qemu holds it.
.PP
The policy applies: the first allow rule for the caller that takes taps and
lists BR in its \fBmasters\fR; the tap's name is its \fBnames\fR with * as
the kernel's %d (vm\-{user}\-* gives vm\-alice\-0, vm\-alice\-1, ...), and such
taps count towards its \fBmax\fR. A refusal is printed on stderr and the
helper exits non\-zero; qemu then stops with that message.
"#;
