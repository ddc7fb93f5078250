//! The CNI plugin (SPEC §13) run as a runtime runs it: CNI_* variables and
//! the config on stdin, the binary started with no argument. The plugin runs
//! in a namespace the test makes (the "host"), the tap goes into a second
//! one (the "container") reached through a bind-mounted namespace file, as
//! `ip netns` and runtimes make them. IPAM is Debian's containernetworking-
//! plugins (host-local), with its data directory in the test's own tempdir.
//! Results are checked with `ip -n`-style reads inside the container
//! namespace, never with our own code.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{BIN, Netns, code, json, stdout, tempdir};
use serde_json::{Value, json};

const IPAM_DIR: &str = "/usr/lib/cni";

/// A container's network namespace as a runtime holds it: a file with the
/// namespace bind-mounted on it.
struct Container {
    ns: Netns,
    file: PathBuf,
    mounted: bool,
}

impl Container {
    fn new() -> Option<Container> {
        let ns = Netns::new()?;
        let file = tempdir("cni-netns").join("netns");
        std::fs::File::create(&file).ok()?;
        let ok = Command::new("mount")
            .args(["--bind"])
            .arg(ns.path_for_child())
            .arg(&file)
            .status()
            .ok()?
            .success();
        ok.then_some(Container {
            ns,
            file,
            mounted: true,
        })
    }

    fn path(&self) -> String {
        self.file.display().to_string()
    }

    /// The container is gone: the namespace file with it.
    fn remove(&mut self) {
        let _ = Command::new("umount").arg(&self.file).status();
        let _ = std::fs::remove_file(&self.file);
        self.mounted = false;
    }

    fn ip(&self, args: &[&str]) -> Value {
        let out = self.ns.run("ip", args);
        assert!(
            out.status.success(),
            "ip {args:?}: {}",
            common::stderr(&out)
        );
        serde_json::from_slice(&out.stdout).expect("ip -j prints JSON")
    }

    fn links(&self) -> Vec<String> {
        self.ns.link_names()
    }

    fn routes(&self) -> Vec<String> {
        let v = self.ip(&["-j", "route", "show"]);
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let gw = r["gateway"]
                    .as_str()
                    .map(|g| format!(" via {g}"))
                    .unwrap_or_default();
                format!(
                    "{}{gw} dev {}",
                    r["dst"].as_str().unwrap(),
                    r["dev"].as_str().unwrap()
                )
            })
            .collect()
    }
}

impl Drop for Container {
    fn drop(&mut self) {
        if self.mounted {
            let _ = Command::new("umount").arg("-l").arg(&self.file).status();
        }
    }
}

macro_rules! setup_or_skip {
    () => {{
        let host = netns_or_skip!();
        let Some(container) = Container::new() else {
            eprintln!("SKIPPED: cannot bind-mount a network namespace file (needs root)");
            return;
        };
        if !Path::new(IPAM_DIR).join("host-local").exists() {
            panic!("{IPAM_DIR}/host-local is missing: install containernetworking-plugins (scripts/test.sh does)");
        }
        (host, container)
    }};
}

/// Run the plugin in `host` as a runtime does: no argument, CNI_* set,
/// the config on stdin.
fn plugin(host: &Netns, env: &[(&str, String)], stdin: &str) -> Output {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let stdin = stdin.to_string();
    host.within(move || {
        let mut child = Command::new(BIN)
            .env_remove("CNI_ARGS")
            .envs(env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run tuntapctl");
        let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        child.wait_with_output().unwrap()
    })
}

/// CNI_* variables as a runtime sets them.
type Env = Vec<(&'static str, String)>;

fn env(verb: &str, c: &Container, ifname: &str) -> Env {
    vec![
        ("CNI_COMMAND", verb.to_string()),
        ("CNI_CONTAINERID", "ctr1".to_string()),
        ("CNI_NETNS", c.path()),
        ("CNI_IFNAME", ifname.to_string()),
        ("CNI_PATH", IPAM_DIR.to_string()),
    ]
}

fn run(host: &Netns, verb: &str, c: &Container, conf: &Value) -> Output {
    plugin(host, &env(verb, c, "eth0"), &conf.to_string())
}

/// A config with host-local IPAM keeping its state in `data`.
fn conf(version: &str, data: &Path, extra: Value) -> Value {
    let mut v = json!({
        "cniVersion": version,
        "name": "tt-test",
        "type": "tuntapctl",
        "ipam": {
            "type": "host-local",
            "dataDir": data.display().to_string(),
            "ranges": [[{"subnet": "10.77.0.0/24", "gateway": "10.77.0.1"}]],
            "routes": [{"dst": "0.0.0.0/0"}, {"dst": "192.168.50.0/24", "gw": "10.77.0.1"}]
        }
    });
    merge(&mut v, extra);
    v
}

fn merge(v: &mut Value, extra: Value) {
    if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
        for (k, val) in e {
            if val.is_null() {
                o.remove(&k);
            } else {
                o.insert(k, val);
            }
        }
    }
}

/// Addresses host-local holds (one file per address in its data dir).
fn allocated(data: &Path) -> Vec<String> {
    let dir = data.join("tt-test");
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains('.') && !n.starts_with("last_reserved"))
                .collect()
        })
        .unwrap_or_default()
}

