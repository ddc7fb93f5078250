//! Shell completion scripts: clap_complete's, plus small additions that
//! complete existing interface names, bridges, users and groups. Candidates
//! are data, never code (see `text::is_plain_word`).

use clap::Command;

use super::NAME_SUBCOMMANDS;
use crate::cli;
use crate::request::Shell;

/// The command that completions describe: the real one without hidden
/// subcommands (such as `__complete-names`), which users should not see.
fn completion_command() -> Command {
    let full = cli::command();
    let mut cmd = Command::new("tuntapctl")
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true);
    for arg in full.get_arguments() {
        cmd = cmd.arg(arg.clone());
    }
    for sub in full.get_subcommands().filter(|s| !s.is_hide_set()) {
        cmd = cmd.subcommand(sub.clone());
    }
    cmd
}

/// The completion script for `shell`, ending in one newline.
pub fn completion(shell: Shell) -> String {
    use clap_complete::aot::{Shell as S, generate};
    let s = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Elvish => S::Elvish,
        Shell::Powershell => S::PowerShell,
    };
    let mut cmd = completion_command();
    let mut buf = Vec::new();
    generate(s, &mut cmd, "tuntapctl", &mut buf);
    let text = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    let text = match shell {
        Shell::Bash => bash_additions(&text),
        Shell::Zsh => zsh_additions(&text),
        Shell::Fish => fish_additions(&text),
        Shell::Elvish | Shell::Powershell => text,
    };
    format!("{}\n", text.trim_end())
}

/// Every spelling (`-u`, `--user`) of an option that takes a value, in any
/// subcommand or globally, sorted.
fn value_option_spellings() -> Vec<String> {
    let mut cmd = completion_command();
    cmd.build();
    let mut out = Vec::new();
    let mut add = |c: &Command| {
        for a in c.get_arguments() {
            if a.is_positional() || !a.get_num_args().is_some_and(|n| n.takes_values()) {
                continue;
            }
            if let Some(s) = a.get_short() {
                out.push(format!("-{s}"));
            }
            if let Some(l) = a.get_long() {
                out.push(format!("--{l}"));
            }
        }
    };
    add(&cmd);
    for sub in cmd.get_subcommands() {
        add(sub);
    }
    out.sort();
    out.dedup();
    out
}

/// Names and aliases of the subcommands that take existing interface names.
fn name_subcommand_spellings(name: &str) -> Vec<String> {
    let cmd = cli::command();
    let sub = cmd
        .find_subcommand(name)
        .unwrap_or_else(|| panic!("no subcommand {name}"));
    let mut out = vec![sub.get_name().to_string()];
    out.extend(sub.get_all_aliases().map(str::to_string));
    out
}

fn bash_additions(generated: &str) -> String {
    const START: &str = "_tuntapctl() {\n";
    const COMPLETE: &str = "\nif [[ \"${BASH_VERSINFO[0]}\" -eq 4";
    assert!(
        generated.starts_with(START),
        "clap's bash script changed shape"
    );
    let split = generated
        .find(COMPLETE)
        .expect("clap's bash script changed shape");
    let (function, register) = generated.split_at(split);
    let multi: Vec<String> = ["del", "show", "list"]
        .iter()
        .flat_map(|s| name_subcommand_spellings(s))
        .collect();
    let single = name_subcommand_spellings("set");
    let wrapper = BASH_WRAPPER
        .replace("@VALUE_OPTIONS@", &value_option_spellings().join("|"))
        .replace("@MULTI@", &multi.join("|"))
        .replace("@SINGLE@", &single.join("|"));
    format!(
        "_tuntapctl_clap() {{\n{}\n{}{}",
        &function[START.len()..],
        wrapper,
        register
    )
}

