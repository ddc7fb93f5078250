//! Reading apply and batch input: a path or "-" for stdin, size-limited,
//! UTF-8 checked, with messages that name the file. Under sudo a FILE is
//! opened with the credentials of the user who ran sudo (SPEC §11), so
//! `sudo tuntapctl batch /etc/shadow` cannot quote a line of it.

use std::ffi::CString;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};

use nix::errno::Errno;
use nix::unistd::{Gid, Uid};

use crate::error::kernel::{Opening, open_error};
use crate::error::{Error, Result};
use crate::text::printable;

/// Input files larger than this are refused (a list of 100,000 interfaces
/// fits in well under this).
const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Longest batch line: a command with a few dozen addresses fits many
/// times over; a longer line is a mistake or an attack.
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// How a file argument is named in messages: `"path"` (escaped) or stdin.
pub fn display_name(path: &str) -> String {
    if path == "-" {
        "stdin".to_string()
    } else {
        format!("\"{}\"", printable(path))
    }
}

/// Did this process gain privilege at exec (setuid, setgid, or file
/// capabilities)? The kernel then sets AT_SECURE in the auxiliary vector.
pub fn exec_gained_privilege() -> bool {
    // SAFETY: getauxval reads this process's auxiliary vector; it takes a
    // constant and returns a value (0 when the entry is absent).
    unsafe { libc::getauxval(libc::AT_SECURE) != 0 }
}

/// The user sudo ran us for, when we are root because of sudo: uid, gid,
/// and name (for the supplementary groups). None without sudo, for root
/// itself, or when we are not root (then the kernel checks our own access).
fn sudo_user() -> Option<(Uid, Gid, Option<String>)> {
    let uid: u32 = std::env::var("SUDO_UID").ok()?.trim().parse().ok()?;
    if uid == 0 || !nix::unistd::geteuid().is_root() {
        return None;
    }
    let gid: u32 = std::env::var("SUDO_GID")
        .ok()
        .and_then(|g| g.trim().parse().ok())
        .or_else(|| uzers::get_user_by_uid(uid).map(|u| u.primary_group_id()))
        .unwrap_or(uid);
    let name = std::env::var("SUDO_USER")
        .ok()
        .or_else(|| uzers::get_user_by_uid(uid).map(|u| u.name().to_string_lossy().into_owned()));
    Some((Uid::from_raw(uid), Gid::from_raw(gid), name))
}

/// Open a FILE argument: as ourselves, or under sudo as the user who ran
/// sudo (a forked child drops to that user's uid, gid and groups, opens the
/// file and hands us the fd, so the check and the read are the same file).
fn open_file(path: &str, what: &str) -> Result<File> {
    let shown = display_name(path);
    let map_err = |e: Errno, as_whom: &str| {
        let opening = Opening::Input {
            what,
            path: &shown,
            as_whom,
        };
        open_error(&opening, e)
    };
    let file = match sudo_user() {
        None => File::open(path)
            .map_err(|e| map_err(Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO)), ""))?,
        Some((uid, gid, name)) => {
            let who = match &name {
                Some(n) => format!(" by {} (uid {uid}), who ran sudo", printable(n)),
                None => format!(" by uid {uid}, who ran sudo"),
            };
            open_as(path, uid, gid, name.as_deref()).map_err(|e| {
                let mut err = map_err(e, &who);
                if err.status == crate::error::ExitStatus::Permission {
                    err.message.push_str(
                        "; under sudo a file is read with your own permissions: make it readable to you, or pipe it in (... | sudo tuntapctl CMD -)",
                    );
                }
                err
            })?
        }
    };
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::usage(format!(
            "{what} {shown} is a directory; give a file"
        )));
    }
    Ok(file)
}

/// Open `path` read-only with another user's credentials (see open_file):
/// their uid, gid and groups (from the group database, by their name).
fn open_as(path: &str, uid: Uid, gid: Gid, name: Option<&str>) -> std::result::Result<File, Errno> {
    let groups: Vec<u32> = name
        .and_then(|n| CString::new(n).ok())
        .and_then(|n| nix::unistd::getgrouplist(&n, gid).ok())
        .map(|list| list.iter().map(|g| g.as_raw()).collect())
        .unwrap_or_else(|| vec![gid.as_raw()]);
    let who = crate::asuser::Identity {
        uid: uid.as_raw(),
        gid: gid.as_raw(),
        groups,
    };
    crate::asuser::open_read(&who, std::path::Path::new(path))
}