#[track_caller]
fn assert_cni_error(o: &Output, want: u64) -> Value {
    assert_eq!(
        code(o),
        1,
        "exit 1 on error\nstdout: {}\nstderr: {}",
        stdout(o),
        common::stderr(o)
    );
    let v = json(o);
    assert_eq!(v["code"], want, "error code: {v}");
    for key in ["cniVersion", "msg", "details"] {
        assert!(v.get(key).is_some(), "{key} missing from {v}");
    }
    v
}

#[test]
fn add_check_del_in_every_version_with_host_local() {
    let (host, c) = setup_or_skip!();
    for version in ["0.3.1", "0.4.0", "1.0.0"] {
        let data = tempdir("cni-ipam");
        let cfg = conf(
            version,
            &data,
            json!({"mtu": 1400, "mac": "02:11:22:33:44:55", "vnetHdr": true, "owner": 4242, "group": "root", "txqueuelen": 77}),
        );
        let out = run(&host, "ADD", &c, &cfg);
        common::assert_code(&out, 0);
        let result = json(&out);
        assert_eq!(result["cniVersion"], version);
        assert_eq!(result["interfaces"][0]["name"], "eth0");
        assert_eq!(result["interfaces"][0]["sandbox"], c.path());
        assert_eq!(result["interfaces"][0]["mac"], "02:11:22:33:44:55");
        assert_eq!(result["ips"][0]["address"], "10.77.0.2/24");
        assert_eq!(
            result["ips"][0].get("version").is_some(),
            version != "1.0.0",
            "ips[].version only before 1.0.0: {result}"
        );
        // Independently: the device, its addresses and routes.
        let link = c.ns.link("eth0").expect("eth0 in the container namespace");
        assert_eq!(link["linkinfo"]["info_kind"], "tun");
        assert_eq!(link["linkinfo"]["info_data"]["type"], "tap");
        assert_eq!(link["linkinfo"]["info_data"]["vnet_hdr"], true);
        // iproute2 prints a name when the id has one, else the number.
        assert_eq!(link["linkinfo"]["info_data"]["user"], 4242);
        assert_eq!(link["linkinfo"]["info_data"]["group"], "root");
        assert_eq!(link["mtu"], 1400);
        assert_eq!(link["txqlen"], 77);
        assert_eq!(link["address"], "02:11:22:33:44:55");
        assert!(link["flags"].as_array().unwrap().iter().any(|f| f == "UP"));
        assert_eq!(c.ns.addresses("eth0"), vec!["10.77.0.2/24"]);
        let routes = c.routes();
        for want in [
            "default via 10.77.0.1 dev eth0",
            "192.168.50.0/24 via 10.77.0.1 dev eth0",
        ] {
            assert!(routes.iter().any(|r| r == want), "{want} not in {routes:?}");
        }
        assert_eq!(allocated(&data), vec!["10.77.0.2"]);
        // No temporary name left behind.
        assert_eq!(c.links(), vec!["lo", "eth0"]);

        if version != "0.3.1" {
            let mut check = cfg.clone();
            merge(&mut check, json!({"prevResult": result}));
            common::assert_code(&run(&host, "CHECK", &c, &check), 0);
        }

        for _ in 0..2 {
            let out = run(&host, "DEL", &c, &cfg);
            common::assert_code(&out, 0);
            assert_eq!(stdout(&out), "");
        }
        assert_eq!(c.links(), vec!["lo"]);
        assert!(allocated(&data).is_empty(), "IPAM released");
    }
}

