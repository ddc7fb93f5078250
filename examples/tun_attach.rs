//! Test helper, independent of the tuntapctl library: attach to an existing
//! tun/tap the way a VM or VPN daemon would, report the result, and hold the
//! device until stdin closes (or the process is killed).
//!
//! usage: tun_attach NAME tun|tap [pi] [vnet_hdr] [multi_queue] [carrier] [queues=N]
//! prints "attached NAME" on success, "error ERRNO_NAME" and exit 1 on failure.
//! `queues=N` (with multi_queue) attaches N queues from this one process.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::fd::AsRawFd;

nix::ioctl_readwrite_bad!(tunsetiff, libc::TUNSETIFF, libc::ifreq);
nix::ioctl_write_ptr_bad!(tunsetcarrier, libc::TUNSETCARRIER, libc::c_int);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!(
            "usage: tun_attach NAME tun|tap [pi] [vnet_hdr] [multi_queue] [carrier] [queues=N]"
        );
        std::process::exit(2);
    }
    let has = |word: &str| args[2..].iter().any(|a| a == word);
    let mut flags = if args[1] == "tun" {
        libc::IFF_TUN
    } else {
        libc::IFF_TAP
    };
    if !has("pi") {
        flags |= libc::IFF_NO_PI;
    }
    if has("vnet_hdr") {
        flags |= libc::IFF_VNET_HDR;
    }
    if has("multi_queue") {
        flags |= libc::IFF_MULTI_QUEUE;
    }
    let queues: usize = args[2..]
        .iter()
        .find_map(|a| a.strip_prefix("queues="))
        .map(|n| n.parse().expect("queues=N takes a number"))
        .unwrap_or(1);
    let mut held = Vec::with_capacity(queues);
    for _ in 0..queues {
        held.push(attach_one(&args[0], flags));
    }
    if has("carrier") {
        let on: libc::c_int = 1;
        // SAFETY: TUNSETCARRIER reads one int from the pointer.
        if let Err(e) = unsafe { tunsetcarrier(held[0].as_raw_fd(), &on) } {
            println!("error carrier {e:?}");
            std::process::exit(1);
        }
    }
    println!("attached {}", args[0]);
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    drop(held);
}

/// Open /dev/net/tun and attach it to NAME; on failure print the errno and
/// exit 1.
fn attach_one(name: &str, flags: libc::c_int) -> File {
    let file = match OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/net/tun")
    {
        Ok(f) => f,
        Err(e) => {
            println!(
                "error open {:?}",
                nix::errno::Errno::from_raw(e.raw_os_error().unwrap_or(0))
            );
            std::process::exit(1);
        }
    };
    // SAFETY: ifreq is plain old data; zero is a valid value.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    for (d, s) in req.ifr_name.iter_mut().zip(name.bytes().take(15)) {
        *d = s as libc::c_char;
    }
    req.ifr_ifru.ifru_flags = flags as libc::c_short;
    // SAFETY: req is a valid ifreq for the duration of the call.
    if let Err(e) = unsafe { tunsetiff(file.as_raw_fd(), &mut req) } {
        println!("error {e:?}");
        std::process::exit(1);
    }
    file
}
