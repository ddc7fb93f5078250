//! Which processes hold which tun/tap devices: one pass over /proc/*/fd,
//! reading fdinfo only for fds that are the tun character device (10:200).
//! Cost grows with the number of fds plus the number of holders.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::ErrorKind;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::MetadataExt;

use nix::errno::Errno;
use nix::fcntl::AtFlags;
use nix::sys::stat::fstatat;

use serde::{Deserialize, Serialize};

use crate::kernel_features::{Feature, simulated_absence};
use crate::netlink::{Link, TunAttrs};
use crate::tun;

/// A process holding a device.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub command: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Process names are chosen by the process (prctl): escaped.
        write!(
            f,
            "{} (pid {})",
            crate::text::printable(&self.command),
            self.pid
        )
    }
}

/// Interface name → holders, for devices in this network namespace.
#[derive(Debug, Default)]
pub struct Holders {
    pub by_name: HashMap<String, Vec<Holder>>,
    /// Processes whose fds could not be read (for one warning).
    pub unreadable: usize,
    /// Holders counted by the device name alone: their fd could not be
    /// asked which device it holds (pidfd_getfd or TUNGETDEVNETNS refused,
    /// as for an unprivileged caller). A same-named device in another
    /// namespace would be counted too. The names they were counted for,
    /// each with those holders' pids.
    pub unproven: HashMap<String, HashSet<u32>>,
    /// Facilities this kernel lacks that the proof needs (pidfd_open,
    /// pidfd_getfd, TUNGETDEVNETNS): found from its answers, never from its
    /// version. Their holders are in `unproven`.
    pub kernel_lacks: Vec<Feature>,
    /// Pids running this very executable (proven by /proc/PID/exe, never
    /// by a name): another tuntapctl, which holds a device only while it
    /// builds it, or for an instant while it scans /proc.
    pub same_program: HashSet<u32>,
}

impl Holders {
    pub fn of(&self, name: &str) -> &[Holder] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// One brief note for stderr, when it matters: some processes could not
    /// be inspected, so holders shown may be missing. Worded the same on
    /// every call, so that a batch says it once.
    pub fn warning(&self) -> Option<String> {
        if !self.kernel_lacks.is_empty() && !self.unproven.is_empty() {
            return Some(lacking_note(&self.kernel_lacks));
        }
        (self.unreadable > 0 || !self.unproven.is_empty()).then(|| {
            "note: processes of other users could not be inspected, so attached processes may be missing or unconfirmed (run as root to see all)".to_string()
        })
    }

    /// The note (`warning`), when it concerns one of `links`: one of them
    /// may have a holder this scan did not see or did not confirm.
    pub fn note_for<'a>(&self, links: impl IntoIterator<Item = &'a Link>) -> Option<String> {
        let note = self.warning()?;
        links
            .into_iter()
            .any(|l| self.may_hide_holder(l))
            .then_some(note)
    }

    /// Could `link` have a holder this scan did not see, or one it did not
    /// confirm? Up without carrier means nothing is attached, and so does
    /// a multi-queue device's count of 0 queues; a single-queue device with
    /// a confirmed holder has it.
    fn may_hide_holder(&self, link: &Link) -> bool {
        if self.unproven.contains_key(&link.name) {
            return true;
        }
        let tun = link.tun.as_ref();
        let none_attached = tun.and_then(TunAttrs::attached_queues) == Some(0);
        if self.unreadable == 0 || (link.up && !link.carrier) || none_attached {
            return false;
        }
        self.of(&link.name).is_empty() || tun.is_some_and(|t| t.multi_queue)
    }

    /// Is `pid` this process, or a process running this same executable
    /// file? Proven from the kernel (pid, /proc/PID/exe), never a name.
    fn is_tuntapctl(&self, pid: u32) -> bool {
        pid == std::process::id() || self.same_program.contains(&pid)
    }

    /// A "holder" that must not make a delete (or `add --exist-ok`) refuse:
    /// this very process, or another tuntapctl, which attaches while
    /// building a device and, while scanning /proc, copies tun fds for an
    /// instant to ask them which device they hold.
    pub fn is_passing(&self, holder: &Holder) -> bool {
        self.is_tuntapctl(holder.pid)
    }
}

/// A /proc scan whose matches by name alone are not yet checked against
/// the kernel's count of what is attached to each device: `settle` gives
/// the holders.
#[must_use = "settle it against the links: Scan::settle"]
pub struct Scan(Holders);

