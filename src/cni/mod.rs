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
use std::io::Read;

use error::{CniError, Code};

/// Is this start a CNI call? (See the module comment.)
pub fn invoked(args: &[OsString]) -> bool {
    match args {
        [_] => std::env::var_os("CNI_COMMAND").is_some(),
        [_, word] => word == "cni",
        _ => false,
    }
}

/// What the plugin answers: the JSON for stdout (a result, or the CNI
/// error object), and on failure the message for stderr. Exit status 1 on
/// failure, as the CNI spec asks.
#[derive(Clone, Debug)]
pub struct Answer {
    pub stdout: Option<String>,
    pub error: Option<String>,
}

/// Run as a CNI plugin: read the configuration on stdin and the CNI_*
/// variables, carry out the verb, and answer.
pub fn run() -> Answer {
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
    match outcome {
        Ok(v) => Answer {
            stdout: v.map(|v| v.to_string()),
            error: None,
        },
        Err(e) => {
            let version = config::decode(&stdin)
                .ok()
                .and_then(|m| config::version_of(&m).ok())
                .unwrap_or(version::NEWEST);
            Answer {
                stdout: Some(e.to_json(version.as_str()).to_string()),
                error: Some(format!("cni: {}", e.msg)),
            }
        }
    }
}
