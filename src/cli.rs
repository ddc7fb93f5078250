//! The command line (clap derive) and its translation into validated
//! requests. Nothing here touches the kernel.

use clap::{Args, Parser, Subcommand, ValueEnum};

pub mod fast;
pub mod serve;

use crate::around::{self, AddrGenMode, AroundRequest, MasterSpec};
use crate::error::{Error, Result};
use crate::glob::Pattern;
use crate::request::{
    AddRequest, ApplyRequest, BatchRequest, Command, DelRequest, Filter, ListRequest, SetRequest,
    Shell, ShowRequest,
};
use crate::validate::{
    AddrSelector, IdSpec, IfAddr, IfName, MacSpec, Mode, parse_mtu, parse_txqueuelen,
};

const MAIN_EXAMPLES: &str = "\
Examples:
  tuntapctl add tap44 --user waldner          a tap that user waldner may attach to
  tuntapctl add tun0 --user openvpn -a 10.8.0.1/24 --up
  IF=$(tuntapctl add -b --user qemu)          let the kernel pick tapN, print it
  tuntapctl list                              all tun/tap interfaces as a table
  tuntapctl del tap44                         delete it (refused while a process holds it)";

const ADD_EXAMPLES: &str = "\
Examples:
  tuntapctl add tap44 --user waldner
  tuntapctl add tun0 --tun --user openvpn -a 10.8.0.1/24 --up
  tuntapctl add vm%d --user qemu --group kvm --mac random --vnet-hdr -b
  tuntapctl add tap-vm1 --user qemu --master br0 --addrgenmode none --alias \"vm1 eth0\" --up
  tuntapctl add tap44 --user waldner --exist-ok   # idempotent, for boot scripts";

const DEL_EXAMPLES: &str = "\
Examples:
  tuntapctl del tap44
  tuntapctl del tap1 tap2 tap3 --missing-ok       # idempotent, for shutdown scripts";

const SET_EXAMPLES: &str = "\
Examples:
  tuntapctl set tap44 --user alice --group kvm
  tuntapctl set tap44 --mtu 9000 -a 192.0.2.1/24 --up
  tuntapctl set tap44 --master br0 --alias \"vm1 eth0\"   # a bridge port, labelled
  tuntapctl set tap44 --nomaster --alias ''          # free it, drop the label
  tuntapctl set tap44 --rename tap-vm1
  tuntapctl set tap44 --move-to blue                 # into /run/netns/blue";

const LIST_EXAMPLES: &str = "\
Examples:
  tuntapctl list
  tuntapctl list 'tap-vm*' tun0                 names or shell patterns (quote them)
  tuntapctl list --mode tap --user qemu --json
  tuntapctl list --stats                        with rx/tx packets, bytes, errors, dropped";

const SHOW_EXAMPLES: &str = "\
Examples:
  tuntapctl show                                 every tun/tap
  tuntapctl show tap44
  tuntapctl show 'tap-vm*' tun0 --json";

const APPLY_EXAMPLES: &str = "\
Examples:
  tuntapctl list --json > /etc/tuntapctl/saved.json    # save the current set
  tuntapctl apply /etc/tuntapctl/saved.json            # restore it after a reboot
  tuntapctl apply --dry-run --prune taps.toml          # show what would change";

const BATCH_EXAMPLES: &str = "\
Examples:
  printf 'add tap1 --user qemu\\nadd tap2 --user qemu --up\\n' | tuntapctl batch -
  tuntapctl batch --force /etc/tuntapctl/boot.batch";

const TUNCTL_EXAMPLES: &str = "\
Examples:
  tuntapctl tunctl -u waldner -t tap44     # Set 'tap44' persistent and owned by uid 1000
  IF=$(tuntapctl tunctl -b -u qemu)        # the kernel picks tapN; only its name is printed
  tuntapctl tunctl -n -t tun0 -u openvpn   # a tun instead of a tap
  tuntapctl tunctl -d tap44                # Set 'tap44' nonpersistent
  PATH=/usr/lib/tuntapctl:$PATH tunctl -b  # scripts that call tunctl get this mode";

const TUNCTL_ABOUT: &str = "\
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
const DOCTOR_EXAMPLES: &str = "\
Examples:
  tuntapctl doctor tap44 --user waldner --tap          would waldner's qemu get tap44?
  tuntapctl doctor tap44 --user waldner --group kvm    check with the groups of a new login
  tuntapctl doctor tun0 --user openvpn --tun --try     really attach as openvpn, then detach";

const MONITOR_EXAMPLES: &str = "\
Examples:
  tuntapctl monitor                                    every tun/tap event, until Ctrl-C
  tuntapctl monitor 'tap-vm*' --json                   one JSON object per line
  tuntapctl monitor tap44 --count 1                    wait for the next event of tap44";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  tuntapctl completions bash > /usr/share/bash-completion/completions/tuntapctl
  tuntapctl completions zsh > /usr/share/zsh/vendor-completions/_tuntapctl";