/// A stand-in IPAM plugin that speaks 1.1.0 (Debian's stop at 1.0.0): it
/// logs each verb it is given and fails ADD with code 11 while FAIL exists.
fn fake_ipam(dir: &Path) -> PathBuf {
    let log = dir.join("log");
    let fail = dir.join("FAIL");
    let script = format!(
        r#"#!/bin/sh
cat >/dev/null
echo "$CNI_COMMAND $CNI_CONTAINERID" >> {log}
case "$CNI_COMMAND" in
VERSION) echo '{{"cniVersion":"1.1.0","supportedVersions":["0.4.0","1.0.0","1.1.0"]}}' ;;
ADD)
  if [ -e {fail} ]; then echo '{{"cniVersion":"1.1.0","code":11,"msg":"pool is busy","details":"retry"}}'; exit 1; fi
  echo '{{"cniVersion":"1.1.0","ips":[{{"address":"10.66.0.5/24","gateway":"10.66.0.1"}}],"routes":[{{"dst":"10.67.0.0/16"}}]}}' ;;
esac
"#,
        log = log.display(),
        fail = fail.display()
    );
    let path = dir.join("fake-ipam");
    std::fs::write(&path, script).unwrap();
    Command::new("chmod")
        .arg("755")
        .arg(&path)
        .status()
        .unwrap();
    log
}

fn verbs_logged(log: &Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split(' ').next().unwrap_or("").to_string())
        .filter(|v| v != "VERSION")
        .collect()
}

#[test]
fn version_1_1_0_with_status_gc_and_an_ipam_plugin_that_speaks_it() {
    let (host, c) = setup_or_skip!();
    let dir = tempdir("cni-fake");
    let log = fake_ipam(&dir);
    let cfg = json!({"cniVersion": "1.1.0", "name": "tt-test", "type": "tuntapctl", "mode": "tap",
                     "mtu": 9000, "multiQueue": true, "ipam": {"type": "fake-ipam"}});
    let mut e = env("ADD", &c, "net1");
    e[4].1 = dir.display().to_string();
    let out = plugin(&host, &e, &cfg.to_string());
    common::assert_code(&out, 0);
    let result = json(&out);
    assert_eq!(
        result["interfaces"][0]["mtu"], 9000,
        "1.1.0 results carry mtu: {result}"
    );
    assert!(result["ips"][0].get("version").is_none());
    let link = c.ns.link("net1").unwrap();
    assert_eq!(link["linkinfo"]["info_data"]["multi_queue"], true);
    assert_eq!(c.ns.addresses("net1"), vec!["10.66.0.5/24"]);
    assert!(
        c.routes()
            .iter()
            .any(|r| r == "10.67.0.0/16 via 10.66.0.1 dev net1"),
        "{:?}",
        c.routes()
    );

    for verb in ["CHECK", "STATUS", "GC"] {
        let mut cfg = cfg.clone();
        merge(
            &mut cfg,
            json!({"prevResult": result, "cni.dev/valid-attachments": []}),
        );
        e[0].1 = verb.to_string();
        common::assert_code(&plugin(&host, &e, &cfg.to_string()), 0);
    }
    e[0].1 = "DEL".into();
    common::assert_code(&plugin(&host, &e, &cfg.to_string()), 0);
    assert_eq!(
        verbs_logged(&log),
        vec!["ADD", "CHECK", "STATUS", "GC", "DEL"]
    );

    // The IPAM plugin's own error code (11, try again) is passed on, and
    // the failed ADD leaves no device and still releases IPAM.
    std::fs::write(dir.join("FAIL"), "").unwrap();
    e[0].1 = "ADD".into();
    let v = assert_cni_error(&plugin(&host, &e, &cfg.to_string()), 11);
    assert!(v["msg"].as_str().unwrap().contains("fake-ipam"), "{v}");
    assert_eq!(c.links(), vec!["lo"]);
    assert_eq!(verbs_logged(&log).last().map(String::as_str), Some("DEL"));
}

