//! Which tasks (threads) of a process have an fd table of their own.
//!
//! /proc/PID/fd is the main thread's table only. A thread that called
//! unshare(CLONE_FILES), or every thread once the main thread has called
//! pthread_exit (its table is then gone), holds fds that only
//! /proc/PID/task/TID/fd shows. kcmp(KCMP_FILES) tells whether two tasks
//! share one table without reading either, so a process whose threads all
//! share the main table (the usual case) costs one getdents of
//! /proc/PID/task plus one kcmp per thread, and no fd is looked at twice.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;

use nix::errno::Errno;

/// An fd table to read: the task that owns it and its /proc directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub tid: u32,
    pub fd_dir: String,
}

/// The distinct fd tables of process `pid`: first the main thread's
/// (/proc/PID/fd), then one per other table, each under the first task
/// found using it.
///
/// When kcmp refuses (EPERM: the ptrace access check, the very check that
/// guards /proc/PID/task/TID/fd entries, so their fds could not be stat'ed
/// either; on this machine root lacks CAP_SYS_PTRACE and pid 1 is not
/// dumpable) the task is skipped. When kcmp cannot answer otherwise (a
/// kernel without it), the fd numbers listed for the task are compared with
/// those of the tables already chosen: the same set counts as the same
/// table. That costs a getdents per thread instead of a stat per fd. It can
/// miss a thread that unshared its table and then put a tun fd at a number
/// the shared table also uses; kcmp, where it answers, never does.
pub fn of_process(pid: u32) -> Vec<Table> {
    let mut tables = vec![Table {
        tid: pid,
        fd_dir: format!("/proc/{pid}/fd"),
    }];
    let Ok(tasks) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return tables;
    };
    // The fd numbers of each chosen table, read only when kcmp fails.
    let mut listings: Vec<Option<HashSet<OsString>>> = vec![None];
    for entry in tasks.flatten() {
        let Some(tid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        if tid == pid {
            continue;
        }
        let mut undecided = false;
        let mut shared = false;
        for table in &tables {
            match same_files(table.tid, tid) {
                Ok(true) => {
                    shared = true;
                    break;
                }
                Ok(false) => {}
                // Its fds are refused to us by the same check: nothing to
                // read there (as for the main table's refused entries).
                Err(Errno::EPERM | Errno::EACCES) => {
                    shared = true;
                    break;
                }
                Err(_) => undecided = true,
            }
        }
        let fd_dir = format!("/proc/{pid}/task/{tid}/fd");
        if !shared && undecided {
            let mine = fd_numbers(&fd_dir);
            shared = tables
                .iter()
                .zip(listings.iter_mut())
                .any(|(t, known)| known.get_or_insert_with(|| fd_numbers(&t.fd_dir)) == &mine);
        }
        if !shared {
            tables.push(Table { tid, fd_dir });
            listings.push(None);
        }
    }
    tables
}

/// The fd numbers listed in an fd directory (empty when unreadable).
fn fd_numbers(fd_dir: &str) -> HashSet<OsString> {
    fs::read_dir(fd_dir)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default()
}

const KCMP_FILES: libc::c_int = 2;

/// Do tasks `a` and `b` share one fd table? The errno when the kernel
/// cannot say (ENOSYS: no kcmp; EPERM: no ptrace access; ESRCH: gone).
fn same_files(a: u32, b: u32) -> Result<bool, Errno> {
    // SAFETY: kcmp takes two pids, a type and two unused longs by value and
    // returns 0 (same), 1 or 2 (ordered differently), or -1; no memory is
    // shared.
    let r = unsafe {
        libc::syscall(
            libc::SYS_kcmp,
            a as libc::pid_t,
            b as libc::pid_t,
            KCMP_FILES,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    };
    match r {
        0 => Ok(true),
        1..=3 => Ok(false),
        _ => Err(Errno::last()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_sharing_the_table_add_nothing() {
        let (tx, rx) = std::sync::mpsc::channel::<u32>();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            tx.send(nix::unistd::gettid().as_raw() as u32).unwrap();
            let _ = done_rx.recv();
        });
        let tid = rx.recv().unwrap();
        let pid = std::process::id();
        let tables = of_process(pid);
        assert_eq!(tables[0].fd_dir, format!("/proc/{pid}/fd"));
        // Our thread shares our table: not listed (unless kcmp is missing
        // here, when every thread is read).
        if same_files(pid, pid) == Ok(true) {
            assert!(tables.iter().all(|t| t.tid != tid), "{tables:?}");
        }
        drop(done_tx);
        t.join().unwrap();
    }

    #[test]
    fn a_thread_with_its_own_table_is_listed() {
        let pid = std::process::id();
        if same_files(pid, pid) != Ok(true) {
            eprintln!("SKIPPED: kcmp is not available here");
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel::<u32>();
        let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
        let t = std::thread::spawn(move || {
            nix::sched::unshare(nix::sched::CloneFlags::CLONE_FILES).unwrap();
            tx.send(nix::unistd::gettid().as_raw() as u32).unwrap();
            let _ = done_rx.recv();
        });
        let tid = rx.recv().unwrap();
        let tables = of_process(pid);
        assert!(
            tables
                .iter()
                .any(|t| t.tid == tid && t.fd_dir == format!("/proc/{pid}/task/{tid}/fd")),
            "{tables:?}"
        );
        drop(done_tx);
        t.join().unwrap();
    }
}
