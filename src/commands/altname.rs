//! Alternative names (`ip link property add dev tap0 altname foo`). The
//! kernel finds a device by any of its names, so a command given an
//! altname would act on the device and then look for it under the altname
//! and not find it. Each name is resolved once, here, before a command
//! runs: the command acts on and reports the device under its real name,
//! and a note says which altname was used. `add` is the exception: it
//! learns of an altname only where the name turns out taken
//! (`add::taken_by`), so that creating a new device costs no lookup.
//!
//! apply refuses an altname (exit 4): an apply file is the list of devices
//! by name, and `--prune` compares those names; a device declared by an
//! altname would be converged under one name and pruned under the other.

use std::collections::HashSet;

use super::{Context, ShowRequest};
use crate::error::{Error, Result};
use crate::glob::Pattern;
use crate::netlink::Link;
use crate::request::Command;
use crate::text::printable;
use crate::validate::IfName;

/// `command` with every altname it names replaced by its device's real
/// name (None when it names none), each replacement said in a note.
pub fn resolve(ctx: &Context, command: &Command) -> Result<Option<Command>> {
    let mut changed = false;
    // show reads a dump, not the link: what it looked up is not kept.
    let keep = !matches!(command, Command::Show(_));
    let mut real = |name: &str| -> Result<Option<String>> {
        let found = real_name(ctx, name, keep)?;
        if let Some(real) = &found {
            ctx.warn(note(name, real));
            changed = true;
        }
        Ok(found)
    };
    let mut out = command.clone();
    match &mut out {
        Command::Set(req) => {
            for n in std::iter::once(&mut req.name).chain(req.more.iter_mut()) {
                if let Some(name) = real(n.as_str())? {
                    *n = IfName::lookup(&name)?;
                }
            }
        }
        Command::Del(req) => {
            // Many names (a bulk del): one dump, and a lookup only for the
            // names no device has as its own.
            let known: HashSet<String> = if req.names.len() > 8 {
                ctx.links()?.into_iter().map(|l| l.name).collect()
            } else {
                HashSet::new()
            };
            for n in req.names.iter_mut().filter(|n| !known.contains(n.as_str())) {
                if let Some(name) = real(n.as_str())? {
                    *n = IfName::lookup(&name)?;
                }
            }
        }
        Command::Show(ShowRequest { names, .. }) => {
            for p in names.iter_mut().filter(|p| !p.is_glob()) {
                if let Some(name) = real(p.as_str())? {
                    *p = Pattern::parse(&name)?;
                }
            }
        }
        _ => {}
    }
    Ok(changed.then_some(out))
}

/// The note for stderr when `alt` was used for `real`.
pub fn note(alt: &str, real: &str) -> String {
    format!(
        "note: {} is an altname of {}: acting on {}",
        printable(alt),
        printable(real),
        printable(real)
    )
}

/// The real name of the device `name` is an altname of; None when `name`
/// is a device's own name or names nothing.
fn real_name(ctx: &Context, name: &str, keep: bool) -> Result<Option<String>> {
    let Some(link) = ctx.link_by_name(name)? else {
        return Ok(None);
    };
    let real = (link.name != name).then(|| link.name.clone());
    // The command looks the device up next, under its real name.
    if keep {
        ctx.keep_looked_up(link);
    }
    Ok(real)
}

/// apply: refuse a declared name that is another device's altname, the
/// same in --dry-run and a real run. `links` is the namespace's dump; only
/// names it lacks are asked about (one lookup each).
pub fn refuse_in_apply<'a>(
    ctx: &Context,
    declared: impl Iterator<Item = &'a str>,
    links: &[Link],
) -> Result<()> {
    let known: HashSet<&str> = links.iter().map(|l| l.name.as_str()).collect();
    for name in declared.filter(|n| !known.contains(n)) {
        if let Some(real) = real_name(ctx, name, false)? {
            return Err(Error::conflict(format!(
                "{}: is an altname of {}; an apply file names each device by its own name (--prune compares names)",
                printable(name),
                printable(&real)
            ))
            .fix(format!(
                "write \"{}\" in the file instead of \"{}\"",
                printable(&real),
                printable(name)
            ))
            .on(name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_both() {
        assert_eq!(
            note("foo", "tap0"),
            "note: foo is an altname of tap0: acting on tap0"
        );
        assert!(
            note("a\x1bb", "tap0").contains("a\\x1bb") || !note("a\x1bb", "tap0").contains('\x1b')
        );
    }
}
