//! Netlink wire constants and the bounded walks over messages and attributes
//! that every parser here shares (netlink-packet-core's message buffer; the
//! attribute walk is written once, here, so nothing is walked twice).

#[cfg(test)]
use rtnetlink::packet_core::NlasIterator;
use rtnetlink::packet_core::{NLA_TYPE_MASK, NetlinkBuffer};

pub(super) const NLMSG_NOOP: u16 = 1;
pub(super) const NLMSG_ERROR: u16 = 2;
pub(super) const NLMSG_DONE: u16 = 3;
pub(super) const NLMSG_OVERRUN: u16 = 4;
pub(super) const NLM_F_DUMP_INTR: u16 = 0x10;
pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub(super) const RTM_GETLINK: u16 = 18;
pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
pub(super) const RTM_GETADDR: u16 = 22;

pub(super) const IFLA_ADDRESS: u16 = 1;
pub(super) const IFLA_IFNAME: u16 = 3;
pub(super) const IFLA_MTU: u16 = 4;
pub(super) const IFLA_MASTER: u16 = 10;
pub(super) const IFLA_TXQLEN: u16 = 13;
pub(super) const IFLA_OPERSTATE: u16 = 16;
pub(super) const IFLA_LINKINFO: u16 = 18;
pub(super) const IFLA_IFALIAS: u16 = 20;
pub(super) const IFLA_STATS64: u16 = 23;
pub(super) const IFLA_AF_SPEC: u16 = 26;
pub(super) const IFLA_GROUP: u16 = 27;
pub(super) const IFLA_EXT_MASK: u16 = 29;
pub(super) const IFLA_CARRIER: u16 = 33;
pub(super) const IFLA_MIN_MTU: u16 = 50;
pub(super) const IFLA_MAX_MTU: u16 = 51;
pub(super) const IFLA_INFO_KIND: u16 = 1;
pub(super) const IFLA_INFO_DATA: u16 = 2;
pub(super) const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;
pub(super) const IFA_ADDRESS: u16 = 1;
pub(super) const IFA_LOCAL: u16 = 2;
pub(super) const IFA_PROTO: u16 = 11;
/// RTEXT_FILTER_SKIP_STATS: leave out the counters when nobody reads them (a
/// quarter of every link message).
pub(super) const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;
pub(super) const IFF_UP: u32 = 0x1;
pub(super) const IFF_LOWER_UP: u32 = 0x1_0000;

/// The (type, payload) pairs in a run of netlink attributes. Stops at the
/// first malformed one: the input comes from the kernel, but nothing here
/// may panic or read out of bounds. The one walk over attributes (a link
/// message holds about fifty: netlink-packet-core's checked iterator took
/// a third of a 5000-interface `list --json`); checked against it in tests.
pub(super) fn attributes(buf: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = buf;
    std::iter::from_fn(move || {
        let header = rest.get(..4)?;
        let len = usize::from(u16::from_ne_bytes([header[0], header[1]]));
        let kind = u16::from_ne_bytes([header[2], header[3]]) & NLA_TYPE_MASK;
        // A length below the header's or past the end is malformed: stop.
        let Some(value) = rest.get(4..len.max(4)).filter(|_| len >= 4) else {
            rest = &[];
            return None;
        };
        rest = rest.get((len + 3) & !3..).unwrap_or(&[]);
        Some((kind, value))
    })
}

/// One netlink message of a receive buffer: type, flags, sequence, payload.
pub struct Message<'a> {
    pub kind: u16,
    pub flags: u16,
    pub seq: u32,
    pub payload: &'a [u8],
}

/// The messages of one datagram; Err(()) at the first malformed header.
pub(super) fn messages(mut buf: &[u8]) -> impl Iterator<Item = Result<Message<'_>, ()>> {
    std::iter::from_fn(move || {
        if buf.is_empty() {
            return None;
        }
        let Ok(msg) = NetlinkBuffer::new_checked(buf) else {
            buf = &[];
            return Some(Err(()));
        };
        let len = msg.length() as usize;
        let out = Message {
            kind: msg.message_type(),
            flags: msg.flags(),
            seq: msg.sequence_number(),
            payload: NetlinkBuffer::new(buf).payload(),
        };
        buf = buf.get((len + 3) & !3..).unwrap_or(&[]);
        Some(Ok(out))
    })
}

