//! The Debian package (SPEC §10): scripts/package-deb.sh builds it with
//! cargo-deb from Cargo.toml's metadata; `dpkg-deb -c` lists what it holds;
//! `dpkg-deb -x` unpacks it into a temporary root, where the binary runs, the
//! tunctl symlink answers as tunctl, and `man -l` renders the pages.
//!
//! A release build with lto takes minutes, so the test packages the binary
//! under test (`--no-build`, from a private target directory, stripped):
//! the package's layout and metadata are what is tested here.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, assert_code, stderr, stdout, tempdir};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn installed(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Build the .deb into `dir`, or None (said loudly) when cargo-deb is
/// missing and cannot be installed.
fn build_deb(dir: &Path) -> Option<PathBuf> {
    if !installed("dpkg-deb", "--version") {
        eprintln!("SKIPPED deb: dpkg-deb is not installed (a Debian system has it)");
        return None;
    }
    let script = root().join("scripts/package-deb.sh");
    // Installs cargo-deb with cargo when it is missing (scripts/test.sh
    // does this before the tests run).
    let out = run(Command::new(&script).arg("--install-only"));
    if !out.status.success() {
        eprintln!(
            "SKIPPED deb: cargo-deb is missing and `cargo install cargo-deb --locked` failed (offline?):\n{}",
            stderr(&out)
        );
        return None;
    }
    let target = dir.join("target");
    let release = target.join("release");
    std::fs::create_dir_all(&release).unwrap();
    std::fs::copy(BIN, release.join("tuntapctl")).expect("copy the binary under test");
    let deb = dir.join("tuntapctl.deb");
    let out = run(Command::new(&script)
        .args(["--no-build", "--strip", "--fast", "-o"])
        .arg(&deb)
        .env("CARGO", cargo())
        .env("CARGO_TARGET_DIR", &target));
    assert_code(&out, 0);
    assert!(deb.exists(), "no .deb: {}", stderr(&out));
    Some(deb)
}

/// `dpkg-deb -c` as (mode, path, link target) per entry.
fn contents(deb: &Path) -> Vec<(String, String, Option<String>)> {
    let out = run(Command::new("dpkg-deb").arg("-c").arg(deb));
    assert_code(&out, 0);
    eprintln!("dpkg-deb -c:\n{}", stdout(&out));
    stdout(&out)
        .lines()
        .map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            assert!(fields.len() >= 6, "unexpected dpkg-deb -c line: {line}");
            let mode = fields[0].to_string();
            let path = fields[5].trim_start_matches('.').to_string();
            let target = (fields.len() == 8 && fields[6] == "->").then(|| fields[7].to_string());
            (mode, path, target)
        })
        .collect()
}

fn gunzip(path: &Path) -> Vec<u8> {
    let out = run(Command::new("gzip").arg("-dc").arg(path));
    assert_code(&out, 0);
    out.stdout
}

