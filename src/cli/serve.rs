//! The command lines of `serve` and `bridge-helper` (SPEC §12).

use clap::Args;

pub const SERVE_EXAMPLES: &str = "Examples:
  tuntapctl serve --check                       check /etc/tuntapctl/delegate.toml
  tuntapctl serve                               listen on /run/tuntapctl/tuntapctl.sock
  systemctl enable --now tuntapctl.socket       the same, started on demand";

pub const HELPER_EXAMPLES: &str = "Examples:
  qemu-system-x86_64 -netdev bridge,id=n0,br=br0,helper=/usr/lib/tuntapctl/qemu-bridge-helper ...
  qemu runs: tuntapctl bridge-helper --use-vnet --fd=5 --br=br0";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The policy file
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/etc/tuntapctl/delegate.toml"
    )]
    pub policy: String,
    /// Check the policy file (ownership, syntax, users, groups) and exit
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct BridgeHelperArgs {
    /// Ask for a tap with a virtio-net header (IFF_VNET_HDR)
    #[arg(long)]
    pub use_vnet: bool,
    /// The bridge to put the tap on
    #[arg(long, value_name = "BRIDGE")]
    pub br: String,
    /// The socket qemu passed, to send the tap's fd over
    #[arg(long, value_name = "N")]
    pub fd: i32,
}