pub(super) fn ne_u32(v: &[u8]) -> Option<u32> {
    v.get(..4)
        .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

pub(super) fn ne_u64(v: &[u8]) -> Option<u64> {
    v.get(..8).map(|b| {
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        u64::from_ne_bytes(a)
    })
}

pub(super) fn nul_terminated(v: &[u8]) -> String {
    let end = v.iter().position(|b| *b == 0).unwrap_or(v.len());
    String::from_utf8_lossy(&v[..end]).into_owned()
}

/// A request: netlink header, the fixed family header, attributes.
pub(super) fn request(
    msg_type: u16,
    flags: u16,
    seq: u32,
    header: &[u8],
    attrs: &[(u16, Vec<u8>)],
) -> Vec<u8> {
    let mut req = vec![0u8; 16];
    req.extend_from_slice(header);
    for (kind, value) in attrs {
        push_attribute(&mut req, *kind, value);
    }
    let total = req.len() as u32;
    req[0..4].copy_from_slice(&total.to_ne_bytes());
    req[4..6].copy_from_slice(&msg_type.to_ne_bytes());
    req[6..8].copy_from_slice(&flags.to_ne_bytes());
    req[8..12].copy_from_slice(&seq.to_ne_bytes());
    req
}

pub(super) fn push_attribute(buf: &mut Vec<u8>, kind: u16, value: &[u8]) {
    let len = 4 + value.len();
    buf.extend_from_slice(&(len as u16).to_ne_bytes());
    buf.extend_from_slice(&kind.to_ne_bytes());
    buf.extend_from_slice(value);
    buf.resize((buf.len() + 3) & !3, 0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_walk_is_bounded() {
        // length shorter than the header, longer than the buffer, odd sizes
        for bad in [&[0u8, 0, 1, 0][..], &[200, 0, 1, 0, 1], &[5, 0, 1, 0, 9]] {
            assert!(attributes(bad).count() <= 1);
        }
        let two: Vec<(u16, &[u8])> = attributes(&[5, 0, 1, 0, 9, 0, 0, 0, 4, 0, 2, 0]).collect();
        assert_eq!(two, vec![(1, &[9u8][..]), (2, &[][..])]);
    }

    /// The walk agrees with netlink-packet-core's checked iterator on
    /// well-formed runs and on every prefix and corruption of them.
    #[test]
    fn attribute_walk_matches_netlink_packet_core() {
        let reference = |buf: &[u8]| -> Vec<(u16, Vec<u8>)> {
            NlasIterator::new(buf)
                .map_while(Result::ok)
                .map(|nla| (nla.kind(), nla.value().to_vec()))
                .collect()
        };
        let ours = |buf: &[u8]| -> Vec<(u16, Vec<u8>)> {
            attributes(buf).map(|(k, v)| (k, v.to_vec())).collect()
        };
        let mut run = Vec::new();
        for (kind, len) in [
            (3u16, 5usize),
            (0x8000 | 18, 12),
            (4, 4),
            (0x4000 | 26, 0),
            (7, 9),
        ] {
            push_attribute(&mut run, kind, &vec![0xa5; len]);
        }
        let mut seed = 0x2545_f491_u32;
        for cut in 0..=run.len() {
            assert_eq!(ours(&run[..cut]), reference(&run[..cut]), "prefix {cut}");
            for _ in 0..20 {
                let mut bad = run[..cut].to_vec();
                if bad.is_empty() {
                    break;
                }
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                let at = seed as usize % bad.len();
                bad[at] = (seed >> 8) as u8;
                assert_eq!(ours(&bad), reference(&bad), "{bad:?}");
            }
        }
    }

    #[test]
    fn requests_are_aligned_and_sized() {
        let req = request(RTM_GETLINK, 0x301, 9, &[0u8; 16], &[(3, b"ab\0".to_vec())]);
        assert_eq!(req.len(), 16 + 16 + 8);
        assert_eq!(ne_u32(&req).unwrap() as usize, req.len());
        let msgs: Vec<_> = messages(&req).collect::<Result<_, _>>().unwrap();
        assert_eq!(msgs.len(), 1);
        assert_eq!(
            (msgs[0].kind, msgs[0].flags, msgs[0].seq),
            (RTM_GETLINK, 0x301, 9)
        );
        let attrs: Vec<_> = attributes(&msgs[0].payload[16..]).collect();
        assert_eq!(attrs, vec![(3, &b"ab\0"[..])]);
    }

    #[test]
    fn malformed_message_headers_stop_the_walk() {
        assert!(messages(&[1, 2, 3]).next().unwrap().is_err());
        let mut too_long = request(RTM_NEWLINK, 0, 1, &[0u8; 16], &[]);
        too_long[0] = 200;
        assert!(messages(&too_long).next().unwrap().is_err());
        assert!(messages(&[]).next().is_none());
    }
}