impl Scan {
    /// Drop the holders counted by name alone for a device the kernel says
    /// nothing is attached to (IFLA_TUN_NUM_QUEUES and
    /// IFLA_TUN_NUM_DISABLED_QUEUES both 0): their fd names a same-named
    /// device elsewhere. The kernel sends the counts for multi-queue
    /// devices, on every supported kernel; for those the weaker proof is
    /// then as good as the full one when nothing is attached (SPEC §14).
    pub fn settle<'a>(self, links: impl IntoIterator<Item = &'a Link>) -> Holders {
        self.settle_with(links, |index| {
            crate::netlink::link_by_index(index).ok().flatten()
        })
    }

    /// `settle`, with the link read again by `reread` (by index) before a
    /// holder is dropped: a count read before the scan could miss a
    /// process that attached during it; one read after cannot.
    fn settle_with<'a>(
        self,
        links: impl IntoIterator<Item = &'a Link>,
        reread: impl Fn(u32) -> Option<Link>,
    ) -> Holders {
        let attached = |link: &Link| link.tun.as_ref().and_then(TunAttrs::attached_queues);
        let mut holders = self.0;
        for link in links {
            if attached(link) != Some(0) || !holders.unproven.contains_key(&link.name) {
                continue;
            }
            let now = reread(link.index).filter(|l| l.name == link.name);
            if now.as_ref().and_then(attached) != Some(0) {
                continue;
            }
            let Some(pids) = holders.unproven.remove(&link.name) else {
                continue;
            };
            if let Some(list) = holders.by_name.get_mut(&link.name) {
                list.retain(|h| !pids.contains(&h.pid));
                if list.is_empty() {
                    holders.by_name.remove(&link.name);
                }
            }
        }
        holders
    }
}

/// The note for a kernel without what the proof needs: what is missing,
/// the weaker proof used instead, and what it means for del.
fn lacking_note(lacks: &[Feature]) -> String {
    let names: Vec<String> = lacks.iter().map(|f| f.described()).collect();
    format!(
        "note: this kernel lacks {}: attached processes are matched by the device name in /proc/PID/fdinfo only (a weaker proof: while something is attached to a device here, a process holding a same-named device in another network namespace counts too); del refuses a device with such a holder unless --force",
        names.join(" and ")
    )
}

const TUN_MAJOR: u64 = 10;
const TUN_MINOR: u64 = 200;

fn is_tun_device(mode: libc::mode_t, rdev: libc::dev_t) -> bool {
    mode & libc::S_IFMT == libc::S_IFCHR
        && libc::major(rdev) as u64 == TUN_MAJOR
        && libc::minor(rdev) as u64 == TUN_MINOR
}

/// The interface name in a tun fd's fdinfo (`iff:\tNAME`).
fn iff_name(fdinfo: &str) -> Option<&str> {
    fdinfo
        .lines()
        .find_map(|line| line.strip_prefix("iff:"))
        .map(|n| n.trim_start_matches('\t'))
        .filter(|name| !name.is_empty())
}

/// The calling thread's network namespace (setns is per thread, so
/// /proc/self, the main thread's, may be another one).
fn netns_inode_of_self() -> Option<u64> {
    fs::metadata("/proc/thread-self/ns/net")
        .or_else(|_| fs::metadata("/proc/self/ns/net"))
        .ok()
        .map(|m| m.ino())
}

/// What a tun fd of another process was found to hold.
#[derive(Debug, PartialEq, Eq)]
enum Proof {
    /// Asked the fd itself: the device named so, in our namespace.
    Ours(String),
    /// Asked the fd itself: a device in another namespace (whatever its
    /// name), or no device any more.
    NotOurs,
    /// The fd could not be asked; fdinfo's name is all we know.
    /// With the facility the kernel lacks, when that is why.
    Unproven(String, Option<Feature>),
}

