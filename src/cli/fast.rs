//! A fast path for the batch lines that boot scripts repeat thousands of
//! times (`add NAME --user U -a ADDR --up`, `del NAME...`): matching the
//! words by hand instead of through clap, which costs most of a batch's
//! user time. Only the token matching is ours: the values go into the same
//! clap structs and through the same `into_command`, so every rule and
//! message is the one the command line has. Anything it does not know (an
//! option it does not list, `--opt=value`, a repeated option, a value that
//! looks like an option, a conflict) returns None and clap parses the line,
//! errors included. A property test holds it to clap's result.

use super::{AddArgs, CliCommand, DelArgs, GlobalArgs};

/// The line's command, or None to let clap parse it.
pub fn parse(words: &[String]) -> Option<(GlobalArgs, CliCommand)> {
    let (first, rest) = words.split_first()?;
    let command = match first.as_str() {
        "add" | "create" => CliCommand::Add(add(rest)?),
        "del" | "delete" | "rm" => CliCommand::Del(del(rest)?),
        _ => return None,
    };
    Some((GlobalArgs::default(), command))
}

/// A value for an option: present, and not something clap would read as an
/// option itself.
fn value(it: &mut std::slice::Iter<'_, String>) -> Option<String> {
    let v = it.next()?;
    (!v.starts_with('-')).then(|| v.clone())
}

/// Set a single-valued option once; a second time is clap's error to give.
fn once(slot: &mut Option<String>, v: String) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(v);
    Some(())
}

fn flag(slot: &mut bool) -> Option<()> {
    if *slot {
        return None;
    }
    *slot = true;
    Some(())
}

fn add(words: &[String]) -> Option<AddArgs> {
    let mut a = AddArgs::default();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "--tun" => flag(&mut a.tun)?,
            "--tap" => flag(&mut a.tap)?,
            "--pi" => flag(&mut a.pi)?,
            "--vnet-hdr" => flag(&mut a.vnet_hdr)?,
            "--multi-queue" => flag(&mut a.multi_queue)?,
            "--up" => flag(&mut a.up)?,
            "--exist-ok" => flag(&mut a.exist_ok)?,
            "-b" | "--brief" => flag(&mut a.brief)?,
            "-u" | "--user" => once(&mut a.user, value(&mut it)?)?,
            "-g" | "--group" => once(&mut a.group, value(&mut it)?)?,
            "--mtu" => once(&mut a.mtu, value(&mut it)?)?,
            "--txqueuelen" => once(&mut a.txqueuelen, value(&mut it)?)?,
            "--mac" => once(&mut a.mac, value(&mut it)?)?,
            "-a" | "--address" => a.addresses.push(value(&mut it)?),
            name if !name.starts_with('-') => once(&mut a.name, name.to_string())?,
            _ => return None,
        }
    }
    // --tun with --tap is clap's conflict error.
    (!(a.tun && a.tap)).then_some(a)
}

fn del(words: &[String]) -> Option<DelArgs> {
    let mut d = DelArgs {
        names: Vec::new(),
        missing_ok: false,
        force: false,
        dry_run: false,
    };
    for w in words {
        match w.as_str() {
            "--missing-ok" => flag(&mut d.missing_ok)?,
            "--force" => flag(&mut d.force)?,
            "--dry-run" => flag(&mut d.dry_run)?,
            name if !name.starts_with('-') => d.names.push(name.to_string()),
            _ => return None,
        }
    }
    (!d.names.is_empty()).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    /// What clap makes of the same words, through the same translation.
    fn by_clap(words: &[String]) -> Option<String> {
        let argv = std::iter::once("tuntapctl".to_string()).chain(words.iter().cloned());
        let cli = <super::super::Cli as clap::Parser>::try_parse_from(argv).ok()?;
        Some(format!("{:?} {:?}", cli.global, cli.command.into_command()))
    }

    fn by_fast(words: &[String]) -> Option<String> {
        let (global, command) = parse(words)?;
        Some(format!("{global:?} {:?}", command.into_command()))
    }

    #[test]
    fn common_lines_take_the_fast_path() {
        for line in [
            "add tap1 --tap --user nobody",
            "add tap1 --user nobody -a 10.0.0.1/30 --up",
            "create tun0 -u 0 -g 0 --mtu 1400 --txqueuelen 10 --exist-ok -b",
            "add tap%d --mac 02:00:00:00:00:01 --vnet-hdr --multi-queue --pi",
            "del tap1 tap2 --missing-ok",
            "rm tap1 --force",
        ] {
            let w = words(line);
            assert!(by_fast(&w).is_some(), "{line}");
            assert_eq!(by_fast(&w), by_clap(&w), "{line}");
        }
    }

    #[test]
    fn anything_else_goes_to_clap() {
        for line in [
            "add tap1 --user=nobody",
            "add tap1 --user nobody --user root",
            "add tap1 --tun --tap",
            "add tap1 tap2",
            "add tap1 --user -5",
            "add tap1 --master br0",
            "add tap1 -q",
            "add tap1 --user",
            "del",
            "del tap1 --force --force",
            "set tap1 --up",
            "list",
            "-q add tap1",
        ] {
            assert_eq!(by_fast(&words(line)), None, "{line}");
        }
    }

    proptest! {
        /// Whenever the fast path answers, clap answers the same.
        #[test]
        fn agrees_with_clap(tokens in proptest::collection::vec(prop_oneof![
            Just("add"), Just("del"), Just("create"), Just("rm"), Just("tap1"), Just("tun%d"),
            Just("--tun"), Just("--tap"), Just("--pi"), Just("--up"), Just("--exist-ok"),
            Just("-b"), Just("-u"), Just("--user"), Just("nobody"), Just("0"), Just("-g"),
            Just("-a"), Just("10.0.0.1/24"), Just("fd00::1/64"), Just("--mtu"), Just("9000"),
            Just("--mac"), Just("random"), Just("--missing-ok"), Just("--force"), Just("x y"),
            Just("--txqueuelen"), Just("-1"), Just("bad/name"), Just("--vnet-hdr"),
        ], 0..8)) {
            let w: Vec<String> = tokens.iter().map(|t| t.to_string()).collect();
            if let Some(fast) = by_fast(&w) {
                prop_assert_eq!(Some(fast), by_clap(&w));
            }
        }
    }
}
