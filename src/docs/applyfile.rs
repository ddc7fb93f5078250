//! The reference of an apply file for tuntapctl-apply(8): every field with
//! its type, and a full sample in JSON and in TOML. The samples are tested
//! (tests/apply_files.rs applies both), so the page cannot drift from what
//! apply reads.

/// A file with every field apply reads, in JSON.
pub const SAMPLE_JSON: &str = r#"[
  {
    "name": "tap-vm1",
    "mode": "tap",
    "owner": "nobody",
    "group": "nogroup",
    "flags": {"pi": false, "vnet_hdr": true, "multi_queue": false, "persist": true},
    "mac": "52:54:00:12:34:56",
    "mtu": 9000,
    "txqueuelen": 1000,
    "up": true,
    "addresses": ["192.0.2.1/30", {"address": "2001:db8::1", "prefix_len": 64}],
    "master": "br0",
    "alias": "vm1 eth0",
    "addrgenmode": "none"
  },
  {
    "name": "tun-vpn0",
    "mode": "tun",
    "owner": {"uid": 65534, "name": "nobody"},
    "addresses": [{"address": "10.8.0.1", "prefix_len": 24, "peer": "10.8.0.2"}]
  }
]
"#;

/// The same file in TOML.
pub const SAMPLE_TOML: &str = r#"[[interface]]
name = "tap-vm1"
mode = "tap"
owner = "nobody"
group = "nogroup"
flags = { pi = false, vnet_hdr = true, multi_queue = false, persist = true }
mac = "52:54:00:12:34:56"
mtu = 9000
txqueuelen = 1000
up = true
addresses = ["192.0.2.1/30", { address = "2001:db8::1", prefix_len = 64 }]
master = "br0"
alias = "vm1 eth0"
addrgenmode = "none"

[[interface]]
name = "tun-vpn0"
mode = "tun"
owner = { uid = 65534, name = "nobody" }
addresses = [{ address = "10.8.0.1", prefix_len = 24, peer = "10.8.0.2" }]
"#;

/// The fields, one .TP paragraph each (roff).
const FIELDS: &str = r#".SH FILE FORMAT
A JSON array of objects (one object alone is read as a list of one), or
TOML with one \fB[[interface]]\fR table per interface; nothing else may be
at the top level. Every field but \fBname\fR is optional: an absent field
(or null) leaves the device as it is, and a new device gets the kernel's
default.
.TP
\fBname\fR (string, required)
The interface name, 1 to 15 bytes, no \fB/\fR, \fB:\fR or white space.
.TP
\fBmode\fR ("tun" or "tap")
Default: "tun" for a name starting with tun, else "tap". It cannot change
in place.
.TP
\fBowner\fR, \fBgroup\fR (string, integer or object)
A user (group) name, a numeric uid (gid), or an object
{"uid": N, "name": "..."} ({"gid": N, ...}) as list \-\-json prints; the
number wins when both are given.
.TP
\fBflags\fR (object of booleans)
\fBpi\fR, \fBvnet_hdr\fR, \fBmulti_queue\fR (cannot change in place), and
\fBpersist\fR (true only). An absent flag accepts what an existing device
has and means off for a new one.
.TP
\fBmac\fR (string)
A unicast MAC, six colon\-separated hex bytes; tap only.
.TP
\fBmtu\fR, \fBtxqueuelen\fR (integer)
MTU 68 to 65535 for a tun, to 65521 for a tap; queue length 0 to 2^32\-1.
.TP
\fBup\fR (boolean)
Administrative state.
.TP
\fBaddresses\fR (array of strings or objects)
The whole set of addresses: "ADDR/PREFIX", or {"address", "prefix_len",
"peer"} (peer: a point\-to\-point peer). Addresses not listed are removed,
except the IPv6 link\-local ones the kernel makes; an absent field leaves
the addresses alone, [] removes them all.
.TP
\fBmaster\fR (string)
The bridge (bond, vrf) the device is a port of; "" frees the port. A
master that does not exist stops the whole file (exit 3).
.TP
\fBalias\fR (string)
At most 255 bytes, no NUL; "" removes it.
.TP
\fBaddrgenmode\fR (string)
IPv6 address generation: "eui64", "none", "stable_secret" or "random".
.TP
read\-only fields
\fBifindex\fR, \fBprocesses\fR, \fBcarrier\fR, \fBoperstate\fR,
\fBqueues\fR, \fBchanged\fR and \fBstats\fR, as list \-\-json prints them,
are ignored. Any other field is an error naming it.
.PP
A full file in JSON:
"#;

/// The FILE FORMAT section of tuntapctl-apply(8).
pub fn roff() -> String {
    let mut out = String::from(FIELDS);
    out += &literal(SAMPLE_JSON);
    out += ".PP\nThe same file in TOML:\n";
    out += &literal(SAMPLE_TOML);
    out
}

fn literal(text: &str) -> String {
    let mut out = String::from(".PP\n.nf\n.RS 4\n");
    for line in text.lines() {
        let s = line.replace('\\', "\\e").replace('-', "\\-");
        if s.starts_with('.') || s.starts_with('\'') {
            out += "\\&";
        }
        out += &s;
        out += "\n";
    }
    out += ".RE\n.fi\n";
    out
}
