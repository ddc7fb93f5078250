//! Every public parser of untrusted text or bytes gets arbitrary input; none
//! may panic (SPEC 3: "No input, however malformed, makes the program panic").
#![no_main]

use libfuzzer_sys::fuzz_target;
use tuntapctl::batch::split_words;
use tuntapctl::commands::{Context, parse_declared, parse_declared_toml};
use tuntapctl::netlink::{Address, Link, parse_tun_attrs};
use tuntapctl::validate::{IdSpec, IfAddr, IfName, Mac, MacSpec, parse_mtu, parse_txqueuelen};

/// Split bytes into netlink-attribute-like (type, payload) pairs.
fn attrs(data: &[u8]) -> Vec<(u16, &[u8])> {
    let mut out = Vec::new();
    let mut rest = data;
    while rest.len() >= 3 {
        let kind = u16::from_ne_bytes([rest[0], rest[1]]);
        let len = (rest[2] as usize).min(rest.len() - 3);
        out.push((kind, &rest[3..3 + len]));
        rest = &rest[3 + len..];
    }
    out
}

fuzz_target!(|data: &[u8]| {
    // Byte-level netlink parsers see the raw input.
    let _ = parse_tun_attrs(attrs(data));
    let _ = Address::from_bytes(data);
    let _ = Link::from_bytes(data);

    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let _ = IfName::parse(text);
    let _ = IfName::parse_template(text);
    let _ = Mac::parse(text);
    let _ = MacSpec::parse(text);
    if let Ok(a) = IfAddr::parse(text) {
        let _ = a.to_string();
        let _ = a.with_peer(text);
    }
    let _ = IdSpec::parse("user", text);
    let _ = IdSpec::parse("group", text);
    let _ = parse_mtu(text);
    let _ = parse_txqueuelen(text);
    for line in text.lines() {
        let _ = split_words(line);
    }
    thread_local! {
        static CTX: Context = Context::new();
    }
    CTX.with(|ctx| {
        let _ = parse_declared(ctx, text);
        let _ = parse_declared_toml(ctx, text);
    });
});
