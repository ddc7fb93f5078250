//! Test helper, independent of the tuntapctl library: attach to an existing
//! tun/tap the way a VM or VPN daemon would, report the result, and hold the
//! device until stdin closes (or the process is killed).
//!
//! usage: tun_attach NAME tun|tap [pi] [vnet_hdr] [multi_queue] [carrier] [queues=N] [echo] [thread=exit|unshare]
//! prints "attached NAME" on success, "error ERRNO_NAME" and exit 1 on failure.
//! `queues=N` (with multi_queue) attaches N queues from this one process.
//! `echo` (tun without pi) answers every IPv4 ICMP echo request it reads, so
//! that `ping` through the device gets replies: real packets both ways.
//! `thread=exit`: a second thread attaches and holds the fd, and the main
//! thread then exits alone (pthread_exit; the process lives on without it).
//! `thread=unshare`: a second thread calls unshare(CLONE_FILES) and then
//! attaches, so the fd is in that thread's own table only.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;

nix::ioctl_readwrite_bad!(tunsetiff, libc::TUNSETIFF, libc::ifreq);
nix::ioctl_write_ptr_bad!(tunsetcarrier, libc::TUNSETCARRIER, libc::c_int);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!(
            "usage: tun_attach NAME tun|tap [pi] [vnet_hdr] [multi_queue] [carrier] [queues=N] [echo] [thread=exit|unshare]"
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
    if let Some(how) = args[2..].iter().find_map(|a| a.strip_prefix("thread=")) {
        in_a_thread(args[0].clone(), flags, how.to_string());
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
    if has("echo") {
        let file = held[0].try_clone().expect("dup the tun fd");
        std::thread::spawn(move || echo(file));
    }
    println!("attached {}", args[0]);
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    drop(held);
}

/// Attach and hold from a second thread (see `thread=` in the usage); the
/// process exits when stdin closes.
fn in_a_thread(name: String, flags: libc::c_int, how: String) -> ! {
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        if how == "unshare" {
            nix::sched::unshare(nix::sched::CloneFlags::CLONE_FILES).expect("unshare(CLONE_FILES)");
        }
        let file = attach_one(&name, flags);
        println!("attached {name}");
        let _ = tx.send(());
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        drop(file);
        std::process::exit(0);
    });
    let _ = rx.recv();
    if std::env::args().any(|a| a == "thread=exit") {
        // What pthread_exit does to the kernel's view of the process, without
        // its forced unwinding through Rust frames (which aborts): the exit
        // syscall (not exit_group) ends only the calling (main) thread.
        // SAFETY: the main thread never runs again; the worker owns
        // everything it uses and ends the process itself.
        unsafe { libc::syscall(libc::SYS_exit, 0) };
    }
    let _ = worker.join();
    std::process::exit(0);
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

/// Answer IPv4 ICMP echo requests read from a tun (no pi header): swap the
/// addresses, make it a reply, fix the ICMP checksum, write it back.
fn echo(mut file: File) {
    let mut buf = vec![0u8; 65536];
    loop {
        let n = match file.read(&mut buf) {
            Ok(n) => n,
            Err(_) => return,
        };
        let p = &mut buf[..n];
        if n < 28 || p[0] >> 4 != 4 || p[9] != 1 {
            continue;
        }
        let ihl = usize::from(p[0] & 0x0f) * 4;
        if n < ihl + 8 || p[ihl] != 8 {
            continue;
        }
        let (src, dst) = ([p[12], p[13], p[14], p[15]], [p[16], p[17], p[18], p[19]]);
        p[12..16].copy_from_slice(&dst);
        p[16..20].copy_from_slice(&src);
        p[ihl] = 0; // echo reply
        p[ihl + 2] = 0;
        p[ihl + 3] = 0;
        let sum = checksum(&p[ihl..]);
        p[ihl + 2..ihl + 4].copy_from_slice(&sum.to_be_bytes());
        if file.write_all(p).is_err() {
            return;
        }
    }
}

fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for chunk in data.chunks(2) {
        let word = u16::from_be_bytes([chunk[0], *chunk.get(1).unwrap_or(&0)]);
        sum += u32::from(word);
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}
