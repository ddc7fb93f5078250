//! The command line (clap derive) and its translation into validated
//! requests. Nothing here touches the kernel.

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::{
    AddRequest, ApplyRequest, BatchRequest, Command, DelRequest, Filter, ListRequest, SetRequest,
    ShowRequest,
};
use crate::error::{Error, Result};
use crate::validate::{IdSpec, IfAddr, IfName, MacSpec, Mode, parse_mtu, parse_txqueuelen};

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
  tuntapctl add tap44 --user waldner --exist-ok   # idempotent, for boot scripts";

const DEL_EXAMPLES: &str = "\
Examples:
  tuntapctl del tap44
  tuntapctl del tap1 tap2 tap3 --missing-ok       # idempotent, for shutdown scripts";

const SET_EXAMPLES: &str = "\
Examples:
  tuntapctl set tap44 --user alice --group kvm
  tuntapctl set tap44 --mtu 9000 -a 192.0.2.1/24 --up";

const LIST_EXAMPLES: &str = "\
Examples:
  tuntapctl list
  tuntapctl list --mode tap --user qemu --json";

const SHOW_EXAMPLES: &str = "\
Examples:
  tuntapctl show tap44
  tuntapctl show tap44 tun0 --json";

const APPLY_EXAMPLES: &str = "\
Examples:
  tuntapctl list --json > /etc/tuntapctl/saved.json    # save the current set
  tuntapctl apply /etc/tuntapctl/saved.json            # restore it after a reboot
  tuntapctl apply --dry-run --prune taps.toml          # show what would change";

const BATCH_EXAMPLES: &str = "\
Examples:
  printf 'add tap1 --user qemu\\nadd tap2 --user qemu --up\\n' | tuntapctl batch -
  tuntapctl batch --force /etc/tuntapctl/boot.batch";

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
    /// Print tun/tap interface names, one per line (for shell completion)
    #[command(name = "__complete-names", hide = true)]
    CompleteNames,
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
    /// Go on after a failing line; exit non-zero at the end with a summary
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

#[derive(Debug, Args)]
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
    /// Remove an address, ADDR/PREFIX. Repeatable.
    #[arg(long = "del-address", value_name = "ADDR/PREFIX")]
    pub del_addresses: Vec<String>,
    /// Remove every address except the kernel's own IPv6 link-local ones
    #[arg(long)]
    pub flush_addresses: bool,
    /// Carrier on or off (on needs a process attached)
    #[arg(long, value_name = "on|off", value_parser = ["on", "off"])]
    pub carrier: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
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
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Interfaces to show
    #[arg(required = true, value_name = "NAME")]
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The clap command, for man pages and completions.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
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

/// Name the interface in a validation error that does not already.
fn about(name: &IfName) -> impl Fn(Error) -> Error + '_ {
    move |e: Error| {
        if e.message.starts_with(name.as_str()) {
            e
        } else {
            e.context(name)
        }
    }
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
        let mac = self.mac.as_deref().map(MacSpec::parse).transpose()?;
        if mac.is_some() && mode == Mode::Tun {
            return Err(Error::usage(format!(
                "{name}: --mac {} applies only to a tap; a tun (layer 3) has no MAC address. Drop --mac or use --tap",
                self.mac.as_deref().unwrap_or_default()
            )));
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
        })
    }
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
            mac: self.mac.as_deref().map(MacSpec::parse).transpose()?,
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
            del_addresses: addresses(&self.del_addresses)?,
            flush_addresses: self.flush_addresses,
            carrier: self.carrier.as_deref().map(|c| c == "on"),
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
                },
            }),
            CliCommand::Show(s) => Command::Show(ShowRequest {
                names: names(&s.names)?,
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
            CliCommand::CompleteNames => Command::CompleteNames,
        })
    }
}