#[test]
fn deb_package_layout_and_contents() {
    let dir = tempdir("deb");
    let Some(deb) = build_deb(&dir) else { return };

    // What it holds: exactly these files (directories aside).
    let entries = contents(&deb);
    let mut files: Vec<(String, String, Option<String>)> = entries
        .iter()
        .filter(|(mode, _, _)| !mode.starts_with('d'))
        .cloned()
        .collect();
    files.sort_by(|a, b| a.1.cmp(&b.1));
    let mut pages: Vec<String> = std::fs::read_dir(root().join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".8"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 10, "{pages:?}");
    let mut want: Vec<(&str, String, Option<String>)> = vec![
        ("-rwxr-xr-x", "/usr/bin/tuntapctl".into(), None),
        (
            "lrwxrwxrwx",
            "/usr/lib/cni/tuntapctl".into(),
            Some("../../bin/tuntapctl".into()),
        ),
        (
            "lrwxrwxrwx",
            "/usr/lib/tuntapctl/tunctl".into(),
            Some("../../bin/tuntapctl".into()),
        ),
        (
            "-rw-r--r--",
            "/usr/share/bash-completion/completions/tuntapctl".into(),
            None,
        ),
        (
            "-rw-r--r--",
            "/usr/share/zsh/vendor-completions/_tuntapctl".into(),
            None,
        ),
        (
            "-rw-r--r--",
            "/usr/share/fish/vendor_completions.d/tuntapctl.fish".into(),
            None,
        ),
        (
            "-rw-r--r--",
            "/lib/systemd/system/tuntapctl-apply.service".into(),
            None,
        ),
        (
            "-rw-r--r--",
            "/usr/share/doc/tuntapctl/copyright".into(),
            None,
        ),
        (
            "-rw-r--r--",
            "/usr/share/doc/tuntapctl/changelog.Debian.gz".into(),
            None,
        ),
        (
            "-rw-r--r--",
            "/usr/share/doc/tuntapctl/README.md".into(),
            None,
        ),
        // Delegation (SPEC §12): shipped, none enabled.
        (
            "-rw-r--r--",
            "/lib/systemd/system/tuntapctl.socket".into(),
            None,
        ),
        (
            "-rw-r--r--",
            "/lib/systemd/system/tuntapctl.service".into(),
            None,
        ),
        (
            "-rw-r--r--",
            "/usr/share/doc/tuntapctl/examples/delegate.toml".into(),
            None,
        ),
        (
            "lrwxrwxrwx",
            "/usr/lib/tuntapctl/qemu-bridge-helper".into(),
            Some("../../bin/tuntapctl".into()),
        ),
    ];
    for page in &pages {
        want.push(("-rw-r--r--", format!("/usr/share/man/man8/{page}.gz"), None));
    }
    want.sort_by(|a, b| a.1.cmp(&b.1));
    let have: Vec<(&str, &str, Option<&str>)> = files
        .iter()
        .map(|(m, p, t)| (m.as_str(), p.as_str(), t.as_deref()))
        .collect();
    let want: Vec<(&str, &str, Option<&str>)> = want
        .iter()
        .map(|(m, p, t)| (*m, p.as_str(), t.as_deref()))
        .collect();
    assert_eq!(have, want, "the package's files (mode, path, link)");

    // Control fields.
    let out = run(Command::new("dpkg-deb").arg("-f").arg(&deb));
    assert_code(&out, 0);
    let control = stdout(&out);
    for field in [
        "Package: tuntapctl\n",
        &format!("Version: {}-1\n", env!("CARGO_PKG_VERSION")),
        "Section: net\n",
        "Depends: libc6",
        "Maintainer: ",
        "Description: Administer persistent Linux tun/tap interfaces",
    ] {
        assert!(
            control.contains(field),
            "control lacks {field:?}:\n{control}"
        );
    }

    // Unpacked into a temporary root.
    let unpacked = dir.join("root");
    let out = run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&unpacked));
    assert_code(&out, 0);
    let bin = unpacked.join("usr/bin/tuntapctl");
    let out = run(Command::new(&bin).arg("--help"));
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("tuntapctl add tap44 --user waldner"),
        "{}",
        stdout(&out)
    );
    let out = run(Command::new(&bin).arg("--version"));
    assert_code(&out, 0);
    assert_eq!(
        stdout(&out),
        format!("tuntapctl {}\n", env!("CARGO_PKG_VERSION"))
    );
    // The symlink resolves inside the root and answers as tunctl.
    let tunctl = unpacked.join("usr/lib/tuntapctl/tunctl");
    assert_eq!(
        std::fs::canonicalize(&tunctl).unwrap(),
        std::fs::canonicalize(&bin).unwrap()
    );
    let out = run(Command::new(&tunctl).arg("-x"));
    assert_code(&out, 1);
    assert!(
        stderr(&out).starts_with(&format!(
            "{}: invalid option -- 'x'\nCreate: {} [-b]",
            tunctl.display(),
            tunctl.display()
        )),
        "{}",
        stderr(&out)
    );
    if let Some(ns) = common::Netns::new() {
        let path = tunctl.display().to_string();
        let out = ns.run(&path, &["-u", "nobody", "-t", "tapdeb0"]);
        assert_code(&out, 0);
        assert_eq!(
            stdout(&out),
            "Set 'tapdeb0' persistent and owned by uid 65534\n"
        );
        assert!(ns.link("tapdeb0").is_some());
    } else {
        eprintln!(
            "SKIPPED deb (tunctl symlink in a namespace): cannot create a network namespace (run as root)"
        );
    }

    // The CNI symlink answers as a CNI plugin: started with CNI_COMMAND
    // and no argument, as a runtime starts /usr/lib/cni/tuntapctl.
    let cni = unpacked.join("usr/lib/cni/tuntapctl");
    let mut child = Command::new(&cni)
        .env("CNI_COMMAND", "VERSION")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(br#"{"cniVersion":"1.0.0"}"#).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains(r#""supportedVersions":["0.3.1","0.4.0","1.0.0","1.1.0"]"#),
        "{}",
        stdout(&out)
    );

    // Shipped files are the checked-in ones.
    for (packaged, source) in [
        (
            "usr/share/bash-completion/completions/tuntapctl",
            "completions/tuntapctl.bash",
        ),
        (
            "usr/share/zsh/vendor-completions/_tuntapctl",
            "completions/_tuntapctl",
        ),
        (
            "usr/share/fish/vendor_completions.d/tuntapctl.fish",
            "completions/tuntapctl.fish",
        ),
    ] {
        assert_eq!(
            std::fs::read(unpacked.join(packaged)).unwrap(),
            std::fs::read(root().join(source)).unwrap(),
            "{packaged} is {source}"
        );
    }
    for page in &pages {
        assert_eq!(
            gunzip(&unpacked.join(format!("usr/share/man/man8/{page}.gz"))),
            std::fs::read(root().join("man").join(page)).unwrap(),
            "{page}.gz is man/{page}"
        );
    }
    let unit = std::fs::read_to_string(unpacked.join("lib/systemd/system/tuntapctl-apply.service"))
        .unwrap();
    assert!(
        unit.contains("\nExecStart=/usr/bin/tuntapctl --quiet apply "),
        "{unit}"
    );
    let copyright =
        std::fs::read_to_string(unpacked.join("usr/share/doc/tuntapctl/copyright")).unwrap();
    assert!(
        copyright.starts_with(
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        ),
        "{copyright}"
    );
    assert!(
        copyright.contains("License: MIT or Apache-2.0\n"),
        "{copyright}"
    );

    // The man pages render.
    if !installed("man", "--version") {
        eprintln!("SKIPPED deb (man -l): man is not installed (apt-get install man-db)");
        return;
    }
    for (page, needle) in [
        ("tuntapctl.8.gz", "tuntapctl add tap44 --user waldner"),
        ("tuntapctl-tunctl.8.gz", "Set 'tap44' nonpersistent"),
    ] {
        let out = run(Command::new("man")
            .arg("-l")
            .arg(unpacked.join("usr/share/man/man8").join(page))
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "100")
            .env("MAN_KEEP_FORMATTING", "")
            .env("LANG", "C.UTF-8"));
        assert_code(&out, 0);
        // Plain text: no overstrike left when piped.
        let text = stdout(&out)
            .replace("\u{2010}", "-")
            .replace("\u{2212}", "-");
        assert!(
            text.contains(needle),
            "man -l {page} lacks {needle:?}:\n{text}"
        );
    }
}
