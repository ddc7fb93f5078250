//! The CNI plugin (SPEC §13): taps for containers and microVMs, driven by a
//! container runtime through CNI_* environment variables and a network
//! configuration on stdin, answering on stdout.
//!
//! When it runs: a runtime executes a plugin with no arguments, so any start
//! with CNI_COMMAND set and no argument at all is a runtime's call (this is
//! how /usr/lib/cni/tuntapctl, a symlink to the binary, is started); and
//! `tuntapctl cni`, with nothing after it, is the same by hand. With
//! arguments, CNI_COMMAND is ignored and the command line is ours.
//!
//! - config: the network configuration, validated
//! - env: the CNI_* variables, validated
//! - version: versions and results per version
//! - ipam: running the IPAM plugin
//! - ns, device, selinux: the container's namespace and the tap in it
//! - check: what CHECK compares
//! - verbs: the six verbs
//! - error: the CNI error object and its codes

pub mod check;
pub mod config;
mod device;
pub mod doc;
pub mod env;
pub mod error;
pub mod ipam;
mod ns;
mod selinux;
pub mod verbs;
pub mod version;

use std::ffi::OsString;
use std::io::{Read, Write};

use error::{CniError, Code};

/// Is this start a CNI call? (See the module comment.)
pub fn invoked(args: &[OsString]) -> bool {
    match args {
        [_] => std::env::var_os("CNI_COMMAND").is_some(),
        [_, word] => word == "cni",
        _ => false,
    }
}

/// Run as a CNI plugin: exit status 0 on success, 1 with the error object
/// on stdout otherwise.
pub fn run() -> i32 {
    let mut stdin = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(config::MAX_CONFIG_BYTES as u64 + 1)
        .read_to_end(&mut stdin);
    let outcome = match read {
        Err(e) => Err(CniError::new(
            Code::Io,
            format!("cannot read the network configuration from stdin: {e}"),
        )),
        Ok(_) => env::read(|k| std::env::var_os(k)).and_then(|env| verbs::dispatch(&env, &stdin)),
    };
    let mut out = std::io::stdout().lock();
    match outcome {
        Ok(Some(v)) => {
            let _ = writeln!(out, "{v}");
            0
        }
        Ok(None) => 0,
        Err(e) => {
            let version = config::decode(&stdin)
                .ok()
                .and_then(|m| config::version_of(&m).ok())
                .unwrap_or(version::NEWEST);
            let _ = writeln!(out, "{}", e.to_json(version.as_str()));
            let _ = writeln!(
                std::io::stderr(),
                "tuntapctl cni: {}",
                crate::text::printable(&e.msg)
            );
            1
        }
    }
}