#[test]
fn an_ipam_plugin_without_the_configs_version_is_code_1_naming_it() {
    let (host, c) = setup_or_skip!();
    let data = tempdir("cni-ipam");
    for verb in ["ADD", "DEL", "STATUS", "GC"] {
        let v = assert_cni_error(&run(&host, verb, &c, &conf("1.1.0", &data, json!({}))), 1);
        let msg = v["msg"].as_str().unwrap();
        assert!(
            msg.contains("host-local") && msg.contains("1.0.0"),
            "{verb}: {msg}"
        );
        assert_eq!(v["cniVersion"], "1.1.0");
    }
    assert_eq!(c.links(), vec!["lo"]);
    assert!(allocated(&data).is_empty());
}

#[test]
fn a_failure_after_allocation_leaves_nothing_and_releases_ipam() {
    let (host, c) = setup_or_skip!();
    let data = tempdir("cni-ipam");
    // The gateway of this route is not on the tap's subnet: the kernel
    // refuses it after the tap exists and the address is allocated.
    let mut cfg = conf("1.0.0", &data, json!({}));
    cfg["ipam"]["routes"] = json!([{"dst": "192.168.0.0/16", "gw": "172.31.0.1"}]);
    let v = assert_cni_error(&run(&host, "ADD", &c, &cfg), 5);
    assert!(v["msg"].as_str().unwrap().contains("192.168.0.0/16"), "{v}");
    assert_eq!(c.links(), vec!["lo"], "no tap, no temporary name left");
    assert!(allocated(&data).is_empty(), "the allocation was released");

    // IPAM that fails (an exhausted range) leaves nothing either.
    let mut cfg = conf("1.0.0", &data, json!({}));
    cfg["ipam"]["ranges"] =
        json!([[{"subnet": "10.78.0.0/30", "rangeStart": "10.78.0.2", "rangeEnd": "10.78.0.2"}]]);
    cfg["ipam"]["routes"] = json!([]);
    common::assert_code(&run(&host, "ADD", &c, &cfg), 0);
    let mut e = env("ADD", &c, "eth1");
    e[1].1 = "ctr2".into();
    let out = plugin(&host, &e, &cfg.to_string());
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(json(&out)["msg"].as_str().unwrap().contains("host-local"));
    assert_eq!(c.links(), vec!["lo", "eth0"]);
}

#[test]
fn a_host_device_named_like_cni_ifname_is_untouched() {
    let (host, c) = setup_or_skip!();
    let out = host.run("ip", &["link", "add", "eth0", "type", "bridge"]);
    assert!(out.status.success());
    let before = host.link("eth0").unwrap();
    let cfg = json!({"cniVersion": "1.0.0", "name": "tt-test", "type": "tuntapctl"});
    common::assert_code(&run(&host, "ADD", &c, &cfg), 0);
    assert_eq!(host.link("eth0").unwrap(), before);
    assert_eq!(c.ns.link("eth0").unwrap()["linkinfo"]["info_kind"], "tun");
    common::assert_code(&run(&host, "DEL", &c, &cfg), 0);
    assert_eq!(host.link("eth0").unwrap(), before);
    // A second ADD into a namespace where CNI_IFNAME is taken changes nothing.
    common::assert_code(&run(&host, "ADD", &c, &cfg), 0);
    let taken = run(&host, "ADD", &c, &cfg);
    assert_cni_error(&taken, 4);
    assert_eq!(c.links(), vec!["lo", "eth0"]);
}

