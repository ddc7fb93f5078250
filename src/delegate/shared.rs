//! What every connection of the service shares (the policy and the
//! per-rule locks), and what one handled request gives back.

use std::os::fd::OwnedFd;
use std::sync::Mutex;

use super::policy::{Policy, Rule};
use super::wire::Response;

/// The policy and one lock per allow rule: counting a rule's taps and
/// creating one happen under its lock, so racing adds end at exactly max.
pub struct Shared {
    pub policy: Policy,
    locks: Vec<Mutex<()>>,
}

impl Shared {
    pub fn new(policy: Policy) -> Shared {
        let locks = policy.allow.iter().map(|_| Mutex::new(())).collect();
        Shared { policy, locks }
    }

    pub fn lock(&self, rule: &Rule) -> std::sync::MutexGuard<'_, ()> {
        self.locks[rule.number - 1]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What the log line says about a request.
#[derive(Default)]
pub struct Facts {
    pub command: String,
    pub names: Vec<String>,
    pub rule: Option<String>,
}

pub struct Handled {
    pub response: Response,
    pub fd: Option<OwnedFd>,
    pub facts: Facts,
}
