//! Test harness: every kernel test runs in a network namespace it creates
//! and checks results with iproute2, not with our own code.
#![allow(dead_code)]

use std::fs::File;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use nix::sched::{CloneFlags, setns, unshare};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_tuntapctl");

/// The keys of the interface object, SPEC §4 and §6, in order: a public
/// contract, written out here rather than taken from the code under test.
/// `"stats"` follows them in `show --json` and `list --json --stats`.
pub const INTERFACE_KEYS: [&str; 18] = [
    "name",
    "ifindex",
    "mode",
    "owner",
    "group",
    "flags",
    "mac",
    "mtu",
    "txqueuelen",
    "up",
    "carrier",
    "operstate",
    "addresses",
    "queues",
    "processes",
    "master",
    "alias",
    "addrgenmode",
];

/// The apply lock every program a test starts uses: private to this
/// worktree's test runs, never the host's /run/tuntapctl.lock (which a
/// test must not create, and which older binaries left with mode 0644).
pub fn test_lock_path() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tuntapctl-test.lock")
}

/// Skip a kernel test loudly when namespaces cannot be made.
#[macro_export]
macro_rules! netns_or_skip {
    () => {
        match common::Netns::new() {
            Some(ns) => ns,
            None => {
                eprintln!(
                    "SKIPPED {}: cannot create a network namespace (needs CAP_NET_ADMIN/CAP_SYS_ADMIN; run the tests as root or under `unshare -r -n`)",
                    module_path!()
                );
                return;
            }
        }
    };
}

/// A network namespace owned by the test; it disappears (with every
/// interface in it) when dropped.
pub struct Netns {
    fd: OwnedFd,
}

impl Netns {
    pub fn new() -> Option<Netns> {
        std::thread::spawn(|| {
            unshare(CloneFlags::CLONE_NEWNET).ok()?;
            let file = File::open("/proc/thread-self/ns/net").ok()?;
            Some(Netns {
                fd: OwnedFd::from(file),
            })
        })
        .join()
        .ok()
        .flatten()
    }

    /// Run `f` on a thread that has entered this namespace; processes it
    /// spawns live in the namespace.
    pub fn within<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> T {
        let fd = self.fd.try_clone().expect("dup netns fd");
        std::thread::spawn(move || {
            setns(fd.as_fd(), CloneFlags::CLONE_NEWNET).expect("setns into the test namespace");
            f()
        })
        .join()
        .expect("namespace thread")
    }

    /// The namespace as a path usable by `--netns` and nsenter.
    pub fn path_for_child(&self) -> PathBuf {
        // Our fd is CLOEXEC; /proc/PID/fd/N names it for anyone who can see us.
        use std::os::fd::AsRawFd;
        PathBuf::from(format!(
            "/proc/{}/fd/{}",
            std::process::id(),
            self.fd.as_raw_fd()
        ))
    }

    pub fn run(&self, program: &str, args: &[&str]) -> Output {
        let program = program.to_string();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        self.within(move || {
            Command::new(&program)
                .args(&args)
                .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
                .stdin(Stdio::null())
                .output()
                .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
        })
    }

    pub fn run_env(&self, program: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let program = program.to_string();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.within(move || {
            Command::new(&program)
                .args(&args)
                .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
                .envs(env)
                .stdin(Stdio::null())
                .output()
                .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
        })
    }

    /// Run tuntapctl in the namespace.
    pub fn tt(&self, args: &[&str]) -> Output {
        self.run(BIN, args)
    }

    pub fn spawn(&self, program: &str, args: &[&str]) -> Child {
        let program = program.to_string();
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        self.within(move || {
            Command::new(&program)
                .args(&args)
                .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot spawn {program}: {e}"))
        })
    }

    /// `ip -d -j link show NAME`, or None when it does not exist.
    pub fn link(&self, name: &str) -> Option<Value> {
        let out = self.run("ip", &["-d", "-j", "link", "show", "dev", name]);
        if !out.status.success() {
            return None;
        }
        let v: Value = serde_json::from_slice(&out.stdout).expect("ip -j output is JSON");
        v.as_array().and_then(|a| a.first().cloned())
    }