#[test]
fn check_catches_mtu_owner_and_flags_changed_behind_its_back() {
    let (host, c) = setup_or_skip!();
    let data = tempdir("cni-ipam");
    let cfg = conf("1.0.0", &data, json!({"mtu": 1400, "owner": 1000}));
    let out = run(&host, "ADD", &c, &cfg);
    common::assert_code(&out, 0);
    let mut check = cfg.clone();
    merge(&mut check, json!({"prevResult": json(&out)}));
    common::assert_code(&run(&host, "CHECK", &c, &check), 0);

    let changes: [(&[&str], &str); 3] = [
        (
            &["ip", "link", "set", "eth0", "mtu", "1300"],
            "MTU is 1300, expected 1400",
        ),
        (
            &["tunctl", "-u", "0", "-t", "eth0"],
            "owner is 0, expected 1000",
        ),
        (
            &["ip", "link", "set", "eth0", "down"],
            "state is down, expected up",
        ),
    ];
    for (cmd, said) in changes {
        let o = c.ns.run(cmd[0], &cmd[1..]);
        assert!(o.status.success(), "{cmd:?}: {}", common::stderr(&o));
        let v = assert_cni_error(&run(&host, "CHECK", &c, &check), 100);
        assert!(
            v["msg"].as_str().unwrap().contains(said),
            "{said} not in {v}"
        );
        assert!(v["details"].as_str().unwrap().contains(said));
    }
    // Every difference at once is named.
    let v = assert_cni_error(&run(&host, "CHECK", &c, &check), 100);
    assert_eq!(v["details"].as_str().unwrap().lines().count(), 3, "{v}");
    // An address removed is one more.
    let o = c.ns.run("ip", &["addr", "flush", "dev", "eth0"]);
    assert!(o.status.success());
    let v = assert_cni_error(&run(&host, "CHECK", &c, &check), 100);
    assert!(
        v["msg"].as_str().unwrap().contains("address 10.77.0.2/24"),
        "{v}"
    );
    common::assert_code(&run(&host, "DEL", &c, &cfg), 0);
}

#[test]
fn del_with_the_netns_gone_still_releases_ipam() {
    let (host, mut c) = setup_or_skip!();
    let data = tempdir("cni-ipam");
    let cfg = conf("0.4.0", &data, json!({}));
    common::assert_code(&run(&host, "ADD", &c, &cfg), 0);
    assert_eq!(allocated(&data).len(), 1);
    c.remove();
    for _ in 0..2 {
        common::assert_code(&run(&host, "DEL", &c, &cfg), 0);
    }
    assert!(allocated(&data).is_empty());
    // DEL without CNI_NETNS at all is also success.
    let e: Vec<_> = env("DEL", &c, "eth0")
        .into_iter()
        .filter(|(k, _)| *k != "CNI_NETNS")
        .collect();
    common::assert_code(&plugin(&host, &e, &cfg.to_string()), 0);
    // ADD and CHECK into a gone container: code 3, nothing allocated.
    assert_cni_error(&run(&host, "ADD", &c, &cfg), 3);
    assert!(allocated(&data).is_empty());
}

#[test]
fn every_error_code() {
    let (host, c) = setup_or_skip!();
    let base = json!({"cniVersion": "1.0.0", "name": "tt-test", "type": "tuntapctl"});
    let with = |extra: Value| {
        let mut v = base.clone();
        merge(&mut v, extra);
        v.to_string()
    };
    let add = env("ADD", &c, "eth0");
    let cases: Vec<(u64, Env, String)> = vec![
        (1, add.clone(), with(json!({"cniVersion": "0.2.0"}))),
        (
            1,
            env("CHECK", &c, "eth0"),
            with(json!({"cniVersion": "0.3.1", "prevResult": {}})),
        ),
        (
            2,
            add.clone(),
            with(json!({"mode": "tun", "mac": "02:00:00:00:00:01"})),
        ),
        (
            4,
            add.iter()
                .filter(|(k, _)| *k != "CNI_IFNAME")
                .cloned()
                .collect(),
            with(json!({})),
        ),
        (4, env("ADDX", &c, "eth0"), with(json!({}))),
        (4, env("ADD", &c, "a/b"), with(json!({}))),
        (
            4,
            [
                add.clone(),
                vec![("CNI_ARGS", "MAC=01:00:00:00:00:01".to_string())],
            ]
            .concat(),
            with(json!({})),
        ),
        (5, add.clone(), with(json!({"bridge": "nosuchbr0"}))),
        (6, add.clone(), "{not json".to_string()),
        (6, add.clone(), "[1,2]".to_string()),
        // Over the 1 MiB bound: refused unread, not buffered.
        (
            6,
            add.clone(),
            format!(
                "{{\"cniVersion\":\"1.0.0\",\"x\":\"{}\"}}",
                "a".repeat(1 << 21)
            ),
        ),
        (7, add.clone(), with(json!({"mtu": 67}))),
        (7, add.clone(), with(json!({"mtu": 65522}))),
        (7, add.clone(), with(json!({"mac": "01:00:5e:00:00:01"}))),
        (7, add.clone(), with(json!({"owner": "no-such-user-tt"}))),
        (7, add.clone(), with(json!({"group": "no-such-group-tt"}))),
        (7, add.clone(), with(json!({"mtu": "1500"}))),
        (
            7,
            add.clone(),
            with(json!({"ipam": {"type": "../../bin/sh"}})),
        ),
        (
            7,
            add.clone(),
            with(json!({"ipam": {"type": "no-such-ipam"}})),
        ),
        (7, add.clone(), with(json!({"name": "bad name"}))),
    ];
    for (want, e, stdin) in cases {
        let out = plugin(&host, &e, &stdin);
        let v = assert_cni_error(&out, want);
        assert!(!v["msg"].as_str().unwrap().is_empty());
        assert_eq!(c.links(), vec!["lo"], "nothing made for {stdin}");
    }
    // selinuxContext where SELinux is off: code 2, said plainly.
    if !Path::new("/sys/fs/selinux/enforce").exists() {
        let out = plugin(
            &host,
            &add,
            &with(json!({"selinuxContext": "system_u:system_r:svirt_t:s0"})),
        );
        let v = assert_cni_error(&out, 2);
        assert!(
            v["msg"]
                .as_str()
                .unwrap()
                .contains("SELinux is not enabled"),
            "{v}"
        );
    }
    // The error is in the config's version, and a bad version in the newest.
    let v = assert_cni_error(
        &plugin(&host, &add, &with(json!({"cniVersion": "0.4.0", "mtu": 1}))),
        7,
    );
    assert_eq!(v["cniVersion"], "0.4.0");
}

