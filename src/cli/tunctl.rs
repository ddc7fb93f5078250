//! tunctl mode (SPEC §9): the command line of Debian's tunctl
//! (uml-utilities 20070815) on top of `add` and `del`, for scripts that call
//! tunctl and parse what it prints.
//!
//! On success the output and exit status are tunctl's, byte for byte. Its
//! argument errors (getopt's messages, the unknown-user message, the usage
//! text) are reproduced too, so a script sees the same stderr. Where tunctl is
//! unsafe, this is not: a name over 15 bytes is refused instead of cut, `-d`
//! of a missing name deletes nothing instead of making and removing a ghost
//! device, and a name that is not a tun/tap of the asked mode is not touched.
//! Every failure exits with status 1, as tunctl's do.

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use crate::cli::GlobalArgs;
use crate::commands::{self, AddRequest, Context, DelRequest};
use crate::error::{Error, Result, errno_text};
use crate::validate::{IdSpec, IfName, Mode};

/// The clone device tunctl opens unless -f names another.
const DEFAULT_CLONE_DEVICE: &str = "/dev/net/tun";

/// What every failure exits with, as in tunctl.
const FAILURE: i32 = 1;

/// Was the binary started under the name tunctl (a symlink)?
pub fn invoked_as_tunctl(argv0: Option<&OsString>) -> bool {
    argv0
        .map(Path::new)
        .and_then(Path::file_name)
        .is_some_and(|base| base == OsStr::new("tunctl"))
}

/// tunctl's usage text, with the program name as it was invoked.
pub fn usage(prog: &str) -> String {
    format!(
        "Create: {prog} [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]\n\
         Delete: {prog} -d device-name [-f tun-clone-device]\n\
         \n\
         The default tun clone device is /dev/net/tun - some systems use\n\
         /dev/misc/net/tun instead\n\
         \n\
         -b will result in brief output (just the device name)\n"
    )
}

/// One tunctl command line, parsed; users and groups already resolved (as
/// tunctl does while it reads its options).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    pub brief: bool,
    pub delete: bool,
    /// The -t or -d name as given; empty: the kernel picks tapN/tunN.
    pub name: OsString,
    pub clone_device: OsString,
    /// None is tunctl's -1: not given (or given as -1).
    pub owner: Option<u32>,
    pub group: Option<u32>,
    pub mode: Mode,
}

/// Why a tunctl command line was refused; printed as tunctl prints it,
/// followed by the usage text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// getopt: "invalid option -- 'x'".
    InvalidOption(u8),
    /// getopt: "option requires an argument -- 'x'".
    MissingArgument(u8),
    UnknownUser(OsString),
    UnknownGroup(OsString),
    /// Words that are not options: only the usage text.
    Operands,
}

impl ParseError {
    /// The bytes tunctl writes to stderr for this error.
    pub fn text(&self, prog: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let quoted = |what: &OsStr| {
            let mut v = b"'".to_vec();
            v.extend_from_slice(what.as_bytes());
            v.push(b'\'');
            v
        };
        match self {
            ParseError::InvalidOption(c) => {
                out.extend_from_slice(format!("{prog}: invalid option -- '").as_bytes());
                out.extend_from_slice(&[*c, b'\'', b'\n']);
            }
            ParseError::MissingArgument(c) => {
                out.extend_from_slice(
                    format!("{prog}: option requires an argument -- '").as_bytes(),
                );
                out.extend_from_slice(&[*c, b'\'', b'\n']);
            }
            ParseError::UnknownUser(u) => {
                out.extend(quoted(u));
                out.extend_from_slice(b" is neither a username nor a numeric uid.\n");
            }
            ParseError::UnknownGroup(g) => {
                out.extend(quoted(g));
                out.extend_from_slice(b" is neither a groupname nor a numeric group.\n");
            }
            ParseError::Operands => {}
        }
        out.extend_from_slice(usage(prog).as_bytes());
        out
    }
}

