//! Arguments become validated requests, once: every value parsed and
//! checked here, before any command runs (fd's `cli.rs` model).

use super::CliCommand;
use super::args::{AddArgs, SetArgs};
use crate::error::{Error, Result};
use crate::glob::Pattern;
use crate::request::{
    AddRequest, ApplyRequest, AroundRequest, Asked, BatchRequest, BridgeHelperRequest, Command,
    DelRequest, DoctorRequest, Filter, ListRequest, MonitorRequest, ServeRequest, SetRequest,
    ShowRequest,
};
use crate::validate::around::{self, MasterSpec};
use crate::validate::{
    AddrSelector, IdSpec, IfAddr, IfName, MacSpec, Mode, parse_mtu, parse_txqueuelen,
};

fn id_spec(what: &str, v: &Option<String>) -> Result<Option<IdSpec>> {
    v.as_deref().map(|s| IdSpec::parse(what, s)).transpose()
}

/// Parse addresses, refusing one given twice (the second add would fail
/// with EEXIST after the device was made).
fn addresses(texts: &[String]) -> Result<Vec<IfAddr>> {
    let mut out: Vec<IfAddr> = Vec::new();
    for text in texts {
        let addr = IfAddr::parse(text)?;
        if out.iter().any(|a| a.address == addr.address) {
            return Err(Error::usage(format!(
                "address {} is given twice; give each address once",
                addr.address
            )));
        }
        out.push(addr);
    }
    Ok(out)
}

/// Parse `--del-address` values (with or without a prefix), refusing one
/// given twice.
fn del_addresses(texts: &[String]) -> Result<Vec<AddrSelector>> {
    let mut out: Vec<AddrSelector> = Vec::new();
    for text in texts {
        let sel = AddrSelector::parse(text)?;
        if out.contains(&sel) {
            return Err(Error::usage(format!(
                "--del-address {sel} is given twice; give each address once"
            )));
        }
        out.push(sel);
    }
    Ok(out)
}

/// `--mac`: on the command line `random` is one more way out.
fn mac_arg(text: &str) -> Result<MacSpec> {
    MacSpec::parse(text).map_err(|mut e| {
        e.message
            .push_str("; or let tuntapctl pick one: --mac random");
        e
    })
}

/// Name the interface in a validation error that is not already about it
/// (an error that knows its interface says so in its message).
fn about(name: &IfName) -> impl Fn(Error) -> Error + '_ {
    move |e: Error| {
        if e.interface.as_deref() == Some(name.as_str()) {
            e
        } else {
            e.context(name).on(name.as_str())
        }
    }
}

fn patterns<'a>(texts: impl IntoIterator<Item = &'a String>) -> Result<Vec<Pattern>> {
    texts.into_iter().map(|t| Pattern::parse(t)).collect()
}

/// Names of existing devices (del, show): whatever the kernel can hold.
fn names<'a>(texts: impl IntoIterator<Item = &'a String>) -> Result<Vec<IfName>> {
    texts.into_iter().map(|t| IfName::lookup(t)).collect()
}

/// A word `del` takes as a pattern, by the rule list and show use.
fn is_glob(text: &str) -> bool {
    Pattern::parse(text).is_ok_and(|p| p.is_glob())
}

impl AddArgs {
    fn into_request(self) -> Result<AddRequest> {
        let mode: Option<Mode> = match (self.mode, self.tun, self.tap) {
            (Some(m), _, _) => Some(m.into()),
            (None, true, _) => Some(Mode::Tun),
            (None, _, true) => Some(Mode::Tap),
            _ => None,
        };
        let name = match &self.name {
            Some(n) => IfName::parse_template(n)?,
            None => IfName::parse_template(match mode {
                Some(Mode::Tun) => "tun%d",
                _ => "tap%d",
            })?,
        };
        let mode = mode.unwrap_or_else(|| Mode::for_name(name.as_str()));
        self.request_for(name.clone(), mode).map_err(about(&name))
    }

    fn request_for(self, name: IfName, mode: Mode) -> Result<AddRequest> {
        let mac = self.mac.as_deref().map(mac_arg).transpose()?;
        if mac.is_some() {
            crate::validate::check_mac_for_mode(
                mode,
                name.as_str(),
                &format!("--mac {}", self.mac.as_deref().unwrap_or_default()),
                "drop --mac or use --tap",
            )?;
        }
        let mtu = self.mtu.as_deref().map(parse_mtu).transpose()?;
        if let Some(mtu) = mtu {
            crate::validate::check_mtu_for_mode(mtu, mode, name.as_str())?;
        }
        let mut addrs = addresses(&self.addresses)?;
        if let Some(peer) = &self.peer {
            // clap requires -a with --peer; say so anyway rather than index.
            let first = addrs.first_mut().ok_or_else(|| {
                Error::usage("--peer needs an address to pair with: give -a ADDR as well")
            })?;
            *first = first.with_peer(peer)?;
        }
        Ok(AddRequest {
            name,
            mode,
            owner: id_spec("user", &self.user)?,
            group: id_spec("group", &self.group)?,
            pi: self.pi,
            vnet_hdr: self.vnet_hdr,
            multi_queue: self.multi_queue,
            mac,
            mtu,
            txqueuelen: self
                .txqueuelen
                .as_deref()
                .map(parse_txqueuelen)
                .transpose()?,
            addresses: addrs,
            up: self.up,
            exist_ok: self.exist_ok,
            brief: self.brief,
            dry_run: self.dry_run,
            around: AroundRequest {
                master: self
                    .master
                    .as_deref()
                    .map(|m| around::parse_device_name("master", m).map(MasterSpec::Set))
                    .transpose()?,
                alias: self.alias.as_deref().map(around::parse_alias).transpose()?,
                addrgenmode: self.addrgenmode,
                ..Default::default()
            },
        })
    }
}

