//! scripts/test.sh under root: cargo found before anything is installed,
//! a clear message without it, and in a checkout a normal user owns the
//! build runs as that user while the tests run as root. Uses a copy of the
//! script in a scratch checkout and a fake `cargo` that records who ran it.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn scratch_checkout(tag: &str) -> PathBuf {
    let dir = tempdir(tag);
    std::fs::create_dir_all(dir.join("scripts")).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test.sh"),
        dir.join("scripts/test.sh"),
    )
    .unwrap();
    dir
}

fn fake_cargo(dir: &Path, log: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let cargo = bin.join("cargo");
    std::fs::write(
        &cargo,
        format!(
            "#!/bin/sh\necho \"uid=$(id -u) args=$*\" >> {}\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&cargo, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

#[test]
fn root_in_its_own_checkout_runs_cargo_test_itself() {
    if !is_root() {
        eprintln!("SKIPPED root_in_its_own_checkout_runs_cargo_test_itself: needs root");
        return;
    }
    let dir = scratch_checkout("testsh-root");
    let log = dir.join("log");
    let bin = fake_cargo(&dir, &log);
    let out = Command::new("bash")
        .arg(dir.join("scripts/test.sh"))
        .args(["--test", "x"])
        .env(
            "PATH",
            format!("{}:/usr/sbin:/usr/bin:/sbin:/bin", bin.display()),
        )
        .env_remove("CARGO_HOME")
        .output()
        .unwrap();
    assert_code(&out, 0);
    let calls = std::fs::read_to_string(&log).unwrap();
    // `cargo deb --version` asks whether the .deb test can run (the fake
    // cargo says yes, so nothing is installed); then the tests run as root.
    assert_eq!(
        calls,
        "uid=0 args=deb --version\nuid=0 args=test --locked --test x\n",
        "{}",
        stderr(&out)
    );
}

#[test]
fn root_in_a_users_checkout_without_cargo_says_so_before_anything() {
    if !is_root() {
        eprintln!(
            "SKIPPED root_in_a_users_checkout_without_cargo_says_so_before_anything: needs root"
        );
        return;
    }
    let dir = scratch_checkout("testsh-nocargo");
    // Owned by nobody, whose home has no ~/.cargo; root's PATH (as sudo's
    // secure_path) has a cargo, which must not be used for nobody's build.
    // The fake cargo sits where only root can reach it: not nobody's.
    let private = tempdir("testsh-rootonly");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    let log = private.join("log");
    let bin = fake_cargo(&private, &log);
    let status = Command::new("chown")
        .args(["-R", "65534:65534"])
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new("bash")
        .arg(dir.join("scripts/test.sh"))
        .env(
            "PATH",
            format!("{}:/usr/sbin:/usr/bin:/sbin:/bin", bin.display()),
        )
        .env_remove("CARGO_HOME")
        .env("SUDO_USER", "nobody")
        .output()
        .unwrap();
    assert_code(&out, 1);
    let err = stderr(&out);
    assert!(
        err.contains("cannot find cargo") && err.contains("install Rust for nobody"),
        "{err}"
    );
    assert!(!stdout(&out).contains("installing"), "{}", stdout(&out));
    assert!(!log.exists(), "root's cargo ran for nobody's checkout");
}
