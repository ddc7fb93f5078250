//! The checked-in man pages (man/) and completion scripts (completions/)
//! must be what `tuntapctl::docs` generates from the clap definitions.
//! Refresh them with `UPDATE_GOLDEN=1 cargo test --test golden`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| !v.is_empty() && v != "0")
}

/// A readable diff: the changed middle part between the common prefix and
/// suffix, with a few lines of context, capped.
fn diff(want: &str, have: &str) -> String {
    let w: Vec<&str> = want.lines().collect();
    let h: Vec<&str> = have.lines().collect();
    let pre = w.iter().zip(&h).take_while(|(a, b)| a == b).count();
    let suf = w[pre..]
        .iter()
        .rev()
        .zip(h[pre..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let ctx = 3;
    let mut out = format!("@@ line {} @@\n", pre.saturating_sub(ctx) + 1);
    for l in &w[pre.saturating_sub(ctx)..pre] {
        out += &format!("  {l}\n");
    }
    let shown = 40;
    let old = &h[pre..h.len() - suf];
    let new = &w[pre..w.len() - suf];
    for l in old.iter().take(shown) {
        out += &format!("- {l}\n");
    }
    if old.len() > shown {
        out += &format!("- ... ({} more lines)\n", old.len() - shown);
    }
    for l in new.iter().take(shown) {
        out += &format!("+ {l}\n");
    }
    if new.len() > shown {
        out += &format!("+ ... ({} more lines)\n", new.len() - shown);
    }
    for l in w[w.len() - suf..].iter().take(ctx) {
        out += &format!("  {l}\n");
    }
    out
}

/// Files in `dir` that look generated (to catch pages of removed commands).
fn existing(dir: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
        return vec![];
    };
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| keep(n))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    out.sort();
    out
}

#[test]
fn generated_files_are_current() {
    let files = tuntapctl::docs::generated_files();
    let mut stale = Vec::new();
    for (rel, want) in &files {
        let path = root().join(rel);
        let have = std::fs::read_to_string(&path).ok();
        if have.as_deref() == Some(want.as_str()) {
            continue;
        }
        if updating() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, want).unwrap();
            eprintln!("updated {rel}");
        } else {
            match have {
                None => stale.push(format!("{rel}: missing\n")),
                Some(have) => stale.push(format!(
                    "{rel} is stale (- checked in, + generated):\n{}",
                    diff(want, &have)
                )),
            }
        }
    }
    let known: Vec<&str> = files.iter().map(|(r, _)| r.as_str()).collect();
    let mut extra = existing("man", |n| n.ends_with(".8"));
    extra.extend(existing("completions", |_| true));
    for rel in extra.iter().filter(|r| !known.contains(&r.as_str())) {
        if updating() {
            std::fs::remove_file(root().join(rel)).unwrap();
            eprintln!("removed {rel}");
        } else {
            stale.push(format!("{rel}: no longer generated\n"));
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are out of date; refresh them with\n    UPDATE_GOLDEN=1 cargo test --test golden\n\n{}",
        stale.join("\n")
    );
}

#[test]
fn expected_man_pages_exist() {
    let names: Vec<String> = tuntapctl::docs::man_pages()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for sub in [
        "",
        "-add",
        "-del",
        "-set",
        "-list",
        "-show",
        "-apply",
        "-batch",
        "-completions",
    ] {
        let want = format!("tuntapctl{sub}.8");
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.contains("complete-names")),
        "{names:?}"
    );
    for (name, text) in tuntapctl::docs::man_pages() {
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH EXAMPLES",
            ".SH EXIT STATUS",
            ".SH FILES",
            ".SH NOTES",
            ".SH SEE ALSO",
        ] {
            assert!(text.contains(section), "{name} lacks {section}");
        }
        if name == "tuntapctl.8" || name == "tuntapctl-add.8" {
            assert!(
                text.contains(r"tuntapctl add tap44 \-\-user waldner"),
                "{name} lacks the tap44 example"
            );
            assert!(
                text.contains("#!/bin/sh"),
                "{name} lacks the init script example"
            );
        }
    }
}

#[test]
fn completion_subcommand_prints_the_checked_in_files() {
    for (shell, file) in [
        ("bash", "tuntapctl.bash"),
        ("zsh", "_tuntapctl"),
        ("fish", "tuntapctl.fish"),
        ("elvish", "tuntapctl.elv"),
        ("powershell", "_tuntapctl.ps1"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_tuntapctl"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "completions {shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let generated = tuntapctl::docs::completion(match shell {
            "bash" => tuntapctl::request::Shell::Bash,
            "zsh" => tuntapctl::request::Shell::Zsh,
            "fish" => tuntapctl::request::Shell::Fish,
            "elvish" => tuntapctl::request::Shell::Elvish,
            _ => tuntapctl::request::Shell::Powershell,
        });
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            generated,
            "tuntapctl completions {shell} differs from completions/{file}"
        );
        let checked_in = std::fs::read_to_string(root().join("completions").join(file));
        if let Ok(text) = checked_in
            && !updating()
        {
            assert_eq!(
                text, generated,
                "completions/{file} is stale: UPDATE_GOLDEN=1 cargo test --test golden"
            );
        }
    }
}

#[test]
fn man_pages_pass_mandoc_lint() {
    if Command::new("mandoc").arg("-V").output().is_err() && which("mandoc").is_none() {
        eprintln!(
            "SKIPPED man_pages_pass_mandoc_lint: mandoc is not installed (apt-get install mandoc; scripts/test.sh does it)"
        );
        return;
    }
    // Lint what is generated now (into a temporary directory), so this test
    // does not depend on the checked-in files being refreshed first.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mandoc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for (name, text) in tuntapctl::docs::man_pages() {
        let p = dir.join(&name);
        std::fs::write(&p, text).unwrap();
        paths.push(p);
    }
    let out = Command::new("mandoc")
        .args(["-T", "lint", "-W", "warning"])
        .args(&paths)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && report.trim().is_empty(),
        "mandoc -T lint -W warning:\n{report}"
    );
}

fn which(prog: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(prog))
        .find(|p| p.is_file())
}
