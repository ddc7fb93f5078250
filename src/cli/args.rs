//! The subcommands' arguments, as clap derives them. What they mean is
//! checked in `convert`, once, into validated requests.

use clap::{Args, ValueEnum};

use crate::request::Shell;
use crate::validate::Mode;
use crate::validate::around::AddrGenMode;

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The file to apply: what `tuntapctl list --json` prints, or TOML with
    /// [[interface]] tables; - for stdin
    #[arg(value_name = "FILE|-")]
    pub file: String,
    /// Print the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Also delete tun/tap interfaces that the file does not list
    #[arg(long)]
    pub prune: bool,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The file of commands, one per line, or - for stdin
    #[arg(value_name = "FILE|-")]
    pub file: String,
    /// Go on after a line that fails when it runs; exit non-zero at the end
    /// with a summary. Every line is parsed first: one that does not parse
    /// (or names an unknown user or group) stops the batch before any line
    /// runs, even with --force
    #[arg(long)]
    pub force: bool,
    /// Parse and check every line (syntax, names, users, groups) and list
    /// the commands that would run; change nothing. Lines are not checked
    /// against the interfaces there are: a line may need the lines before it
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    Tun,
    Tap,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Tun => Mode::Tun,
            ModeArg::Tap => Mode::Tap,
        }
    }
}

#[derive(Debug, Args, Default)]
pub struct AddArgs {
    /// Interface name, or a template with one %d that the kernel fills
    /// [default: tap%d or tun%d by mode]
    pub name: Option<String>,
    /// tun (layer 3, IP packets) or tap (layer 2, Ethernet frames) [default:
    /// tun if NAME starts with "tun", else tap]
    #[arg(short, long, value_enum, conflicts_with_all = ["tun", "tap"])]
    pub mode: Option<ModeArg>,
    /// Same as --mode tun
    #[arg(long, conflicts_with = "tap")]
    pub tun: bool,
    /// Same as --mode tap
    #[arg(long)]
    pub tap: bool,
    /// Owner: the user (name or uid) allowed to attach
    #[arg(short, long, value_name = "USER", allow_hyphen_values = true, value_hint = clap::ValueHint::Username)]
    pub user: Option<String>,
    /// Group (name or gid) whose members may attach
    #[arg(short, long, value_name = "GROUP", allow_hyphen_values = true)]
    pub group: Option<String>,
    /// Keep the 4-byte packet information header (default: IFF_NO_PI)
    #[arg(long)]
    pub pi: bool,
    /// Enable the virtio-net header (IFF_VNET_HDR)
    #[arg(long)]
    pub vnet_hdr: bool,
    /// Create a multi-queue device (IFF_MULTI_QUEUE)
    #[arg(long)]
    pub multi_queue: bool,
    /// MAC address (tap only), or "random" for a locally administered one
    #[arg(long, value_name = "MAC|random")]
    pub mac: Option<String>,
    /// MTU in bytes
    #[arg(long, value_name = "N")]
    pub mtu: Option<String>,
    /// Transmit queue length in packets
    #[arg(long, value_name = "N")]
    pub txqueuelen: Option<String>,
    /// Add an address, ADDR/PREFIX (IPv4 or IPv6); a bare ADDR is a host
    /// address. Repeatable.
    #[arg(short, long = "address", value_name = "ADDR/PREFIX")]
    pub addresses: Vec<String>,
    /// Make the first address point-to-point with this peer
    #[arg(long, value_name = "ADDR", requires = "addresses")]
    pub peer: Option<String>,
    /// Bring the link up after configuring it
    #[arg(long)]
    pub up: bool,
    /// Make it a port of this bridge (or bond, vrf), which must exist
    #[arg(long, value_name = "DEV")]
    pub master: Option<String>,
    /// A label for the interface (IFLA_IFALIAS), e.g. "vm1 eth0"
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub alias: Option<String>,
    /// How the kernel makes the IPv6 link-local address; none = no
    /// link-local address (usual for bridge ports). Set before the link
    /// can get a carrier
    #[arg(long, value_enum, value_name = "MODE")]
    pub addrgenmode: Option<AddrGenMode>,
    /// If NAME exists as a tun/tap of the same mode, bring it to the
    /// requested state instead of failing
    #[arg(long)]
    pub exist_ok: bool,
    /// Check everything and print what would be done, changing nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print only the interface name
    #[arg(short, long)]
    pub brief: bool,
}

