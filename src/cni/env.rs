//! The CNI environment variables (CNI spec, "Parameters"): read, bounded
//! and validated. They are untrusted input, like the config.

use std::ffi::OsString;
use std::path::PathBuf;

use super::config::shown;
use super::error::{CniError, CniResult, Code};
use crate::validate::IfName;

/// The longest value taken from any one variable.
const MAX_VAR_BYTES: usize = 64 * 1024;
/// The most directories taken from CNI_PATH.
const MAX_PATH_DIRS: usize = 64;
/// The most KEY=VALUE pairs taken from CNI_ARGS.
const MAX_ARGS: usize = 64;

/// The operation the runtime asks for (CNI_COMMAND).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    Add,
    Del,
    Check,
    Version,
    Status,
    Gc,
}

impl Verb {
    pub fn parse(text: &str) -> Option<Verb> {
        Some(match text {
            "ADD" => Verb::Add,
            "DEL" => Verb::Del,
            "CHECK" => Verb::Check,
            "VERSION" => Verb::Version,
            "STATUS" => Verb::Status,
            "GC" => Verb::Gc,
            _ => return None,
        })
    }

    /// Verbs about one attachment need the container id and interface name.
    fn is_attachment(self) -> bool {
        matches!(self, Verb::Add | Verb::Del | Verb::Check)
    }
}

/// The environment as validated for one verb.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CniEnv {
    pub verb: Verb,
    pub container_id: Option<String>,
    /// Absolute path of the container's network namespace; DEL may omit it.
    pub netns: Option<PathBuf>,
    pub ifname: Option<IfName>,
    /// CNI_ARGS `MAC=`.
    pub mac: Option<String>,
    /// CNI_PATH, split.
    pub path: Vec<PathBuf>,
}

fn bad_env(msg: impl Into<String>) -> CniError {
    CniError::new(Code::InvalidEnvironment, msg)
}

/// One variable as UTF-8 text, bounded; None when unset or empty.
fn var(get: &impl Fn(&str) -> Option<OsString>, key: &str) -> CniResult<Option<String>> {
    let Some(raw) = get(key) else {
        return Ok(None);
    };
    if raw.len() > MAX_VAR_BYTES {
        return Err(bad_env(format!(
            "{key} is {} bytes long: over the limit of {MAX_VAR_BYTES}",
            raw.len()
        )));
    }
    let text = raw
        .into_string()
        .map_err(|_| bad_env(format!("{key} is not valid UTF-8")))?;
    Ok((!text.is_empty()).then_some(text))
}

fn required(value: Option<String>, key: &str, verb: Verb) -> CniResult<String> {
    value.ok_or_else(|| {
        bad_env(format!(
            "{key} is not set; the runtime must set it for {verb:?}"
        ))
    })
}

/// Read and validate the environment through `get` (std::env::var_os in
/// the binary, a map in tests).
pub fn read(get: impl Fn(&str) -> Option<OsString>) -> CniResult<CniEnv> {
    let command = var(&get, "CNI_COMMAND")?.unwrap_or_default();
    let verb = Verb::parse(&command).ok_or_else(|| {
        bad_env(format!(
            "CNI_COMMAND {:?} is not a CNI verb: give ADD, DEL, CHECK, VERSION, STATUS or GC",
            shown(&command)
        ))
    })?;
    let mut env = CniEnv {
        verb,
        container_id: None,
        netns: None,
        ifname: None,
        mac: None,
        path: path_dirs(var(&get, "CNI_PATH")?.as_deref())?,
    };
    if verb.is_attachment() {
        env.container_id = Some(container_id(required(
            var(&get, "CNI_CONTAINERID")?,
            "CNI_CONTAINERID",
            verb,
        )?)?);
        let ifname = required(var(&get, "CNI_IFNAME")?, "CNI_IFNAME", verb)?;
        env.ifname = Some(
            IfName::parse(&ifname).map_err(|e| bad_env(format!("CNI_IFNAME: {}", e.message)))?,
        );
        let netns = var(&get, "CNI_NETNS")?;
        env.netns = match (netns, verb) {
            (Some(ns), _) => Some(netns_path(&ns)?),
            (None, Verb::Del) => None,
            (None, _) => return Err(required(None, "CNI_NETNS", verb).unwrap_err()),
        };
        env.mac = cni_args_mac(var(&get, "CNI_ARGS")?.as_deref())?;
    }
    Ok(env)
}

fn container_id(id: String) -> CniResult<String> {
    let ok = id.len() <= 1024
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !ok {
        return Err(bad_env(format!(
            "CNI_CONTAINERID {:?} is not valid: letters, digits, '_', '.', '-', starting with a letter or digit",
            shown(&id)
        )));
    }
    Ok(id)
}

fn netns_path(ns: &str) -> CniResult<PathBuf> {
    if !ns.starts_with('/') {
        return Err(bad_env(format!(
            "CNI_NETNS {:?} is not an absolute path: give the namespace's file, such as /run/netns/NAME or /proc/PID/ns/net",
            shown(ns)
        )));
    }
    Ok(PathBuf::from(ns))
}

