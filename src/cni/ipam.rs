//! Delegation to the IPAM plugin (CNI spec, "Delegated plugins"): found by
//! `ipam.type` in CNI_PATH, run with our environment and CNI_COMMAND set to
//! the verb, the config on its stdin, its result or error on its stdout.
//! Its output is untrusted: bounded, decoded, never echoed raw.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::config::shown;
use super::error::{CniError, CniResult, Code};
use super::version::{CniVersion, IpConfig, parse_cidr};
use crate::netlink::Route;

/// The most bytes read from a plugin's stdout.
const MAX_OUTPUT: u64 = 1 << 20;
/// How long a plugin may take before it is killed (code 11, try again).
const TIMEOUT: Duration = Duration::from_secs(60);
const MAX_IPS: usize = 64;
const MAX_ROUTES: usize = 256;

/// An IPAM plugin found in CNI_PATH.
#[derive(Clone, Debug)]
pub struct Ipam {
    pub name: String,
    pub path: PathBuf,
}

/// What an IPAM ADD handed back.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Allocation {
    pub ips: Vec<IpConfig>,
    pub routes: Vec<Route>,
    pub dns: Option<Value>,
}

impl Ipam {
    /// Find the plugin: the first CNI_PATH directory holding an executable
    /// file of that name. Not found: code 7, naming the plugin and the path.
    pub fn find(name: &str, dirs: &[PathBuf]) -> CniResult<Ipam> {
        use std::os::unix::fs::PermissionsExt;
        for dir in dirs {
            let path = dir.join(name);
            let runnable = std::fs::metadata(&path)
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
            if runnable {
                return Ok(Ipam {
                    name: name.to_string(),
                    path,
                });
            }
        }
        let searched: Vec<String> = dirs.iter().map(|d| shown(&d.to_string_lossy())).collect();
        Err(CniError::new(
            Code::InvalidConfig,
            format!(
                "IPAM plugin {:?} (ipam.type) is not in CNI_PATH ({}); install it (Debian: containernetworking-plugins) or fix ipam.type",
                shown(name),
                if searched.is_empty() {
                    "CNI_PATH is empty".to_string()
                } else {
                    searched.join(":")
                }
            ),
        ))
    }

    /// Ask the plugin which versions it speaks; the config's must be among
    /// them (code 1 otherwise, naming the plugin and its versions).
    pub fn check_version(&self, version: CniVersion) -> CniResult<()> {
        let stdin = json!({"cniVersion": version.as_str()}).to_string();
        let out = self.run("VERSION", stdin.as_bytes())?;
        let v: Value = serde_json::from_slice(&out).map_err(|_| self.undecodable("VERSION"))?;
        let supported: Vec<String> = v
            .get("supportedVersions")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str())
                    .take(64)
                    .map(shown)
                    .collect()
            })
            .unwrap_or_default();
        if supported.iter().any(|s| s == version.as_str()) {
            return Ok(());
        }
        Err(CniError::new(
            Code::IncompatibleVersion,
            format!(
                "IPAM plugin {} ({}) does not support cniVersion {}: it supports {}",
                self.name,
                shown(&self.path.to_string_lossy()),
                version.as_str(),
                if supported.is_empty() {
                    "no version it would name".to_string()
                } else {
                    supported.join(", ")
                }
            ),
        )
        .details(
            "use a cniVersion the IPAM plugin supports, or an IPAM plugin that supports this one",
        ))
    }

    /// ADD: the allocation, decoded.
    pub fn add(&self, config: &[u8]) -> CniResult<Allocation> {
        let out = self.run("ADD", config)?;
        let v: Value = serde_json::from_slice(&out).map_err(|_| self.undecodable("ADD"))?;
        parse_allocation(&v).map_err(|why| {
            CniError::new(
                Code::Decode,
                format!(
                    "IPAM plugin {} returned a result tuntapctl cannot use: {why}",
                    self.name
                ),
            )
        })
    }

    /// Any verb whose success prints nothing we need (DEL, CHECK, STATUS, GC).
    pub fn pass(&self, verb: &str, config: &[u8]) -> CniResult<()> {
        self.run(verb, config).map(drop)
    }

    fn undecodable(&self, verb: &str) -> CniError {
        CniError::new(
            Code::Decode,
            format!(
                "IPAM plugin {} printed something that is not JSON for {verb}",
                self.name
            ),
        )
    }

    /// Run the plugin: stdin written, stdout read (bounded), exit awaited
    /// up to TIMEOUT. A failure with an error object passes its code on.
    fn run(&self, verb: &str, stdin: &[u8]) -> CniResult<Vec<u8>> {
        let mut child = Command::new(&self.path)
            .env("CNI_COMMAND", verb)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| {
                CniError::new(
                    Code::Io,
                    format!(
                        "cannot run IPAM plugin {} ({}): {e}",
                        self.name,
                        shown(&self.path.to_string_lossy())
                    ),
                )
            })?;
        let input = stdin.to_vec();
        let writer = child.stdin.take().map(|mut pipe| {
            std::thread::spawn(move || {
                let _ = pipe.write_all(&input);
            })
        });
        let reader = child.stdout.take().map(|pipe| {
            std::thread::spawn(move || {
                let mut out = Vec::new();
                let _ = pipe.take(MAX_OUTPUT).read_to_end(&mut out);
                out
            })
        });
        let status = wait(&mut child).map_err(|e| match e {
            None => CniError::new(
                Code::TryAgain,
                format!(
                    "IPAM plugin {} did not finish {verb} within {}s and was stopped; try again",
                    self.name,
                    TIMEOUT.as_secs()
                ),
            ),
            Some(e) => CniError::new(
                Code::Io,
                format!("waiting for IPAM plugin {}: {e}", self.name),
            ),
        })?;
        if let Some(w) = writer {
            let _ = w.join();
        }
        let out = reader.and_then(|r| r.join().ok()).unwrap_or_default();
        if status.success() {
            return Ok(out);
        }
        Err(self.failure(verb, &out, status.code()))
    }

    /// The plugin's own error object, passed on; or a plain I/O failure.
    fn failure(&self, verb: &str, out: &[u8], exit: Option<i32>) -> CniError {
        let obj: Option<Value> = serde_json::from_slice(out).ok();
        let code = obj
            .as_ref()
            .and_then(|o| o.get("code"))
            .and_then(Value::as_u64)
            .and_then(|c| u32::try_from(c).ok())
            .filter(|c| *c != 0);
        let text = |k: &str| {
            obj.as_ref()
                .and_then(|o| o.get(k))
                .and_then(Value::as_str)
                .map(shown)
        };
        match code {
            Some(c) => CniError::new(
                Code::Delegated(c),
                format!(
                    "IPAM plugin {} failed {verb}: {}",
                    self.name,
                    text("msg").unwrap_or_default()
                ),
            )
            .details(text("details").unwrap_or_default()),
            None => CniError::new(
                Code::Io,
                format!(
                    "IPAM plugin {} failed {verb} (exit status {}) without a CNI error object",
                    self.name,
                    exit.map_or("none (killed by a signal)".to_string(), |c| c.to_string())
                ),
            ),
        }
    }
}

