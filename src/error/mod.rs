//! Errors as data (SPEC §3, §6): a kind that is the exit status, the
//! interface, the message, and extras such as the holders of a busy device.
//! Behaviour never depends on a message's wording: callers match on the kind
//! and the fields. `kernel` maps each errno, per step, to its message.

use std::fmt;

use serde_json::{Value, json};

pub mod kernel;

/// The documented exit statuses. The discriminant is the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExitStatus {
    Success = 0,
    Failed = 1,
    Usage = 2,
    NotFound = 3,
    Conflict = 4,
    Permission = 5,
    Busy = 6,
}

impl ExitStatus {
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The word for the `kind` key of the JSON error object (SPEC §6).
    fn kind_word(self) -> &'static str {
        match self {
            ExitStatus::Success => "success",
            ExitStatus::Failed => "failed",
            ExitStatus::Usage => "usage",
            ExitStatus::NotFound => "not_found",
            ExitStatus::Conflict => "conflict",
            ExitStatus::Permission => "permission",
            ExitStatus::Busy => "busy",
        }
    }
}

/// A process holding a device, as an error reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolderInfo {
    pub pid: u32,
    pub command: String,
}

/// An error for the user: what happened to which interface, why, and what to
/// do about it, plus the exit status it maps to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub status: ExitStatus,
    /// The whole human message: what, which value, why, and the fix.
    pub message: String,
    /// The interface the error is about, when there is one.
    pub interface: Option<String>,
    /// The processes holding the device (busy errors).
    pub holders: Vec<HolderInfo>,
    /// What to do about it, when the error knows (also the end of
    /// `message`, so the human text reads as one sentence).
    pub fix: Option<String>,
}

impl Error {
    pub fn new(status: ExitStatus, message: impl Into<String>) -> Self {
        Error {
            status,
            message: message.into(),
            interface: None,
            holders: Vec::new(),
            fix: None,
        }
    }

    /// Say what to do: kept as data and appended to the message.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        let fix = fix.into();
        self.message = format!("{}; {fix}", self.message);
        self.fix = Some(fix);
        self
    }

    /// Say which interface this is about.
    pub fn on(mut self, interface: impl Into<String>) -> Self {
        self.interface = Some(interface.into());
        self
    }

    pub fn with_holders(mut self, holders: Vec<HolderInfo>) -> Self {
        self.holders = holders;
        self
    }

    /// Append a note to the message (what was already done, say).
    pub fn note(mut self, note: impl fmt::Display) -> Self {
        self.message = format!("{}{note}", self.message);
        self
    }

    /// The JSON error object of SPEC §6.
    pub fn to_json(&self) -> Value {
        let mut error = json!({
            "exit": self.status.code(),
            "kind": self.status.kind_word(),
            "message": self.message,
            "interface": self.interface,
        });
        if let Some(fix) = &self.fix {
            error["fix"] = Value::String(fix.clone());
        }
        if self.status == ExitStatus::Busy {
            error["holders"] = self
                .holders
                .iter()
                .map(|h| json!({"pid": h.pid, "command": h.command}))
                .collect();
        }
        json!({ "error": error })
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Usage, message)
    }
    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Failed, message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Conflict, message)
    }
    pub fn permission(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Permission, message)
    }
    pub fn busy(message: impl Into<String>) -> Self {
        Self::new(ExitStatus::Busy, message)
    }

    /// Prefix the message with context (an entry in a file, a batch line).
    pub fn context(mut self, prefix: impl fmt::Display) -> Self {
        self.message = format!("{prefix}: {}", self.message);
        self
    }

    /// Put what was being done in front of a message that starts with the
    /// interface: "creating tap1: ...".
    pub fn while_doing(mut self, what: &str) -> Self {
        self.message = format!("{what} {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// What to tell a user who lacks CAP_NET_ADMIN.
pub const NEED_NET_ADMIN: &str =
    "this needs CAP_NET_ADMIN in the network namespace: run it as root (sudo tuntapctl ...)";

/// Human text for an errno, without the "(os error N)" noise.
pub fn errno_text(errno: i32) -> String {
    let text = nix::errno::Errno::from_raw(errno).desc();
    format!("{text} ({})", nix::errno::Errno::from_raw(errno))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_object_has_the_spec_keys() {
        let e = Error::busy("tap1: in use")
            .on("tap1")
            .with_holders(vec![HolderInfo {
                pid: 7,
                command: "qemu".into(),
            }]);
        let v = e.to_json();
        assert_eq!(v["error"]["exit"], 6);
        assert_eq!(v["error"]["kind"], "busy");
        assert_eq!(v["error"]["interface"], "tap1");
        assert_eq!(v["error"]["holders"][0]["pid"], 7);
        let u = Error::usage("bad").to_json();
        assert_eq!(u["error"]["interface"], Value::Null);
        assert!(u["error"].get("holders").is_none());
        assert!(u["error"].get("fix").is_none());
        let f = Error::failed("tap1: mtu 9000 failed").fix("bring it down first");
        assert_eq!(f.message, "tap1: mtu 9000 failed; bring it down first");
        assert_eq!(f.to_json()["error"]["fix"], "bring it down first");
        assert_eq!(u["error"]["kind"], "usage");
    }

    #[test]
    fn every_status_has_its_own_kind_word() {
        use ExitStatus::*;
        let all = [Success, Failed, Usage, NotFound, Conflict, Permission, Busy];
        let words: std::collections::HashSet<_> = all.iter().map(|s| s.kind_word()).collect();
        assert_eq!(words.len(), all.len());
        assert_eq!(
            all.iter().map(|s| s.code()).collect::<Vec<_>>(),
            vec![0, 1, 2, 3, 4, 5, 6]
        );
    }

    #[test]
    fn context_and_note_keep_the_kind_and_interface() {
        let e = Error::conflict("x")
            .on("tap0")
            .context("line 3")
            .note(" (more)");
        assert_eq!(e.message, "line 3: x (more)");
        assert_eq!(e.status, ExitStatus::Conflict);
        assert_eq!(e.interface.as_deref(), Some("tap0"));
        assert!(errno_text(libc::EPERM).starts_with("Operation not permitted (EPERM"));
    }
}