/// Scan /proc. Only fds proven to hold a device of our network namespace
/// count (NOTES: Holders): for every attached tun fd we take a copy
/// (pidfd_getfd) and ask it for its device's name (TUNGETIFF) and
/// namespace (TUNGETDEVNETNS). fdinfo's `iff:` name alone proves nothing:
/// a process here may hold a same-named device of another namespace (a tap
/// moved away with `ip link set netns`, slirp4netns, or one a user made in
/// its own user+net namespace and passed here).
///
/// Per process: one open and a few getdents of /proc/PID/fd. Per fd: one
/// fstatat relative to that directory. Only for tun fds: the fdinfo read,
/// and (once per process) a pidfd to copy the fd and ask it.
///
/// Copying an fd holds the device for an instant (a transient device whose
/// holder closes it just then lives that instant longer); the copy is
/// closed at once.
pub fn scan() -> Scan {
    let own_netns = netns_inode_of_self();
    let own_exe = fs::metadata("/proc/self/exe")
        .ok()
        .map(|m| (m.dev(), m.ino()));
    let mut holders: HashMap<String, Vec<Holder>> = HashMap::new();
    let mut unreadable = 0;
    let mut unproven: HashMap<String, HashSet<u32>> = HashMap::new();
    let mut same_program = HashSet::new();
    let mut kernel_lacks: Vec<Feature> = Vec::new();
    let Ok(proc_dir) = fs::read_dir("/proc") else {
        return Scan(Holders::default());
    };
    for entry in proc_dir.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let mut names_here: Vec<String> = Vec::new();
        let mut unproven_here = Vec::new();
        // The task whose table held a device: its exe link stays valid
        // when the main thread has exited (NOTES: Holders, threads).
        let mut holding_task = pid;
        for (i, table) in crate::fdtables::of_process(pid).iter().enumerate() {
            let found = scan_table(
                pid,
                table,
                own_netns,
                &mut names_here,
                &mut unproven_here,
                &mut kernel_lacks,
            );
            match found {
                Err(()) if i == 0 => {
                    unreadable += 1;
                    break;
                }
                Ok(true) if holding_task == pid => holding_task = table.tid,
                _ => {}
            }
        }
        if names_here.is_empty() {
            continue;
        }
        // The executable first: a process that is exiting has lost its
        // memory map (and so its exe link, ENOENT) an instant before its
        // fds are closed; it holds nothing any more. Any other error (no
        // permission) keeps it as a holder.
        let exe = match fs::metadata(format!("/proc/{pid}/task/{holding_task}/exe")) {
            Ok(m) => Some((m.dev(), m.ino())),
            Err(e) if e.kind() == ErrorKind::NotFound => continue,
            Err(_) => None,
        };
        let command = match fs::read(format!("/proc/{pid}/comm")) {
            // Names are the process's own choice (prctl), any bytes:
            // kept exactly (JSON escapes them), escaped on a terminal.
            Ok(c) => String::from_utf8_lossy(c.strip_suffix(b"\n").unwrap_or(&c)).into_owned(),
            // Gone since its fds were read: it holds nothing any more.
            Err(_) if !std::path::Path::new(&format!("/proc/{pid}")).exists() => continue,
            Err(_) => "?".into(),
        };
        for name in unproven_here {
            unproven.entry(name).or_default().insert(pid);
        }
        if exe.is_some() && exe == own_exe {
            same_program.insert(pid);
        }
        for name in names_here {
            holders.entry(name).or_default().push(Holder {
                pid,
                command: command.clone(),
            });
        }
    }
    // /proc lists pids in ascending order; keep each list sorted regardless.
    for list in holders.values_mut() {
        list.sort();
    }
    Scan(Holders {
        by_name: holders,
        unreadable,
        unproven,
        same_program,
        kernel_lacks,
    })
}

/// Read one fd table of process `pid` (NOTES: Holders): add the names of
/// the devices its tun fds hold to `names`, each once. Ok(true) when it
/// held one; Err(()) when the table could not be read for lack of
/// permission (a process that exited reads as empty).
fn scan_table(
    pid: u32,
    table: &crate::fdtables::Table,
    own_netns: Option<u64>,
    names: &mut Vec<String>,
    unproven: &mut Vec<String>,
    kernel_lacks: &mut Vec<Feature>,
) -> Result<bool, ()> {
    let fd_dir = match fs::read_dir(&table.fd_dir) {
        Ok(dir) => dir,
        Err(e) if e.kind() == ErrorKind::PermissionDenied => return Err(()),
        Err(_) => return Ok(false), // exited, or a kernel thread
    };
    // The same directory as an fd, for fstatat. Opening it again cannot
    // be refused when reading it was not; if it fails, the task exited.
    let Ok(dir_fd) = fs::File::open(&table.fd_dir) else {
        return Ok(false);
    };
    let fdinfo_dir = table.fd_dir.strip_suffix("fd").unwrap_or(&table.fd_dir);
    let mut pidfd: Option<Result<OwnedFd, Errno>> = None;
    let mut held = false;
    for fd_entry in fd_dir.flatten() {
        let fd_name = fd_entry.file_name();
        // stat follows the link to the open file: only the tun device
        // (10:200) matters. Some entries are unreadable even for root.
        let Ok(st) = fstatat(&dir_fd, fd_name.as_os_str(), AtFlags::empty()) else {
            continue;
        };
        if !is_tun_device(st.st_mode, st.st_rdev) {
            continue;
        }
        let Some(fd) = fd_name.to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(info) = fs::read_to_string(format!("{fdinfo_dir}fdinfo/{fd}")) else {
            continue;
        };
        let Some(listed) = iff_name(&info) else {
            continue; // opened but not attached
        };
        let task = (table.tid, table.tid != pid);
        let name = match prove(task, &mut pidfd, fd, listed, own_netns) {
            Proof::Ours(name) => name,
            Proof::NotOurs => continue,
            Proof::Unproven(name, lacks) => {
                if let Some(f) = lacks.filter(|f| !kernel_lacks.contains(f)) {
                    kernel_lacks.push(f);
                }
                unproven.push(name.clone());
                name
            }
        };
        held = true;
        if !names.contains(&name) {
            names.push(name); // not again for another queue or table
        }
    }
    Ok(held)
}

