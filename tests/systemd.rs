//! The shipped systemd unit is valid (systemd-analyze verify) and points at
//! a command line tuntapctl accepts.

mod common;

use common::*;

#[test]
fn apply_unit_verifies() {
    let unit = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/contrib/tuntapctl-apply.service"
    ))
    .unwrap();
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("ExecStart");
    let args: Vec<&str> = exec.split_whitespace().skip(1).collect();
    assert_eq!(args, ["--quiet", "apply", "/etc/tuntapctl/interfaces.json"]);
    // The arguments parse (a missing file is exit 2 with our message, not a
    // clap error about the command line).
    let out = std::process::Command::new(BIN)
        .args(["--quiet", "apply", "/nonexistent/interfaces.json"])
        .env("TUNTAPCTL_TEST_LOCK_PATH", test_lock_path())
        .output()
        .unwrap();
    assert_code(&out, 2);
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));

    if std::process::Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "SKIPPED apply_unit_verifies (systemd-analyze part): systemd-analyze is not installed"
        );
        return;
    }
    // Verify a copy whose ExecStart is the binary under test (verify checks
    // that the executable exists).
    let dir = tempdir("unit");
    let path = dir.join("tuntapctl-apply.service");
    std::fs::write(
        &path,
        unit.replace("ExecStart=/usr/bin/tuntapctl", &format!("ExecStart={BIN}")),
    )
    .unwrap();
    let out = std::process::Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&path)
        .output()
        .unwrap();
    assert_code(&out, 0);
    assert_eq!(stderr(&out), "", "systemd-analyze warnings");
}