/// Administer persistent tun/tap interfaces: create and delete them, set the
/// owner and group that may attach, the MAC, MTU and addresses, and list them.
#[derive(Debug, Parser)]
#[command(
    name = "tuntapctl",
    version,
    arg_required_else_help = true,
    after_help = MAIN_EXAMPLES,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: CliCommand,
}

#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Machine-readable JSON output
    #[arg(short, long, global = true)]
    pub json: bool,
    /// Act inside a network namespace: a name under /run/netns, a path
    /// (/proc/PID/ns/net), or a PID
    #[arg(short = 'N', long, global = true, value_name = "NS")]
    pub netns: Option<String>,
    /// Print nothing on success (errors still go to stderr)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The tuntapctl service's socket: where add, set and del go without
    /// CAP_NET_ADMIN, and where serve listens (default
    /// $TUNTAPCTL_SOCKET, else /run/tuntapctl/tuntapctl.sock)
    #[arg(long, global = true, value_name = "PATH")]
    pub socket: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Create a persistent tun or tap interface
    #[command(visible_alias = "create", after_help = ADD_EXAMPLES)]
    Add(AddArgs),
    /// Delete tun/tap interfaces
    #[command(visible_aliases = ["delete", "rm"], after_help = DEL_EXAMPLES)]
    Del(DelArgs),
    /// Change an existing tun/tap interface
    #[command(after_help = SET_EXAMPLES)]
    Set(SetArgs),
    /// List tun/tap interfaces
    #[command(visible_alias = "ls", after_help = LIST_EXAMPLES)]
    List(ListArgs),
    /// Show tun/tap interfaces in full
    #[command(after_help = SHOW_EXAMPLES)]
    Show(ShowArgs),
    /// Make the system match a declared set of interfaces (JSON or TOML)
    #[command(after_help = APPLY_EXAMPLES)]
    Apply(ApplyArgs),
    /// Run many commands, one per line, in one process
    #[command(after_help = BATCH_EXAMPLES)]
    Batch(BatchArgs),
    /// Print a shell completion script
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// Act like tunctl (uml-utilities): -b -u -g -t -f -d, plus -n and -p
    #[command(
        long_about = TUNCTL_ABOUT,
        after_help = TUNCTL_EXAMPLES
    )]
    Tunctl(TunctlArgs),
    /// Explain whether a user could attach to an interface, and why not
    #[command(after_help = DOCTOR_EXAMPLES)]
    Doctor(DoctorArgs),
    /// Follow tun/tap events (created, up, attached, deleted, ...)
    #[command(after_help = MONITOR_EXAMPLES)]
    Monitor(MonitorArgs),
    /// Let users make their own taps: the root service that runs add, set
    /// and del for them as a policy file allows
    #[command(after_help = serve::SERVE_EXAMPLES)]
    Serve(serve::ServeArgs),
    /// qemu's bridge helper: a tap from the service, passed to qemu
    #[command(after_help = serve::HELPER_EXAMPLES)]
    BridgeHelper(serve::BridgeHelperArgs),
    /// Print tun/tap interface names, one per line (for shell completion)
    #[command(name = "__complete-names", hide = true)]
    CompleteNames,
    /// Print the names of devices that can be a master (bridges, bonds,
    /// vrfs), one per line (for shell completion)
    #[command(name = "__complete-masters", hide = true)]
    CompleteMasters,
    /// Print the network namespaces under /run/netns, one per line (for
    /// shell completion)
    #[command(name = "__complete-netns", hide = true)]
    CompleteNetns,
}

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
    /// Print only the interface name
    #[arg(short, long)]
    pub brief: bool,
}

#[derive(Debug, Args)]
pub struct DelArgs {
    /// Interfaces to delete
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
    /// Succeed when an interface does not exist
    #[arg(long)]
    pub missing_ok: bool,
    /// Delete even while processes are attached (they get EBADFD)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Interface to change
    pub name: String,
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

/// The clap command, for parsing, man pages and completions. Every usage
/// line is the full synopsis made by `synopsis` (clap's own shows only the
/// arguments used or required, so optional options looked required).
pub fn command() -> clap::Command {
    use crate::synopsis::{USAGE_WIDTH, of_program, of_subcommand, text};
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let usage = text(&of_program(&cmd), USAGE_WIDTH);
    cmd = cmd.override_usage(usage);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |sub| {
            let usage = text(&of_subcommand(&sub), USAGE_WIDTH);
            sub.override_usage(usage)
        });
    }
    cmd
}

fn id_spec(what: &str, v: &Option<String>) -> Result<Option<IdSpec>> {
    v.as_deref().map(|s| IdSpec::parse(what, s)).transpose()
}

