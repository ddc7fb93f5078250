//! The command line: clap's definitions (`args`, the help texts'
//! `examples`) and their translation into validated requests (`convert`).
//! Nothing here touches the kernel.

use clap::{Args, Parser, Subcommand};

mod args;
mod convert;
mod examples;
pub mod fast;
pub mod serve;
pub mod tunctl;

pub use args::*;
use examples::*;

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
    /// Run as a CNI plugin: a tap in a container's network namespace
    #[command(
        long_about = crate::cni::doc::ABOUT,
        after_help = crate::cni::doc::EXAMPLES
    )]
    Cni,
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
