//! The CNI error object (CNI spec, "Error"): a numeric code, a message and
//! details, printed on stdout with exit status 1.

use serde_json::{Value, json};

use crate::error::{Error, ExitStatus};

/// The codes this plugin uses: the spec's well-known ones (1–11), the
/// STATUS code 50, and ours from 100 up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// 1: incompatible CNI version.
    IncompatibleVersion,
    /// 2: unsupported field in the network configuration.
    UnsupportedField,
    /// 3: the container (its network namespace) is unknown or gone.
    ContainerUnknown,
    /// 4: invalid or missing environment variables.
    InvalidEnvironment,
    /// 5: I/O failure (the kernel refused, a file could not be read).
    Io,
    /// 6: failed to decode content (stdin is not JSON, a plugin's output).
    Decode,
    /// 7: invalid network configuration.
    InvalidConfig,
    /// 11: try again later.
    TryAgain,
    /// 50: STATUS: the plugin is not available (/dev/net/tun).
    NotAvailable,
    /// 100: CHECK: the device differs from the config or prevResult.
    CheckDiffers,
    /// A code passed on from the IPAM plugin as it gave it.
    Delegated(u32),
}

impl Code {
    pub fn number(self) -> u32 {
        match self {
            Code::IncompatibleVersion => 1,
            Code::UnsupportedField => 2,
            Code::ContainerUnknown => 3,
            Code::InvalidEnvironment => 4,
            Code::Io => 5,
            Code::Decode => 6,
            Code::InvalidConfig => 7,
            Code::TryAgain => 11,
            Code::NotAvailable => 50,
            Code::CheckDiffers => 100,
            Code::Delegated(n) => n,
        }
    }
}

/// A failed verb: the code, the message (names the value, the cause and the
/// fix) and details (more context, such as every CHECK difference).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CniError {
    pub code: Code,
    pub msg: String,
    pub details: String,
}

pub type CniResult<T> = std::result::Result<T, CniError>;

impl CniError {
    pub fn new(code: Code, msg: impl Into<String>) -> Self {
        CniError {
            code,
            msg: msg.into(),
            details: String::new(),
        }
    }

    pub fn details(mut self, details: impl Into<String>) -> Self {
        self.details = details.into();
        self
    }

    /// The error object in `cni_version` (the config's, or the newest we
    /// speak when the config could not be read).
    pub fn to_json(&self, cni_version: &str) -> Value {
        json!({
            "cniVersion": cni_version,
            "code": self.code.number(),
            "msg": self.msg,
            "details": self.details,
        })
    }

    /// A tuntapctl error (from the add engine, the netlink edge, the id
    /// resolver) as a CNI error: its kind chooses the code, its message and
    /// fix become msg and details.
    pub fn from_engine(e: &Error) -> Self {
        let code = match e.status {
            ExitStatus::Usage => Code::InvalidConfig,
            ExitStatus::Busy => Code::TryAgain,
            ExitStatus::NotFound
            | ExitStatus::Conflict
            | ExitStatus::Permission
            | ExitStatus::Failed
            | ExitStatus::Success => Code::Io,
        };
        CniError::new(code, e.message.clone()).details(e.fix.clone().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_specs() {
        let all = [
            (Code::IncompatibleVersion, 1),
            (Code::UnsupportedField, 2),
            (Code::ContainerUnknown, 3),
            (Code::InvalidEnvironment, 4),
            (Code::Io, 5),
            (Code::Decode, 6),
            (Code::InvalidConfig, 7),
            (Code::TryAgain, 11),
            (Code::NotAvailable, 50),
            (Code::CheckDiffers, 100),
            (Code::Delegated(999), 999),
        ];
        for (c, n) in all {
            assert_eq!(c.number(), n);
        }
    }

    #[test]
    fn error_object_has_the_four_keys() {
        let v = CniError::new(Code::InvalidConfig, "bad mtu")
            .details("mtu 5")
            .to_json("1.0.0");
        assert_eq!(v["cniVersion"], "1.0.0");
        assert_eq!(v["code"], 7);
        assert_eq!(v["msg"], "bad mtu");
        assert_eq!(v["details"], "mtu 5");
    }

    #[test]
    fn engine_kinds_map_to_codes() {
        assert_eq!(
            CniError::from_engine(&Error::usage("x")).code,
            Code::InvalidConfig
        );
        assert_eq!(CniError::from_engine(&Error::failed("x")).code, Code::Io);
    }
}