/// Parse addresses, refusing one given twice (the second add would fail
/// with EEXIST after the device was made).
fn addresses(texts: &[String]) -> Result<Vec<IfAddr>> {
    let mut out: Vec<IfAddr> = Vec::new();
    for text in texts {
        let addr = IfAddr::parse(text)?;
        if out.iter().any(|a| a.address == addr.address) {
            return Err(Error::usage(format!(
                "address {} is given twice; give each address once",
                addr.address
            )));
        }
        out.push(addr);
    }
    Ok(out)
}

/// Parse `--del-address` values (with or without a prefix), refusing one
/// given twice.
fn del_addresses(texts: &[String]) -> Result<Vec<AddrSelector>> {
    let mut out: Vec<AddrSelector> = Vec::new();
    for text in texts {
        let sel = AddrSelector::parse(text)?;
        if out.contains(&sel) {
            return Err(Error::usage(format!(
                "--del-address {sel} is given twice; give each address once"
            )));
        }
        out.push(sel);
    }
    Ok(out)
}

/// `--mac`: on the command line `random` is one more way out.
fn mac_arg(text: &str) -> Result<MacSpec> {
    MacSpec::parse(text).map_err(|mut e| {
        e.message
            .push_str("; or let tuntapctl pick one: --mac random");
        e
    })
}

/// Name the interface in a validation error that is not already about it
/// (an error that knows its interface says so in its message).
fn about(name: &IfName) -> impl Fn(Error) -> Error + '_ {
    move |e: Error| {
        if e.interface.as_deref() == Some(name.as_str()) {
            e
        } else {
            e.context(name).on(name.as_str())
        }
    }
}

fn patterns(texts: &[String]) -> Result<Vec<Pattern>> {
    texts.iter().map(|t| Pattern::parse(t)).collect()
}

/// Names of existing devices (del, show): whatever the kernel can hold.
fn names(texts: &[String]) -> Result<Vec<IfName>> {
    texts.iter().map(|t| IfName::lookup(t)).collect()
}

impl AddArgs {
    pub fn into_request(self) -> Result<AddRequest> {
        let mode: Option<Mode> = match (self.mode, self.tun, self.tap) {
            (Some(m), _, _) => Some(m.into()),
            (None, true, _) => Some(Mode::Tun),
            (None, _, true) => Some(Mode::Tap),
            _ => None,
        };
        let name = match &self.name {
            Some(n) => IfName::parse_template(n)?,
            None => IfName::parse_template(match mode {
                Some(Mode::Tun) => "tun%d",
                _ => "tap%d",
            })?,
        };
        let mode = mode.unwrap_or_else(|| Mode::for_name(name.as_str()));
        self.request_for(name.clone(), mode).map_err(about(&name))
    }

    fn request_for(self, name: IfName, mode: Mode) -> Result<AddRequest> {
        let mac = self.mac.as_deref().map(mac_arg).transpose()?;
        if mac.is_some() {
            crate::validate::check_mac_for_mode(
                mode,
                name.as_str(),
                &format!("--mac {}", self.mac.as_deref().unwrap_or_default()),
                "drop --mac or use --tap",
            )?;
        }
        let mtu = self.mtu.as_deref().map(parse_mtu).transpose()?;
        if let Some(mtu) = mtu {
            crate::validate::check_mtu_for_mode(mtu, mode, name.as_str())?;
        }
        let mut addrs = addresses(&self.addresses)?;
        if let Some(peer) = &self.peer {
            // clap requires -a with --peer; say so anyway rather than index.
            let first = addrs.first_mut().ok_or_else(|| {
                Error::usage("--peer needs an address to pair with: give -a ADDR as well")
            })?;
            *first = first.with_peer(peer)?;
        }
        Ok(AddRequest {
            name,
            mode,
            owner: id_spec("user", &self.user)?,
            group: id_spec("group", &self.group)?,
            pi: self.pi,
            vnet_hdr: self.vnet_hdr,
            multi_queue: self.multi_queue,
            mac,
            mtu,
            txqueuelen: self
                .txqueuelen
                .as_deref()
                .map(parse_txqueuelen)
                .transpose()?,
            addresses: addrs,
            up: self.up,
            exist_ok: self.exist_ok,
            brief: self.brief,
            around: AroundRequest {
                master: self
                    .master
                    .as_deref()
                    .map(|m| around::parse_device_name("master", m).map(MasterSpec::Set))
                    .transpose()?,
                alias: self.alias.as_deref().map(around::parse_alias).transpose()?,
                addrgenmode: self.addrgenmode,
                ..Default::default()
            },
        })
    }
}