/// Wait for the child; Err(None) on timeout (it is killed and reaped).
fn wait(
    child: &mut std::process::Child,
) -> Result<std::process::ExitStatus, Option<std::io::Error>> {
    let deadline = Instant::now() + TIMEOUT;
    let mut pause = Duration::from_micros(200);
    loop {
        if let Some(status) = child.try_wait().map_err(Some)? {
            return Ok(status);
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(None);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

/// Decode an IPAM result (any version from 0.3.0 on: `ips`, `routes`,
/// `dns`). Err says what is wrong.
/// The list at `key` (absent or null: empty), at most `max` long.
fn bounded_list<'a>(
    v: &'a Value,
    key: &str,
    what: &str,
    max: usize,
) -> Result<&'a [Value], String> {
    let list = match v.get(key) {
        Some(Value::Array(a)) => a.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => return Err(format!("{key} is not a list")),
    };
    if list.len() > max {
        return Err(format!(
            "it gives {} {what}, over the limit of {max}",
            list.len()
        ));
    }
    Ok(list)
}

/// An optional address at `key` (absent, null or "": none).
fn optional_address(v: &Value, key: &str, what: &str) -> Result<Option<std::net::IpAddr>, String> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(g)) if g.is_empty() => Ok(None),
        Some(Value::String(g)) => g
            .parse()
            .map(Some)
            .map_err(|_| format!("{what} {:?} is not an address", shown(g))),
        Some(_) => Err(format!("a {what} is not a string")),
    }
}

pub fn parse_allocation(v: &Value) -> Result<Allocation, String> {
    let ips_json = bounded_list(v, "ips", "addresses", MAX_IPS)?;
    if ips_json.is_empty() {
        return Err("it gives no IP address (ips is empty)".into());
    }
    let mut ips = Vec::new();
    for ip in ips_json {
        let text = ip.get("address").and_then(Value::as_str).unwrap_or("");
        let (address, prefix_len) = parse_cidr(text)
            .ok_or_else(|| format!("address {:?} is not ADDR/PREFIX", shown(text)))?;
        let gateway = optional_address(ip, "gateway", "gateway")?;
        ips.push(IpConfig {
            address,
            prefix_len,
            gateway,
        });
    }
    let routes_json = bounded_list(v, "routes", "routes", MAX_ROUTES)?;
    let mut routes = Vec::new();
    for r in routes_json {
        let text = r.get("dst").and_then(Value::as_str).unwrap_or("");
        let (dst, prefix_len) = parse_cidr(text)
            .ok_or_else(|| format!("route dst {:?} is not ADDR/PREFIX", shown(text)))?;
        let gateway = optional_address(r, "gw", "route gw")?;
        routes.push(Route {
            dst,
            prefix_len,
            gateway,
        });
    }
    let dns = v.get("dns").filter(|d| d.is_object()).cloned();
    Ok(Allocation { ips, routes, dns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_local_style_results_decode() {
        let v = json!({
            "cniVersion": "0.4.0",
            "ips": [{"version": "4", "address": "10.9.0.2/24", "gateway": "10.9.0.1"}],
            "routes": [{"dst": "0.0.0.0/0"}, {"dst": "192.168.0.0/16", "gw": "10.9.0.1"}],
            "dns": {}
        });
        let a = parse_allocation(&v).unwrap();
        assert_eq!(a.ips.len(), 1);
        assert_eq!(a.ips[0].prefix_len, 24);
        assert_eq!(a.routes[1].gateway, Some("10.9.0.1".parse().unwrap()));
    }

    #[test]
    fn bad_results_are_refused_not_trusted() {
        for bad in [
            json!({}),
            json!({"ips": []}),
            json!({"ips": "x"}),
            json!({"ips": [{"address": "10.0.0.1"}]}),
            json!({"ips": [{"address": "10.0.0.1/24", "gateway": 7}]}),
            json!({"ips": [{"address": "10.0.0.1/24"}], "routes": [{"dst": "nope"}]}),
        ] {
            assert!(parse_allocation(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_missing_plugin_names_itself_and_the_path() {
        let e = Ipam::find("no-such-ipam", &[PathBuf::from("/nonexistent")]).unwrap_err();
        assert_eq!(e.code, Code::InvalidConfig);
        assert!(e.msg.contains("no-such-ipam") && e.msg.contains("/nonexistent"));
    }
}