/// Ask `pid`'s fd `fd` which device it holds: a copy of the fd (pidfd_getfd)
/// answers with the device's name (TUNGETIFF) and namespace
/// (TUNGETDEVNETNS). Same name and same namespace is the same device: names
/// are unique within a namespace.
fn prove(
    (tid, thread): (u32, bool),
    pidfd: &mut Option<Result<OwnedFd, Errno>>,
    fd: i32,
    listed: &str,
    own_netns: Option<u64>,
) -> Proof {
    let unproven = || Proof::Unproven(listed.to_string(), None);
    // A facility the kernel lacks, told by its answer (never by a version).
    let lacking =
        |f: Feature, e: Errno| Proof::Unproven(listed.to_string(), f.is_absence(e).then_some(f));
    let Some(own) = own_netns else {
        return unproven();
    };
    let pidfd = match pidfd.get_or_insert_with(|| open_pidfd(tid, thread)) {
        Ok(p) => p,
        Err(e) => return lacking(Feature::PidfdOpen, *e),
    };
    let copy = match duplicate_fd(pidfd, fd) {
        Ok(copy) => copy,
        Err(e) => return lacking(Feature::PidfdGetfd, e),
    };
    let name = match crate::tun::attached(&copy) {
        Ok((name, _)) => name,
        // Detached since fdinfo was read (device deleted): holds nothing.
        Err(Errno::EBADFD) => return Proof::NotOurs,
        Err(_) => return unproven(),
    };
    match tun::device_netns(&copy) {
        Ok(ns) => match fs::File::from(ns).metadata() {
            Ok(meta) if meta.ino() == own => Proof::Ours(name),
            Ok(_) => Proof::NotOurs,
            Err(_) => unproven(),
        },
        Err(Errno::EBADFD) => Proof::NotOurs,
        Err(e) => lacking(Feature::TunGetDevNetns, e),
    }
}

/// A device is held and we cannot attach: name the holders.
pub fn busy_error(name: &str, to_do: &str) -> crate::error::Error {
    // The kernel just said EBUSY: something is attached, so there is
    // nothing to settle against its count.
    let holders = scan().settle(std::iter::empty());
    crate::error::kernel::busy(name, to_do, holder_infos(holders.of(name)))
}

/// The holders as an error carries them (pid and command).
pub fn holder_infos(holders: &[Holder]) -> Vec<crate::error::HolderInfo> {
    holders
        .iter()
        .map(|h| crate::error::HolderInfo {
            pid: h.pid,
            command: h.command.clone(),
        })
        .collect()
}

/// A pidfd for `pid` (pidfd_open, Linux 5.3+; ENOSYS without it). For a
/// thread other than the main one (`thread`), a thread pidfd (PIDFD_THREAD,
/// Linux 6.9+), so that pidfd_getfd reads that thread's own fd table.
fn open_pidfd(pid: u32, thread: bool) -> Result<OwnedFd, Errno> {
    if let Some(e) = simulated_absence(Feature::PidfdOpen) {
        return Err(e);
    }
    let flags = if thread { libc::PIDFD_THREAD } else { 0 };
    // SAFETY: pidfd_open takes a pid and flags by value and returns a new fd
    // or -1; no memory is shared.
    let pidfd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, flags) };
    if pidfd < 0 {
        return Err(Errno::last());
    }
    // SAFETY: pidfd is a fresh fd that we own and nothing else closes.
    Ok(unsafe { OwnedFd::from_raw_fd(pidfd as i32) })
}

