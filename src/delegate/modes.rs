//! StrictModes for the policy file, as sshd checks its files: the file and
//! every directory above it must be owned by root and writable by no one
//! else, or `serve` refuses to start (exit 5, naming the path).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One path on the way from the file up to `/`, as lstat saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: PathBuf,
    pub uid: u32,
    pub mode: u32,
    pub is_file: bool,
}

/// The first entry that fails, with why (a pure function, tested without root).
pub fn first_failure(entries: &[Entry]) -> Option<(&Entry, String)> {
    entries.iter().find_map(|e| {
        let why = if e.uid != 0 {
            format!("is owned by uid {}, not root", e.uid)
        } else if e.mode & 0o022 != 0 {
            format!(
                "is {}-writable (mode {:04o})",
                if e.mode & 0o002 != 0 {
                    "world"
                } else {
                    "group"
                },
                e.mode & 0o7777
            )
        } else {
            return None;
        };
        Some((e, why))
    })
}

/// Check the policy path (resolved, so a symlink is judged by its target
/// and the directories on the way there).
pub fn check(path: &str) -> Result<()> {
    let real = std::fs::canonicalize(path).map_err(|e| {
        Error::not_found(format!("policy {path}: cannot open it: {e}"))
            .fix("create it (see /usr/share/doc/tuntapctl/delegate.toml) or give --policy FILE")
    })?;
    let mut entries = Vec::new();
    let mut at: Option<&Path> = Some(&real);
    while let Some(p) = at {
        let meta = std::fs::symlink_metadata(p).map_err(|e| {
            Error::failed(format!("policy {path}: cannot check {}: {e}", p.display()))
        })?;
        entries.push(Entry {
            path: p.to_path_buf(),
            uid: meta.uid(),
            mode: meta.mode(),
            is_file: meta.is_file(),
        });
        at = p.parent();
    }
    if !entries[0].is_file {
        return Err(
            Error::usage(format!("policy {path}: is not a regular file"))
                .fix("give the path of the policy file"),
        );
    }
    match first_failure(&entries) {
        None => Ok(()),
        Some((e, why)) => Err(Error::permission(format!(
            "policy {path}: {} {why}, so a user other than root could change the policy",
            e.path.display()
        ))
        .fix(format!(
            "chown root:root {0} && chmod go-w {0}, or keep the policy under a root-only directory such as /etc/tuntapctl (never /tmp)",
            e.path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(path: &str, uid: u32, mode: u32) -> Entry {
        Entry {
            path: PathBuf::from(path),
            uid,
            mode,
            is_file: false,
        }
    }

    #[test]
    fn root_owned_and_not_writable_by_others_passes() {
        let ok = [
            e("/etc/t/p.toml", 0, 0o100644),
            e("/etc/t", 0, 0o40755),
            e("/", 0, 0o40755),
        ];
        assert!(first_failure(&ok).is_none());
    }

    #[test]
    fn world_writable_file_group_writable_dir_and_other_owner_fail() {
        let file = [e("/etc/p.toml", 0, 0o100666), e("/", 0, 0o40755)];
        let (bad, why) = first_failure(&file).unwrap();
        assert_eq!(bad.path, PathBuf::from("/etc/p.toml"));
        assert!(why.contains("world-writable"), "{why}");
        let dir = [
            e("/x/p.toml", 0, 0o100600),
            e("/x", 0, 0o40775),
            e("/", 0, 0o40755),
        ];
        let (bad, why) = first_failure(&dir).unwrap();
        assert_eq!(bad.path, PathBuf::from("/x"));
        assert!(why.contains("group-writable"), "{why}");
        let owner = [e("/home/a/p.toml", 1000, 0o100600), e("/", 0, 0o40755)];
        assert!(first_failure(&owner).unwrap().1.contains("uid 1000"));
        // /tmp is 1777: sticky does not save it.
        let tmp = [
            e("/tmp/p.toml", 0, 0o100600),
            e("/tmp", 0, 0o41777),
            e("/", 0, 0o40755),
        ];
        assert_eq!(first_failure(&tmp).unwrap().0.path, PathBuf::from("/tmp"));
    }
}
