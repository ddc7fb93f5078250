//! What `apply --dry-run` says a new device will be: its mode and flags,
//! owner and group, and every setting the file gives it, in the words
//! add's and set's reports use.

use super::Declared;
use crate::text::printable;

/// "tap, owner nobody (uid 65534), mtu 1400, address 10.2.0.1/24, up,
/// master br0": the summary of a device apply would create.
pub fn summary(d: &Declared) -> String {
    let mut parts = vec![d.mode.to_string()];
    for (on, flag) in [
        (d.multi_queue, "multi_queue"),
        (d.vnet_hdr, "vnet_hdr"),
        (d.pi, "pi"),
    ] {
        if on == Some(true) {
            parts.push(flag.into());
        }
    }
    match d.owner {
        Some(uid) => parts.push(format!("owner {}", id_text(user_name(uid), uid, "uid"))),
        None => parts.push("no owner".into()),
    }
    if let Some(gid) = d.group {
        parts.push(format!("group {}", id_text(group_name(gid), gid, "gid")));
    }
    if let Some(mac) = &d.mac {
        parts.push(format!("mac {mac}"));
    }
    parts.extend(d.mtu.map(|m| format!("mtu {m}")));
    parts.extend(d.txqueuelen.map(|q| format!("txqueuelen {q}")));
    for a in d.addresses.iter().flatten() {
        parts.push(format!("address {a}"));
    }
    match &d.master {
        Some(m) if !m.is_empty() => parts.push(format!("master {}", printable(m))),
        _ => {}
    }
    if let Some(alias) = d.alias.as_deref().filter(|a| !a.is_empty()) {
        parts.push(super::super::converge::alias_text(alias));
    }
    parts.extend(d.addrgenmode.map(|m| format!("addrgenmode {m}")));
    if d.up == Some(true) {
        parts.push("up".into());
    }
    parts.join(", ")
}

fn id_text(name: Option<String>, id: u32, kind: &str) -> String {
    match name {
        Some(n) => format!("{} ({kind} {id})", printable(&n)),
        None => format!("{kind} {id}"),
    }
}

fn user_name(uid: u32) -> Option<String> {
    uzers::get_user_by_uid(uid).map(|u| u.name().to_string_lossy().into_owned())
}

fn group_name(gid: u32) -> Option<String> {
    uzers::get_group_by_gid(gid).map(|g| g.name().to_string_lossy().into_owned())
}
