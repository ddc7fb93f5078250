//! Errors as values that carry their documented exit status (SPEC §3).

use std::fmt;

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
}

/// An error for the user: what happened to which interface, why, and what to
/// do about it, plus the exit status it maps to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub status: ExitStatus,
    pub message: String,
}

impl Error {
    pub fn new(status: ExitStatus, message: impl Into<String>) -> Self {
        Error {
            status,
            message: message.into(),
        }
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
