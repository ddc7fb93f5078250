//! Issue 23, "Documentation that is wrong": each statement checked against
//! what the program and the shipped files do.

mod common;

use common::*;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{ROOT}/{path}")).unwrap()
}

#[test]
fn show_puts_every_value_in_one_column() {
    let ns = netns_or_skip!();
    assert_code(
        &ns.tt(&["-q", "add", "tapS", "--alias", "vm", "-a", "192.0.2.1/24"]),
        0,
    );
    let out = ns.tt(&["show", "tapS"]);
    assert_code(&out, 0);
    let text = stdout(&out);
    let mut columns = std::collections::BTreeMap::new();
    for line in text.lines().skip(1) {
        let Some(rest) = line.strip_prefix("  ") else {
            continue;
        };
        let value_at = if rest.starts_with(' ') {
            // A continuation line (a second address or process).
            rest.len() - rest.trim_start().len()
        } else {
            let colon = rest
                .find(": ")
                .unwrap_or_else(|| panic!("no label in {line:?}"));
            colon + 2 + (rest.len() - colon - 2 - rest[colon + 2..].trim_start().len())
        };
        columns.insert(line.to_string(), value_at);
    }
    let distinct: std::collections::BTreeSet<usize> = columns.values().copied().collect();
    assert_eq!(
        distinct.len(),
        1,
        "values start at different columns: {columns:#?}"
    );
}

#[test]
fn apply_man_page_names_no_option_apply_lacks() {
    let page = read("man/tuntapctl-apply.8");
    let exit = &page[page.find(".SH EXIT STATUS").unwrap()..];
    let exit = &exit[..exit[1..].find(".SH").unwrap()];
    assert!(!exit.contains("exist\\-ok"), "{exit}");
    assert!(!exit.contains("missing\\-ok"), "{exit}");
    // add and del keep theirs.
    assert!(read("man/tuntapctl-add.8").contains("unchanged interface with \\fB\\-\\-exist\\-ok"));
    assert!(read("man/tuntapctl-del.8").contains("missing interface with \\fB\\-\\-missing\\-ok"));
}

#[test]
fn readme_says_which_binary_the_shipped_unit_runs() {
    let unit = read("contrib/tuntapctl-apply.service");
    assert!(unit.contains("ExecStart=/usr/bin/tuntapctl "), "{unit}");
    let readme = read("README.md");
    assert!(
        !readme
            .contains("like `contrib/tuntapctl-apply.service`, runs\n`/usr/local/bin/tuntapctl`"),
        "README still says the shipped unit runs /usr/local/bin"
    );
    assert!(readme.contains("`contrib/tuntapctl-apply.service` runs\n`/usr/bin/tuntapctl`"));
}