const BASH_WRAPPER: &str = r#"# tuntapctl's additions to clap's completion (_tuntapctl_clap): existing
# tun/tap interface names from `tuntapctl __complete-names` (netlink, honours
# --netns) for del/set/show/list, users for --user, groups for --group,
# bridges (bonds, vrfs) for --master, namespaces under /run/netns for --move-to.
#
# Candidates are data, never code: `compgen -W "$(...)"` would expand each
# name again, and a device named `$(id>PWNED)` would run as root on TAB. Each
# line that tuntapctl prints is compared as a plain prefix and quoted with
# %q (tuntapctl prints only plain words anyway).
_tuntapctl_words() {
    local prefix="$1" line quoted
    shift
    COMPREPLY=()
    while IFS= read -r line; do
        [[ -n $line && $line == "$prefix"* ]] || continue
        printf -v quoted '%q' "$line"
        COMPREPLY+=("$quoted")
    done < <(command tuntapctl "$@" 2>/dev/null)
    # Nothing to offer (no bridge, no device): offer nothing, not the file
    # names that the -o default fallback would list.
    (( ${#COMPREPLY[@]} )) || compopt +o default +o bashdefault 2>/dev/null
    return 0
}

_tuntapctl() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" sub="" w i npos=0 inval=0
    local -a ns=()
    (( COMP_CWORD > 0 )) && prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ $prev == "=" && COMP_CWORD -gt 1 ]]; then
        prev="${COMP_WORDS[COMP_CWORD-2]}"
    fi
    [[ $cur == "=" ]] && cur=""
    for (( i = 1; i < COMP_CWORD; i++ )); do
        w="${COMP_WORDS[i]}"
        case "$w" in
            -N|--netns)
                ns=(--netns "${COMP_WORDS[i+1]}")
                (( i + 1 == COMP_CWORD )) && inval=1
                (( i++ ))
                [[ ${COMP_WORDS[i]} == "=" ]] && { ns=(--netns "${COMP_WORDS[i+1]}"); (( i + 1 == COMP_CWORD )) && inval=1; (( i++ )); }
                continue ;;
            --netns=*) ns=("$w"); continue ;;
            @VALUE_OPTIONS@)
                (( i + 1 == COMP_CWORD )) && inval=1
                (( i++ ))
                [[ ${COMP_WORDS[i]} == "=" ]] && { (( i + 1 == COMP_CWORD )) && inval=1; (( i++ )); }
                continue ;;
            -*) continue ;;
        esac
        if [[ -z $sub ]]; then sub="$w"; else (( npos++ )); fi
    done
    if [[ -n $sub ]]; then
        case "$prev" in
            -u|--user) mapfile -t COMPREPLY < <(compgen -u -- "$cur"); return 0 ;;
            -g|--group) mapfile -t COMPREPLY < <(compgen -g -- "$cur"); return 0 ;;
            --master) _tuntapctl_words "$cur" "${ns[@]}" __complete-masters; return 0 ;;
            --move-to) _tuntapctl_words "$cur" __complete-netns; return 0 ;;
        esac
    fi
    if (( ! inval )) && [[ $cur != -* ]]; then
        local names=0
        case "$sub" in
            @MULTI@) names=1 ;;
            @SINGLE@) (( npos == 0 )) && names=1 ;;
        esac
        if (( names )); then
            _tuntapctl_words "$cur" "${ns[@]}" __complete-names
            return 0
        fi
    fi
    _tuntapctl_clap "$@"
}
"#;

fn zsh_additions(generated: &str) -> String {
    let mut cmd = cli::command();
    cmd.build();
    let mut text = generated.to_string();
    for name in NAME_SUBCOMMANDS {
        let sub = cmd.find_subcommand(name).expect("subcommand");
        for arg in sub.get_positionals() {
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            let from = format!(" -- {help}:_default'");
            let to = format!(" -- {help}:_tuntapctl_names'");
            assert!(text.contains(&from), "zsh spec for {name} NAME not found");
            text = text.replace(&from, &to);
        }
    }
    assert!(
        text.contains(":GROUP:_default'"),
        "zsh spec for --group not found"
    );
    text = text.replace(":GROUP:_default'", ":GROUP:_groups'");
    for (value, function) in [
        (":DEV:", "_tuntapctl_masters"),
        (":NS:", "_tuntapctl_netns"),
    ] {
        let from = format!("{value}_default'");
        assert!(text.contains(&from), "zsh spec for {value} not found");
        text = text.replace(&from, &format!("{value}{function}'"));
    }
    const TAIL: &str = "if [ \"$funcstack[1]\" = \"_tuntapctl\" ]; then";
    let at = text.find(TAIL).expect("clap's zsh script changed shape");
    text.insert_str(at, ZSH_NAMES);
    text
}

const ZSH_NAMES: &str = r#"(( $+functions[_tuntapctl_ns_option] )) ||
_tuntapctl_ns_option() {
    # The --netns of the line being completed, as words for tuntapctl.
    local i
    reply=()
    for (( i = 1; i < $#words; i++ )); do
        case $words[i] in
            -N|--netns) reply=(--netns $words[i+1]) ;;
            --netns=*) reply=($words[i]) ;;
        esac
    done
}