fn path_dirs(path: Option<&str>) -> CniResult<Vec<PathBuf>> {
    let dirs: Vec<PathBuf> = path
        .unwrap_or("")
        .split(':')
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .collect();
    if dirs.len() > MAX_PATH_DIRS {
        return Err(bad_env(format!(
            "CNI_PATH lists {} directories: over the limit of {MAX_PATH_DIRS}",
            dirs.len()
        )));
    }
    Ok(dirs)
}

/// CNI_ARGS: `KEY=VALUE;KEY=VALUE`. `MAC` is ours; an unknown key is an
/// error unless `IgnoreUnknown` is 1 or true (libcni's rule, which the
/// upstream tap plugin follows).
fn cni_args_mac(args: Option<&str>) -> CniResult<Option<String>> {
    let Some(args) = args else { return Ok(None) };
    let mut pairs = Vec::new();
    for pair in args.split(';').filter(|p| !p.is_empty()) {
        if pairs.len() == MAX_ARGS {
            return Err(bad_env(format!(
                "CNI_ARGS holds more than {MAX_ARGS} pairs"
            )));
        }
        let (k, v) = pair.split_once('=').ok_or_else(|| {
            bad_env(format!(
                "CNI_ARGS pair {:?} has no '=': give KEY=VALUE pairs separated by ';'",
                shown(pair)
            ))
        })?;
        pairs.push((k, v));
    }
    let ignore_unknown = pairs.iter().any(|(k, v)| {
        *k == "IgnoreUnknown" && matches!(v.to_ascii_lowercase().as_str(), "1" | "true")
    });
    let mut mac = None;
    for (k, v) in pairs {
        match k {
            "MAC" => mac = Some(v.to_string()),
            "IgnoreUnknown" => {}
            other if !ignore_unknown => {
                return Err(bad_env(format!(
                    "CNI_ARGS key {:?} is not known to tuntapctl (it takes MAC); add IgnoreUnknown=1 to pass other keys",
                    shown(other)
                )));
            }
            _ => {}
        }
    }
    Ok(mac)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> CniResult<CniEnv> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        read(move |k| map.get(k).cloned())
    }

    const ADD: [(&str, &str); 5] = [
        ("CNI_COMMAND", "ADD"),
        ("CNI_CONTAINERID", "c1"),
        ("CNI_NETNS", "/run/netns/x"),
        ("CNI_IFNAME", "eth0"),
        ("CNI_PATH", "/usr/lib/cni:/opt/cni/bin"),
    ];

    fn with(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
        let mut v: Vec<_> = ADD
            .iter()
            .copied()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
            .collect();
        v.extend_from_slice(extra);
        v
    }

    #[test]
    fn a_full_add_environment() {
        let e = env(&ADD).unwrap();
        assert_eq!(e.verb, Verb::Add);
        assert_eq!(e.ifname.unwrap().as_str(), "eth0");
        assert_eq!(e.path.len(), 2);
    }

    #[test]
    fn missing_and_bad_values_are_code_4() {
        for bad in [
            with(&[("CNI_COMMAND", "ADDX")]),
            with(&[("CNI_IFNAME", "")]),
            with(&[("CNI_IFNAME", "a/b")]),
            with(&[("CNI_IFNAME", "sixteen-bytes-xx")]),
            with(&[("CNI_NETNS", "relative")]),
            with(&[("CNI_CONTAINERID", "-x")]),
            with(&[("CNI_ARGS", "NOEQUALS")]),
            with(&[("CNI_ARGS", "FOO=1")]),
        ] {
            let e = env(&bad).unwrap_err();
            assert_eq!(e.code, Code::InvalidEnvironment, "{bad:?}: {e:?}");
        }
    }

    #[test]
    fn del_may_omit_the_netns() {
        let pairs: Vec<_> = with(&[("CNI_COMMAND", "DEL")])
            .into_iter()
            .filter(|(k, _)| *k != "CNI_NETNS")
            .collect();
        assert_eq!(env(&pairs).unwrap().netns, None);
        let pairs: Vec<_> = ADD
            .iter()
            .copied()
            .filter(|(k, _)| *k != "CNI_NETNS")
            .collect();
        assert_eq!(env(&pairs).unwrap_err().code, Code::InvalidEnvironment);
    }

    #[test]
    fn cni_args_mac_and_ignore_unknown() {
        let e = env(&with(&[(
            "CNI_ARGS",
            "IgnoreUnknown=1;K8S_POD_NAME=a;MAC=02:00:00:00:00:09",
        )]))
        .unwrap();
        assert_eq!(e.mac.as_deref(), Some("02:00:00:00:00:09"));
    }

    #[test]
    fn version_needs_nothing_else() {
        assert_eq!(
            env(&[("CNI_COMMAND", "VERSION")]).unwrap().verb,
            Verb::Version
        );
    }
}