/// A copy of another process's fd (pidfd_getfd, Linux 5.6+; ENOSYS
/// without it, EPERM without the right to ptrace it).
fn duplicate_fd(pidfd: &OwnedFd, fd: i32) -> Result<OwnedFd, Errno> {
    if let Some(e) = simulated_absence(Feature::PidfdGetfd) {
        return Err(e);
    }
    // SAFETY: pidfd_getfd takes the pidfd, the target fd number and flags by
    // value and returns a new fd in our table or -1; no memory is shared.
    let dup = unsafe { libc::syscall(libc::SYS_pidfd_getfd, pidfd.as_raw_fd(), fd, 0) };
    if dup < 0 {
        return Err(Errno::last());
    }
    // SAFETY: dup is a fresh fd that we own and nothing else closes.
    Ok(unsafe { OwnedFd::from_raw_fd(dup as i32) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fdinfo_parse() {
        let info = "pos:\t0\nflags:\t02\nmnt_id:\t25\nino:\t1\niff:\ttap44\n";
        assert_eq!(iff_name(info), Some("tap44"));
        assert_eq!(iff_name("pos:\t0\n"), None);
        assert_eq!(iff_name("iff:\t\n"), None);
    }
    use crate::validate::Mode;

    fn holder(pid: u32) -> Holder {
        Holder {
            pid,
            command: "vm".into(),
        }
    }

    fn link(name: &str, queues: u32) -> Link {
        let index = if name == "tap0" { 3 } else { 4 };
        let mut l = Link::new_device(index, name, Mode::Tap, None, None);
        let tun = l.tun.as_mut().unwrap();
        tun.num_queues = Some(queues);
        tun.num_disabled_queues = Some(0);
        l
    }

    /// Pid 7 was matched by name alone (a same-named device elsewhere, or
    /// ours: the name cannot tell), pid 8 proven.
    fn scanned() -> Scan {
        let mut h = Holders::default();
        h.by_name.insert("tap0".into(), vec![holder(7), holder(8)]);
        h.by_name.insert("tap1".into(), vec![holder(7)]);
        h.unproven.insert("tap0".into(), HashSet::from([7]));
        h.unproven.insert("tap1".into(), HashSet::from([7]));
        h.kernel_lacks.push(Feature::PidfdGetfd);
        Scan(h)
    }

    #[test]
    fn nothing_attached_by_the_kernels_count_drops_the_name_only_holders() {
        let (tap0, tap1) = (link("tap0", 0), link("tap1", 0));
        // Attached during the scan: the count read again says so.
        let h = scanned().settle_with([&tap0], |_| Some(link("tap0", 1)));
        assert_eq!(h.of("tap0"), [holder(7), holder(8)]);
        // Gone, or another device under that index now: not settled.
        let h = scanned().settle_with([&tap1], |_| None);
        assert_eq!(h.of("tap1"), [holder(7)]);
        let again = |i| Some(link(if i == 3 { "tap0" } else { "tap1" }, 0));
        let h = scanned().settle_with([&tap0, &tap1], again);
        assert_eq!(h.of("tap0"), [holder(8)]);
        assert!(h.of("tap1").is_empty());
        assert!(h.unproven.is_empty());
        assert_eq!(h.warning(), None, "nothing unproven is left to note");
    }

    #[test]
    fn an_attached_device_keeps_them_and_the_note() {
        let h = scanned().settle_with([&link("tap0", 1)], |_| None);
        assert_eq!(h.of("tap0"), [holder(7), holder(8)]);
        assert_eq!(h.of("tap1"), [holder(7)], "not among the links: kept");
        assert!(h.warning().unwrap().contains("pidfd_getfd"));
        let mut unknown = link("tap1", 0);
        unknown.tun.as_mut().unwrap().num_queues = None;
        let h = scanned().settle_with([&unknown], |_| None);
        assert_eq!(h.of("tap1"), [holder(7)], "no count: no proof");
    }

    /// Unreadable processes make a note only for a device that could have
    /// a holder among them: not one whose kernel count says 0 queues.
    #[test]
    fn unreadable_processes_are_noted_only_where_something_may_be_attached() {
        let h = Holders {
            unreadable: 3,
            ..Holders::default()
        };
        let mut idle = link("tap0", 0);
        idle.tun.as_mut().unwrap().multi_queue = true;
        assert_eq!(h.note_for([&idle]), None);
        let mut busy = link("tap1", 2);
        busy.tun.as_mut().unwrap().multi_queue = true;
        assert!(h.note_for([&idle, &busy]).unwrap().contains("run as root"));
        // A single-queue device carries no count: the note stays.
        let mut single = link("tap0", 0);
        single.tun.as_mut().unwrap().num_queues = None;
        assert!(h.note_for([&single]).is_some());
    }
}