(( $+functions[_tuntapctl_names] )) ||
_tuntapctl_names() {
    # Existing tun/tap interfaces, over netlink (tuntapctl __complete-names).
    local -a names reply
    _tuntapctl_ns_option
    names=(${(f)"$(_call_program interfaces tuntapctl $reply __complete-names 2>/dev/null)"})
    _wanted interfaces expl 'tun/tap interface' compadd -a names
}

(( $+functions[_tuntapctl_masters] )) ||
_tuntapctl_masters() {
    # Bridges, bonds and vrfs, over netlink (tuntapctl __complete-masters).
    local -a names reply
    _tuntapctl_ns_option
    names=(${(f)"$(_call_program masters tuntapctl $reply __complete-masters 2>/dev/null)"})
    _wanted masters expl 'bridge' compadd -a names
}

(( $+functions[_tuntapctl_netns] )) ||
_tuntapctl_netns() {
    # Network namespaces under /run/netns (tuntapctl __complete-netns).
    local -a names
    names=(${(f)"$(_call_program namespaces tuntapctl __complete-netns 2>/dev/null)"})
    _wanted namespaces expl 'network namespace' compadd -a names
}

"#;

fn fish_additions(generated: &str) -> String {
    let mut out = String::new();
    let mut found_group = false;
    for line in generated.lines() {
        out += line;
        if line.contains(" -l group ") && line.ends_with(" -r") {
            out += " -f -a \"(__fish_complete_groups)\"";
            found_group = true;
        }
        out += "\n";
    }
    assert!(found_group, "fish --group lines not found");
    let mut out = out
        .lines()
        .map(|line| {
            let extra = if line.contains(" -l master ") && line.ends_with(" -r") {
                " -f -a \"(tuntapctl __complete-masters 2>/dev/null)\""
            } else if line.contains(" -l move-to ") && line.ends_with(" -r") {
                " -f -a \"(tuntapctl __complete-netns 2>/dev/null)\""
            } else {
                ""
            };
            format!("{line}{extra}\n")
        })
        .collect::<String>();
    let multi: Vec<String> = ["del", "show", "list"]
        .iter()
        .flat_map(|s| name_subcommand_spellings(s))
        .collect();
    out += "\n# Existing tun/tap interfaces, over netlink (tuntapctl __complete-names).\n";
    out += &format!(
        "complete -c tuntapctl -n \"__fish_tuntapctl_using_subcommand {}\" -f -a \"(tuntapctl __complete-names 2>/dev/null)\" -d 'tun/tap interface'\n",
        multi.join(" ")
    );
    out += &format!(
        "complete -c tuntapctl -n \"__fish_tuntapctl_using_subcommand {}; and __fish_tuntapctl_set_needs_name\" -f -a \"(tuntapctl __complete-names 2>/dev/null)\" -d 'tun/tap interface'\n",
        name_subcommand_spellings("set").join(" ")
    );
    out += &FISH_SET_NEEDS_NAME.replace("@SET_OPTSPEC@", &fish_optspec("set"));
    out
}

/// An argparse option spec for subcommand `name` (with the global options).
fn fish_optspec(name: &str) -> String {
    let mut cmd = completion_command();
    cmd.build();
    let sub = cmd.find_subcommand(name).expect("subcommand");
    let mut specs = Vec::new();
    for a in sub.get_arguments().filter(|a| !a.is_positional()) {
        let mut spec = match (a.get_short(), a.get_long()) {
            (Some(s), Some(l)) => format!("{s}/{l}"),
            (Some(s), None) => s.to_string(),
            (None, Some(l)) => l.to_string(),
            (None, None) => continue,
        };
        if a.get_num_args().is_some_and(|n| n.takes_values()) {
            spec.push('=');
        }
        specs.push(spec);
    }
    specs.join(" ")
}

const FISH_SET_NEEDS_NAME: &str = r#"
function __fish_tuntapctl_set_needs_name
    # True while `set` has no interface name yet (words that are not options).
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tuntapctl_global_optspecs) -- $cmd 2>/dev/null
    or return 1
    set -e argv[1]
    argparse @SET_OPTSPEC@ -- $argv 2>/dev/null
    or return 1
    test (count $argv) -eq 0
end
"#;
