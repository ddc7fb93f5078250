//! Delegation (SPEC §12): a root service on a Unix socket that lets users
//! make, change and delete their own taps as a policy file allows, the CLI
//! side that talks to it, and qemu's bridge helper.

pub mod bridge;
pub mod check;
pub mod client;
pub mod handle;
pub mod manual;
pub mod modes;
pub mod peer;
pub mod policy;
pub mod serve;
pub mod shared;
pub mod wire;

use std::ffi::OsString;

use crate::cli::{Cli, CliCommand, GlobalArgs};
use crate::error::Result;

/// Invoked as `qemu-bridge-helper` (a symlink)?
pub fn invoked_as_bridge_helper(argv0: Option<&OsString>) -> bool {
    argv0
        .and_then(|a| {
            std::path::Path::new(a)
                .file_name()
                .map(|n| n == "qemu-bridge-helper")
        })
        .unwrap_or(false)
}

/// `add`, `set` and `del` without CAP_NET_ADMIN, when the service's socket
/// exists: run through the service. None: run here as usual.
pub fn forward_if_delegated(cli: &Cli, raw: &[OsString]) -> Option<Result<i32>> {
    let command = match cli.command {
        CliCommand::Add(_) => "add",
        CliCommand::Set(_) => "set",
        CliCommand::Del(_) => "del",
        _ => return None,
    };
    // A binary that gained privilege at exec is refused by the usual path,
    // never forwarded under an identity it borrowed.
    if crate::input::exec_gained_privilege() {
        return None;
    }
    let socket = client::socket_path(cli.global.socket.as_deref());
    if !client::wanted(&socket) {
        return None;
    }
    Some(client::forward(&socket, command, forwarded_args(raw)))
}

/// The words after the program name, without the subcommand word and
/// without `--socket PATH` (the service needs neither).
fn forwarded_args(raw: &[OsString]) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen_command = false;
    let mut words = raw.iter().skip(1).map(|w| w.to_string_lossy().into_owned());
    while let Some(w) = words.next() {
        if w == "--socket" {
            words.next();
            continue;
        }
        if w.starts_with("--socket=") {
            continue;
        }
        if !seen_command && !w.starts_with('-') {
            seen_command = true;
            continue;
        }
        if !seen_command && (w == "-N" || w == "--netns") {
            out.push(w);
            out.extend(words.next());
            continue;
        }
        out.push(w);
    }
    out
}

/// `tuntapctl serve`: returns only with --check or on an error.
pub fn run_serve(global: &GlobalArgs, req: &crate::request::ServeRequest) -> Result<String> {
    serve::serve(&serve::ServeRequest {
        socket: global.socket.clone(),
        policy: req.policy.clone(),
        check: req.check,
    })
}

/// `tuntapctl bridge-helper`: qemu reads only the exit status and stderr.
pub fn run_bridge_helper(
    global: &GlobalArgs,
    req: &crate::request::BridgeHelperRequest,
) -> Result<String> {
    let socket = client::socket_path(global.socket.as_deref());
    client::bridge_helper(&socket, &req.bridge, req.fd, req.vnet_hdr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_args_drop_the_command_and_the_socket() {
        let raw: Vec<OsString> = [
            "tuntapctl",
            "--json",
            "--socket",
            "/s",
            "-N",
            "x",
            "create",
            "vm-a-0",
            "--socket=/t",
            "--mtu",
            "1400",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        assert_eq!(
            forwarded_args(&raw),
            ["--json", "-N", "x", "vm-a-0", "--mtu", "1400"]
        );
    }
}
