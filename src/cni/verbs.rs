//! The verbs: ADD, DEL, CHECK, VERSION, STATUS, GC. Each validates
//! everything before it changes anything; ADD undoes itself (device and
//! IPAM allocation) on any failure; DEL succeeds when there is nothing left
//! to delete.

use serde_json::Value;

use super::check::{self, Expected};
use super::config::{self, NetConf};
use super::device;
use super::env::{CniEnv, Verb};
use super::error::{CniError, CniResult, Code};
use super::ipam::{Allocation, Ipam};
use super::ns::{self, Home};
use super::version::{AddResult, Made, version_json};
use crate::commands::Context;
use crate::validate::{IfName, MacSpec};

/// Run one verb; Some(json) is what goes to stdout on success.
pub fn dispatch(env: &CniEnv, stdin: &[u8]) -> CniResult<Option<Value>> {
    if env.verb == Verb::Version {
        // VERSION answers whatever it is asked (the config may be anything).
        let asked = config::decode(stdin)
            .ok()
            .and_then(|m| config::version_of(&m).ok());
        return Ok(Some(version_json(asked)));
    }
    let map = config::decode(stdin)?;
    let conf = config::parse(&map, env.mac.as_deref())?;
    match env.verb {
        Verb::Add => add(env, conf, stdin).map(Some),
        Verb::Del => del(env, &conf, stdin).map(|()| None),
        Verb::Check => check(env, &conf, stdin).map(|()| None),
        Verb::Status => status(env, &conf, stdin).map(|()| None),
        Verb::Gc => gc(env, &conf, stdin).map(|()| None),
        Verb::Version => Ok(None),
    }
}

/// The IPAM plugin of the config, found and asked for its versions.
fn ipam(env: &CniEnv, conf: &NetConf) -> CniResult<Option<Ipam>> {
    let Some(name) = &conf.ipam else {
        return Ok(None);
    };
    let plugin = Ipam::find(name, &env.path)?;
    plugin.check_version(conf.version)?;
    Ok(Some(plugin))
}

fn attachment(env: &CniEnv) -> CniResult<&IfName> {
    env.ifname
        .as_ref()
        .ok_or_else(|| CniError::new(Code::InvalidEnvironment, "CNI_IFNAME is not set"))
}

fn netns_of(env: &CniEnv) -> CniResult<&std::path::Path> {
    env.netns
        .as_deref()
        .ok_or_else(|| CniError::new(Code::InvalidEnvironment, "CNI_NETNS is not set"))
}

/// Owner and group ids, resolved before anything is made (unknown: code 7).
fn ids(conf: &NetConf) -> CniResult<(Option<u32>, Option<u32>)> {
    let ctx = Context::new();
    let (owner, group, _) = ctx
        .resolve(conf.owner.as_ref(), conf.group.as_ref(), None)
        .map_err(|e| CniError::new(Code::InvalidConfig, e.message))?;
    Ok((owner, group))
}

fn add(env: &CniEnv, mut conf: NetConf, stdin: &[u8]) -> CniResult<Value> {
    let ifname = attachment(env)?;
    let netns = netns_of(env)?;
    ids(&conf)?;
    // A random MAC is drawn once, so the result reports the one in use.
    if let Some(spec) = conf.mac {
        let mac = spec.resolve().map_err(|e| CniError::from_engine(&e))?;
        conf.mac = Some(MacSpec::Fixed(mac));
    }
    if let Some(label) = &conf.selinux_context {
        super::selinux::check(label)?;
    }
    if !ns::exists(netns) {
        // Code 3 before anything is allocated.
        ns::enter(netns)?;
    }
    let plugin = ipam(env, &conf)?;
    let home = Home::save()?;
    let alloc = match &plugin {
        Some(p) => p.add(stdin).inspect_err(|_| release(p, stdin))?,
        None => Allocation::default(),
    };
    let made = ns::enter(netns).and_then(|()| device::create(&conf, ifname, &alloc));
    home.back()?;
    let link = match made {
        Ok(link) => link,
        Err(e) => {
            if let Some(p) = &plugin {
                release(p, stdin);
            }
            return Err(e);
        }
    };
    let result = AddResult {
        interface: Made {
            name: ifname.as_str().to_string(),
            mac: link.mac.as_deref().map(|b| {
                b.iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<Vec<_>>()
                    .join(":")
            }),
            mtu: link.mtu,
            sandbox: netns.to_string_lossy().into_owned(),
        },
        ips: alloc.ips,
        routes: alloc.routes,
        dns: conf.dns.clone().or(alloc.dns),
    };
    Ok(result.to_json(conf.version))
}