    /// Names of every link in the namespace.
    pub fn link_names(&self) -> Vec<String> {
        let out = self.run("ip", &["-j", "link", "show"]);
        let v: Value = serde_json::from_slice(&out.stdout).expect("ip -j output is JSON");
        v.as_array()
            .unwrap()
            .iter()
            .map(|l| l["ifname"].as_str().unwrap().to_string())
            .collect()
    }

    /// `ip -j addr show dev NAME` → "ADDR/PREFIX" strings.
    pub fn addresses(&self, name: &str) -> Vec<String> {
        let out = self.run("ip", &["-j", "addr", "show", "dev", name]);
        let v: Value = serde_json::from_slice(&out.stdout).expect("ip -j output is JSON");
        v[0]["addr_info"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|i| format!("{}/{}", i["local"].as_str().unwrap(), i["prefixlen"]))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Start the independent attacher (examples/tun_attach) as root in this
    /// namespace; it holds the device until killed or its stdin closes.
    pub fn hold(&self, name: &str, mode: &str, extra: &[&str]) -> Holder {
        let mut args = vec![name, mode];
        args.extend_from_slice(extra);
        let mut child = self.spawn(&attach_helper(), &args);
        let line = read_line(&mut child);
        if !line.starts_with("attached") {
            let _ = child.kill();
            let out = child.wait_with_output().expect("holder output");
            panic!(
                "holder failed: {line} {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Holder { child }
    }

    /// Try to attach as an unprivileged user, through a private /dev/net/tun
    /// node (mode 0666) bind-mounted in a new mount namespace, so the host's
    /// node is never touched. Returns the helper's first output line.
    pub fn attach_as(&self, uid: u32, gid: u32, name: &str, mode: &str) -> String {
        let dir = tempdir("devtun");
        let node = dir.join("tun");
        let script = format!(
            "set -e; mknod -m 666 {node} c 10 200; mount --bind {node} /dev/net/tun; exec setpriv --reuid={uid} --regid={gid} --clear-groups {helper} {name} {mode} </dev/null",
            node = node.display(),
            helper = attach_helper(),
        );
        let out = self.run(
            "unshare",
            &["-m", "--propagation", "private", "sh", "-c", &script],
        );
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let _ = std::fs::remove_dir_all(&dir);
        let first = text.lines().next().unwrap_or("").to_string();
        if first.is_empty() {
            panic!(
                "attach helper printed nothing: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        first
    }
}

/// Spawn tuntapctl in the namespace, held at a gate (`read` on stdin) so that
/// several can be released together by closing their stdins.
pub fn spawn_gated(ns: &Netns, args: &[&str]) -> Child {
    let mut all = vec!["-c", "read _gate; exec \"$@\"", "sh", BIN];
    all.extend_from_slice(args);
    ns.spawn("sh", &all)
}

/// Release gated processes at once and collect their output.
pub fn release_and_wait(mut children: Vec<Child>) -> Vec<Output> {
    for child in &mut children {
        drop(child.stdin.take());
    }
    children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait for tuntapctl"))
        .collect()
}

pub struct Holder {
    pub child: Child,
}

impl Holder {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_line(child: &mut Child) -> String {
    use std::io::{BufRead, BufReader};
    let stdout = child.stdout.as_mut().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read helper output");
    line.trim().to_string()
}

/// The path of examples/tun_attach (built by `cargo test`).
pub fn attach_helper() -> String {
    let bin = Path::new(BIN);
    let path = bin.parent().unwrap().join("examples").join("tun_attach");
    // `cargo test --test X` does not build examples: make sure it is current,
    // once per test binary.
    static BUILT: std::sync::Once = std::sync::Once::new();
    BUILT.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let _ = Command::new(cargo)
            .args(["build", "--quiet", "--example", "tun_attach"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status();
    });
    assert!(
        path.exists(),
        "{} is missing: run the tests with `cargo test` (which builds examples)",
        path.display()
    );
    path.display().to_string()
}

pub fn tempdir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Assert an exit code, showing both streams when it differs.
#[track_caller]
pub fn assert_code(o: &Output, want: i32) {
    assert_eq!(
        code(o),
        want,
        "exit code\nstdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
}

pub fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(o), stderr(o)))
}

/// `ip -o monitor link` in a namespace, read on a thread: proves what a
/// command did (or did not) announce, such as a ghost device.
pub struct Monitor {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
}

impl Monitor {
    pub fn start(ns: &Netns) -> Monitor {
        use std::io::{BufRead, BufReader};
        let mut child = ns.spawn("ip", &["-o", "monitor", "link"]);
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Monitor { child, lines: rx }
    }

    /// Collect lines until one mentions `needle`; `poke` is called while
    /// nothing arrives (to generate events until the monitor is subscribed).
    pub fn until(&self, needle: &str, mut poke: impl FnMut(u32)) -> Vec<String> {
        use std::sync::mpsc::RecvTimeoutError;
        let mut seen = Vec::new();
        for round in 0..600 {
            match self
                .lines
                .recv_timeout(std::time::Duration::from_millis(100))
            {
                Ok(line) => {
                    let done = line.contains(needle);
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(RecvTimeoutError::Timeout) => poke(round),
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        panic!("ip monitor never reported {needle}; saw {seen:?}");
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The bash completion script the tests drive.
pub const BASH_COMPLETION: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/completions/tuntapctl.bash");

/// PATH with the built binary's directory first, so that a completion
/// script's `tuntapctl __complete-names` runs the binary under test.
pub fn path_with_bin() -> String {
    let dir = Path::new(BIN).parent().unwrap().display().to_string();
    format!("{dir}:{}", std::env::var("PATH").unwrap_or_default())
}

/// A bash program that runs `prelude` (a `cd`, `set -u`, stand-ins), sources
/// the bash completion script, completes `line` as if TAB were pressed at
/// its end, and prints COMPREPLY, one per line.
pub fn bash_completion_program(prelude: &str, line: &str) -> String {
    format!(
        r#"{prelude}
source '{BASH_COMPLETION}' || exit 99
COMP_LINE='{line}'
COMP_POINT=${{#COMP_LINE}}
read -ra COMP_WORDS <<< "$COMP_LINE"
[[ $COMP_LINE == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMPREPLY=()
_tuntapctl tuntapctl "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}" 2>/dev/null
printf '%s\n' "${{COMPREPLY[@]}}"
"#
    )
}

/// tuntapctl's note on a kernel that really lacks what the full holder
/// proof needs (pidfd_open, pidfd_getfd, TUNGETDEVNETNS: before 5.6), from
/// a command's stderr. The tests of the full proof say SKIPPED with it
/// there, after checking what the weaker proof does instead.
pub fn lacks_holder_proof(out: &std::process::Output) -> Option<String> {
    stderr(out)
        .lines()
        .find(|l| l.contains("this kernel lacks") && l.contains("weaker proof"))
        .map(|l| l.trim_start_matches("tuntapctl: ").to_string())
}

/// Does this kernel really lack what the full holder proof needs (before
/// 5.6)? tuntapctl's note says so for a device that something holds: one
/// is made, held and listed here, then removed. The tests of the full
/// proof say SKIPPED with the note there.
pub fn kernel_lacks_holder_proof(ns: &Netns) -> Option<String> {
    let name = "lackprobe0";
    assert_code(&ns.tt(&["-q", "add", name]), 0);
    let holder = ns.hold(name, "tap", &[]);
    let note = lacks_holder_proof(&ns.tt(&["list"]));
    drop(holder);
    assert_code(&ns.tt(&["-q", "del", "--force", name]), 0);
    note
}