#[derive(Debug, Args)]
pub struct DelArgs {
    /// Interfaces to delete, by name or shell pattern such as tap-vm* (quote it)
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Succeed when an interface does not exist
    #[arg(long)]
    pub missing_ok: bool,
    /// Delete even while processes are attached (they get EBADFD)
    #[arg(long)]
    pub force: bool,
    /// Check everything and print what would be deleted, deleting nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Interfaces to change (several get the same settings; every name is checked first)
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// New owner (name or uid); an owner can be changed but never cleared
    #[arg(short, long, value_name = "USER", allow_hyphen_values = true, value_hint = clap::ValueHint::Username)]
    pub user: Option<String>,
    /// New group (name or gid); a group can be changed but never cleared
    #[arg(short, long, value_name = "GROUP", allow_hyphen_values = true)]
    pub group: Option<String>,
    /// MAC address (tap only), or "random"
    #[arg(long, value_name = "MAC|random")]
    pub mac: Option<String>,
    /// MTU in bytes
    #[arg(long, value_name = "N")]
    pub mtu: Option<String>,
    /// Transmit queue length in packets
    #[arg(long, value_name = "N")]
    pub txqueuelen: Option<String>,
    /// Bring the link up
    #[arg(long, conflicts_with = "down")]
    pub up: bool,
    /// Bring the link down
    #[arg(long)]
    pub down: bool,
    /// Add an address, ADDR/PREFIX. Repeatable.
    #[arg(short, long = "address", value_name = "ADDR/PREFIX")]
    pub addresses: Vec<String>,
    /// Remove an address: ADDR whatever its prefix, or exactly ADDR/PREFIX.
    /// Repeatable.
    #[arg(long = "del-address", value_name = "ADDR[/PREFIX]")]
    pub del_addresses: Vec<String>,
    /// Remove every address except the kernel's own IPv6 link-local ones
    #[arg(long)]
    pub flush_addresses: bool,
    /// Carrier on or off (on needs a process attached)
    #[arg(long, value_name = "on|off", value_parser = ["on", "off"])]
    pub carrier: Option<String>,
    /// Make it a port of this bridge (or bond, vrf), which must exist
    #[arg(long, value_name = "DEV", conflicts_with = "nomaster")]
    pub master: Option<String>,
    /// Free it from its bridge (or bond, vrf)
    #[arg(long)]
    pub nomaster: bool,
    /// A label for the interface (IFLA_IFALIAS); "" removes it
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub alias: Option<String>,
    /// How the kernel makes the IPv6 link-local address; none also removes
    /// the link-local address it already made
    #[arg(long, value_enum, value_name = "MODE")]
    pub addrgenmode: Option<AddrGenMode>,
    /// Give the interface a new name (same rules as add); works while it is
    /// up and attached
    #[arg(long, value_name = "NEW")]
    pub rename: Option<String>,
    /// Move it to another network namespace: a name under /run/netns, a
    /// path (/proc/PID/ns/net), or a PID. Owner, group, persistence, MAC,
    /// MTU and alias go with it; the kernel drops its addresses and master
    /// and brings it down
    #[arg(
        long,
        value_name = "NS",
        conflicts_with_all = ["up", "down", "addresses", "del_addresses", "flush_addresses", "carrier", "master", "nomaster", "addrgenmode"]
    )]
    pub move_to: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only these interfaces, by name or shell pattern such as tap-vm* (none for all)
    #[arg(value_name = "PATTERN")]
    pub patterns: Vec<String>,
    /// Only interfaces of this mode
    #[arg(short, long, value_enum)]
    pub mode: Option<ModeArg>,
    /// Only interfaces owned by USER (name or uid)
    #[arg(short, long, value_name = "USER", value_hint = clap::ValueHint::Username)]
    pub user: Option<String>,
    /// Only interfaces of GROUP (name or gid)
    #[arg(short, long, value_name = "GROUP")]
    pub group: Option<String>,
    /// Only interfaces that are up
    #[arg(long, conflicts_with = "down")]
    pub up: bool,
    /// Only interfaces that are down
    #[arg(long)]
    pub down: bool,
    /// Add the traffic counters: rx/tx packets, bytes, errors, dropped
    #[arg(long)]
    pub stats: bool,
    /// Only the ports of this bridge (or bond, vrf)
    #[arg(long, value_name = "DEV")]
    pub master: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Interfaces to show, by name or shell pattern such as tap-vm* (none for all)
    #[arg(value_name = "PATTERN")]
    pub names: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TunctlArgs {
    /// tunctl's arguments, handed over as they are (see DESCRIPTION)
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 0..,
        value_name = "TUNCTL-ARGS"
    )]
    pub args: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The interface a process wants to attach to
    pub name: String,
    /// The user (name or uid) the attaching process runs as
    #[arg(short, long, value_name = "USER", allow_hyphen_values = true, value_hint = clap::ValueHint::Username)]
    pub user: String,
    /// A group (name or gid) the process has; repeatable. Default: the
    /// user's groups from the group database
    #[arg(
        short,
        long = "group",
        value_name = "GROUP",
        allow_hyphen_values = true
    )]
    pub groups: Vec<String>,
    /// The attacher asks for a tun (IFF_TUN) [default: the device's mode]
    #[arg(long, conflicts_with = "tap")]
    pub tun: bool,
    /// The attacher asks for a tap (IFF_TAP)
    #[arg(long)]
    pub tap: bool,
    /// The attacher keeps the packet information header (no IFF_NO_PI)
    #[arg(long)]
    pub pi: bool,
    /// The attacher asks for the virtio-net header (IFF_VNET_HDR)
    #[arg(long)]
    pub vnet_hdr: bool,
    /// The attacher asks for a queue of a multi-queue device (IFF_MULTI_QUEUE)
    #[arg(long)]
    pub multi_queue: bool,
    /// Really attach as the user in a child process, then detach (the
    /// carrier flickers on and off)
    #[arg(long = "try")]
    pub try_attach: bool,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// Only interfaces with these names or shell globs ('tap-vm*')
    #[arg(value_name = "PATTERN")]
    pub patterns: Vec<String>,
    /// Exit after N events
    #[arg(short = 'c', long, value_name = "N")]
    pub count: Option<u64>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for
    #[arg(value_enum)]
    pub shell: Shell,
}