/// A FILE argument (or "-", stdin) opened for reading: at most
/// MAX_INPUT_BYTES + 1 bytes come out of it.
fn open_input(path: &str, what: &str) -> Result<Box<dyn Read>> {
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = open_file(path, what)?;
        // A regular file over the cap is refused before a byte is read.
        if let Ok(meta) = file.metadata()
            && meta.is_file()
            && meta.len() > MAX_INPUT_BYTES
        {
            return Err(too_large(path, what));
        }
        // Opened without blocking (a FIFO); read it blocking from now on.
        let _ = nix::fcntl::fcntl(
            &file,
            nix::fcntl::FcntlArg::F_SETFL(nix::fcntl::OFlag::empty()),
        );
        Box::new(file)
    };
    Ok(Box::new(reader.take(MAX_INPUT_BYTES + 1)))
}

fn too_large(path: &str, what: &str) -> Error {
    Error::usage(format!(
        "{what} {} is larger than {} MiB; split it into smaller files",
        display_name(path),
        MAX_INPUT_BYTES / 1024 / 1024
    ))
}

fn read_error(path: &str, what: &str, e: std::io::Error) -> Error {
    Error::usage(format!("{what} {} cannot be read: {e}", display_name(path)))
}

pub fn read_input(path: &str, what: &str) -> Result<String> {
    let mut bytes = Vec::new();
    open_input(path, what)?
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, what, e))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(path, what));
    }
    // A UTF-8 byte order mark (Windows editors write one) is not content.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!(
            "{what} {} is not valid UTF-8 (first bad byte at offset {}); save it as UTF-8",
            display_name(path),
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Read a file line by line (numbered from 1, without the line ending),
/// never holding more than one line: each at most MAX_LINE_BYTES, the
/// whole at most MAX_INPUT_BYTES, each valid UTF-8. `f` may stop the walk
/// with an error.
pub fn for_each_line(
    path: &str,
    what: &str,
    mut f: impl FnMut(usize, &str) -> Result<()>,
) -> Result<()> {
    let mut reader = BufReader::with_capacity(64 * 1024, open_input(path, what)?);
    let mut total: u64 = 0;
    let mut line: Vec<u8> = Vec::with_capacity(256);
    let mut number = 0usize;
    loop {
        line.clear();
        number += 1;
        // Read at most one byte past the limit, so a huge line is refused
        // without being held.
        let limit = (MAX_LINE_BYTES + 2) as u64;
        let n = (&mut reader)
            .take(limit)
            .read_until(b'\n', &mut line)
            .map_err(|e| read_error(path, what, e))?;
        if n == 0 {
            return Ok(());
        }
        total += n as u64;
        if total > MAX_INPUT_BYTES {
            return Err(too_large(path, what));
        }
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        } else if n as u64 == limit {
            return Err(Error::usage(format!(
                "{what} {}: line {number} is longer than {} KiB; a line holds one command",
                display_name(path),
                MAX_LINE_BYTES / 1024
            )));
        }
        if line.len() > MAX_LINE_BYTES {
            return Err(Error::usage(format!(
                "{what} {}: line {number} is longer than {} KiB; a line holds one command",
                display_name(path),
                MAX_LINE_BYTES / 1024
            )));
        }
        let mut bytes = line.as_slice();
        if number == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes = &bytes[3..];
        }
        let text = std::str::from_utf8(bytes).map_err(|e| {
            Error::usage(format!(
                "{what} {}: line {number} is not valid UTF-8 (bad byte at column {}); save the file as UTF-8",
                display_name(path),
                e.valid_up_to() + 1
            ))
        })?;
        f(number, text)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped() {
        assert_eq!(display_name("-"), "stdin");
        assert_eq!(display_name("a\x1bb"), "\"a\\x1bb\"");
    }

    #[test]
    fn lines_are_capped() {
        let dir = std::env::temp_dir().join(format!("tt-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ok = dir.join("ok");
        std::fs::write(&ok, b"\xEF\xBB\xBFa\r\n\nb").unwrap();
        let mut seen = Vec::new();
        for_each_line(ok.to_str().unwrap(), "batch file", |n, l| {
            seen.push((n, l.to_string()));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [(1, "a".into()), (2, "".into()), (3, "b".into())]);
        let long = dir.join("long");
        let mut text = vec![b'x'; MAX_LINE_BYTES + 10];
        text.push(b'\n');
        std::fs::write(&long, &text).unwrap();
        let e = for_each_line(long.to_str().unwrap(), "batch file", |_, _| Ok(())).unwrap_err();
        assert!(e.message.contains("line 1 is longer than 16 KiB"), "{e}");
        assert!(!e.message.contains("xxx"), "{e}");
        let bad = dir.join("bad");
        std::fs::write(&bad, b"ok\nx\xffy\n").unwrap();
        let e = for_each_line(bad.to_str().unwrap(), "batch file", |_, _| Ok(())).unwrap_err();
        assert!(e.message.contains("line 2 is not valid UTF-8"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
