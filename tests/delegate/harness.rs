//! A `tuntapctl serve` of the test's own: in the test's network namespace
//! and in a mount namespace of its own with a private tmpfs on /run (root
//! owned, mode 755: the policy there passes the strict-modes check), so the
//! host's /run is never touched. Users act through `nsenter -m` + `setpriv`.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

pub const NOBODY: u32 = 65534;
/// daemon (uid 1, group daemon 1): a second user with a name on every Debian.
pub const DAEMON: u32 = 1;
pub const SOCKET: &str = "/run/tuntapctl/tuntapctl.sock";
pub const POLICY: &str = "/run/tuntapctl/delegate.toml";

pub struct Service {
    pub child: Child,
    pub log: PathBuf,
}

/// The shell that makes the private /run, writes the policy ($POLICY_TEXT)
/// and runs `serve` (exec: the child's pid is the service's).
fn script(prepare: &str, serve_args: &str) -> String {
    script_exec(
        prepare,
        &format!("{BIN} serve --policy {POLICY} {serve_args}"),
    )
}

fn script_exec(prepare: &str, exec: &str) -> String {
    format!(
        "set -e; mount -t tmpfs -o mode=755 none /run; mkdir -m 755 /run/tuntapctl; printf '%s' \"$POLICY_TEXT\" > {POLICY}; {prepare} exec {exec}"
    )
}

/// Run serve to its end (for --check and refusals at start).
pub fn serve_once(ns: &Netns, policy: &str, prepare: &str, serve_args: &str) -> Output {
    let s = script(prepare, serve_args);
    ns.run_env(
        "unshare",
        &["-m", "--propagation", "private", "sh", "-c", &s],
        &[("POLICY_TEXT", policy)],
    )
}

impl Service {
    pub fn start(ns: &Netns, policy: &str) -> Service {
        Service::start_env(ns, policy, &[])
    }

    pub fn start_env(ns: &Netns, policy: &str, env: &[(&str, &str)]) -> Service {
        Service::start_exec(
            ns,
            policy,
            env,
            &format!("{BIN} serve --policy {POLICY} --socket {SOCKET}"),
        )
    }

    /// Start `exec` (which runs serve) after making /run and the policy.
    pub fn start_exec(ns: &Netns, policy: &str, env: &[(&str, &str)], exec: &str) -> Service {
        let log = tempdir("serve").join("serve.log");
        let s = script_exec("", exec);
        let policy = policy.to_string();
        let log_file = std::fs::File::create(&log).unwrap();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let child = ns.within(move || {
            Command::new("unshare")
                .args(["-m", "--propagation", "private", "sh", "-c", &s])
                .env("POLICY_TEXT", policy)
                .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
                .envs(env)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(log_file)
                .spawn()
                .unwrap()
        });
        let svc = Service { child, log };
        let deadline = Instant::now() + Duration::from_secs(20);
        while !svc.socket_path().exists() {
            assert!(
                Instant::now() < deadline,
                "serve did not start: {}",
                svc.log_text()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        svc
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The socket as the test process reaches it (through /proc/PID/root,
    /// into the service's mount namespace).
    pub fn socket_path(&self) -> PathBuf {
        PathBuf::from(format!("/proc/{}/root{SOCKET}", self.pid()))
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Wait (up to 20 s: the service writes its log line after it answers,
    /// and a qemu guest without KVM is slow) until the log holds `want`;
    /// panics with the log otherwise.
    pub fn wait_for_log(&self, want: &str) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let log = self.log_text();
            if log.contains(want) {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{want} not in the log: {log}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Run a program as `uid` (with its own groups) inside the service's
    /// mount namespace and the test's network namespace.
    pub fn run_as(&self, ns: &Netns, uid: u32, program: &str, args: &[&str]) -> Output {
        self.run_as_in(ns, uid, "--init-groups", program, args)
    }

    /// The same with setpriv's groups option given (`--groups=50`).
    fn run_as_in(
        &self,
        ns: &Netns,
        uid: u32,
        groups: &str,
        program: &str,
        args: &[&str],
    ) -> Output {
        let pid = self.pid().to_string();
        let reuid = format!("--reuid={uid}");
        let regid = format!("--regid={}", if uid == NOBODY { NOBODY } else { uid });
        let mut all = vec![
            "-t", &pid, "-m", "--", "setpriv", &reuid, &regid, groups, program,
        ];
        all.extend_from_slice(args);
        ns.run("nsenter", &all)
    }

    /// tuntapctl as `uid`.
    pub fn tt_as(&self, ns: &Netns, uid: u32, args: &[&str]) -> Output {
        self.run_as(ns, uid, BIN, args)
    }

    /// tuntapctl as `uid` with these supplementary groups (`50,100`).
    pub fn tt_as_with_groups(&self, ns: &Netns, uid: u32, gids: &str, args: &[&str]) -> Output {
        self.run_as_in(ns, uid, &format!("--groups={gids}"), BIN, args)
    }

    /// One raw exchange on the socket (as root, from the test process).
    pub fn raw(&self, request: &[u8]) -> serde_json::Value {
        let mut s = UnixStream::connect(self.socket_path()).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = s.write_all(request);
        let _ = s.shutdown(std::net::Shutdown::Write);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The tun/tap links of the namespace as ip sees them: (name, user, persist).
pub fn taps(ns: &Netns) -> Vec<(String, serde_json::Value, bool)> {
    let out = ns.run("ip", &["-d", "-j", "link", "show"]);
    let links: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    links
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["linkinfo"]["info_kind"] == "tun")
        .map(|l| {
            let data = &l["linkinfo"]["info_data"];
            (
                l["ifname"].as_str().unwrap().to_string(),
                data["user"].clone(),
                data["persist"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

/// ip's "user" of a tap: a name when it has one, else the uid.
pub fn is_user(v: &serde_json::Value, uid: u32, name: &str) -> bool {
    *v == serde_json::json!(uid) || *v == serde_json::json!(name)
}
