//! Reading apply and batch input: a path or "-" for stdin, size-limited,
//! UTF-8 checked, with messages that name the file.

use std::io::Read;

use crate::error::{Error, Result};

/// Input files larger than this are refused (a list of 100,000 interfaces
/// fits in well under this).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

pub fn read_input(path: &str, what: &str) -> Result<String> {
    let mut bytes = Vec::new();
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::usage(format!("{what} {path:?} does not exist")),
            std::io::ErrorKind::PermissionDenied => {
                Error::permission(format!("{what} {path:?} cannot be read: permission denied"))
            }
            _ => Error::usage(format!("{what} {path:?} cannot be read: {e}")),
        })?;
        if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
            return Err(Error::usage(format!(
                "{what} {path:?} is a directory; give a file"
            )));
        }
        Box::new(file)
    };
    reader
        .take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            let name = if path == "-" {
                "stdin".to_string()
            } else {
                format!("{path:?}")
            };
            Error::usage(format!("{what} {name} cannot be read: {e}"))
        })?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::usage(format!(
            "{what} {path:?} is larger than {} MiB; split it into smaller files",
            MAX_INPUT_BYTES / 1024 / 1024
        )));
    }
    // A UTF-8 byte order mark (Windows editors write one) is not content.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let name = if path == "-" {
        "stdin".to_string()
    } else {
        format!("{path:?}")
    };
    String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!(
            "{what} {name} is not valid UTF-8 (first bad byte at offset {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}