/// Give an allocation back after a failed ADD (its own failure is not the
/// error to report: the ADD's is).
fn release(plugin: &Ipam, stdin: &[u8]) {
    let _ = plugin.pass("DEL", stdin);
}

fn del(env: &CniEnv, conf: &NetConf, stdin: &[u8]) -> CniResult<()> {
    let ifname = attachment(env)?;
    let device = match env.netns.as_deref() {
        Some(path) if ns::exists(path) => {
            let home = Home::save()?;
            let r = match ns::enter(path) {
                Ok(()) => device::delete(ifname.as_str()),
                Err(e) if e.code == Code::ContainerUnknown => Ok(()),
                Err(e) => Err(e),
            };
            home.back()?;
            r
        }
        _ => Ok(()),
    };
    // IPAM is released whatever became of the device.
    let released = match ipam(env, conf) {
        Ok(Some(p)) => p.pass("DEL", stdin),
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    device.and(released)
}

fn check(env: &CniEnv, conf: &NetConf, stdin: &[u8]) -> CniResult<()> {
    if !conf.version.has_check() {
        return Err(CniError::new(
            Code::IncompatibleVersion,
            format!(
                "CHECK is not part of cniVersion {}: it exists from 0.4.0 on; use cniVersion 0.4.0 or newer",
                conf.version.as_str()
            ),
        ));
    }
    let ifname = attachment(env)?;
    let netns = netns_of(env)?;
    let Some(prev_json) = &conf.prev_result else {
        return Err(CniError::new(
            Code::InvalidConfig,
            "CHECK needs prevResult in the network configuration (the result of the ADD)",
        ));
    };
    let prev = check::previous(prev_json, ifname.as_str())
        .map_err(|why| CniError::new(Code::InvalidConfig, why))?;
    let (owner, group) = ids(conf)?;
    if let Some(p) = ipam(env, conf)? {
        p.pass("CHECK", stdin)?;
    }
    let home = Home::save()?;
    let seen = ns::enter(netns).and_then(|()| {
        let found = device::inspect(ifname.as_str())?;
        let bridge = match &conf.bridge {
            Some(b) => device::inspect(b)?.map(|(l, _)| l.index),
            None => None,
        };
        Ok((found, bridge))
    });
    home.back()?;
    let (found, bridge_index) = seen?;
    let Some((link, addrs)) = found else {
        return Err(CniError::new(
            Code::CheckDiffers,
            format!("CHECK: {ifname} is missing from the container's network namespace"),
        ));
    };
    let netns_text = netns.to_string_lossy();
    let want = Expected {
        conf,
        ifname: ifname.as_str(),
        netns: &netns_text,
        owner,
        group,
        bridge_index,
    };
    let diffs = check::differences(&want, &prev, &link, &addrs);
    if diffs.is_empty() {
        return Ok(());
    }
    Err(CniError::new(
        Code::CheckDiffers,
        format!(
            "CHECK: {ifname} differs from its configuration: {}",
            diffs.join("; ")
        ),
    )
    .details(diffs.join("\n")))
}

fn needs_110(conf: &NetConf, verb: &str) -> CniResult<()> {
    if conf.version.has_status_and_gc() {
        return Ok(());
    }
    Err(CniError::new(
        Code::IncompatibleVersion,
        format!(
            "{verb} is not part of cniVersion {}: it exists from 1.1.0 on",
            conf.version.as_str()
        ),
    ))
}

fn status(env: &CniEnv, conf: &NetConf, stdin: &[u8]) -> CniResult<()> {
    needs_110(conf, "STATUS")?;
    if let Err(e) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/net/tun")
    {
        return Err(CniError::new(
            Code::NotAvailable,
            format!(
                "/dev/net/tun cannot be opened ({e}): no tap can be made; load the tun module (modprobe tun) and check the device node"
            ),
        ));
    }
    if let Some(p) = ipam(env, conf)? {
        p.pass("STATUS", stdin)?;
    }
    Ok(())
}

/// GC: the taps live inside container namespaces and go with them, so
/// nothing of ours outlives a container; the IPAM plugin's allocations can,
/// and it gets the GC with the valid attachments as the runtime sent them.
fn gc(env: &CniEnv, conf: &NetConf, stdin: &[u8]) -> CniResult<()> {
    needs_110(conf, "GC")?;
    if let Some(p) = ipam(env, conf)? {
        p.pass("GC", stdin)?;
    }
    Ok(())
}