/// C's strtol(text, &end, 0), and whether it consumed the whole text (the
/// test tunctl applies). Overflow saturates, as strtol does.
fn strtol0(text: &[u8]) -> Option<i64> {
    let mut i = 0;
    while i < text.len() && matches!(text[i], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        i += 1;
    }
    let negative = match text.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let hex_digit = |b: Option<&u8>| b.is_some_and(u8::is_ascii_hexdigit);
    let radix: u32 = if text.get(i) == Some(&b'0')
        && matches!(text.get(i + 1), Some(b'x' | b'X'))
        && hex_digit(text.get(i + 2))
    {
        i += 2;
        16
    } else if text.get(i) == Some(&b'0') {
        8
    } else {
        10
    };
    let start = i;
    let mut value: i128 = 0;
    while let Some(d) = text.get(i).and_then(|b| (*b as char).to_digit(radix)) {
        value = (value * i128::from(radix) + i128::from(d)).min(i128::from(u64::MAX) + 1);
        i += 1;
    }
    if i == start {
        // No digits: strtol leaves end at the very start, so only an empty
        // text passes tunctl's `*end == '\0'` test (as 0).
        return text.is_empty().then_some(0);
    }
    if i != text.len() {
        return None;
    }
    let value = if negative { -value } else { value };
    Some(value.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

/// tunctl's `owner = strtol(...)` into a uid_t, where (uid_t)-1 means unset.
fn numeric_id(text: &[u8]) -> Option<Option<u32>> {
    strtol0(text).map(|v| {
        // The C assignment truncates to 32 bits.
        let id = v as u32;
        (id != u32::MAX).then_some(id)
    })
}

/// Parse tunctl's arguments (without argv[0]) as glibc getopt with
/// "bd:f:t:u:g:" (plus n and p) does: options may be grouped (-bt tap0) and
/// their argument attached (-ttap0); words that are not options are moved to
/// the end and, as tunctl has none, make it print its usage; "--" ends the
/// options. Users and groups are looked up by name first, then read as
/// numbers, in option order, as tunctl does.
pub fn parse(
    args: &[OsString],
    user_by_name: impl Fn(&OsStr) -> Option<u32>,
    group_by_name: impl Fn(&OsStr) -> Option<u32>,
) -> std::result::Result<Invocation, ParseError> {
    let mut inv = Invocation {
        brief: false,
        delete: false,
        name: OsString::new(),
        clone_device: OsString::from(DEFAULT_CLONE_DEVICE),
        owner: None,
        group: None,
        mode: Mode::Tap,
    };
    let mut operands = 0;
    let mut i = 0;
    while i < args.len() {
        let word = args[i].as_bytes();
        if word == b"--" {
            operands += args.len() - i - 1;
            break;
        }
        if word.len() < 2 || word[0] != b'-' {
            operands += 1;
            i += 1;
            continue;
        }
        let mut j = 1;
        while j < word.len() {
            let c = word[j];
            match c {
                b'b' => inv.brief = true,
                b'n' => inv.mode = Mode::Tun,
                b'p' => inv.mode = Mode::Tap,
                b'd' | b'f' | b't' | b'u' | b'g' => {
                    let value: &[u8] = if j + 1 < word.len() {
                        &word[j + 1..]
                    } else {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.as_bytes(),
                            None => return Err(ParseError::MissingArgument(c)),
                        }
                    };
                    let text = OsStr::from_bytes(value);
                    match c {
                        b'd' => {
                            inv.delete = true;
                            inv.name = text.to_os_string();
                        }
                        b't' => inv.name = text.to_os_string(),
                        b'f' => inv.clone_device = text.to_os_string(),
                        b'u' => {
                            inv.owner = match user_by_name(text) {
                                Some(uid) => Some(uid),
                                None => numeric_id(value)
                                    .ok_or_else(|| ParseError::UnknownUser(text.to_os_string()))?,
                            }
                        }
                        _ => {
                            inv.group = match group_by_name(text) {
                                Some(gid) => Some(gid),
                                None => numeric_id(value)
                                    .ok_or_else(|| ParseError::UnknownGroup(text.to_os_string()))?,
                            }
                        }
                    }
                    break;
                }
                other => return Err(ParseError::InvalidOption(other)),
            }
            j += 1;
        }
        i += 1;
    }
    if operands > 0 {
        return Err(ParseError::Operands);
    }
    Ok(inv)
}

/// tunctl's line for a created or re-owned interface.
fn created_line(name: &str, owner: Option<u32>, group: Option<u32>, brief: bool) -> String {
    if brief {
        return name.to_string();
    }
    let mut line = format!("Set '{name}' persistent and owned by");
    // tunctl prints the ids with %d.
    if let Some(uid) = owner {
        line += &format!(" uid {}", uid as i32);
    }
    if let Some(gid) = group {
        line += &format!(" gid {}", gid as i32);
    }
    line
}

/// tunctl's line for a deleted interface.
fn deleted_line(name: &str) -> String {
    format!("Set '{name}' nonpersistent")
}

/// What a run printed to stdout and, besides errors, to stderr.
struct Report {
    line: String,
    notes: Vec<String>,
}

/// Run tunctl mode: `prog` is the name for messages (argv[0], or
/// "tuntapctl tunctl"), `args` the words after it. Returns the exit status.
/// The caller has entered --netns, if any.
pub fn run(prog: &str, args: &[OsString], global: &GlobalArgs) -> i32 {
    let inv = match parse(args, user_by_name, group_by_name) {
        Ok(inv) => inv,
        Err(e) => {
            let _ = std::io::stderr().write_all(&e.text(prog));
            return FAILURE;
        }
    };
    if global.json {
        eprintln!(
            "{prog}: --json does not apply to tunctl mode, which prints what tunctl prints; use tuntapctl add or del --json instead"
        );
        return FAILURE;
    }
    let clone = match open_clone_device(&inv.clone_device) {
        Ok(file) => file,
        Err(text) => {
            eprintln!("{text}");
            return FAILURE;
        }
    };
    let ctx = Context::new();
    let result = execute(&ctx, &inv, &clone);
    drop(clone);
    let warnings = ctx.take_warnings();
    match result {
        Ok(report) => {
            if !global.quiet {
                for note in warnings.iter().chain(&report.notes) {
                    eprintln!("{prog}: {note}");
                }
                let mut stdout = std::io::stdout().lock();
                let _ = writeln!(stdout, "{}", report.line);
            }
            0
        }
        Err(e) => {
            for note in &warnings {
                eprintln!("{prog}: {note}");
            }
            eprintln!("{prog}: {}", e.message);
            FAILURE
        }
    }
}

fn user_by_name(name: &OsStr) -> Option<u32> {
    uzers::get_user_by_name(name).map(|u| u.uid())
}

fn group_by_name(name: &OsStr) -> Option<u32> {
    uzers::get_group_by_name(name).map(|g| g.gid())
}

fn execute(ctx: &Context, inv: &Invocation, clone: &std::fs::File) -> Result<Report> {
    check_clone_device(&inv.clone_device, clone)?;
    let Some(text) = inv.name.to_str() else {
        return Err(Error::usage(format!(
            "interface name {:?} is not valid: it is not UTF-8; give 1 to 15 plain characters",
            inv.name
        )));
    };
    if inv.delete {
        delete(ctx, inv, text)
    } else {
        create(ctx, inv, text)
    }
}

/// tunctl opens the clone device first and reports a failure in its own
/// words (stderr, exit 1): "Failed to open '/missing' : No such file or
/// directory".
fn open_clone_device(path: &OsStr) -> std::result::Result<std::fs::File, String> {
    crate::tun::open_clone_device(Path::new(path)).map_err(|e| {
        format!(
            "Failed to open '{}' : {}",
            path.to_string_lossy(),
            e.errno.desc()
        )
    })
}

/// The interface is made through /dev/net/tun by `add`, so -f must name the
/// tun clone device itself (character device 10:200).
fn check_clone_device(path: &OsStr, file: &std::fs::File) -> Result<()> {
    let meta = file.metadata().map_err(|e| {
        Error::failed(format!(
            "cannot stat '{}': {}",
            path.to_string_lossy(),
            errno_text(e.raw_os_error().unwrap_or(libc::EIO))
        ))
    })?;
    let rdev = meta.rdev();
    if !meta.file_type().is_char_device() || libc::major(rdev) != 10 || libc::minor(rdev) != 200 {
        return Err(Error::usage(format!(
            "-f '{}' is not the tun clone device (character device 10:200); give /dev/net/tun or leave -f out",
            path.to_string_lossy()
        )));
    }
    Ok(())
}

fn create(ctx: &Context, inv: &Invocation, name: &str) -> Result<Report> {
    let template = if name.is_empty() {
        match inv.mode {
            Mode::Tun => "tun%d",
            Mode::Tap => "tap%d",
        }
    } else {
        name
    };
    let name = IfName::parse_template(template)?;
    // tunctl without -u and -g makes the caller the owner.
    let (owner, group) = match (inv.owner, inv.group) {
        (None, None) => (Some(nix::unistd::geteuid().as_raw()), None),
        ids => ids,
    };
    let req = AddRequest {
        exist_ok: !name.is_template(),
        name,
        mode: inv.mode,
        owner: owner.map(IdSpec::Id),
        group: group.map(IdSpec::Id),
        pi: false,
        vnet_hdr: false,
        multi_queue: false,
        mac: None,
        mtu: None,
        txqueuelen: None,
        addresses: Vec::new(),
        up: false,
        brief: inv.brief,
        dry_run: false,
        around: Default::default(),
    };
    // An existing tun/tap of the same mode is re-owned, as tunctl does;
    // one of the other mode, or any other kind of link, is refused.
    let outcome = commands::add(ctx, &req)?;
    Ok(Report {
        line: created_line(&outcome.name, owner, group, inv.brief),
        notes: Vec::new(),
    })
}

fn delete(ctx: &Context, inv: &Invocation, name: &str) -> Result<Report> {
    let name = IfName::parse(name)?;
    let link = ctx.link_by_name(name.as_str())?;
    let Some(link) = link else {
        // tunctl "succeeds" here by creating the device and letting it go.
        return Ok(Report {
            line: deleted_line(name.as_str()),
            notes: vec![format!(
                "note: {name} does not exist in this network namespace; nothing was deleted (and, unlike tunctl, no device was made and removed)"
            )],
        });
    };
    if !link.is_tun() {
        return Err(commands::not_tun(&link));
    }
    let mode = link.tun.as_ref().and_then(|t| t.mode);
    if mode != Some(inv.mode) {
        let (flag, what) = match inv.mode {
            Mode::Tap => ("add -n to delete a tun", "a tap (the default)"),
            Mode::Tun => ("leave out -n to delete a tap", "a tun (-n)"),
        };
        return Err(Error::conflict(format!(
            "{name}: is a {}, and {what} was asked for; nothing was deleted (tunctl refuses this too); {flag}",
            mode.map(|m| m.to_string())
                .unwrap_or_else(|| "tun/tap of unknown mode".into()),
        )));
    }
    commands::del(
        ctx,
        &DelRequest {
            names: vec![name.clone()],
            patterns: vec![],
            missing_ok: true,
            force: false,
            dry_run: false,
        },
    )
    .map_err(|mut e| {
        if e.status == crate::error::ExitStatus::Busy {
            e.message = format!(
                "{}; tunctl mode has no --force: use tuntapctl del --force {name}",
                e.message
            );
        }
        e
    })?;
    Ok(Report {
        line: deleted_line(name.as_str()),
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    fn users(name: &OsStr) -> Option<u32> {
        match name.to_str()? {
            "nobody" => Some(65534),
            "1000" => Some(4242), // a user whose name is a number wins
            _ => None,
        }
    }

    fn groups(name: &OsStr) -> Option<u32> {
        (name == "nogroup").then_some(65534)
    }

    fn p(words: &[&str]) -> std::result::Result<Invocation, ParseError> {
        parse(&args(words), users, groups)
    }

    #[test]
    fn defaults() {
        let inv = p(&[]).unwrap();
        assert!(!inv.brief && !inv.delete);
        assert_eq!(inv.name, "");
        assert_eq!(inv.clone_device, "/dev/net/tun");
        assert_eq!((inv.owner, inv.group, inv.mode), (None, None, Mode::Tap));
    }

    #[test]
    fn getopt_grouping_and_attached_arguments() {
        let inv = p(&["-bt", "tap7"]).unwrap();
        assert!(inv.brief);
        assert_eq!(inv.name, "tap7");
        assert_eq!(p(&["-ttap8"]).unwrap().name, "tap8");
        assert_eq!(p(&["-bunobody"]).unwrap().owner, Some(65534));
        // An option argument may start with '-'.
        assert_eq!(p(&["-t", "-b"]).unwrap().name, "-b");
        assert!(!p(&["-t", "-b"]).unwrap().brief);
        let inv = p(&["-f/dev/x", "-g", "nogroup", "-n"]).unwrap();
        assert_eq!(inv.clone_device, "/dev/x");
        assert_eq!(inv.group, Some(65534));
        assert_eq!(inv.mode, Mode::Tun);
        assert_eq!(p(&["-n", "-p"]).unwrap().mode, Mode::Tap);
    }

    #[test]
    fn delete_and_name_last_one_wins() {
        // tunctl keeps one name: -t after -d changes what is deleted.
        let inv = p(&["-d", "tap1", "-t", "tap2"]).unwrap();
        assert!(inv.delete);
        assert_eq!(inv.name, "tap2");
        let inv = p(&["-t", "tap2", "-d", "tap1", "-b"]).unwrap();
        assert!(inv.delete && inv.brief);
        assert_eq!(inv.name, "tap1");
    }

    #[test]
    fn getopt_errors() {
        assert_eq!(p(&["-x"]), Err(ParseError::InvalidOption(b'x')));
        assert_eq!(p(&["-h"]), Err(ParseError::InvalidOption(b'h')));
        assert_eq!(p(&["--help"]), Err(ParseError::InvalidOption(b'-')));
        assert_eq!(p(&["-bx"]), Err(ParseError::InvalidOption(b'x')));
        assert_eq!(p(&["-t"]), Err(ParseError::MissingArgument(b't')));
        assert_eq!(p(&["-b", "-d"]), Err(ParseError::MissingArgument(b'd')));
        assert_eq!(p(&["extra"]), Err(ParseError::Operands));
        assert_eq!(p(&["-"]), Err(ParseError::Operands));
        assert_eq!(p(&["--", "-t", "x"]), Err(ParseError::Operands));
        assert!(p(&["--"]).is_ok());
        // Operands are moved to the end: option errors come first.
        assert_eq!(p(&["extra", "-x"]), Err(ParseError::InvalidOption(b'x')));
        assert_eq!(
            p(&["extra", "-u", "xyzzy"]),
            Err(ParseError::UnknownUser("xyzzy".into()))
        );
        // Options are handled in order; the first error stops.
        assert_eq!(
            p(&["-u", "xyzzy", "-x"]),
            Err(ParseError::UnknownUser("xyzzy".into()))
        );
        assert_eq!(
            p(&["-x", "-u", "xyzzy"]),
            Err(ParseError::InvalidOption(b'x'))
        );
        assert_eq!(
            p(&["-g", "xyzzy"]),
            Err(ParseError::UnknownGroup("xyzzy".into()))
        );
    }

    #[test]
    fn ids_as_tunctl_reads_them() {
        assert_eq!(p(&["-u", "nobody"]).unwrap().owner, Some(65534));
        assert_eq!(p(&["-u", "1000"]).unwrap().owner, Some(4242));
        assert_eq!(p(&["-u", "1001"]).unwrap().owner, Some(1001));
        assert_eq!(p(&["-u", "0x10"]).unwrap().owner, Some(16));
        assert_eq!(p(&["-u", "010"]).unwrap().owner, Some(8));
        assert_eq!(p(&["-u", " +7"]).unwrap().owner, Some(7));
        // strtol("") is 0 with nothing left over; -1 is "not given".
        assert_eq!(p(&["-u", ""]).unwrap().owner, Some(0));
        assert_eq!(p(&["-u", "-1"]).unwrap().owner, None);
        assert_eq!(p(&["-g", "-1"]).unwrap().group, None);
        // Negative and huge values wrap like the C assignment.
        assert_eq!(p(&["-u", "-5"]).unwrap().owner, Some(u32::MAX - 4));
        assert_eq!(p(&["-u", "4294967296"]).unwrap().owner, Some(0));
        // Saturates at LONG_MAX, whose low 32 bits are -1: unset.
        assert_eq!(p(&["-u", "99999999999999999999999"]).unwrap().owner, None);
        for bad in ["08", "0x", "1x", " ", "+", "12 ", "x1"] {
            assert_eq!(
                p(&["-u", bad]),
                Err(ParseError::UnknownUser(bad.into())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn error_text_is_tunctls() {
        let usage = "Create: tunctl [-b] [-u owner] [-g group] [-t device-name] [-f tun-clone-device]\nDelete: tunctl -d device-name [-f tun-clone-device]\n\nThe default tun clone device is /dev/net/tun - some systems use\n/dev/misc/net/tun instead\n\n-b will result in brief output (just the device name)\n";
        assert_eq!(
            String::from_utf8(ParseError::Operands.text("tunctl")).unwrap(),
            usage
        );
        assert_eq!(
            String::from_utf8(ParseError::InvalidOption(b'x').text("tunctl")).unwrap(),
            format!("tunctl: invalid option -- 'x'\n{usage}")
        );
        assert_eq!(
            String::from_utf8(ParseError::MissingArgument(b't').text("tunctl")).unwrap(),
            format!("tunctl: option requires an argument -- 't'\n{usage}")
        );
        assert_eq!(
            String::from_utf8(ParseError::UnknownUser("x".into()).text("tunctl")).unwrap(),
            format!("'x' is neither a username nor a numeric uid.\n{usage}")
        );
        assert_eq!(
            String::from_utf8(ParseError::UnknownGroup("x".into()).text("tunctl")).unwrap(),
            format!("'x' is neither a groupname nor a numeric group.\n{usage}")
        );
    }

    #[test]
    fn output_lines_are_tunctls() {
        assert_eq!(
            created_line("tap0", Some(65534), None, false),
            "Set 'tap0' persistent and owned by uid 65534"
        );
        assert_eq!(
            created_line("tap0", Some(65534), Some(65534), false),
            "Set 'tap0' persistent and owned by uid 65534 gid 65534"
        );
        assert_eq!(
            created_line("tap0", None, Some(65534), false),
            "Set 'tap0' persistent and owned by gid 65534"
        );
        assert_eq!(
            created_line("tap0", Some(u32::MAX - 4), None, false),
            "Set 'tap0' persistent and owned by uid -5"
        );
        assert_eq!(created_line("tap3", Some(0), None, true), "tap3");
        assert_eq!(deleted_line("tap0"), "Set 'tap0' nonpersistent");
    }

    #[test]
    fn argv0_dispatch() {
        let yes = |s: &str| invoked_as_tunctl(Some(&OsString::from(s)));
        assert!(yes("tunctl"));
        assert!(yes("/usr/lib/tuntapctl/tunctl"));
        assert!(!yes("tuntapctl"));
        assert!(!yes("/usr/bin/tuntapctl"));
        assert!(!yes("tunctl2"));
        assert!(!invoked_as_tunctl(None));
    }
}
