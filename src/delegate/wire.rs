//! The wire format of `tuntapctl serve` (documented in tuntapctl-serve(8)):
//! one JSON request per connection, ended by the client shutting down its
//! write side, at most 64 KiB; one JSON response, then the service closes.
//!
//! ```text
//! request:  {"version": 1, "command": "add"|"set"|"del", "args": ["NAME", "--mtu", "1400", ...]}
//!           {"version": 1, "command": "bridge-tap", "bridge": "br0", "vnet_hdr": true}
//! response: {"version": 1, "exit": 0, "stdout": [LINE...], "stderr": [LINE...]}
//!           bridge-tap adds "name", and the tap's fd rides along (SCM_RIGHTS)
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{Error, ExitStatus};

pub const VERSION: u32 = 1;
pub const MAX_REQUEST: usize = 64 * 1024;
/// A response is our own output: bounded all the same on the client side.
pub const MAX_RESPONSE: usize = 4 << 20;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub version: u32,
    pub command: String,
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(default)]
    pub bridge: Option<String>,
    #[serde(default)]
    pub vnet_hdr: bool,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct Response {
    pub version: u32,
    pub exit: i32,
    #[serde(default)]
    pub stdout: Vec<String>,
    #[serde(default)]
    pub stderr: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Refused only because the caller has too many connections open:
    /// the client may try again shortly.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retry: bool,
    /// The error object of SPEC §6, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<serde_json::Value>,
}

impl Response {
    /// A failure as root's CLI would print it: the message on stderr and,
    /// with --json, the error object on stdout.
    pub fn failure(e: &Error, json: bool) -> Response {
        Response {
            version: VERSION,
            exit: e.status.code(),
            stdout: if json {
                vec![crate::render::json_text(&e.to_json(), 0)]
            } else {
                Vec::new()
            },
            stderr: vec![e.message.clone()],
            name: None,
            retry: false,
            error: Some(e.to_json()),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Decode a request's bytes; every failure is a usage error (exit 2).
pub fn decode(bytes: &[u8]) -> Result<Request, Error> {
    if bytes.len() > MAX_REQUEST {
        return Err(
            Error::usage(format!("request refused: it is over {MAX_REQUEST} bytes"))
                .fix("send one command per connection"),
        );
    }
    let req: Request = serde_json::from_slice(bytes).map_err(|e| {
        Error::usage(format!("request refused: it is not a valid request ({e})"))
            .fix("see tuntapctl-serve(8) for the wire format")
    })?;
    if req.version != VERSION {
        return Err(Error::usage(format!(
            "request refused: protocol version {} is not supported (this service speaks version {VERSION})",
            req.version
        ))
        .fix("use a tuntapctl client of the same release as the service"));
    }
    Ok(req)
}

pub fn refused_busy(uid: u32) -> Response {
    let e = Error::new(
        ExitStatus::Busy,
        format!(
            "the service is already serving the most connections allowed for uid {uid} (or in all)"
        ),
    )
    .fix("wait for your other requests to finish, then try again");
    Response {
        retry: true,
        ..Response::failure(&e, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_big_malformed_and_unknown_versions() {
        let big = vec![b' '; MAX_REQUEST + 1];
        assert_eq!(decode(&big).unwrap_err().status.code(), 2);
        for bad in [
            &b"{"[..],
            b"[]",
            b"{\"version\":1}",
            b"\xff\xfe",
            b"{\"version\":1,\"command\":\"add\",\"x\":1}",
        ] {
            assert_eq!(decode(bad).unwrap_err().status.code(), 2);
        }
        let e = decode(br#"{"version":2,"command":"add"}"#).unwrap_err();
        assert!(e.message.contains("version 2"), "{}", e.message);
        let ok = decode(br#"{"version":1,"command":"del","args":["vm-a-0"]}"#).unwrap();
        assert_eq!(ok.args, ["vm-a-0"]);
    }
}