/// `--move-to NS`: checked as `--netns` is, before anything changes.
fn move_to(ns: &str) -> Result<String> {
    if ns.is_empty() {
        return Err(Error::usage(
            "--move-to is empty: give a name under /run/netns, a path such as /proc/PID/ns/net, or a PID",
        ));
    }
    crate::netns::resolve(ns).map_err(|e| e.context("--move-to"))?;
    Ok(ns.to_string())
}

impl SetArgs {
    fn into_request(self) -> Result<SetRequest> {
        let mut all = names(&self.names)?;
        let name = all.remove(0);
        crate::commands::check_set_many(&self.rename, &self.move_to, &self.mac, &all)
            .map_err(about(&name))?;
        self.request_for(name.clone(), all).map_err(about(&name))
    }

    fn request_for(self, name: IfName, more: Vec<IfName>) -> Result<SetRequest> {
        Ok(SetRequest {
            name,
            more,
            owner: id_spec("user", &self.user)?,
            group: id_spec("group", &self.group)?,
            mac: self.mac.as_deref().map(mac_arg).transpose()?,
            mtu: self.mtu.as_deref().map(parse_mtu).transpose()?,
            txqueuelen: self
                .txqueuelen
                .as_deref()
                .map(parse_txqueuelen)
                .transpose()?,
            up: match (self.up, self.down) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
            add_addresses: addresses(&self.addresses)?,
            del_addresses: del_addresses(&self.del_addresses)?,
            flush_addresses: self.flush_addresses,
            carrier: self.carrier.as_deref().map(|c| c == "on"),
            around: AroundRequest {
                master: match (&self.master, self.nomaster) {
                    (Some(m), _) => Some(MasterSpec::Set(around::parse_device_name("master", m)?)),
                    (None, true) => Some(MasterSpec::Free),
                    (None, false) => None,
                },
                alias: self.alias.as_deref().map(around::parse_alias).transpose()?,
                addrgenmode: self.addrgenmode,
                rename: self.rename.as_deref().map(IfName::parse).transpose()?,
                move_to: self.move_to.as_deref().map(move_to).transpose()?,
            },
        })
    }
}

impl CliCommand {
    /// Validate the arguments into a request; no kernel calls.
    pub fn into_command(self) -> Result<Command> {
        Ok(match self {
            CliCommand::Add(a) => Command::Add(a.into_request()?),
            CliCommand::Del(d) => Command::Del(DelRequest {
                names: names(d.names.iter().filter(|n| !is_glob(n)))?,
                patterns: patterns(d.names.iter().filter(|n| is_glob(n)))?,
                missing_ok: d.missing_ok,
                force: d.force,
                dry_run: d.dry_run,
            }),
            CliCommand::Set(s) => Command::Set(s.into_request()?),
            CliCommand::List(l) => Command::List(ListRequest {
                filter: Filter {
                    mode: l.mode.map(Into::into),
                    owner: id_spec("user", &l.user)?,
                    group: id_spec("group", &l.group)?,
                    up: match (l.up, l.down) {
                        (true, _) => Some(true),
                        (_, true) => Some(false),
                        _ => None,
                    },
                    patterns: patterns(&l.patterns)?,
                    master: l
                        .master
                        .as_deref()
                        .map(|m| crate::validate::around::parse_device_name("master", m))
                        .transpose()?,
                },
                stats: l.stats,
            }),
            CliCommand::Show(s) => Command::Show(ShowRequest {
                names: patterns(&s.names)?,
            }),
            CliCommand::Apply(a) => Command::Apply(ApplyRequest {
                file: a.file,
                dry_run: a.dry_run,
                prune: a.prune,
            }),
            CliCommand::Batch(b) => Command::Batch(BatchRequest {
                file: b.file,
                force: b.force,
                dry_run: b.dry_run,
            }),
            CliCommand::Completions(c) => Command::Completions(c.shell),
            CliCommand::Doctor(d) => Command::Doctor(DoctorRequest {
                name: IfName::parse(&d.name)?,
                user: IdSpec::parse("user", &d.user)?,
                groups: d
                    .groups
                    .iter()
                    .map(|g| IdSpec::parse("group", g))
                    .collect::<Result<_>>()?,
                asked: Asked {
                    mode: match (d.tun, d.tap) {
                        (true, _) => Some(Mode::Tun),
                        (_, true) => Some(Mode::Tap),
                        _ => None,
                    },
                    pi: d.pi,
                    vnet_hdr: d.vnet_hdr,
                    multi_queue: d.multi_queue,
                    try_attach: d.try_attach,
                },
            }),
            CliCommand::Monitor(m) => Command::Monitor(MonitorRequest {
                patterns: m.patterns,
                count: m.count,
            }),
            CliCommand::CompleteNames => Command::CompleteNames,
            CliCommand::CompleteMasters => Command::CompleteMasters,
            CliCommand::CompleteNetns => Command::CompleteNetns,
            CliCommand::Cni => Command::Cni,
            CliCommand::Serve(s) => Command::Serve(ServeRequest {
                policy: s.policy,
                check: s.check,
            }),
            CliCommand::BridgeHelper(b) => Command::BridgeHelper(BridgeHelperRequest {
                bridge: b.br,
                fd: b.fd,
                vnet_hdr: b.use_vnet,
            }),
            // app runs tunctl mode before commands are made; only a batch
            // line gets here.
            CliCommand::Tunctl(_) => {
                return Err(Error::usage(
                    "tunctl is not allowed on a batch line: run tuntapctl tunctl ... as its own command",
                ));
            }
        })
    }
}