#[test]
fn status_is_50_when_dev_net_tun_cannot_be_opened() {
    let (host, c) = setup_or_skip!();
    let cfg = json!({"cniVersion": "1.1.0", "name": "tt-test", "type": "tuntapctl"}).to_string();
    common::assert_code(&plugin(&host, &env("STATUS", &c, "eth0"), &cfg), 0);
    // A private mount namespace where /dev/net/tun is a node with no
    // driver behind it (the host's is never touched).
    let dir = tempdir("cni-notun");
    let node = dir.join("tun");
    let ok = Command::new("mknod")
        .arg(&node)
        .args(["c", "240", "254"])
        .status()
        .unwrap();
    assert!(ok.success());
    let e = env("STATUS", &c, "eth0");
    let out = host.within(move || {
        let mut child = Command::new("unshare")
            .args([
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --bind \"$0\" /dev/net/tun && exec \"$1\"",
            ])
            .arg(&node)
            .arg(BIN)
            .envs(e.iter().map(|(k, v)| (k.to_string(), v.clone())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child.stdin.take().unwrap().write_all(cfg.as_bytes());
        child.wait_with_output().unwrap()
    });
    let v = assert_cni_error(&out, 50);
    assert!(v["msg"].as_str().unwrap().contains("/dev/net/tun"));
}

#[test]
fn version_answers_and_cni_subcommand_is_the_same() {
    let (host, c) = setup_or_skip!();
    let out = plugin(
        &host,
        &[("CNI_COMMAND", "VERSION".into())],
        r#"{"cniVersion":"0.4.0"}"#,
    );
    common::assert_code(&out, 0);
    let v = json(&out);
    assert_eq!(v["cniVersion"], "0.4.0");
    assert_eq!(
        v["supportedVersions"],
        json!(["0.3.1", "0.4.0", "1.0.0", "1.1.0"])
    );
    // `tuntapctl cni` by hand.
    let e = env("ADD", &c, "eth0");
    let out = host.within(move || {
        let mut child = Command::new(BIN)
            .arg("cni")
            .envs(e.iter().map(|(k, v)| (k.to_string(), v.clone())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let _ = child
            .stdin
            .take()
            .unwrap()
            .write_all(br#"{"cniVersion":"1.0.0","name":"n","type":"tuntapctl","mode":"tun"}"#);
        child.wait_with_output().unwrap()
    });
    common::assert_code(&out, 0);
    assert_eq!(
        c.ns.link("eth0").unwrap()["linkinfo"]["info_data"]["type"],
        "tun"
    );
    // With CNI_COMMAND set, a command line still means our own command.
    let out =
        c.ns.run_env(BIN, &["list", "--json"], &[("CNI_COMMAND", "ADD")]);
    common::assert_code(&out, 0);
    assert!(stdout(&out).contains("\"eth0\""));
}
