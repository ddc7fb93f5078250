//! The shipped delegation units pass `systemd-analyze verify`, their command
//! line parses, and the example policy passes `serve --check` (its ownership
//! check aside: the source tree is not root-only).

mod common;

use common::*;

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{}/contrib/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn serve_units_verify_and_are_hardened() {
    let service = read("tuntapctl.service");
    let socket = read("tuntapctl.socket");
    let exec = service
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .unwrap();
    let args: Vec<&str> = exec.split_whitespace().skip(1).collect();
    assert_eq!(args, ["serve", "--policy", "/etc/tuntapctl/delegate.toml"]);
    for line in [
        "CapabilityBoundingSet=CAP_NET_ADMIN",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "DeviceAllow=/dev/net/tun rw",
        "DevicePolicy=closed",
    ] {
        assert!(service.lines().any(|l| l == line), "{line}");
    }
    assert!(
        socket
            .lines()
            .any(|l| l == "ListenStream=/run/tuntapctl/tuntapctl.sock")
    );
    assert!(socket.lines().any(|l| l == "SocketMode=0666"));
    if std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "SKIPPED serve_units_verify (systemd-analyze part): systemd-analyze is not installed"
        );
        return;
    }
    let dir = tempdir("serve-units");
    std::fs::write(dir.join("tuntapctl.socket"), &socket).unwrap();
    std::fs::write(
        dir.join("tuntapctl.service"),
        service.replace("ExecStart=/usr/bin/tuntapctl", &format!("ExecStart={BIN}")),
    )
    .unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(dir.join("tuntapctl.socket"))
        .arg(dir.join("tuntapctl.service"))
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "", "systemd-analyze warnings");
}

#[test]
fn example_policy_parses() {
    let text = read("delegate.toml");
    // The example names group kvm; a table stands in for /etc/group.
    struct Ids;
    impl tuntapctl::delegate::policy::IdLookup for Ids {
        fn uid(&self, _: &str) -> Option<u32> {
            None
        }
        fn gid(&self, name: &str) -> Option<u32> {
            (name == "kvm").then_some(990)
        }
    }
    let p =
        tuntapctl::delegate::policy::Policy::parse("contrib/delegate.toml", &text, &Ids).unwrap();
    assert_eq!((p.allow.len(), p.deny.len()), (1, 0));
    assert_eq!(p.allow[0].max, 8);
}