/// `--move-to NS`: checked as `--netns` is, before anything changes.
fn move_to(ns: &str) -> Result<String> {
    if ns.is_empty() {
        return Err(Error::usage(
            "--move-to is empty: give a name under /run/netns, a path such as /proc/PID/ns/net, or a PID",
        ));
    }
    crate::netns::resolve(ns).map_err(|e| e.context("--move-to"))?;
    Ok(ns.to_string())
}

impl SetArgs {
    pub fn into_request(self) -> Result<SetRequest> {
        let name = IfName::lookup(&self.name)?;
        self.request_for(name.clone()).map_err(about(&name))
    }

    fn request_for(self, name: IfName) -> Result<SetRequest> {
        Ok(SetRequest {
            name,
            owner: id_spec("user", &self.user)?,
            group: id_spec("group", &self.group)?,
            mac: self.mac.as_deref().map(mac_arg).transpose()?,
            mtu: self.mtu.as_deref().map(parse_mtu).transpose()?,
            txqueuelen: self
                .txqueuelen
                .as_deref()
                .map(parse_txqueuelen)
                .transpose()?,
            up: match (self.up, self.down) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            add_addresses: addresses(&self.addresses)?,
            del_addresses: del_addresses(&self.del_addresses)?,
            flush_addresses: self.flush_addresses,
            carrier: self.carrier.as_deref().map(|c| c == "on"),
            around: AroundRequest {
                master: match (&self.master, self.nomaster) {
                    (Some(m), _) => Some(MasterSpec::Set(around::parse_device_name("master", m)?)),
                    (None, true) => Some(MasterSpec::Free),
                    (None, false) => None,
                },
                alias: self.alias.as_deref().map(around::parse_alias).transpose()?,
                addrgenmode: self.addrgenmode,
                rename: self.rename.as_deref().map(IfName::parse).transpose()?,
                move_to: self.move_to.as_deref().map(move_to).transpose()?,
            },
        })
    }
}

impl CliCommand {
    /// Validate the arguments into a request; no kernel calls.
    pub fn into_command(self) -> Result<Command> {
        Ok(match self {
            CliCommand::Add(a) => Command::Add(a.into_request()?),
            CliCommand::Del(d) => Command::Del(DelRequest {
                names: names(&d.names)?,
                missing_ok: d.missing_ok,
                force: d.force,
            }),
            CliCommand::Set(s) => Command::Set(s.into_request()?),
            CliCommand::List(l) => Command::List(ListRequest {
                filter: Filter {
                    mode: l.mode.map(Into::into),
                    owner: id_spec("user", &l.user)?,
                    group: id_spec("group", &l.group)?,
                    up: match (l.up, l.down) {
                        (true, _) => Some(true),
                        (_, true) => Some(false),
                        _ => None,
                    },
                    patterns: patterns(&l.patterns)?,
                },
                stats: l.stats,
            }),
            CliCommand::Show(s) => Command::Show(ShowRequest {
                names: patterns(&s.names)?,
            }),
            CliCommand::Apply(a) => Command::Apply(ApplyRequest {
                file: a.file,
                dry_run: a.dry_run,
                prune: a.prune,
            }),
            CliCommand::Batch(b) => Command::Batch(BatchRequest {
                file: b.file,
                force: b.force,
            }),
            CliCommand::Completions(c) => Command::Completions(c.shell),
            CliCommand::Doctor(d) => Command::Doctor(crate::doctor::DoctorRequest {
                name: IfName::parse(&d.name)?,
                user: IdSpec::parse("user", &d.user)?,
                groups: d
                    .groups
                    .iter()
                    .map(|g| IdSpec::parse("group", g))
                    .collect::<Result<_>>()?,
                asked: crate::doctor::Asked {
                    mode: match (d.tun, d.tap) {
                        (true, _) => Some(Mode::Tun),
                        (_, true) => Some(Mode::Tap),
                        _ => None,
                    },
                    pi: d.pi,
                    vnet_hdr: d.vnet_hdr,
                    multi_queue: d.multi_queue,
                    try_attach: d.try_attach,
                },
            }),
            CliCommand::Monitor(m) => Command::Monitor(crate::events::MonitorRequest {
                patterns: m.patterns,
                count: m.count,
            }),
            CliCommand::CompleteNames => Command::CompleteNames,
            CliCommand::CompleteMasters => Command::CompleteMasters,
            CliCommand::CompleteNetns => Command::CompleteNetns,
            // app runs tunctl mode before commands are made; only a batch
            // line gets here.
            CliCommand::Tunctl(_) => {
                return Err(Error::usage(
                    "tunctl is not allowed on a batch line: run tuntapctl tunctl ... as its own command",
                ));
            }
            CliCommand::Serve(_) | CliCommand::BridgeHelper(_) => {
                return Err(Error::usage(
                    "serve and bridge-helper are not allowed on a batch line: run them as their own command",
                ));
            }
        })
    }
}
